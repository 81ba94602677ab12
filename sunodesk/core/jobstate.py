"""The job life cycle of design.md as a pure state machine: states and allowed moves.

queued -> submitting -> submitted -> running -> completed -> downloading <-> tagging -> done,
with the failure ends rejected, failed, unknown and expired.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol

from sunodesk.core.errors import ACTIONS, RETRYABLE_REFUSALS, UNKNOWN_OUTCOME, Action, ErrorKind


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


# The groupings every front end uses; decided here only.
FAILURES: frozenset[JobState] = frozenset(
    {JobState.REJECTED, JobState.FAILED, JobState.UNKNOWN, JobState.EXPIRED}
)
FINISHED: frozenset[JobState] = FAILURES | {JobState.DONE}
ACTIVE: frozenset[JobState] = frozenset(JobState) - FINISHED  # queued ... tagging
GENERATING: frozenset[JobState] = frozenset({JobState.SUBMITTED, JobState.RUNNING})  # task exists
FILING: frozenset[JobState] = frozenset({JobState.DOWNLOADING, JobState.TAGGING})
GENERATED: frozenset[JobState] = frozenset({JobState.COMPLETED, JobState.DONE})  # audio made
# Moves that change the balance: charged on submit, refunded on failure, settled when done.
BALANCE_CHANGES: frozenset[JobState] = frozenset(
    {JobState.SUBMITTED, JobState.FAILED, JobState.DONE}
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
    # only on the person's "Try again", for a refusal that proved nothing was sent
    # (core.errors.RETRYABLE_REFUSALS; the engine checks the code)
    _S.REJECTED: frozenset({_S.QUEUED}),
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


class JobLike(Protocol):
    """What next_action reads of a job (core.models.Job; a Protocol so models can import us)."""

    @property
    def state(self) -> JobState | str: ...

    @property
    def error_code(self) -> str | None: ...

    @property
    def kind(self) -> str: ...


def next_action(job: JobLike) -> Action | None:
    """The action a front end offers beside a job's sentence, if any (one rule for all)."""
    state, code = job.state, job.error_code
    if state == JobState.UNKNOWN:
        return UNKNOWN_OUTCOME.action
    if state == JobState.EXPIRED:
        return ACTIONS[ErrorKind.EXPIRED]
    if state in FILING and code == ErrorKind.DOWNLOAD:
        return ACTIONS[ErrorKind.DOWNLOAD]
    if state == JobState.FAILED and code == "poll_timeout":
        return ACTIONS[ErrorKind.TIMEOUT]
    if state == JobState.REJECTED and code in (ErrorKind.AUTH, ErrorKind.CREDITS):
        return ACTIONS[ErrorKind(code)]
    if state == JobState.REJECTED and code in RETRYABLE_REFUSALS:
        return Action.TRY_AGAIN
    # the task failed (content policy …) or the request broke a rule: the request is kept,
    # so the way on is to edit it (a song's request; a persona is made from a take again)
    edits = state == JobState.FAILED or (
        state == JobState.REJECTED and code in (ErrorKind.INVALID, ErrorKind.ACCESS)
    )
    return Action.EDIT_REQUEST if edits and job.kind == "song" else None
