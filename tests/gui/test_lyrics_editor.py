"""The lyrics editor: counter, limit, Insert Section, highlighting, warnings, find/replace."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QPalette, QTextCursor
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit

from sunodesk.core.rules import rules_for
from sunodesk.ui.studio.lyrics_editor import LyricsEditor


@pytest.fixture
def lyrics(qtbot):
    widget = LyricsEditor()
    qtbot.addWidget(widget)
    return widget


def show(qtbot, widget) -> None:
    """Show and wait until exposed (waitExposed is a context manager: it waits on exit)."""
    with qtbot.waitExposed(widget):
        widget.show()
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)


def type_text(qtbot, widget, text: str) -> None:
    """Type like a person: QTest.keyClicks cannot send newlines, so press Return for them."""
    for index, line in enumerate(text.split("\n")):
        if index:
            qtbot.keyClick(widget, Qt.Key.Key_Return)
        qtbot.keyClicks(widget, line)


def set_find(widget: LyricsEditor, needle: str, replacement: str | None = None) -> None:
    widget.findChild(QLineEdit, "lyricsFindInput").setText(needle)
    if replacement is not None:
        widget.findChild(QLineEdit, "lyricsReplaceInput").setText(replacement)


def counter(widget: LyricsEditor) -> QLabel:
    return widget.findChild(QLabel, "lyricsCounter")


def warnings(widget: LyricsEditor) -> QLabel:
    return widget.findChild(QLabel, "lyricsWarnings")


def counter_colour(widget: LyricsEditor):
    label = counter(widget)
    return label.palette().color(label.foregroundRole())


def test_names_and_default_limit(lyrics):
    edit = lyrics.findChild(QPlainTextEdit, "lyricsEditor")
    assert edit is lyrics.editor
    assert edit.accessibleName() == "Lyrics"
    assert lyrics.limit == rules_for("suno-v5").lyrics_max
    assert counter(lyrics).text() == "0 / 5,000"


def test_typing_updates_counter_and_emits(lyrics, qtbot):
    with qtbot.waitSignal(lyrics.textChanged):
        qtbot.keyClicks(lyrics.editor, "Hello")
    assert lyrics.text() == "Hello"
    assert counter(lyrics).text() == "5 / 5,000"


def test_over_limit_turns_counter_red_and_bold(lyrics, qtbot):
    lyrics.set_limit(10)
    qtbot.keyClicks(lyrics.editor, "0123456789")
    assert not lyrics.over_limit
    normal = counter_colour(lyrics)
    qtbot.keyClicks(lyrics.editor, "x")
    assert lyrics.over_limit
    assert counter(lyrics).text() == "11 / 10"
    assert counter_colour(lyrics) != normal
    assert counter(lyrics).font().bold()
    qtbot.keyClick(lyrics.editor, Qt.Key.Key_Backspace)
    assert not lyrics.over_limit
    assert counter_colour(lyrics) == normal


def test_over_limit_colour_follows_dark_palette(lyrics):
    dark = QPalette()
    for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base):
        dark.setColor(role, Qt.GlobalColor.black)
    dark.setColor(QPalette.ColorRole.WindowText, Qt.GlobalColor.white)
    lyrics.set_limit(1)
    lyrics.setText("too long")
    light_red = counter_colour(lyrics)
    lyrics.setPalette(dark)
    assert lyrics.over_limit
    assert counter_colour(lyrics) != light_red
    assert counter_colour(lyrics).lightness() > light_red.lightness()


def test_set_limit_and_model_change_counter(lyrics):
    lyrics.setText("x" * 4000)
    assert counter(lyrics).text() == "4,000 / 5,000"
    assert not lyrics.over_limit
    lyrics.set_model("suno-v4")
    assert counter(lyrics).text() == "4,000 / 3,000"
    assert lyrics.over_limit
    lyrics.set_limit(5000)
    assert not lyrics.over_limit


def test_insert_section_on_its_own_line(lyrics, qtbot):
    qtbot.keyClicks(lyrics.editor, "first line")
    lyrics.insert_section("Chorus")
    assert lyrics.text() == "first line\n[Chorus]\n"
    qtbot.keyClicks(lyrics.editor, "sung")
    assert lyrics.text() == "first line\n[Chorus]\nsung"
    cursor = lyrics.editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.Start)
    lyrics.editor.setTextCursor(cursor)
    lyrics.insert_section("Intro")
    assert lyrics.text().splitlines()[:2] == ["[Intro]", "first line"]
    lyrics.editor.undo()
    assert lyrics.text() == "first line\n[Chorus]\nsung"


def test_insert_section_menu_and_shortcut(lyrics, qtbot):
    show(qtbot, lyrics)
    menu = lyrics._section_menu
    names = [action.text() for action in menu.actions()]
    assert "Verse" in names and "Chorus" in names
    lyrics.editor.setFocus()
    qtbot.keyClick(
        lyrics.editor,
        Qt.Key.Key_I,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(menu.isVisible)
    next(a for a in menu.actions() if a.text() == "Verse").trigger()
    menu.hide()
    assert lyrics.text() == "[Verse]\n"


def test_context_menu_offers_sections_and_find(lyrics):
    menu = lyrics.context_menu(QPoint(0, 0))
    submenus = [a.menu() for a in menu.actions() if a.menu()]
    assert [m.title() for m in submenus] == ["Insert section"]
    find = next(a for a in menu.actions() if a.text().startswith("Find and replace"))
    find.trigger()
    assert not lyrics.find_bar.isHidden()
    menu.deleteLater()


def test_highlighter_formats_sections_and_parentheses(lyrics, qtbot):
    lyrics.setText("[Chorus]\nla la (ooh)\nplain line")
    doc = lyrics.editor.document()
    chorus, backing, plain = (doc.findBlockByNumber(i) for i in range(3))
    formats = chorus.layout().formats()
    assert formats and formats[0].start == 0 and formats[0].length == len("[Chorus]")
    assert formats[0].format.fontWeight() > 400
    backing_formats = backing.layout().formats()
    assert [(f.start, f.length) for f in backing_formats] == [(6, 5)]
    assert backing_formats[0].format.fontItalic()
    assert not plain.layout().formats()


def test_warnings_for_unclosed_bracket_and_empty_section(lyrics, qtbot):
    type_text(qtbot, lyrics.editor, "[Verse]\nhello (ooh")
    qtbot.waitUntil(lambda: "Unclosed parenthesis" in warnings(lyrics).text())
    lyrics.setText("[Verse]\n[Chorus]\nsung")
    assert "[Verse] on line 1 has no lines." in warnings(lyrics).text()
    lyrics.setText("[Verse]\nline one\n[Chorus]\nline two\n")
    assert warnings(lyrics).text() == ""
    counts = lyrics.findChild(QLabel, "lyricsCounts").text()
    assert counts == "2 lines · 2 sections"


def test_warnings_summarise_beyond_two(lyrics, qtbot):
    type_text(qtbot, lyrics.editor, "(a\n(b\n(c\n(d")
    qtbot.waitUntil(lambda: "and 2 more" in warnings(lyrics).text())
    assert warnings(lyrics).toolTip().count("\n") == 3


def test_find_selects_match_and_reports_no_match(lyrics):
    lyrics.setText("one two one")
    lyrics.show_find()
    set_find(lyrics, "one")
    assert lyrics.find_next()
    assert lyrics.editor.textCursor().selectionStart() == 0
    assert lyrics.find_next()
    assert lyrics.editor.textCursor().selectionStart() == 8
    assert lyrics.find_next()  # wraps around
    assert lyrics.editor.textCursor().selectionStart() == 0
    set_find(lyrics, "three")
    assert not lyrics.find_next()
    assert lyrics.findChild(QLabel, "lyricsFindStatus").text() == "No match"


def test_find_case_sensitive_toggle(lyrics):
    lyrics.setText("Love love")
    set_find(lyrics, "love")
    lyrics._case.setChecked(True)
    assert lyrics.find_next()
    assert lyrics.editor.textCursor().selectionStart() == 5
    lyrics._case.setChecked(False)
    lyrics.editor.moveCursor(QTextCursor.MoveOperation.Start)
    assert lyrics.find_next()
    assert lyrics.editor.textCursor().selectionStart() == 0


def test_replace_and_replace_all_is_one_undo_step(lyrics, qtbot):
    original = "la la\nla (la)\nLA"
    lyrics.setText(original)
    set_find(lyrics, "la", "na")
    assert lyrics.find_next()
    lyrics.replace()
    assert lyrics.text().startswith("na la")
    lyrics.editor.undo()
    assert lyrics.text() == original
    assert lyrics.replace_all() == 5
    assert lyrics.text() == "na na\nna (na)\nna"
    lyrics.editor.undo()
    assert lyrics.text() == original
    lyrics.editor.redo()
    assert lyrics.text() == "na na\nna (na)\nna"


def test_replace_all_with_replacement_containing_needle(lyrics):
    lyrics.setText("a a")
    set_find(lyrics, "a", "aa")
    assert lyrics.replace_all() == 2
    assert lyrics.text() == "aa aa"


def test_ctrl_f_shows_find_bar_and_escape_hides_it(lyrics, qtbot):
    show(qtbot, lyrics)
    lyrics.editor.setFocus()
    assert not lyrics.find_bar.isVisible()
    qtbot.keyClick(lyrics, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert lyrics.find_bar.isVisible()
    qtbot.keyClick(lyrics.find_bar.focusWidget(), Qt.Key.Key_Escape)
    assert not lyrics.find_bar.isVisible()


def test_undo_redo_shortcuts(lyrics, qtbot):
    show(qtbot, lyrics)
    lyrics.editor.setFocus()
    qtbot.keyClicks(lyrics.editor, "abc")
    qtbot.keyClick(lyrics.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert lyrics.text() == ""
    qtbot.keyClick(lyrics.editor, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert lyrics.text() == "abc"


def test_set_text_resets_undo(lyrics):
    lyrics.setText("draft")
    assert not lyrics.editor.document().isUndoAvailable()
