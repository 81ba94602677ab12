"""A few app-wide touches that follow the palette, so the window reads in light and dark."""

from __future__ import annotations

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def error_colour(palette: QPalette) -> str:
    return "#f87171" if is_dark(palette) else "#b42318"


def apply_theme(app: QApplication) -> None:
    palette = app.palette()
    app.setStyleSheet(
        f'QLabel[role="fieldError"] {{ color: {error_colour(palette)}; }}\n'
        "QPushButton#generateButton { font-weight: bold; padding: 4px 18px; }\n"
    )
