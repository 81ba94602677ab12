"""The songs panel: the list of generations (songsView) and what it says when it is empty.

A QListView over the SongsModel painted by the SongDelegate: a click selects a generation,
a double click or Enter plays its take A (or does a failure's action); the play, favourite,
rating and action targets inside a row are the delegate's. A one-second tick moves the ages
and the time left; while anything is in flight, a faster one repaints only those rows (the
pulse of their placeholder covers).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QLabel, QListView, QStackedLayout, QWidget

from sunodesk.core.models import Job
from sunodesk.ui.songs.delegate import SongDelegate
from sunodesk.ui.songs.model import ActionRole, JobRole, KindRole, RowKind, SongsModel, TakesRole


class SongsPanel(QWidget):
    playRequested = Signal(str)  # result id
    actionRequested = Signal(object, str)  # Job, action

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("songsPanel")
        self.model = SongsModel(self)
        self.delegate = SongDelegate(self)
        self.view = QListView(self)
        self.view.setObjectName("songsView")
        self.view.setAccessibleName(self.tr("Songs"))
        self.view.setAccessibleDescription(
            self.tr("Your generations, newest first; Enter plays take A")
        )
        self.view.setModel(self.model)
        self.view.setItemDelegate(self.delegate)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setMouseTracking(True)  # hover highlights the row under the pointer
        self.view.setFrameShape(QListView.Shape.NoFrame)
        # rows follow the list's width (a narrow pane cuts the waveforms, never scrolls sideways)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setLayoutMode(QListView.LayoutMode.Batched)  # 500 rows never block a frame
        self.view.setBatchSize(50)
        self.view.setUniformItemSizes(False)
        self.view.doubleClicked.connect(self._activated)
        self.view.installEventFilter(self)

        self.empty = QLabel(
            self.tr("No songs yet — write a title and some lyrics, then press Generate."), self
        )
        self.empty.setObjectName("songsEmpty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setMargin(24)
        self.empty.setForegroundRole(self.empty.foregroundRole())
        self.stack = QStackedLayout(self)
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.view)

        self.delegate.playRequested.connect(self.playRequested)
        self.delegate.actionRequested.connect(self._act)
        for signal in (self.model.rowsInserted, self.model.rowsRemoved, self.model.modelReset):
            signal.connect(self._show_empty)
        self.model.rowsInserted.connect(self._inserted)
        self.model.modelReset.connect(self.delegate.forget_strips)
        # a row's height changes when its placeholder becomes its takes
        self.model.dataChanged.connect(self._relayout)
        self._ticker = QTimer(self, interval=1000)
        self._ticker.timeout.connect(self.model.tick)
        self._ticker.start()
        self._pulse = QTimer(self, interval=80)
        self._pulse.timeout.connect(self._repaint_active)
        self._heights: dict[int, tuple[RowKind, int, bool]] = {}  # job id -> row shape
        self._show_empty()

    # -- reading -----------------------------------------------------------------------------

    def selected_job(self) -> Job | None:
        index = self.view.currentIndex()
        return index.data(JobRole) if index.isValid() else None

    # -- inner -------------------------------------------------------------------------------

    def _show_empty(self, *_args) -> None:
        self.stack.setCurrentWidget(self.view if self.model.rowCount() else self.empty)
        self._update_pulse()

    def _inserted(self, _parent, first: int, _last: int) -> None:
        # a new generation appears where the person is looking: at the top, in view
        self.view.scrollToTop()
        self.view.setCurrentIndex(self.model.index(first, 0))

    def _relayout(self, top: QModelIndex, bottom: QModelIndex, *_roles) -> None:
        changed = False
        for row in range(top.row(), bottom.row() + 1):
            job, shape = self.model.job_at(row), self.model.shape(row)
            if job is not None and self._heights.get(job.id) != shape:
                self._heights[job.id] = shape
                changed = True
        if changed:
            self.view.scheduleDelayedItemsLayout()  # QListView caches sizes: ask again
        self._update_pulse()

    def _update_pulse(self) -> None:
        active = self.model.any_active()
        if active and not self._pulse.isActive():
            self._pulse.start()
        elif not active and self._pulse.isActive():
            self._pulse.stop()

    def _repaint_active(self) -> None:
        viewport = self.view.viewport()
        for row in range(min(self.model.rowCount(), 20)):
            view = self.model.row_view(row)
            if view is not None and view.kind == RowKind.ACTIVE:
                rect = self.view.visualRect(self.model.index(row, 0))
                if rect.intersects(viewport.rect()):
                    viewport.update(rect)

    def _activated(self, index: QModelIndex) -> None:
        kind = index.data(KindRole)
        if kind == RowKind.DONE:
            takes = index.data(TakesRole) or []
            if takes:
                self.playRequested.emit(takes[0].result_id)
        elif kind == RowKind.FAILED:
            action = index.data(ActionRole)
            if action:
                self._act(index.data(JobRole), action[0])

    def _act(self, job: Job, action: str) -> None:
        self.model.mark_pressed(job)  # one press, one action
        self.actionRequested.emit(job, action)

    def eventFilter(self, watched, event) -> bool:
        if (
            watched is self.view
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and self.view.currentIndex().isValid()
        ):
            self._activated(self.view.currentIndex())
            return True
        return super().eventFilter(watched, event)
