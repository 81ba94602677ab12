"""The songs list's model: one row per generation (a song job), newest first, with its takes.

A row holds the job as the store last gave it, the freshest engine event for it (progress,
take k of n, fresher than the row while it runs) and the takes the library filed for it. What
a row *is* (in flight, its takes, a failure) is decided by core.jobstate only. The delegate
reads one role, RowRole: a SongRow with everything a row shows, made once and kept until the
row changes (painting runs on the GUI thread at every change and at every pulse of the covers
in flight, so it must not work things out again); the other roles serve tests and assistive
technology. Painting never touches the database.

Rows update from the JobsBridge signals (jobUpdated, jobEvent) and from the hub's
takesChanged; a generation's placeholder row becomes its takes in place (the same row).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QAbstractListModel, QCoreApplication, QModelIndex, QObject, Qt

from sunodesk.core import rules
from sunodesk.core.formatting import format_length
from sunodesk.core.jobstate import ACTIVE, FAILURES, FILING, GENERATED, GENERATING, next_action
from sunodesk.core.models import Job, Track
from sunodesk.engine.events import JobEvent
from sunodesk.ui.common.job_text import action_label, live_progress, live_state

JobRole = Qt.ItemDataRole.UserRole + 1
TakesRole = Qt.ItemDataRole.UserRole + 2  # list[Track], in filing order (A, B …)
KindRole = Qt.ItemDataRole.UserRole + 3  # RowKind
ProgressRole = Qt.ItemDataRole.UserRole + 4  # 0..100
StatusRole = Qt.ItemDataRole.UserRole + 5  # "Generating · 42% · ~1:10 left", the sentence …
ActionRole = Qt.ItemDataRole.UserRole + 6  # (action, label) or None: core.jobstate.next_action
MetaRole = Qt.ItemDataRole.UserRole + 7  # "V5 · 2 min ago"
PeaksRole = Qt.ItemDataRole.UserRole + 8  # list[list[float] | None], one per take (waveforms)
PlayingRole = Qt.ItemDataRole.UserRole + 9  # result id of the take playing now, or None
StylesRole = Qt.ItemDataRole.UserRole + 10  # the styles, as the take or the request says
RowRole = Qt.ItemDataRole.UserRole + 11  # SongRow: what a row shows, made once per change
ShapeRole = Qt.ItemDataRole.UserRole + 12  # (RowKind, takes, has an action): the row's height


class RowKind(StrEnum):
    ACTIVE = "active"  # in flight: a placeholder with live progress
    DONE = "done"  # its takes are here
    FAILED = "failed"  # refused, failed, unknown or expired: its sentence and action


def tr(text: str) -> str:
    return QCoreApplication.translate("SongsModel", text)


@dataclass(frozen=True, eq=False)
class SongRow:
    """What one row shows, as of the row's last change (the delegate paints from this)."""

    job: Job
    kind: RowKind
    title: str
    meta: str
    styles: str
    takes: tuple[Track, ...]
    progress: int
    status: str
    action: tuple[str, str] | None
    playing: str | None


def age_text(seconds: float) -> str:
    """ "just now", "2 min ago", "3 h ago", "5 days ago"."""
    if seconds < 45:
        return tr("just now")
    if seconds < 3600:
        return tr("{n} min ago").format(n=max(1, round(seconds / 60)))
    if seconds < 86400:
        return tr("{n} h ago").format(n=round(seconds / 3600))
    days = round(seconds / 86400)
    return tr("1 day ago") if days == 1 else tr("{n} days ago").format(n=days)


class SongsModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs: list[Job] = []
        self._rows: dict[int, int] = {}  # job id -> row
        self._live: dict[int, JobEvent] = {}
        self._takes: dict[int, list[Track]] = {}
        self._pressed: dict[int, float] = {}  # job id -> updated_at of the row acted on
        self._playing: str | None = None
        self._views: dict[int, SongRow] = {}  # job id -> its row as last shown
        self._job_of_take: dict[str, int] = {}  # result id -> job id, of the takes read
        self._ticks = 0
        self.takes_of_job: Callable[[int], list[Track]] = lambda _job_id: []
        self.peaks: Callable[[str, str | None], list[float] | None] = lambda _id, _path: None
        self.clock: Callable[[], float] = time.time

    # -- Qt model ----------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._jobs)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._jobs):
            return None
        job = self._jobs[index.row()]
        if role == RowRole:
            return self.row_view(index.row())
        if role == ShapeRole:
            return self.shape(index.row())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            title = job.title or tr("(untitled)")
            if role == Qt.ItemDataRole.DisplayRole:
                return title
            return f"{title}, {self._status(job)}"
        if role == JobRole:
            return job
        if role == TakesRole:
            return self._takes_of(job)
        if role == KindRole:
            return self.kind(job)
        if role == ProgressRole:
            return self._progress(job)
        if role == StatusRole:
            return self._status(job)
        if role == ActionRole:
            return self._action(job)
        if role == StylesRole:
            return self.styles(job, self._takes_of(job))
        if role == MetaRole:
            return self._meta(job)
        if role == PeaksRole:
            return [self.peaks(t.result_id, t.path) for t in self._takes_of(job)]
        if role == PlayingRole:
            return self._playing
        if role == Qt.ItemDataRole.ToolTipRole:
            return job.error_message or None
        return None

    # -- updates -----------------------------------------------------------------------------

    def set_jobs(self, jobs: list[Job]) -> None:
        self.beginResetModel()
        self._jobs = [j for j in jobs if j.kind == "song"]
        self._live.clear()
        self._pressed.clear()
        self._takes.clear()  # read lazily, as rows are painted
        self._views.clear()
        self._job_of_take.clear()
        self._reindex()
        self.endResetModel()

    def upsert(self, job: Job) -> None:
        if job.kind != "song":
            return
        row = self._rows.get(job.id)
        if row is not None:
            self._jobs[row] = job
            if job.state in GENERATED or job.state in FILING:
                self._takes.pop(job.id, None)  # its takes may have arrived: read them again
            self._changed(row)
            return
        self.beginInsertRows(QModelIndex(), 0, 0)
        self._jobs.insert(0, job)
        self._reindex()
        self.endInsertRows()

    def apply_event(self, event: JobEvent) -> None:
        if event.kind not in ("state", "progress", "track"):
            return
        if event.kind == "track":
            self._takes.pop(event.job_id, None)
        else:
            self._live[event.job_id] = event
        row = self._rows.get(event.job_id)
        if row is not None:
            self._changed(row)

    def takes_changed(self, job_ids: set[int] | None) -> None:
        """The library's takes changed (None: all of them); their rows read them again."""
        if job_ids is None:
            self._takes.clear()
            self._changed_all()
            return
        for job_id in job_ids:
            self._takes.pop(job_id, None)
            row = self._rows.get(job_id)
            if row is not None:
                self._changed(row)

    def set_playing(self, result_id: str | None) -> None:
        """The take playing now (None: nothing plays): the rows of the old and the new one
        are drawn again, not every row."""
        before, self._playing = self._playing, result_id
        for rid in {before, result_id} - {None}:
            row = self._rows.get(self._job_of_take.get(rid or "", -1), -1)
            if row >= 0:
                self._changed(row)

    def mark_pressed(self, job: Job) -> None:
        """The person pressed this row's action: it stays hidden until a newer row arrives,
        so one press can never become two requests."""
        self._pressed[job.id] = job.updated_at
        row = self._rows.get(job.id)
        if row is not None:
            self._changed(row)

    def tick(self) -> None:
        """Once a second: rows in flight count their time left; every half minute every
        row's age moves on."""
        self._ticks += 1
        if self._ticks % 30 == 0:
            self._changed_all()
            return
        for row, job in enumerate(self._jobs[:50]):  # the newest: where generations run
            if self._state(job) in ACTIVE:
                self._changed(row)

    # -- reading -----------------------------------------------------------------------------

    def job_at(self, row: int) -> Job | None:
        return self._jobs[row] if 0 <= row < len(self._jobs) else None

    def row_of(self, job_id: int) -> int | None:
        return self._rows.get(job_id)

    def row_view(self, row: int) -> SongRow | None:
        """The row's SongRow, made on first asking after a change."""
        job = self.job_at(row)
        if job is None:
            return None
        view = self._views.get(job.id)
        if view is None:
            takes = self._takes_of(job)
            view = SongRow(
                job=job,
                kind=self.kind(job),
                title=job.title or tr("(untitled)"),
                meta=self._meta(job),
                styles=self.styles(job, takes),
                takes=tuple(takes),
                progress=self._progress(job),
                status=self._status(job),
                action=self._action(job),
                playing=self._playing,
            )
            self._views[job.id] = view
        return view

    def any_active(self, within: int = 20) -> bool:
        """Whether one of the newest rows is a generation in flight."""
        return any(self.kind(job) == RowKind.ACTIVE for job in self._jobs[:within])

    def shape(self, row: int) -> tuple[RowKind, int, bool] | None:
        """What a row's height depends on, without making the whole row (sizes are asked for
        every row; only the painted ones need their SongRow)."""
        job = self.job_at(row)
        if job is None:
            return None
        view = self._views.get(job.id)
        if view is not None:
            return view.kind, len(view.takes), view.action is not None
        return self.kind(job), len(self._takes_of(job)), self._action(job) is not None

    def waveform_ready(self, result_id: str) -> None:
        """A take's peaks arrived: the row that shows it is drawn again, with them."""
        row = self._rows.get(self._job_of_take.get(result_id, -1))
        if row is not None:
            self._changed(row)

    def takes(self, row: int) -> list[Track]:
        job = self.job_at(row)
        return self._takes_of(job) if job is not None else []

    def kind(self, job: Job) -> RowKind:
        state = self._state(job)
        if state in FAILURES:
            return RowKind.FAILED
        if state in ACTIVE and next_action(job) is not None:  # a download that stopped
            return RowKind.FAILED
        if state in ACTIVE:
            return RowKind.ACTIVE
        return RowKind.DONE

    # -- inner -------------------------------------------------------------------------------

    def _reindex(self) -> None:
        self._rows = {job.id: row for row, job in enumerate(self._jobs)}

    def _changed(self, row: int) -> None:
        job = self.job_at(row)
        if job is not None:
            self._views.pop(job.id, None)
        index = self.index(row, 0)
        self.dataChanged.emit(index, index)

    def _changed_all(self) -> None:
        self._views.clear()
        if self._jobs:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._jobs) - 1, 0))

    def _takes_of(self, job: Job) -> list[Track]:
        takes = self._takes.get(job.id)
        if takes is None:
            takes = [t for t in self.takes_of_job(job.id) if t.path]
            self._takes[job.id] = takes
            for take in takes:
                self._job_of_take[take.result_id] = job.id
        return takes

    def _state(self, job: Job) -> str:
        return live_state(job, self._live.get(job.id))

    def _progress(self, job: Job) -> int:
        return live_progress(job, self._live.get(job.id))

    def _status(self, job: Job) -> str:
        kind = self.kind(job)
        if kind == RowKind.FAILED:
            return job.error_message or {
                "rejected": tr("Refused"),
                "failed": tr("Failed"),
                "unknown": tr("Outcome unknown"),
                "expired": tr("The links expired before the download"),
            }.get(self._state(job), tr("Stopped"))
        if kind == RowKind.DONE:
            return tr("{n} takes").format(n=len(self._takes_of(job)))
        state = self._state(job)
        live = self._live.get(job.id)
        names = {
            "queued": tr("Waiting to send"),
            "submitting": tr("Sending"),
            "submitted": tr("Generating"),
            "running": tr("Generating"),
            "completed": tr("Finishing"),
            "downloading": tr("Downloading"),
            "tagging": tr("Tagging"),
        }
        parts = [names.get(state, state)]
        if state in FILING and live and live.takes:
            parts[0] += tr(" take {k} of {n}").format(k=live.take, n=live.takes)
        if state in GENERATING:
            parts.append(f"{self._progress(job)}%")  # as the Details table writes it
            if job.estimated_time and job.submitted_at:
                left = job.submitted_at + job.estimated_time - self.clock()
                if left > 0:
                    parts.append(tr("~{left} left").format(left=format_length(left)))
        return " · ".join(parts)

    def _action(self, job: Job) -> tuple[str, str] | None:
        if self.kind(job) != RowKind.FAILED:
            return None
        if job.id in self._pressed and job.updated_at <= self._pressed[job.id]:
            return None
        action = next_action(job)
        return (action, action_label(action)) if action else None

    def styles(self, job: Job, takes: list[Track]) -> str:
        if takes and takes[0].style:
            return takes[0].style
        try:
            return job.song_request.style
        except (ValueError, TypeError):
            return ""

    def _meta(self, job: Job) -> str:
        found = rules.rules_for(job.model) if job.model else None
        parts = [found.label if found else job.model] if job.model else []
        parts.append(age_text(max(0.0, self.clock() - job.created_at)))
        return " · ".join(parts)
