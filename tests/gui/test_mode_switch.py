"""Sandbox and live: the status bar's switch round-trips without losing the open draft, the
sandbox's songs come back, and Settings' Remove key forgets the key and returns to the Sandbox.

The test sandbox fixture plays "live" (SUNODESK_API_KEY + its base URL); the built-in sandbox
of the session is the Sandbox.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QPushButton

from sunodesk.store import secrets
from sunodesk.ui.settings.dialog import SettingsDialog
from tests.gui import library_helpers as lib
from tests.gui.feature_helpers import settle

LYRICS = "[Verse]\nwords I typed in the sandbox"


def switch(h, qtbot, name: str, sandbox: bool) -> None:
    qtbot.mouseClick(h.find(QPushButton, name), Qt.MouseButton.LeftButton)
    h.run_until(
        lambda: h.studio.session is not None and h.studio.session.sandbox_mode == sandbox,
        timeout=10,
        what=f"sandbox_mode == {sandbox}",
    )
    settle(h)


def test_the_switch_round_trips_without_losing_the_draft(studio_factory, sandbox, qtbot):
    h = studio_factory(sandbox_mode=True)
    sandbox_button = h.find(QPushButton, "sandboxModeButton")
    live_button = h.find(QPushButton, "liveModeButton")
    assert sandbox_button.isChecked() and not live_button.isChecked()
    lib.generate(h, lib.SONGS[:1])
    sandbox_titles = lib.titles(h)
    assert sandbox_titles
    h.window.form.lyrics.editor.setFocus()
    h.window.form.lyrics.setText("")
    qtbot.keyClicks(h.window.form.lyrics.editor, LYRICS.replace("\n", " "))
    typed = h.window.form.lyrics.text()

    switch(h, qtbot, "liveModeButton", False)
    assert h.studio.session.base_url.rstrip("/") == sandbox.base_url.rstrip("/")  # "live"
    assert live_button.isChecked() and not h.window.sandboxBadge.isVisible()
    assert lib.titles(h) == []  # the live world has none of the sandbox's songs
    assert sandbox.stats.snapshot()["submits"]["song"] == 0

    switch(h, qtbot, "sandboxModeButton", True)
    assert sandbox_button.isChecked()
    assert h.window.form.lyrics.text() == typed
    h.run_until(lambda: lib.titles(h) == sandbox_titles, timeout=10, what="sandbox songs back")


def test_live_without_a_key_stays_in_the_sandbox_and_says_why(studio_factory, qtbot):
    h = studio_factory(key=False)
    qtbot.mouseClick(h.find(QPushButton, "liveModeButton"), Qt.MouseButton.LeftButton)
    h.run_until(lambda: "API key" in h.window.statusBar().currentMessage(), timeout=5)
    assert h.studio.session.sandbox_mode
    assert h.find(QPushButton, "sandboxModeButton").isChecked()
    h.run_until(lambda: h.window.findChild(SettingsDialog) is not None, timeout=5)
    h.window.findChild(SettingsDialog).reject()
    settle(h)


def test_remove_key_forgets_it_and_returns_to_the_sandbox(studio_factory, qtbot):
    h = studio_factory(key=False)
    data_dir = h.studio.session.data_dir
    secrets.set_api_key(data_dir, "sk-test-0123456789abcdef")  # the file fallback
    # go live with the stored key first, through the switch
    switch(h, qtbot, "liveModeButton", False)
    h.studio.settings_flow.open()
    h.run_until(lambda: _settings(h) is not None, timeout=5, what="the Settings dialog")
    settings = _settings(h)
    assert settings.findChild(QComboBox, "sandboxLiveCombo").currentData() is False
    remove = settings.findChild(QPushButton, "removeKeyButton")
    assert remove.isEnabled()
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    h.run_until(lambda: h.studio.session is not None and h.studio.session.sandbox_mode, 10)
    settle(h)
    assert secrets.get_api_key(data_dir) == (None, "none")
    assert not (data_dir / "api_key").exists()
    assert settings.findChild(QComboBox, "sandboxLiveCombo").currentData() is True
    assert h.find(QPushButton, "sandboxModeButton").isChecked()
    settings.reject()
    settle(h)


def test_remove_key_says_the_environment_key_cannot_be_removed(studio_factory, qtbot):
    h = studio_factory()  # SUNODESK_API_KEY is set
    h.studio.settings_flow.open()
    h.run_until(lambda: _settings(h) is not None, timeout=5, what="the Settings dialog")
    settings = _settings(h)
    qtbot.mouseClick(settings.findChild(QPushButton, "removeKeyButton"), Qt.MouseButton.LeftButton)
    note = settings.keyNote
    h.run_until(lambda: "cannot remove" in note.text(), timeout=5)
    assert "SUNODESK_API_KEY" in note.text()
    assert not h.studio.session.sandbox_mode
    settings.reject()
    settle(h)


def _settings(h):
    shown = [d for d in h.window.findChildren(SettingsDialog) if d.isVisible()]
    return shown[0] if shown else None


def test_settings_choice_switches_and_a_pasted_key_picks_live(studio_factory, qtbot):
    from sunodesk.ui.settings.dialog import SettingsResult
    from tests.gui.feature_helpers import call

    h = studio_factory(sandbox_mode=True)
    session = h.studio.session
    call(
        h,
        h.studio.settings_flow.apply(
            session.data_dir, SettingsResult(session.settings, None, False)
        ),
    )
    assert not h.studio.session.sandbox_mode and h.find(QPushButton, "liveModeButton").isChecked()
    session = h.studio.session
    call(
        h,
        h.studio.settings_flow.apply(
            session.data_dir, SettingsResult(session.settings, None, True)
        ),
    )
    assert h.studio.session.sandbox_mode and h.find(QPushButton, "sandboxModeButton").isChecked()

    dialog = SettingsDialog(h.studio.session.settings, "", None, sandbox=True)
    qtbot.addWidget(dialog)
    combo = dialog.findChild(QComboBox, "sandboxLiveCombo")
    assert combo.currentData() is True
    qtbot.keyClicks(dialog.keyEdit, "sk-pasted-0123456789")
    assert combo.currentData() is False and dialog.result_value().sandbox is False
    assert "kept apart" in dialog.modeNote.text()
