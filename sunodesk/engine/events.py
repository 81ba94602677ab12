"""Events the engine publishes so a front end (CLI or window) can follow every job."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from sunodesk.core.jobstate import JobState

log = logging.getLogger(__name__)


class EventKind(StrEnum):
    STATE = "state"  # the state changed
    PROGRESS = "progress"  # task progress, or take k of n
    ERROR = "error"  # a plain sentence, maybe with an action
    TRACK = "track"  # a take was filed
    PERSONA = "persona"  # a persona id arrived


@dataclass(frozen=True)
class JobEvent:
    """One thing that happened to a job (see EventKind)."""

    job_id: int
    kind: EventKind
    state: JobState
    progress: int = 0
    message: str = ""
    action: str | None = None
    take: int = 0
    takes: int = 0
    path: str | None = None
    result_id: str | None = None


Listener = Callable[[JobEvent], None]


class EventBus:
    """Synchronous fan-out on the engine's loop thread; a failing listener never stops a job."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def emit(self, event: JobEvent) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:  # a broken front end must not break the engine
                log.exception("event listener failed")
