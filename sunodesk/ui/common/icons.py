"""SVG icons from resources/icons, drawn in the palette's text colour so they read in light and
dark themes, and rendered at every common size so they stay crisp at any scale."""

from __future__ import annotations

from functools import cache
from importlib import resources

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

SIZES = (16, 20, 24, 32, 48, 64, 128, 256)


def _svg(name: str) -> bytes:
    return resources.files("sunodesk.resources").joinpath(f"icons/{name}.svg").read_bytes()


@cache
def _icon(name: str, colour: str) -> QIcon:
    data = _svg(name).replace(b"currentColor", colour.encode())
    renderer = QSvgRenderer(QByteArray(data))
    icon = QIcon()
    for size in SIZES:
        pixmap = QPixmap(QSize(size, size))
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        renderer.render(painter)
        painter.end()
        icon.addPixmap(pixmap)
    return icon


def icon(name: str) -> QIcon:
    app = QGuiApplication.instance()
    colour = (
        app.palette().color(QPalette.ColorRole.WindowText).name() if app is not None else "#333333"
    )
    return _icon(name, colour)
