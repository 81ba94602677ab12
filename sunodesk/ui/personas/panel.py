"""The Personas tab: a table of every persona (``personasView``) and its buttons.

Name and description are edited in place (a double click or F2); the source-take cell plays
the take on a click. The panel only says what the person asked for through its signals; the
personas feature does the work off the GUI thread.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from sunodesk.core.models import Persona

NAME, DESCRIPTION, SOURCE, CREATED, USES = range(5)
PersonaRole = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class PersonaRow:
    persona: Persona
    uses: int
    source_title: str
    source_path: str


class PersonasModel(QAbstractTableModel):
    editRequested = Signal(str, str, str)  # persona_id, "name" | "description", new text

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[PersonaRow] = []
        self._headers = [
            self.tr("Name"),
            self.tr("Description"),
            self.tr("Source take"),
            self.tr("Created"),
            self.tr("Songs"),
        ]

    def set_rows(self, rows: list[PersonaRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def flags(self, index: _Index):
        base = super().flags(index)
        if index.column() in (NAME, DESCRIPTION):
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        p = row.persona
        col = index.column()
        if role == PersonaRole:
            return row
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col == NAME:
                return p.name
            if col == DESCRIPTION:
                return (
                    p.description
                    if role == Qt.ItemDataRole.EditRole
                    else " ".join(p.description.split())
                )
            if col == SOURCE:
                return row.source_title or p.source_result_id or "—"
            if col == CREATED:
                return time.strftime("%Y-%m-%d", time.localtime(p.created_at))
            if col == USES:
                return row.uses
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == SOURCE:
                return (
                    self.tr("Click to play the take this persona was made from.")
                    if row.source_path
                    else self.tr("The source take is not in this library.")
                )
            if col == DESCRIPTION:
                return p.description
            if col == NAME:
                return self.tr("{id} — double-click to rename (here only)").format(id=p.persona_id)
        if role == Qt.ItemDataRole.TextAlignmentRole and col == USES:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and col == SOURCE and row.source_path:
            from PySide6.QtWidgets import QApplication

            return QApplication.palette().link()
        return None

    def setData(self, index: _Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() not in (NAME, DESCRIPTION):
            return False
        text = str(value)
        row = self.rows[index.row()]
        if index.column() == NAME:
            if not text.strip() or text == row.persona.name:
                return False
            self.editRequested.emit(row.persona.persona_id, "name", text)
        else:
            if text == row.persona.description:
                return False
            self.editRequested.emit(row.persona.persona_id, "description", text)
        return True


class PersonasPanel(QWidget):
    createRequested = Signal()
    useRequested = Signal(str)  # persona_id
    removeRequested = Signal(object)  # PersonaRow
    playRequested = Signal(object)  # PersonaRow

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = PersonasModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("personasView")
        self.view.setAccessibleName(self.tr("Personas"))
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(DESCRIPTION, QHeaderView.ResizeMode.Stretch)
        for col in (NAME, SOURCE):
            self.view.setColumnWidth(col, 130)
        for col in (CREATED, USES):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.view.clicked.connect(self._clicked)

        self.createButton = QPushButton(self.tr("Create persona…"), self)
        self.createButton.setObjectName("createPersonaButton")
        self.createButton.setToolTip(
            self.tr(
                "Make a persona from a finished take: its voice and style, reusable in new songs."
            )
        )
        self.useButton = QPushButton(self.tr("Use in studio"), self)
        self.useButton.setObjectName("usePersonaButton")
        self.removeButton = QPushButton(self.tr("Remove from list…"), self)
        self.removeButton.setObjectName("removePersonaButton")
        self.removeButton.setToolTip(
            self.tr("Forget it here. The copy on the server cannot be deleted.")
        )
        self.emptyLabel = QLabel(
            self.tr(
                "No personas yet. A persona keeps the voice and style of a take you like: "
                "press “Create persona…” and pick a finished take."
            ),
            self,
        )
        self.emptyLabel.setObjectName("personasEmpty")
        self.emptyLabel.setWordWrap(True)
        self.createButton.clicked.connect(self.createRequested)
        self.useButton.clicked.connect(self._use)
        self.removeButton.clicked.connect(self._remove)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)

        buttons = QHBoxLayout()
        buttons.addWidget(self.createButton)
        buttons.addStretch(1)
        buttons.addWidget(self.useButton)
        buttons.addWidget(self.removeButton)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.emptyLabel)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.set_rows([])

    def set_rows(self, rows: list[PersonaRow]) -> None:
        selected = self.selected()
        self.model.set_rows(rows)
        self.emptyLabel.setVisible(not rows)
        if selected is not None:
            self.select(selected.persona.persona_id)
        self._update_buttons()

    def select(self, persona_id: str) -> bool:
        for i, row in enumerate(self.model.rows):
            if row.persona.persona_id == persona_id:
                self.view.selectRow(i)
                return True
        return False

    def selected(self) -> PersonaRow | None:
        rows = self.view.selectionModel().selectedRows() if self.view.selectionModel() else []
        return self.model.rows[rows[0].row()] if rows else None

    def _update_buttons(self, *_args) -> None:
        has = self.selected() is not None
        self.useButton.setEnabled(has)
        self.removeButton.setEnabled(has)

    def _clicked(self, index: QModelIndex) -> None:
        if index.column() == SOURCE:
            row = self.model.rows[index.row()]
            if row.source_path:
                self.playRequested.emit(row)

    def _use(self) -> None:
        row = self.selected()
        if row is not None:
            self.useRequested.emit(row.persona.persona_id)

    def _remove(self) -> None:
        row = self.selected()
        if row is not None:
            self.removeRequested.emit(row)
