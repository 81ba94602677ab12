"""Poll and retry schedules as pure functions (the engine supplies time and randomness)."""

from __future__ import annotations

import random

FIRST_POLL_DEFAULT = 5.0
POLL_MIN = 5.0
POLL_MAX = 10.0
GIVE_UP_FLOOR = 600.0  # 10 minutes
BACKOFF_BASE = 2.0
BACKOFF_CAP = 120.0


def first_poll_delay(estimated_time: float | None, scale: float = 1.0) -> float:
    """About 5 s, or a quarter of the estimate when that is known (kept within 5–30 s)."""
    if estimated_time and estimated_time > 0:
        return scale * min(max(estimated_time / 4.0, POLL_MIN), 30.0)
    return scale * FIRST_POLL_DEFAULT


def poll_interval(rng: random.Random | None = None, scale: float = 1.0) -> float:
    """5–10 s with jitter, so many jobs do not poll in lock-step."""
    r = (rng or random).random()
    return scale * (POLL_MIN + (POLL_MAX - POLL_MIN) * r)


def give_up_after(estimated_time: float | None, scale: float = 1.0) -> float:
    """max(2 × estimated_time, 10 min)."""
    return scale * max(2.0 * (estimated_time or 0.0), GIVE_UP_FLOOR)


def backoff(attempt: int, rng: random.Random | None = None, scale: float = 1.0) -> float:
    """Exponential backoff with full jitter in the upper half: attempt 0 -> 1–2 s, capped."""
    base = min(BACKOFF_BASE ** (attempt + 1), BACKOFF_CAP)
    r = (rng or random).random()
    return scale * (base / 2.0 + (base / 2.0) * r)


SUBMIT_RETRIES = 4  # 429/5xx on submit: no task was created, so retrying is safe
DOWNLOAD_RETRIES = 4
POLL_ERROR_RETRIES = 30  # transient poll errors before the job is parked for a later resume
