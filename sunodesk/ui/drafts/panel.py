"""The Drafts tab: the list of drafts (``draftsView``), their buttons, an undo bar after a
delete, a notice line for import/export results, and the open draft's history (every request
it sent, each reopenable, with its takes).

Widgets only: the drafts feature fills them and acts on their signals.
"""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from sunodesk.core.drafts import Draft, DraftSnapshot
from sunodesk.ui.common import icons
from sunodesk.ui.common.plural import counted

IdRole = Qt.ItemDataRole.UserRole
DataRole = Qt.ItemDataRole.UserRole + 1

# the icon of a snapshot's job state (none while it is still running)
_STATES = {"done": "check", "failed": "failed", "rejected": "failed", "expired": "expired",
           "unknown": "unknown"}  # fmt: skip


def take_letter(n: int) -> str:
    """A, B … Z, then 27, 28 … (a generation makes two takes; more only from odd servers)."""
    return chr(ord("A") + n) if n < 26 else str(n + 1)


def _when(stamp: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(stamp))


def _button(text: str, name: str, parent: QWidget, tip: str = "") -> QPushButton:
    button = QPushButton(text, parent)
    button.setObjectName(name)
    button.setAccessibleName(text.rstrip("…"))
    if tip:
        button.setToolTip(tip)
    return button


