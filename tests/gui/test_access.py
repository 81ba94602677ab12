"""Keyboard and access: every name of design.md's widget-name contract is in the running
window with an accessible name; the menus reach every main action with a shortcut; the focus
ring is drawn in the palette's Highlight, so it shows in light and dark."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QWidget

from tests.gui.studio_fixture import studio_factory_fixture  # noqa: F401

# design.md, "Widget names"
CONTRACT = [
    "lyricsEditor",
    "titleEdit",
    "styleChips",
    "styleInput",
    "excludeChips",
    "excludeInput",
    "modelCombo",
    "customModeToggle",
    "simplePromptEdit",
    "instrumentalCheck",
    "vocalGenderCombo",
    "styleWeightSlider",
    "weirdnessSlider",
    "audioWeightSlider",
    "personaCombo",
    "generateButton",
    "jobsView",
    "libraryView",
    "librarySearch",
    "playerPlayButton",
    "playerSeekSlider",
    "playerVolumeSlider",
    "creditsLabel",
    "draftsView",
    "personasView",
    "songsView",
]


def test_every_contract_widget_exists_with_an_accessible_name(studio_factory):
    h = studio_factory()
    missing, unnamed = [], []
    for name in CONTRACT:
        found = h.window.findChildren(QWidget, name)
        if not found:
            missing.append(name)
        elif not all(w.accessibleName().strip() for w in found):
            unnamed.append(name)
    assert missing == [], f"not in the window: {missing}"
    assert unnamed == [], f"no accessible name: {unnamed}"


def _menu_entries(window) -> dict[str, list[str]]:
    """Menu entry text (without &) -> its shortcuts, over every menu of the menu bar."""
    entries = {}
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        for action in menu.actions() if menu else ():
            if not action.isSeparator():
                keys = [k.toString() for k in action.shortcuts()]
                entries[action.text().replace("&", "")] = keys
    return entries


def test_every_main_action_has_a_menu_entry_with_a_shortcut(studio_factory):
    h = studio_factory()
    entries = _menu_entries(h.window)
    for text in (
        "Generate",
        "Generate more…",
        "Settings…",
        "Import MP3 files…",
        "Rescan the library folder",
        "Play / Pause",
        "Find",  # the lyrics find bar, or the library search in the Library
    ):
        assert text in entries, (text, sorted(entries))
        assert entries[text], f"{text} has no shortcut"
    every = [k for keys in entries.values() for k in keys]
    assert len(every) == len(set(every)), f"two entries share a key: {every}"


def test_the_play_pause_key_reaches_the_player(studio_factory, qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QPlainTextEdit

    h = studio_factory()
    toggled = []
    h.studio.hub.player.toggle = lambda: toggled.append(True)
    h.window.show()
    qtbot.waitExposed(h.window)
    h.window.activateWindow()
    lyrics = h.find(QPlainTextEdit, "lyricsEditor")
    lyrics.setFocus()
    qtbot.keyClick(lyrics, Qt.Key.Key_Space, Qt.KeyboardModifier.ControlModifier)
    assert toggled == [True]
    assert lyrics.toPlainText() == ""  # and typed nothing


def test_tab_goes_from_the_last_field_to_generate(studio_factory, qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QComboBox

    h = studio_factory()
    h.window.show()
    qtbot.waitExposed(h.window)
    h.window.activateWindow()
    persona = h.find(QComboBox, "personaCombo")
    persona.setFocus()
    qtbot.waitUntil(persona.hasFocus, timeout=1000)
    qtbot.keyClick(persona, Qt.Key.Key_Tab)
    focused = QApplication.focusWidget()
    assert focused is not None and focused.objectName() == "generateButton", focused


def _ring_pixels(widget, colour) -> int:
    from PySide6.QtGui import QColor

    image = widget.grab().toImage()
    want = QColor(colour)
    count = 0
    for y in range(image.height()):
        for x in range(image.width()):
            c = image.pixelColor(x, y)
            if (
                abs(c.red() - want.red())
                + abs(c.green() - want.green())
                + abs(c.blue() - want.blue())
                < 40
            ):
                count += 1
    return count


def test_the_focus_ring_is_drawn_in_highlight_in_light_and_dark(qtbot):
    from PySide6.QtGui import QColor, QPalette
    from PySide6.QtWidgets import QPushButton

    from sunodesk.ui.common.focus import install_focus_ring

    app = QApplication.instance()
    before = app.style().name()
    install_focus_ring(app)
    try:
        for window_colour, highlight in (("#f5f5f5", "#2563eb"), ("#202124", "#f59e0b")):
            box = QWidget()
            qtbot.addWidget(box)
            palette = QPalette(app.palette())
            palette.setColor(QPalette.ColorRole.Window, QColor(window_colour))
            palette.setColor(QPalette.ColorRole.Button, QColor(window_colour))
            palette.setColor(QPalette.ColorRole.Highlight, QColor(highlight))
            box.setPalette(palette)
            button = QPushButton("Generate", box)
            other = QPushButton("Other", box)
            other.move(0, 60)
            box.show()
            qtbot.waitExposed(box)
            box.activateWindow()
            other.setFocus()
            qtbot.waitUntil(other.hasFocus, timeout=1000)
            unfocused = _ring_pixels(button, highlight)
            button.setFocus()
            qtbot.waitUntil(button.hasFocus, timeout=1000)
            focused = _ring_pixels(button, highlight)
            perimeter = 2 * (button.width() + button.height())
            assert focused - unfocused >= perimeter, (window_colour, focused, unfocused)
    finally:
        from PySide6.QtWidgets import QStyleFactory

        app.setStyle(QStyleFactory.create(before))
