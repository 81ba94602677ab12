"""What the window says of a job, the same in the songs list and the Details table: the label
of the action beside its sentence, and its state and progress with the freshest live event."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from sunodesk.core.errors import Action
from sunodesk.core.jobstate import ACTIVE, FILING, GENERATED
from sunodesk.core.models import Job
from sunodesk.engine.events import JobEvent


def _tr(text: str) -> str:
    return QCoreApplication.translate("JobText", text)


def action_label(action: str) -> str:
    """The button text of one of core's actions (every Action has one)."""
    return {
        Action.OPEN_SETTINGS: _tr("Open Settings"),
        Action.TRY_AGAIN: _tr("Try again"),
        Action.CHECK_BALANCE: _tr("Check balance"),
        Action.RETRY_DOWNLOAD: _tr("Retry download"),
        Action.SUBMIT_AGAIN: _tr("Submit again"),
        Action.CHECK_AGAIN: _tr("Check again"),
        Action.EDIT_REQUEST: _tr("Edit the request"),
    }.get(action, action)  # type: ignore[call-overload]


def live_state(job: Job, live: JobEvent | None) -> str:
    """A live event is fresher than an active row; a finished row is final."""
    return live.state if live and job.state in ACTIVE else job.state


def live_progress(job: Job, live: JobEvent | None) -> int:
    """0–100: the task's progress, then the share of takes filed, 100 once generated."""
    state = live_state(job, live)
    if state in GENERATED:
        return 100
    if state in FILING and live and live.takes:
        return int(100 * max(0, live.take - 1) / live.takes)
    return int(live.progress if live and job.state in ACTIVE else job.progress)
