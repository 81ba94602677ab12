"""The job life cycle of design.md as a pure state machine: states and allowed moves.

queued -> submitting -> submitted -> running -> completed -> downloading <-> tagging -> done,
with the failure ends rejected, failed, unknown and expired.
"""

from __future__ import annotations

from enum import StrEnum


class JobState(StrEnum):
    QUEUED = "queued"
    SUBMITTING = "submitting"
    SUBMITTED = "submitted"
    RUNNING = "running"
    COMPLETED = "completed"
    DOWNLOADING = "downloading"
    TAGGING = "tagging"
    DONE = "done"
    REJECTED = "rejected"  # the API said no before creating a task: nothing charged
    FAILED = "failed"  # the task failed; Evolink's code and message kept
    UNKNOWN = "unknown"  # the POST may have reached the server; never re-sent by itself
    EXPIRED = "expired"  # audio URLs outlived their life before download succeeded

    @property
    def finished(self) -> bool:
        return self in FINISHED


FINISHED = frozenset(
    {JobState.DONE, JobState.REJECTED, JobState.FAILED, JobState.UNKNOWN, JobState.EXPIRED}
)

_S = JobState
TRANSITIONS: dict[JobState, frozenset[JobState]] = {
    _S.QUEUED: frozenset({_S.SUBMITTING, _S.REJECTED}),
    # back to queued: a 429/5xx/refused connection proved no task was created, safe to retry
    _S.SUBMITTING: frozenset({_S.SUBMITTED, _S.QUEUED, _S.REJECTED, _S.UNKNOWN}),
    _S.SUBMITTED: frozenset({_S.RUNNING, _S.COMPLETED, _S.FAILED}),
    _S.RUNNING: frozenset({_S.RUNNING, _S.COMPLETED, _S.FAILED}),
    _S.COMPLETED: frozenset({_S.DOWNLOADING, _S.DONE, _S.FAILED}),
    _S.DOWNLOADING: frozenset({_S.DOWNLOADING, _S.TAGGING, _S.DONE, _S.EXPIRED}),
    _S.TAGGING: frozenset({_S.DOWNLOADING, _S.DONE}),
    _S.DONE: frozenset(),
    _S.REJECTED: frozenset(),
    # a task that timed out locally may be checked again when the person asks
    _S.FAILED: frozenset({_S.RUNNING, _S.COMPLETED}),
    # only on the person's explicit "Submit again"
    _S.UNKNOWN: frozenset({_S.QUEUED}),
    # a person may retry a download: some links outlive their stated life
    _S.EXPIRED: frozenset({_S.DOWNLOADING}),
}


class InvalidTransition(ValueError):
    """A move the life cycle does not allow."""


def can_move(current: JobState | str, target: JobState | str) -> bool:
    return JobState(target) in TRANSITIONS[JobState(current)]


def check_move(current: JobState | str, target: JobState | str) -> JobState:
    """Return the target state, or raise InvalidTransition."""
    if not can_move(current, target):
        raise InvalidTransition(f"a job cannot go from {current} to {target}")
    return JobState(target)
