"""The lyrics editor: a plain-text editor with section highlighting, a live character counter
against the selected model's limit, line/section counts, warnings, Insert Section, and a
find/replace bar (Ctrl+F, Escape closes it).

All lyrics logic (sections, counts, issues) comes from :mod:`sunodesk.core.lyrics` and the limit
from :func:`sunodesk.core.rules.rules_for`; this module only presents it. The counter updates on
every keystroke; the line/section counts and the issue scan are debounced (150 ms).
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import (
    QFont,
    QKeySequence,
    QPalette,
    QShortcut,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from sunodesk.core.lyrics import SECTION_NAMES, count_lines, find_issues, parse_sections
from sunodesk.core.rules import DEFAULT_MODEL, rules_for
from sunodesk.ui.common import icons
from sunodesk.ui.common.naming import named
from sunodesk.ui.studio.highlighter import LyricsHighlighter, over_limit_colour

SCAN_DELAY_MS = 150
WARNINGS_SHOWN = 2
CTX = Qt.ShortcutContext.WidgetWithChildrenShortcut


class LyricsEditor(QWidget):
    """Lyrics text with counter, counts, warnings, Insert Section and find/replace."""

    textChanged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        rules = rules_for(DEFAULT_MODEL)
        self._limit = rules.lyrics_max if rules else 5000
        self._over = False

        self._edit = named(QPlainTextEdit(self), "lyricsEditor", self.tr("Lyrics"))
        self._edit.setPlaceholderText(self.tr("[Verse]\nWrite your lyrics here…"))
        self._edit.setTabChangesFocus(True)
        self._edit.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self._edit.customContextMenuRequested.connect(self._show_context_menu)
        self._highlighter = LyricsHighlighter(self._edit.document(), self._edit.palette())

        self._section_menu = QMenu(self.tr("Insert section"), self)
        for name in SECTION_NAMES:
            action = self._section_menu.addAction(name)
            action.triggered.connect(lambda _=False, n=name: self.insert_section(n))
        self._insert_button = named(QToolButton(self), "lyricsInsertSection")
        self._insert_button.setText(self.tr("Insert section"))
        self._insert_button.setToolTip(self.tr("Insert a section tag (Ctrl+Shift+I)"))
        self._insert_button.setMenu(self._section_menu)
        self._insert_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)

        self._counter = named(QLabel(self), "lyricsCounter", self.tr("Lyrics length"))
        self._counts = named(QLabel(self), "lyricsCounts", self.tr("Line and section counts"))
        self._warnings = named(QLabel(self), "lyricsWarnings", self.tr("Lyrics warnings"))
        self._warnings.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._warning_icon = QLabel(self)  # the set's warning icon, shown with the warnings
        self._warning_icon.setObjectName("lyricsWarningIcon")
        self._warning_icon.hide()

        self._build_find_bar()
        status = QHBoxLayout()
        status.setContentsMargins(0, 0, 0, 0)
        for widget in (self._insert_button, self._counter, self._counts):
            status.addWidget(widget)
        status.addWidget(self._warning_icon)
        status.addWidget(self._warnings, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._edit, 1)
        layout.addWidget(self._find_bar)
        layout.addLayout(status)

        self._scan_timer = QTimer(self, singleShot=True, interval=SCAN_DELAY_MS)
        self._scan_timer.timeout.connect(self._scan)
        self._edit.textChanged.connect(self._on_text_changed)

        shortcuts = (
            (QKeySequence(QKeySequence.StandardKey.Find), self.show_find),
            (QKeySequence("Ctrl+Shift+I"), self._popup_section_menu),
            (QKeySequence("Ctrl+Y"), self._edit.redo),
            (QKeySequence("Ctrl+Shift+Z"), self._edit.redo),
        )
        self.findShortcut, *_rest = [QShortcut(k, self, slot, context=CTX) for k, slot in shortcuts]
        self._escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.hide_find, context=CTX)
        self._escape.setEnabled(False)
        self._update_counter()
        self._paint_warning_icon()
        self._scan()

    @property
    def editor(self) -> QPlainTextEdit:
        return self._edit

    @property
    def over_limit(self) -> bool:
        """True while the lyrics are longer than the limit."""
        return self._over

    @property
    def limit(self) -> int:
        return self._limit

    def text(self) -> str:
        return self._edit.toPlainText()

    def setText(self, text: str) -> None:
        """Replace the lyrics; this clears the undo history."""
        self._edit.setPlainText(text)
        self._scan_timer.stop()
        self._scan()

    def set_limit(self, limit: int) -> None:
        """Set the character limit (call when the model changes)."""
        self._limit = max(0, int(limit))
        self._update_counter()

    def set_model(self, model: str) -> None:
        """Set the limit from the model's rules; unknown models keep the current limit."""
        rules = rules_for(model)
        if rules:
            self.set_limit(rules.lyrics_max)

    def insert_section(self, name: str) -> None:
        """Insert ``[name]`` on its own line at the cursor, as one undo step."""
        cursor = self._edit.textCursor()
        cursor.beginEditBlock()
        cursor.removeSelectedText()
        lead = "" if cursor.atBlockStart() else "\n"
        cursor.insertText(f"{lead}[{name}]\n")
        cursor.endEditBlock()
        self._edit.setTextCursor(cursor)
        self._edit.setFocus()

    def _on_text_changed(self) -> None:
        self._update_counter()
        self._scan_timer.start()
        self.textChanged.emit()

    def _update_counter(self) -> None:
        length = len(self._edit.toPlainText())
        self._over = length > self._limit
        self._counter.setText(
            self.tr("{count} / {limit}").format(count=f"{length:,}", limit=f"{self._limit:,}")
        )
        font = QFont(self._counter.font())
        font.setBold(self._over)
        self._counter.setFont(font)
        palette = QPalette()  # nothing resolved: inherit everything from the parent
        if self._over:
            palette.setColor(QPalette.ColorRole.WindowText, over_limit_colour(self.palette()))
            self._counter.setToolTip(
                self.tr("{n} characters over this model's limit").format(
                    n=f"{length - self._limit:,}"
                )
            )
        else:
            self._counter.setToolTip(self.tr("Characters used of this model's limit"))
        self._counter.setPalette(palette)
        self._counter.setAccessibleDescription(self._counter.toolTip())

    def _scan(self) -> None:
        text = self._edit.toPlainText()
        lines = count_lines(text)
        sections = sum(1 for section in parse_sections(text) if section.name)
        self._counts.setText(
            " · ".join(
                (
                    self.tr("1 line") if lines == 1 else self.tr("{n} lines").format(n=lines),
                    self.tr("1 section")
                    if sections == 1
                    else self.tr("{n} sections").format(n=sections),
                )
            )
        )
        messages = [issue.message for issue in find_issues(text)]
        shown = "  ".join(messages[:WARNINGS_SHOWN])
        if len(messages) > WARNINGS_SHOWN:
            shown += "  " + self.tr("and {n} more").format(n=len(messages) - WARNINGS_SHOWN)
        self._warnings.setText(shown if messages else "")
        self._warning_icon.setVisible(bool(messages))
        self._warnings.setToolTip("\n".join(messages))
        self._warnings.setAccessibleDescription("\n".join(messages))

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == event.Type.PaletteChange and hasattr(self, "_highlighter"):
            self._highlighter.set_palette(self._edit.palette())
            self._update_counter()
            self._paint_warning_icon()

    def _paint_warning_icon(self) -> None:
        colour = over_limit_colour(self.palette())
        self._warning_icon.setPixmap(
            icons.pixmap("warning", 14, colour, dpr=self.devicePixelRatioF())
        )

    def _popup_section_menu(self) -> None:
        rect = self._edit.cursorRect()
        self._section_menu.popup(self._edit.viewport().mapToGlobal(rect.bottomLeft()))

    def context_menu(self, pos: QPoint) -> QMenu:
        """The editor's standard context menu plus Insert section and Find and replace."""
        menu = self._edit.createStandardContextMenu(pos)
        menu.addSeparator()
        menu.addMenu(self._section_menu)
        menu.addAction(self.tr("Find and replace…"), self.show_find)
        return menu

    def _show_context_menu(self, pos: QPoint) -> None:
        menu = self.context_menu(pos)
        menu.exec(self._edit.viewport().mapToGlobal(pos))
        menu.deleteLater()

    def _build_find_bar(self) -> None:
        bar = self._find_bar = named(QWidget(self), "lyricsFindBar", self.tr("Find and replace"))
        self._find_input = named(QLineEdit(bar), "lyricsFindInput", self.tr("Find in lyrics"))
        self._find_input.setPlaceholderText(self.tr("Find"))
        self._replace_input = named(QLineEdit(bar), "lyricsReplaceInput", self.tr("Replace with"))
        self._replace_input.setPlaceholderText(self.tr("Replace with"))
        self._case = named(QCheckBox(self.tr("Match case"), bar), "lyricsFindCase")
        self._find_status = named(QLabel(bar), "lyricsFindStatus", self.tr("Find result"))
        layout = QHBoxLayout(bar)
        layout.setContentsMargins(0, 0, 0, 0)
        buttons = (
            self._find_input,
            (self.tr("Previous"), lambda: self.find_next(backward=True)),
            (self.tr("Next"), self.find_next),
            self._replace_input,
            (self.tr("Replace"), self.replace),
            (self.tr("Replace all"), self.replace_all),
            self._case,
            (self.tr("Close"), self.hide_find),
            self._find_status,
        )
        for item in buttons:
            if isinstance(item, QWidget):
                layout.addWidget(item, 2 if isinstance(item, QLineEdit) else 0)
                continue
            label, slot = item
            button = QToolButton(bar)
            button.setText(label)
            button.setAccessibleName(label)
            button.clicked.connect(lambda _checked=False, call=slot: call())
            layout.addWidget(button)
        self._find_input.returnPressed.connect(self.find_next)
        self._find_input.textEdited.connect(self._find_incremental)
        self._replace_input.returnPressed.connect(self.replace)
        self._case.toggled.connect(lambda _on: self._find_incremental())
        bar.hide()

    @property
    def find_bar(self) -> QWidget:
        return self._find_bar

    def show_find(self) -> None:
        """Show the find bar, seeded with the selected text, and focus its input."""
        selected = self._edit.textCursor().selectedText()
        if selected and "\u2029" not in selected:
            self._find_input.setText(selected)
        self._find_bar.show()
        self._escape.setEnabled(True)
        self._find_input.setFocus()
        self._find_input.selectAll()

    def hide_find(self) -> None:
        self._find_bar.hide()
        self._escape.setEnabled(False)
        self._find_status.clear()
        self._edit.setFocus()

    def _flags(self, backward: bool = False) -> QTextDocument.FindFlag:
        flag = QTextDocument.FindFlag
        return (flag.FindCaseSensitively if self._case.isChecked() else flag(0)) | (
            flag.FindBackward if backward else flag(0)
        )

    def _find_incremental(self, _text: str = "") -> None:
        cursor = self._edit.textCursor()
        cursor.setPosition(cursor.selectionStart())
        self._edit.setTextCursor(cursor)
        self.find_next()

    def find_next(self, backward: bool = False) -> bool:
        """Select the next (or previous) match, wrapping around; False when there is none."""
        needle = self._find_input.text()
        if not needle:
            self._find_status.clear()
            return False
        doc, flags = self._edit.document(), self._flags(backward)
        found = doc.find(needle, self._edit.textCursor(), flags)
        if found.isNull():  # wrap around
            start = QTextCursor(doc)
            start.movePosition(
                QTextCursor.MoveOperation.End if backward else QTextCursor.MoveOperation.Start
            )
            found = doc.find(needle, start, flags)
        if found.isNull():
            self._find_status.setText(self.tr("No match"))
            return False
        self._find_status.clear()
        self._edit.setTextCursor(found)
        return True

    def _selection_matches(self) -> bool:
        selected, needle = self._edit.textCursor().selectedText(), self._find_input.text()
        if self._case.isChecked():
            return bool(needle) and selected == needle
        return bool(needle) and selected.casefold() == needle.casefold()

    def replace(self) -> None:
        """Replace the selected match, then select the next one."""
        if self._selection_matches():
            cursor = self._edit.textCursor()
            cursor.insertText(self._replace_input.text())
            self._edit.setTextCursor(cursor)
        self.find_next()

    def replace_all(self) -> int:
        """Replace every match as one undo step; returns how many were replaced."""
        needle, replacement = self._find_input.text(), self._replace_input.text()
        if not needle:
            return 0
        doc, flags, count = self._edit.document(), self._flags(), 0
        cursor = QTextCursor(doc)
        cursor.beginEditBlock()
        while not (found := doc.find(needle, cursor, flags)).isNull():
            cursor.setPosition(found.selectionStart())
            cursor.setPosition(found.selectionEnd(), QTextCursor.MoveMode.KeepAnchor)
            cursor.insertText(replacement)
            count += 1
        cursor.endEditBlock()
        self._find_status.setText(
            self.tr("Replaced {n}").format(n=count) if count else self.tr("No match")
        )
        return count
