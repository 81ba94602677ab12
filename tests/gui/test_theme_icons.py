"""The theme and the icon set: icons follow the palette, the theme setting applies live."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QIcon, QImage
from PySide6.QtWidgets import QApplication, QToolButton

from sunodesk.store.settings import Settings
from sunodesk.ui.common import icons, theme
from sunodesk.ui.settings.dialog import SettingsDialog

UI = Path(__file__).resolve().parents[2] / "sunodesk" / "ui"


@pytest.fixture
def restore_theme(qapp):
    palette, sheet, chosen = qapp.palette(), qapp.styleSheet(), theme.current_theme()
    yield
    theme.apply_theme(qapp, chosen)
    qapp.setPalette(palette)
    qapp.setStyleSheet(sheet)


def _ink(icon: QIcon, size: int = 24) -> QColor:
    """The darkest-or-lightest opaque pixel's colour: what the icon is drawn in."""
    image = icon.pixmap(size, size).toImage().convertToFormat(QImage.Format.Format_ARGB32)
    opaque = [
        image.pixelColor(x, y)
        for x in range(image.width())
        for y in range(image.height())
        if image.pixelColor(x, y).alpha() == 255
    ]
    assert opaque, "the icon drew nothing"
    return opaque[len(opaque) // 2]


def test_icons_are_drawn_in_the_palette_text_colour_light_and_dark(qapp, restore_theme):
    theme.apply_theme(qapp, "light")
    light = _ink(icons.icon("play"))
    theme.apply_theme(qapp, "dark")
    dark = _ink(icons.icon("play"))  # the same QIcon object: it follows by itself
    assert light.name() == theme.light_palette().color(theme.QPalette.ColorRole.WindowText).name()
    assert dark.name() == theme.dark_palette().color(theme.QPalette.ColorRole.WindowText).name()
    assert dark.lightness() > 200 and light.lightness() < 60  # readable on their windows


def test_icons_render_sharp_at_scale_two(qapp):
    from PySide6.QtCore import QSize

    sharp = icons.icon("pause").pixmap(QSize(20, 20), 2.0)
    assert (sharp.width(), sharp.height()) == (40, 40) and sharp.devicePixelRatio() == 2.0


def test_every_icon_of_the_set_renders(qapp):
    for name in icons.names():
        image = icons.render(name, "#336699", 24).toImage()
        assert any(image.pixelColor(x, y).alpha() for x in range(24) for y in range(24)), (
            f"{name} is empty"
        )


def test_no_glyphs_or_qstyle_icons_stand_in_for_icons_in_the_ui():
    glyphs = ("SP_Media", "standardIcon(", "♥", "♡", "☀", "♪", "⏮", "⏭", "▶", "✕", "\"×\"", "⚠",
              "✓", "✗", "⌛", "▾")  # fmt: skip
    found = [
        f"{path.relative_to(UI)}: {glyph}"
        for path in UI.rglob("*.py")
        for glyph in glyphs
        if glyph in path.read_text(encoding="utf-8")
    ]
    assert found == []


def test_the_theme_setting_applies_at_once_and_cancel_restores(qtbot, qapp, restore_theme):
    theme.apply_theme(qapp, "light")
    dialog = SettingsDialog(Settings(theme="light"), "", None)
    qtbot.addWidget(dialog)
    combo = dialog.themeCombo
    combo.setCurrentIndex(combo.findData("dark"))
    assert theme.is_dark(qapp.palette())  # no restart, no Save needed to see it
    assert dialog.result_value().settings.theme == "dark"
    dialog.reject()
    assert not theme.is_dark(qapp.palette())


def test_a_palette_change_repaints_the_player_icons_in_the_new_colour(qtbot, qapp, restore_theme):
    theme.apply_theme(qapp, "light")
    button = QToolButton()
    qtbot.addWidget(button)
    button.setIcon(icons.icon("next"))
    before = _ink(button.icon())
    theme.apply_theme(qapp, "dark")
    assert _ink(button.icon()).lightness() > before.lightness() + 100


def test_system_follows_the_desktop_scheme(qapp, restore_theme):
    theme.apply_theme(qapp, "system")
    scheme = QApplication.styleHints().colorScheme()
    expected_dark = scheme == theme.Qt.ColorScheme.Dark
    assert theme.is_dark(qapp.palette()) == expected_dark


def test_system_changes_live_when_the_desktop_scheme_changes(qapp, restore_theme):
    from PySide6.QtCore import Qt

    hints = QApplication.styleHints()
    theme.apply_theme(qapp, "system")
    try:
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)  # what the desktop sends
        assert theme.is_dark(qapp.palette())
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
        assert not theme.is_dark(qapp.palette())
        theme.apply_theme(qapp, "light")  # a chosen theme is not overridden by the desktop
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
        assert not theme.is_dark(qapp.palette())
    finally:
        theme._scheme_changed(None)
