"""A table model of jobs: title, model, state, progress, time, and the plain error sentence.

Rows update from engine events (state, progress, take k of n) without touching the database
on the GUI thread; fresh rows arrive through JobsBridge.jobUpdated.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt
from PySide6.QtGui import QBrush, QColor, QGuiApplication

from sunodesk.core import rules
from sunodesk.core.formatting import format_length
from sunodesk.core.jobstate import ACTIVE, FAILURES, FILING, FINISHED, GENERATING
from sunodesk.core.models import Job
from sunodesk.engine.events import JobEvent
from sunodesk.ui.common import icons
from sunodesk.ui.common.job_text import live_progress, live_state
from sunodesk.ui.common.theme import error_colour

COLUMNS = ("title", "model", "state", "progress", "time", "message")
ProgressRole = Qt.ItemDataRole.UserRole + 1
JobRole = Qt.ItemDataRole.UserRole + 2
FailedRole = Qt.ItemDataRole.UserRole + 3  # True for a job that ended without its songs


class JobsModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs: list[Job] = []
        self._live: dict[int, JobEvent] = {}  # the latest event per job, fresher than its row
        self._resumed: set[int] = set()

    # -- Qt model ----------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._jobs)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return [
                self.tr("Title"),
                self.tr("Model"),
                self.tr("State"),
                self.tr("Progress"),
                self.tr("Time"),
                self.tr("Message"),
            ][section]
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        job = self._jobs[index.row()]
        column = COLUMNS[index.column()]
        if role == JobRole:
            return job
        if role == ProgressRole:
            return self._progress(job)
        failed = self._state(job) in FAILURES
        if role == FailedRole:
            return failed
        if failed and role == Qt.ItemDataRole.ForegroundRole and column in ("title", "state"):
            # a failure must not look like Done: the error colour of the palette's theme
            return QBrush(QColor(error_colour(QGuiApplication.palette())))
        if failed and role == Qt.ItemDataRole.DecorationRole and column == "state":
            return icons.icon("warning", "accent")
        if role == Qt.ItemDataRole.ToolTipRole and column in ("message", "title"):
            return job.damaged or job.error_message or job.title
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == "title":
            return job.title or self.tr("(untitled)")
        if column == "model":
            model = rules.rules_for(job.model)
            return model.label if model else job.model
        if column == "state":
            return self.tr("Damaged") if job.damaged else self._state_text(job)
        if column == "progress":
            return f"{self._progress(job)}%"
        if column == "time":
            return "" if job.damaged else self._time_text(job)
        return job.damaged or job.error_message or ""

    # -- updates -----------------------------------------------------------------------------

    def set_jobs(self, jobs: list[Job], resumed: set[int] | None = None) -> None:
        self.beginResetModel()
        self._jobs = list(jobs)
        self._resumed = set(resumed or ())
        self._live.clear()  # another session's ids may collide with these
        self.endResetModel()

    def mark_resumed(self, job_ids: set[int]) -> None:
        self._resumed |= job_ids
        self._changed_all()

    def upsert(self, job: Job) -> None:
        for row, existing in enumerate(self._jobs):
            if existing.id == job.id:
                self._jobs[row] = job
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
                return
        self.beginInsertRows(QModelIndex(), 0, 0)
        self._jobs.insert(0, job)
        self.endInsertRows()

    def apply_event(self, event: JobEvent) -> None:
        if event.kind in ("state", "progress"):
            self._live[event.job_id] = event
            row = self.row_of(event.job_id)
            if row is not None:
                self.dataChanged.emit(self.index(row, 2), self.index(row, 4))

    def tick(self) -> None:
        """Refresh the time column of active jobs (once a second), in one signal: each
        dataChanged runs every listener's slot (the panel's detail line, the view)."""
        rows = [row for row, job in enumerate(self._jobs) if self._state(job) in ACTIVE]
        if rows:
            column = COLUMNS.index("time")
            self.dataChanged.emit(self.index(rows[0], column), self.index(rows[-1], column))

    def clear_finished(self) -> int:
        """Hide finished jobs from the list (they stay in the database); how many went."""
        keep = [job for job in self._jobs if self._state(job) not in FINISHED]
        gone = len(self._jobs) - len(keep)
        if gone:
            self.beginResetModel()
            self._jobs = keep
            self.endResetModel()
        return gone

    def row_of(self, job_id: int) -> int | None:
        return next((r for r, j in enumerate(self._jobs) if j.id == job_id), None)

    def job_at(self, row: int) -> Job | None:
        return self._jobs[row] if 0 <= row < len(self._jobs) else None

    def jobs(self) -> list[Job]:
        return list(self._jobs)

    def _changed_all(self) -> None:
        if self._jobs:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._jobs) - 1, len(COLUMNS) - 1)
            )

    # -- text --------------------------------------------------------------------------------

    def _state(self, job: Job) -> str:
        return live_state(job, self._live.get(job.id))

    def _progress(self, job: Job) -> int:
        return live_progress(job, self._live.get(job.id))

    def _state_text(self, job: Job) -> str:
        state = self._state(job)
        live = self._live.get(job.id)
        names = {
            "queued": self.tr("Queued"),
            "submitting": self.tr("Sending"),
            "submitted": self.tr("Sent"),
            "running": self.tr("Generating"),
            "completed": self.tr("Finished"),
            "downloading": self.tr("Downloading"),
            "tagging": self.tr("Tagging"),
            "done": self.tr("Done"),
            "rejected": self.tr("Refused"),
            "failed": self.tr("Failed"),
            "unknown": self.tr("Outcome unknown"),
            "expired": self.tr("Expired"),
        }
        text = names.get(state, state)
        if state in FILING and live and live.takes:
            text += self.tr(" take {k} of {n}").format(k=live.take, n=live.takes)
        if job.id in self._resumed and state in ACTIVE:
            text += self.tr(" (resumed)")
        return text

    def _time_text(self, job: Job) -> str:
        state = self._state(job)
        end = time.time() if state in ACTIVE else job.updated_at
        spent = end - job.created_at
        text = format_length(spent)
        if state in GENERATING and job.estimated_time and job.submitted_at:
            left = job.submitted_at + job.estimated_time - time.time()
            if left > 0:
                text += self.tr(" · ~{left} left").format(left=format_length(left))
        return text
