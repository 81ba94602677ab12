"""Tag chips with an input: the style and exclude fields of the song form.

Typing then Enter or a comma turns the text into a chip (a pasted "a, b, c" gives three);
case-blind repeats are refused with a short note; Backspace in an empty input removes the last
chip and each chip's × removes that one. A completer offers the shipped style vocabulary and a
budget label counts the characters the API will receive against the model's limit.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCompleter,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from sunodesk.core.styles import add_tag, join_tags, parse_tags
from sunodesk.ui.common import icons
from sunodesk.ui.common.flow_layout import FlowLayout
from sunodesk.ui.studio.vocabulary import terms

NOTE_MS = 3000  # how long the "already there" note stays

# palette(...) keeps chips readable under both light and dark palettes.
_STYLE = """
QFrame[chip="true"] {
    background: palette(alternate-base);
    border: 1px solid palette(mid);
    border-radius: 10px;
}
QFrame[chip="true"] QLabel { color: palette(text); background: transparent; border: none; }
QToolButton[chipRemove="true"] {
    border: none; border-radius: 8px; padding: 0 3px; color: palette(text);
    background: transparent;
}
QToolButton[chipRemove="true"]:hover, QToolButton[chipRemove="true"]:focus {
    background: palette(highlight); color: palette(highlighted-text);
}
"""


class Chip(QFrame):
    """One tag: its text and a close button that asks to remove it."""

    remove_requested = Signal(str)

    def __init__(self, tag: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tag = tag
        self.setProperty("chip", True)
        self.setAccessibleName(tag)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 1, 3, 1)
        row.setSpacing(2)
        label = QLabel(tag, self)
        self.button = QToolButton(self)
        self.button.setIcon(icons.icon("close"))
        self.button.setIconSize(QSize(12, 12))
        self.button.setProperty("chipRemove", True)
        self.button.setAccessibleName(self.tr("Remove {tag}").format(tag=tag))
        self.button.setToolTip(self.tr("Remove “{tag}”").format(tag=tag))
        self.button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.button.clicked.connect(lambda: self.remove_requested.emit(self.tag))
        row.addWidget(label)
        row.addWidget(self.button)


class ChipsInput(QWidget):
    """Chips in a wrapping row, then a line edit; emits changed() when the tags change."""

    changed = Signal()

    def __init__(
        self,
        object_name: str,
        input_name: str,
        placeholder: str,
        limit: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setAccessibleName(placeholder)
        self.setStyleSheet(_STYLE)
        self._tags: list[str] = []
        self._chips: list[Chip] = []
        self._limit = limit

        self._flow_box = QWidget(self)
        self._flow = FlowLayout(self._flow_box)
        self.input = QLineEdit(self._flow_box)
        self.input.setObjectName(input_name)
        self.input.setAccessibleName(placeholder)
        self.input.setPlaceholderText(placeholder)
        self.input.setMinimumWidth(160)
        self.input.setToolTip(self.tr("Type a tag, then Enter or a comma; Backspace removes"))
        self._flow.addWidget(self.input)

        model = QStringListModel(terms(), self)
        self.completer = QCompleter(model, self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.completer.setMaxVisibleItems(10)
        self.input.setCompleter(self.completer)

        self.note = QLabel(self)
        self.note.setObjectName(f"{object_name}Note")
        self.note.setAccessibleName(self.tr("Tag note"))
        self.note.hide()
        self._note_timer = QTimer(self)
        self._note_timer.setSingleShot(True)
        self._note_timer.setInterval(NOTE_MS)
        self._note_timer.timeout.connect(self.note.hide)

        self.budget = QLabel(self)
        self.budget.setObjectName(f"{object_name}Budget")
        self.budget.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.budget.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)

        for small in (self.note, self.budget):
            font = small.font()
            font.setPointSizeF(max(6.0, font.pointSizeF() * 0.85))
            small.setFont(font)

        footer = QHBoxLayout()
        footer.setContentsMargins(0, 0, 0, 0)
        footer.addWidget(self.note, 1)
        footer.addStretch(0)
        footer.addWidget(self.budget)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(2)
        outer.addWidget(self._flow_box)
        outer.addLayout(footer)

        self.input.textEdited.connect(self._on_text_edited)
        self.input.returnPressed.connect(self.commit_input)
        self.completer.activated[str].connect(self._on_completion)
        self.input.installEventFilter(self)
        self._update_budget()

    # public API
    def tags(self) -> list[str]:
        """The tags, in order."""
        return list(self._tags)

    def set_tags(self, tags: list[str]) -> None:
        """Replace every tag (repeats dropped case-blind); emits changed() if they differ."""
        clean: list[str] = []
        for tag in parse_tags(",".join(tags)):
            clean, _ = add_tag(clean, tag)
        if clean == self._tags:
            return
        for chip in self._chips:
            self._drop_chip(chip)
        self._chips = []
        self._tags = []
        for tag in clean:
            self._append(tag)
        self._after_change()

    def text(self) -> str:
        """The tags as the API takes them: "a, b, c"."""
        return join_tags(self._tags)

    def set_limit(self, limit: int) -> None:
        """Change the character budget (the model's style limit, or 200 for exclude)."""
        self._limit = limit
        self._update_budget()

    def limit(self) -> int:
        return self._limit

    @property
    def over_limit(self) -> bool:
        """True when the joined tags are longer than the limit."""
        return len(self.text()) > self._limit

    def add(self, text: str) -> bool:
        """Add the tags in text ("a, b"); returns whether any was added. Repeats raise a note."""
        added, refused = False, []
        for tag in parse_tags(text):
            grown, ok = add_tag(self._tags, tag)
            if ok:
                self._append(grown[-1])
                added = True
            else:
                refused.append(tag)
        if refused:
            self._show_note(
                self.tr("“{tag}” is already there").format(tag=refused[0])
                if len(refused) == 1
                else self.tr("Already there: {tags}").format(tags=", ".join(refused))
            )
        elif added:
            self._hide_note()
        if added:
            self._after_change()
        return added

    def remove(self, tag: str) -> bool:
        """Remove one tag (case-blind); returns whether it was there."""
        for index, chip in enumerate(self._chips):
            if chip.tag.casefold() == tag.casefold():
                del self._chips[index]
                del self._tags[index]
                self._drop_chip(chip)
                self._after_change()
                return True
        return False

    def commit_input(self) -> None:
        """Turn whatever is typed into chips and clear the input."""
        text = self.input.text()
        if text.strip():
            self.input.clear()
            self.add(text)

    # internals
    def _append(self, tag: str) -> None:
        chip = Chip(tag, self._flow_box)
        chip.remove_requested.connect(self._on_remove_clicked)
        self._flow.insertWidget(len(self._chips), chip)
        self._chips.append(chip)
        self._tags.append(tag)

    def _drop_chip(self, chip: Chip) -> None:
        self._flow.removeWidget(chip)
        chip.hide()
        chip.deleteLater()

    def _after_change(self) -> None:
        self._flow.invalidate()
        self._flow_box.updateGeometry()
        self._update_budget()
        self.changed.emit()

    def _update_budget(self) -> None:
        used = len(self.text())
        self.budget.setText(
            self.tr("{used} / {limit}").format(used=f"{used:,}", limit=f"{self._limit:,}")
        )
        over = used > self._limit
        self.budget.setAccessibleName(
            self.tr("{used} of {limit} characters").format(used=used, limit=self._limit)
        )
        self.budget.setProperty("overLimit", over)
        self.budget.setStyleSheet(f"color: {self._red()}; font-weight: bold;" if over else "")

    def _red(self) -> str:
        dark = self.palette().window().color().lightness() < 128
        return "#ff6b6b" if dark else "#c62828"

    def _show_note(self, text: str) -> None:
        self.note.setText(text)
        self.note.setStyleSheet(f"color: {self._red()};")
        self.note.show()
        self._note_timer.start()

    def _hide_note(self) -> None:
        self._note_timer.stop()
        self.note.hide()

    def _on_text_edited(self, text: str) -> None:
        if "," not in text and ";" not in text:
            return
        head, _, rest = text.replace(";", ",").rpartition(",")
        self.input.setText(rest.lstrip())
        self.add(head)

    def _on_completion(self, text: str) -> None:
        # the completer has put the term in the input; make it a chip right away
        QTimer.singleShot(0, self.commit_input)

    def _on_remove_clicked(self, tag: str) -> None:
        self.remove(tag)
        self.input.setFocus(Qt.FocusReason.OtherFocusReason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.input
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Backspace
            and not self.input.text()
            and self._tags
        ):
            self.remove(self._tags[-1])
            return True
        return super().eventFilter(watched, event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._update_budget()
