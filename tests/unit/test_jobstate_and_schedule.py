"""The job state machine and the poll/retry schedules."""

import itertools
import random

import pytest

from sunodesk.core import schedule
from sunodesk.core.jobstate import FINISHED, TRANSITIONS, InvalidTransition, JobState, check_move

HAPPY = [
    "queued",
    "submitting",
    "submitted",
    "running",
    "completed",
    "downloading",
    "tagging",
    "downloading",
    "tagging",
    "done",
]


def test_the_happy_path_is_allowed():
    for a, b in itertools.pairwise(HAPPY):
        assert check_move(a, b) is JobState(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("queued", "done"),
        ("done", "queued"),
        ("rejected", "submitting"),
        ("unknown", "submitting"),
        ("submitted", "queued"),
        ("running", "submitting"),
    ],
)
def test_invalid_moves_raise(a, b):
    with pytest.raises(InvalidTransition):
        check_move(a, b)


def test_every_state_is_reachable_and_every_end_is_named():
    reachable = {JobState.QUEUED} | {t for targets in TRANSITIONS.values() for t in targets}
    assert reachable == set(JobState)
    assert {s.value for s in FINISHED} == {"done", "rejected", "failed", "unknown", "expired"}


def test_unknown_is_only_left_by_an_explicit_resubmit():
    assert TRANSITIONS[JobState.UNKNOWN] == frozenset({JobState.QUEUED})


def test_poll_schedule():
    rng = random.Random(1)
    assert schedule.first_poll_delay(None) == 5.0
    assert schedule.first_poll_delay(120) == 30.0
    assert schedule.first_poll_delay(8) == 5.0
    values = [schedule.poll_interval(rng) for _ in range(200)]
    assert min(values) >= 5.0 and max(values) <= 10.0 and len(set(values)) > 100
    assert schedule.give_up_after(120) == 600.0
    assert schedule.give_up_after(900) == 1800.0


def test_backoff_grows_and_is_capped():
    rng = random.Random(2)
    firsts = [schedule.backoff(0, rng) for _ in range(50)]
    assert all(1.0 <= v <= 2.0 for v in firsts)
    assert all(60.0 <= schedule.backoff(20, rng) <= 120.0 for _ in range(50))
    assert schedule.backoff(3, random.Random(3), scale=0.01) < 0.2
