"""The jobs panel: one row per job with a progress bar, and the action its error offers."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from sunodesk.core.jobstate import FAILURES, next_action
from sunodesk.core.models import Job
from sunodesk.ui.jobs.model import COLUMNS, JobRole, JobsModel, ProgressRole


class ProgressDelegate(QStyledItemDelegate):
    def paint(self, painter, option, index: QModelIndex) -> None:
        bar = QStyleOptionProgressBar()
        bar.rect = option.rect.adjusted(2, 4, -2, -4)
        bar.minimum, bar.maximum = 0, 100
        bar.progress = int(index.data(ProgressRole) or 0)
        bar.text = f"{bar.progress}%"
        bar.textVisible = True
        bar.textAlignment = Qt.AlignmentFlag.AlignCenter  # Fusion draws it top-left otherwise
        bar.state = option.state | QStyle.StateFlag.State_Horizontal
        palette = QPalette(QApplication.palette())  # the view's own has the selection tint
        job = index.data(JobRole)
        if job is not None and job.state in FAILURES:  # a stopped bar must not look busy
            palette.setColor(QPalette.ColorRole.Highlight, palette.color(QPalette.ColorRole.Mid))
        bar.palette = palette
        style = option.widget.style() if option.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter, option.widget)


class JobsPanel(QWidget):
    actionRequested = Signal(object, str)  # Job, action

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = JobsModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("jobsView")
        self.view.setAccessibleName(self.tr("Jobs"))
        self.view.setModel(self.model)
        self.view.setItemDelegateForColumn(COLUMNS.index("progress"), ProgressDelegate(self))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().hide()
        self.view.setShowGrid(False)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        for column, width in (("model", 52), ("state", 150), ("progress", 80), ("time", 110)):
            self.view.setColumnWidth(COLUMNS.index(column), width)
        # the sentence is shown in full under the table, where it has room
        self.view.setColumnHidden(COLUMNS.index("message"), True)

        self.detail = QLabel(self)
        self.detail.setObjectName("jobDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.actionButton = QPushButton(self)
        self.actionButton.setObjectName("jobActionButton")
        self.actionButton.hide()
        self.actionButton.clicked.connect(self._act)
        # job id -> updated_at of the row the person acted on: its action stays hidden until
        # a newer row arrives, so one press can never become two requests.
        self._pressed: dict[int, float] = {}
        row = QHBoxLayout()
        row.addWidget(self.detail, 1)
        row.addWidget(self.actionButton)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addLayout(row)

        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._show_selected())
        self.model.dataChanged.connect(lambda *_: self._show_selected())
        self.model.rowsInserted.connect(self._select_new)
        self._ticker = QTimer(self, interval=1000)
        self._ticker.timeout.connect(self.model.tick)
        self._ticker.start()

    def selected_job(self) -> Job | None:
        index = self.view.currentIndex()
        return index.data(JobRole) if index.isValid() else None

    def _select_new(self, _parent, first: int, _last: int) -> None:
        self.view.selectRow(first)

    def _show_selected(self) -> None:
        job = self.selected_job()
        if job is None:
            self.detail.clear()
            self.actionButton.hide()
            return
        self.detail.setText(job.error_message or "")
        action = next_action(job)
        if job.id in self._pressed and job.updated_at <= self._pressed[job.id]:
            action = None
        labels = {
            "open_settings": self.tr("Open Settings"),
            "retry_download": self.tr("Retry download"),
            "submit_again": self.tr("Submit again"),
            "check_again": self.tr("Check again"),
            "edit_request": self.tr("Edit the request"),
        }
        self.actionButton.setVisible(action is not None)
        if action:
            self.actionButton.setText(labels[action])
            self.actionButton.setProperty("action", action)

    def _act(self) -> None:
        job = self.selected_job()
        action = self.actionButton.property("action")
        if job is not None and action:
            self._pressed[job.id] = job.updated_at
            self.actionButton.hide()  # one press, one action
            self.actionRequested.emit(job, action)
