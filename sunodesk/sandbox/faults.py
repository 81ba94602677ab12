"""Faults a test can switch on in the sandbox, from Python or over HTTP.

Every fault has a value (None / False / 0 means off) and an optional ``times``: how many
uses are left before it clears itself (None = until cleared or reset). A "use" is one
request the fault acted on.

=================  ==========================================================================
latency            seconds (float) added before every /v1 answer
submit_status      HTTP status (400/401/402/403/404/429/500/502/503) for POST generations
poll_status        HTTP status for GET /v1/tasks/{id}
credits_status     HTTP status for GET /v1/credits (older error shape)
fail_tasks         task failure code, e.g. "content_policy_violation": new tasks end failed
slow_download      bytes per second for media downloads
truncate_download  True: media send full Content-Length, then close after about half
expire_media       True or 403 / 404: media links answer like an expired CDN link
malformed_json     True (every /v1 route) or "submit" / "poll" / "credits": 200, broken JSON
drop_connection    True: a submit creates the task and charges credits, then the socket is
                   closed without an answer (the "unknown outcome" case)
result_shape       "list" (default) | "songs" (result_data={"songs": [...]}) |
                   "results_only" (no result_data, only results[])
=================  ==========================================================================
"""

from __future__ import annotations

import threading
from typing import Any

DEFAULTS: dict[str, Any] = {
    "latency": 0.0,
    "submit_status": None,
    "poll_status": None,
    "credits_status": None,
    "fail_tasks": None,
    "slow_download": None,
    "truncate_download": False,
    "expire_media": False,
    "malformed_json": False,
    "drop_connection": False,
    "result_shape": "list",
}
STATUSES = (400, 401, 402, 403, 404, 429, 500, 502, 503)
SHAPES = ("list", "songs", "results_only")
ROUTES = ("submit", "poll", "credits")


def _check(name: str, value: Any) -> Any:
    """The value normalised, or ValueError naming what is wrong."""
    if name not in DEFAULTS:
        raise ValueError(f"unknown fault {name!r}; known: {', '.join(DEFAULTS)}")
    if value is None:
        return DEFAULTS[name]
    if name in ("submit_status", "poll_status", "credits_status"):
        if isinstance(value, bool) or int(value) not in STATUSES:
            raise ValueError(f"{name} must be one of {STATUSES}")
        return int(value)
    if name in ("latency", "slow_download"):
        number = float(value)
        if number < 0:
            raise ValueError(f"{name} must be >= 0")
        return number or DEFAULTS[name]
    if name == "fail_tasks":
        if value is False:
            return None
        if not isinstance(value, str) or not value:
            raise ValueError("fail_tasks must be a task failure code such as 'service_error'")
        return value
    if name == "expire_media":
        if value in (True, False):
            return bool(value)
        if int(value) not in (403, 404):
            raise ValueError("expire_media must be true, false, 403 or 404")
        return int(value)
    if name == "malformed_json":
        if isinstance(value, bool):
            return value
        if value not in ROUTES:
            raise ValueError(f"malformed_json must be true, false or one of {ROUTES}")
        return value
    if name == "result_shape":
        if value not in SHAPES:
            raise ValueError(f"result_shape must be one of {SHAPES}")
        return value
    return bool(value)


class Faults:
    """Thread-safe fault switches. Values are read with peek() or used up with take()."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values: dict[str, Any] = dict(DEFAULTS)
        self._times: dict[str, int | None] = {}

    def set(self, name: str, value: Any, times: int | None = None) -> None:
        """Switch a fault on (or off with None/False); ``times`` uses before it clears."""
        value = _check(name, value)
        if times is not None and (isinstance(times, bool) or int(times) < 1):
            raise ValueError("times must be a positive integer or None")
        with self._lock:
            self._values[name] = value
            self._times[name] = None if times is None else int(times)

    def update(self, settings: dict[str, Any]) -> None:
        """Set several at once from a JSON object; its "times" applies to each of them."""
        times = settings.get("times")
        checked = {k: _check(k, v) for k, v in settings.items() if k != "times"}
        for name, value in checked.items():
            self.set(name, value, times)

    def clear(self, name: str) -> None:
        self.set(name, None)

    def reset(self) -> None:
        with self._lock:
            self._values = dict(DEFAULTS)
            self._times = {}

    def peek(self, name: str) -> Any:
        """The current value, without using it up."""
        with self._lock:
            return self._values[name]

    def take(self, name: str) -> Any:
        """The current value; when it is on, one of its ``times`` is used up."""
        with self._lock:
            value = self._values[name]
            if value == DEFAULTS[name] or value is None or value is False:
                return value
            left = self._times.get(name)
            if left is not None:
                left -= 1
                if left <= 0:
                    self._values[name] = DEFAULTS[name]
                    self._times.pop(name, None)
                else:
                    self._times[name] = left
            return value

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "values": dict(self._values),
                "times": {k: v for k, v in self._times.items() if v is not None},
            }
