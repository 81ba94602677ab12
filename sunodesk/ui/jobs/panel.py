"""The jobs panel: one row per job with a progress bar, and the action its error offers."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect, QSize, Qt, QTimer, Signal
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

from sunodesk.core.errors import balance_sentence
from sunodesk.core.jobstate import next_action
from sunodesk.core.models import Job
from sunodesk.ui.common import theme
from sunodesk.ui.common.job_text import action_label
from sunodesk.ui.jobs.model import COLUMNS, FailedRole, JobRole, JobsModel, ProgressRole


class ProgressDelegate(QStyledItemDelegate):
    """A slim bar with its percentage beside it, never on it (text on a thin bar is unreadable)."""

    def paint(self, painter, option, index: QModelIndex) -> None:
        style = option.widget.style() if option.widget else QApplication.style()
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, option.palette.highlight())
        if index.data(FailedRole):
            return  # a bar stopped short says nothing the state's colour does not
        progress = int(index.data(ProgressRole) or 0)
        text = f"{progress}%"
        metrics = option.fontMetrics
        text_width = metrics.horizontalAdvance("100%") + 6
        rect = option.rect.adjusted(4, 0, -4, 0)
        bar_height = max(6, min(10, rect.height() // 3))
        bar = QStyleOptionProgressBar()
        bar.rect = QRect(
            rect.left(),
            rect.center().y() - bar_height // 2,
            max(10, rect.width() - text_width),
            bar_height,
        )
        bar.minimum, bar.maximum = 0, 100
        bar.progress = progress
        bar.textVisible = False
        bar.state = option.state | QStyle.StateFlag.State_Horizontal
        bar.palette = QPalette(option.palette)
        bar.palette.setColor(QPalette.ColorRole.Highlight, theme.accent())  # not the pale tint
        style.drawControl(QStyle.ControlElement.CE_ProgressBarGroove, bar, painter, option.widget)
        style.drawControl(QStyle.ControlElement.CE_ProgressBarContents, bar, painter, option.widget)
        text_rect = QRect(bar.rect.right() + 6, rect.top(), text_width - 6, rect.height())
        role = (
            QPalette.ColorRole.HighlightedText
            if option.state & QStyle.StateFlag.State_Selected
            else QPalette.ColorRole.Text
        )
        painter.save()
        painter.setPen(option.palette.color(role))
        painter.drawText(
            text_rect, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight), text
        )
        painter.restore()

    def sizeHint(self, option, index: QModelIndex) -> QSize:
        return QSize(
            option.fontMetrics.horizontalAdvance("100%") + 90, option.fontMetrics.height() + 12
        )


class JobsPanel(QWidget):
    actionRequested = Signal(object, str)  # Job, action
    cleared = Signal(str)  # a sentence for the status bar

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
        for column, width in (("model", 52), ("state", 140), ("progress", 120), ("time", 110)):
            self.view.setColumnWidth(COLUMNS.index(column), width)
        # room for the bar and its percentage beside it
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 14)
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
        self._balance: float | None = None
        self._balance_checked = False
        self.clearButton = QPushButton(self.tr("Clear finished"), self)
        self.clearButton.setObjectName("jobsClearFinishedButton")
        self.clearButton.setAccessibleName(self.tr("Clear finished jobs from the list"))
        self.clearButton.setToolTip(
            self.tr("Hide finished jobs from this list; they stay in the database.")
        )
        self.clearButton.clicked.connect(self.clear_finished)
        row = QHBoxLayout()
        row.addWidget(self.detail, 1)
        row.addWidget(self.actionButton)
        row.addWidget(self.clearButton)

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
        text = job.error_message or ""
        action = next_action(job)
        if action == "check_balance" and self._balance_checked:
            text += " " + self.tr(balance_sentence(self._balance))
        self.detail.setText(text)
        pressed = job.id in self._pressed and job.updated_at <= self._pressed[job.id]
        if pressed and action != "check_balance":  # looking again at the balance costs nothing
            action = None
        self.actionButton.setVisible(action is not None)
        if action:
            self.actionButton.setText(action_label(action))
            self.actionButton.setProperty("action", action)

    def _act(self) -> None:
        job = self.selected_job()
        action = self.actionButton.property("action")
        if job is not None and action:
            self._pressed[job.id] = job.updated_at
            if action != "check_balance":
                self.actionButton.hide()  # one press, one action
            self.actionRequested.emit(job, action)

    def set_balance(self, remaining: float | None, checked: bool = False) -> None:
        """The latest balance; after a "Check balance" press it shows under a credits refusal."""
        self._balance = remaining
        self._balance_checked = self._balance_checked or checked
        self._show_selected()

    def clear_finished(self) -> None:
        gone = self.model.clear_finished()
        self._show_selected()
        if gone:
            self.cleared.emit(
                self.tr(
                    "Cleared {n} finished job(s) from the list; they stay in the database."
                ).format(n=gone)
            )
