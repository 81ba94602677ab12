"""Ctrl+F finds where the person is: in the studio it opens the lyrics' find bar (focus in its
input, nothing typed lands in the lyrics); in the library it focuses the library search."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QTableView, QWidget

from tests.gui.feature_helpers import settle

CTRL = Qt.KeyboardModifier.ControlModifier


def find_bar_input(h) -> QLineEdit:
    return h.window.form.lyrics._find_input


def test_ctrl_f_in_the_lyrics_opens_find_and_types_there(studio_factory, qtbot):
    h = studio_factory()
    lyrics = h.find(QPlainTextEdit, "lyricsEditor")
    lyrics.setPlainText("[Verse]\nneon lights")
    lyrics.setFocus()
    qtbot.keyClick(lyrics, Qt.Key.Key_F, CTRL)
    assert find_bar_input(h).isVisible()
    assert QApplication.focusWidget() is find_bar_input(h)
    qtbot.keyClicks(QApplication.focusWidget(), "neon")
    assert find_bar_input(h).text() == "neon"
    assert lyrics.toPlainText() == "[Verse]\nneon lights"
    settle(h)


def test_ctrl_f_in_the_title_opens_the_lyrics_find(studio_factory, qtbot):
    h = studio_factory()
    title = h.find(QLineEdit, "titleEdit")
    title.setFocus()
    qtbot.keyClick(title, Qt.Key.Key_F, CTRL)
    assert find_bar_input(h).isVisible()
    assert QApplication.focusWidget() is find_bar_input(h)
    settle(h)


def test_ctrl_f_in_the_library_focuses_its_search(studio_factory, qtbot):
    h = studio_factory()
    tabs = h.window.sideTabs
    view = h.find(QTableView, "libraryView")
    tabs.setCurrentIndex(next(i for i in range(tabs.count()) if tabs.widget(i).isAncestorOf(view)))
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_F, CTRL)
    focus: QWidget | None = QApplication.focusWidget()
    assert focus is h.find(QLineEdit, "librarySearch")
    assert not find_bar_input(h).isVisible()
    settle(h)
