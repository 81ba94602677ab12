"""Counters of what the sandbox received, so a test (even in another process) can assert
"exactly one POST" or "no more than one poll per interval"."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

KEEP_BODIES = 50


class Stats:
    """Thread-safe request counters; read them with snapshot(), clear with reset()."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._submits: Counter[str] = Counter()
            self._polls: Counter[str] = Counter()
            self._media: Counter[str] = Counter()
            self._credits = 0
            self._tasks_created = 0
            self._bodies: list[bytes] = []  # the last submit bodies, as received

    def submit(self, kind: str, raw: bytes = b"") -> None:
        """One POST /v1/audios/generations received; kind is "song" or "persona"."""
        with self._lock:
            self._submits[kind] += 1
            self._bodies = [*self._bodies[-(KEEP_BODIES - 1) :], raw]

    def bodies(self) -> list[bytes]:
        """The raw bodies of the last submits, oldest first (so a test can compare them)."""
        with self._lock:
            return list(self._bodies)

    def created(self) -> None:
        with self._lock:
            self._tasks_created += 1

    def poll(self, task_id: str) -> None:
        with self._lock:
            self._polls[task_id] += 1

    def media(self, path: str) -> None:
        with self._lock:
            self._media[path] += 1

    def credits(self) -> None:
        with self._lock:
            self._credits += 1

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "submits": {"song": self._submits["song"], "persona": self._submits["persona"]},
                "tasks_created": self._tasks_created,
                "polls": dict(self._polls),
                "polls_total": sum(self._polls.values()),
                "media_downloads": sum(self._media.values()),
                "media": dict(self._media),
                "credits_requests": self._credits,
            }