class DraftsPanel(QWidget):
    switchRequested = Signal(int)  # draft id
    renameRequested = Signal(int, str)
    snapshotOpenRequested = Signal(object)  # DraftSnapshot
    takePlayRequested = Signal(str, str)  # result_id, path

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        tr = self.tr
        self._filling = False
        self.view = QListWidget(self)
        self.view.setObjectName("draftsView")
        self.view.setAccessibleName(tr("Drafts"))
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.view.currentItemChanged.connect(self._current_changed)
        self.view.itemChanged.connect(self._item_changed)

        self.newButton = _button(
            tr("New"), "newDraftButton", self, tr("Start an empty draft (the current one is kept).")
        )
        self.duplicateButton = _button(tr("Duplicate"), "duplicateDraftButton", self)
        self.renameButton = _button(
            tr("Rename"),
            "renameDraftButton",
            self,
            tr("The name is also the album of the songs it makes."),
        )
        self.deleteButton = _button(tr("Delete"), "deleteDraftButton", self)
        self.exportButton = _button(
            tr("Export…"),
            "exportDraftButton",
            self,
            tr("Save the lyrics and settings as a small JSON file."),
        )
        self.importButton = _button(
            tr("Import…"), "importDraftButton", self, tr("Open a draft file as a new draft.")
        )
        self.presetsButton = QToolButton(self)
        self.presetsButton.setObjectName("presetsButton")
        self.presetsButton.setText(tr("Presets"))
        self.presetsButton.setAccessibleName(tr("Style presets"))
        self.presetsButton.setToolTip(
            tr("Save or apply styles, exclude tags, weights and model as a named preset.")
        )
        self.presetsButton.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.renameButton.clicked.connect(self._start_rename)

        self.undoBar = QWidget(self)
        self.undoBar.setObjectName("draftUndoBar")
        self.undoLabel = QLabel(self.undoBar)
        self.undoLabel.setObjectName("draftUndoLabel")
        self.undoButton = _button(tr("Undo"), "undoDeleteButton", self.undoBar)
        undo_row = QHBoxLayout(self.undoBar)
        undo_row.setContentsMargins(0, 0, 0, 0)
        undo_row.addWidget(self.undoLabel, 1)
        undo_row.addWidget(self.undoButton)
        self.undoBar.hide()

        self.notice = QLabel(self)
        self.notice.setObjectName("draftsNotice")
        self.notice.setWordWrap(True)
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notice.hide()

        self.history = QListWidget(self)
        self.history.setObjectName("draftHistory")
        self.history.setAccessibleName(tr("Draft history"))
        self.history.currentItemChanged.connect(self._show_takes)
        self.history.itemActivated.connect(self._open_snapshot)
        self.openSnapshotButton = _button(
            tr("Open in studio"),
            "openSnapshotButton",
            self,
            tr("Put this exact request back into the form."),
        )
        self.openSnapshotButton.clicked.connect(
            lambda: self._open_snapshot(self.history.currentItem())
        )
        self.takes = QListWidget(self)
        self.takes.setObjectName("snapshotTakes")
        self.takes.setAccessibleName(tr("Takes of this generation"))
        self.takes.setToolTip(tr("Double-click a take to play it."))
        self.takes.itemActivated.connect(
            lambda item: self.takePlayRequested.emit(item.data(IdRole), item.data(DataRole))
        )

        row1 = QHBoxLayout()
        for b in (self.newButton, self.duplicateButton, self.renameButton, self.deleteButton):
            row1.addWidget(b)
        row1.addStretch(1)
        row2 = QHBoxLayout()
        for b in (self.exportButton, self.importButton):
            row2.addWidget(b)
        row2.addStretch(1)
        row2.addWidget(self.presetsButton)
        top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.view, 1)
        top_layout.addLayout(row1)
        top_layout.addLayout(row2)
        top_layout.addWidget(self.undoBar)
        top_layout.addWidget(self.notice)
        bottom = QWidget(self)
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        self.historyTitle = QLabel(f"<b>{tr('History')}</b>", bottom)
        bottom_layout.addWidget(self.historyTitle)
        bottom_layout.addWidget(self.history, 2)
        takes_row = QHBoxLayout()
        takes_row.addWidget(QLabel(tr("Takes:"), bottom))
        takes_row.addStretch(1)
        takes_row.addWidget(self.openSnapshotButton)
        bottom_layout.addLayout(takes_row)
        bottom_layout.addWidget(self.takes, 1)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.setObjectName("draftsSplitter")
        split.addWidget(top)
        split.addWidget(bottom)
        split.setSizes([300, 300])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(split)
        self._show_takes(None)

    # -- filling -------------------------------------------------------------------------------

    def set_drafts(self, drafts: list[Draft], current_id: int | None) -> None:
        self._filling = True
        try:
            self.view.clear()
            for draft in drafts:
                item = QListWidgetItem(draft.name)
                item.setData(IdRole, draft.id)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
                item.setToolTip(self.tr("Edited {when}").format(when=_when(draft.updated_at)))
                self.view.addItem(item)
                if draft.id == current_id:
                    self.view.setCurrentItem(item)
        finally:
            self._filling = False
        has = current_id is not None
        for b in (self.duplicateButton, self.renameButton, self.deleteButton, self.exportButton):
            b.setEnabled(has)

    def set_history(self, snapshots: list[DraftSnapshot]) -> None:
        self.history.clear()
        for snap in snapshots:
            req = snap.request
            what = req.title or req.prompt[:30] or self.tr("(untitled)")
            takes = counted(len(snap.takes), self.tr("{n} take"), self.tr("{n} takes"))
            text = self.tr("{when}  {what} · {takes}").format(
                when=_when(snap.created_at), what=what, takes=takes
            )
            item = QListWidgetItem(text)
            mark = _STATES.get(snap.job_state or "", "")
            item.setIcon(icons.icon(mark) if mark else QIcon())
            item.setData(DataRole, snap)
            item.setToolTip(
                self.tr("{model} · {style}\nDouble-click to reopen this exact request.").format(
                    model=req.model, style=req.style
                )
            )
            self.history.addItem(item)
        self.historyTitle.setText(
            f"<b>{self.tr('History')}</b> "
            + (
                "("
                + counted(len(snapshots), self.tr("{n} generation"), self.tr("{n} generations"))
                + ")"
                if snapshots
                else self.tr("— nothing generated yet")
            )
        )
        if snapshots:
            self.history.setCurrentRow(0)
        else:
            self._show_takes(None)

    def show_notice(self, text: str, error: bool = False) -> None:
        self.notice.setProperty("role", "fieldError" if error else "")
        self.notice.style().unpolish(self.notice)
        self.notice.style().polish(self.notice)
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def show_undo(self, text: str) -> None:
        self.undoLabel.setText(text)
        self.undoBar.setVisible(bool(text))

    # -- signals -------------------------------------------------------------------------------

    def _current_changed(self, item: QListWidgetItem | None, _previous) -> None:
        if not self._filling and item is not None:
            self.switchRequested.emit(item.data(IdRole))

    def _item_changed(self, item: QListWidgetItem) -> None:
        if not self._filling:
            self.renameRequested.emit(item.data(IdRole), item.text())

    def _start_rename(self) -> None:
        item = self.view.currentItem()
        if item is not None:
            self.view.editItem(item)

    def _show_takes(self, item: QListWidgetItem | None, _previous=None) -> None:
        self.takes.clear()
        snap: DraftSnapshot | None = item.data(DataRole) if item is not None else None
        self.openSnapshotButton.setEnabled(snap is not None)
        title = (snap.request.title if snap else "") or self.tr("(untitled)")
        for n, (result_id, path) in enumerate(snap.takes if snap else ()):
            # takes are A, B … here as in the library and the player
            letter = take_letter(n)
            take = QListWidgetItem(
                self.tr("{letter} · {title}").format(letter=letter, title=title)
                if path
                else self.tr("{letter} · {title} (not downloaded)").format(
                    letter=letter, title=title
                )
            )
            take.setData(IdRole, result_id)
            take.setData(DataRole, path)
            take.setToolTip(path or result_id)
            self.takes.addItem(take)

    def _open_snapshot(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.snapshotOpenRequested.emit(item.data(DataRole))
