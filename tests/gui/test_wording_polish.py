"""Words that fit where they stand: no "Check it in Settings" inside Settings, a URL message
that goes when the URL is edited, and no red message in simple mode before anything is typed."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QLabel, QPlainTextEdit, QPushButton

from sunodesk.store.settings import Settings
from sunodesk.ui.settings.dialog import SettingsDialog
from tests.gui.studio_fixture import studio_factory_fixture  # noqa: F401
from tests.gui.test_studio_window import click, find, form_window, visible_errors  # noqa: F401


def test_a_refused_key_in_settings_does_not_send_you_to_settings(studio_factory, sandbox):
    h = studio_factory()
    sentence = h.run(h.studio.settings_flow.test_key(sandbox.base_url, "sk-not-the-right-key"))
    assert "refused" in sentence
    assert "Settings" not in sentence, sentence


def test_the_base_url_message_goes_when_the_url_is_edited(qtbot):
    dialog = SettingsDialog(Settings(), "", None)
    qtbot.addWidget(dialog)
    dialog.baseUrlEdit.setText("http://api.example.com")
    dialog.accept()
    assert dialog.baseUrlError.isVisibleTo(dialog)
    qtbot.keyClicks(dialog.baseUrlEdit, "x")
    assert not dialog.baseUrlError.isVisibleTo(dialog)
    assert dialog.baseUrlError.text() == ""


def test_simple_mode_shows_no_red_message_before_anything_is_typed(qtbot, form_window):  # noqa: F811
    w = form_window
    qtbot.keyClicks(find(w, QPlainTextEdit, "lyricsEditor"), "la")  # lyrics, in custom mode
    click(qtbot, find(w, QCheckBox, "customModeToggle"))
    w.form.validate()
    qtbot.wait(50)
    assert visible_errors(w) == {}
    assert find(w, QLabel, "generateReason").text() == ""
    # pressing Generate is how a person asks what is missing
    click(qtbot, find(w, QPushButton, "generateButton"))
    qtbot.waitUntil(lambda: "prompt" in visible_errors(w), timeout=2000)
