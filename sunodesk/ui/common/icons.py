"""The one icon set of the window: small SVGs in resources/icons (Lucide style, see LICENSE.md
there), drawn in the current palette's colours so they read in light and dark alike.

``icon(name)`` returns a QIcon whose engine renders the SVG when Qt asks for a pixmap, in the
palette colour of that moment (text for normal and selected, disabled text for disabled;
``role="accent"`` draws in the accent colour and ``role="on-accent"`` on an
accent background). So a theme change needs no re-setting of icons: widgets repaint and the
icon follows. Rendered pixmaps are cached per (name, colour, size, device pixel ratio).

``pixmap(name, size, colour)`` is for places that paint a pixmap themselves (cover
placeholders, labels).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from PySide6.QtCore import QByteArray, QPoint, QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QIcon,
    QIconEngine,
    QPainter,
    QPalette,
    QPixmap,
)
from PySide6.QtSvg import QSvgRenderer

# the app icon keeps its own colours; every other icon is drawn in currentColor
_FULL_COLOUR = {"sunodesk"}
_CACHE_MAX = 512
_cache: dict[tuple[str, str, int, int, float], QPixmap] = {}


@cache
def _svg(name: str) -> bytes:
    return resources.files("sunodesk.resources").joinpath(f"icons/{name}.svg").read_bytes()


def names() -> list[str]:
    """Every icon the set has (for tests and the screenshot check)."""
    folder = resources.files("sunodesk.resources").joinpath("icons")
    return sorted(p.name[:-4] for p in folder.iterdir() if p.name.endswith(".svg"))


def render(name: str, colour: QColor | str, width: int, height: int | None = None, dpr=1.0):
    """``name`` drawn in ``colour`` into a transparent pixmap of width × height logical px."""
    height = height or width
    colour = QColor(colour)
    key = (name, colour.name(QColor.NameFormat.HexArgb), width, height, float(dpr))
    hit = _cache.get(key)
    if hit is not None:
        return hit
    data = _svg(name)
    if name not in _FULL_COLOUR:
        data = data.replace(b"currentColor", colour.name().encode())
        if colour.alpha() < 255:
            data = data.replace(b"<svg ", f'<svg opacity="{colour.alphaF():.3f}" '.encode(), 1)
    renderer = QSvgRenderer(QByteArray(data))
    pixmap = QPixmap(max(1, round(width * dpr)), max(1, round(height * dpr)))
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    side = min(pixmap.width(), pixmap.height())  # square icons, centred in the pixmap
    renderer.render(
        painter,
        QRect((pixmap.width() - side) // 2, (pixmap.height() - side) // 2, side, side),
    )
    painter.end()
    pixmap.setDevicePixelRatio(dpr)
    if len(_cache) >= _CACHE_MAX:
        _cache.clear()
    _cache[key] = pixmap
    return pixmap


def _palette() -> QPalette:
    app = QGuiApplication.instance()
    return app.palette() if app is not None else QPalette()


def colour_for(role: str, mode: QIcon.Mode = QIcon.Mode.Normal, palette=None) -> QColor:
    """The colour an icon of ``role`` is drawn in for ``mode`` under ``palette``."""
    palette = palette or _palette()
    group = QPalette.ColorGroup
    r = QPalette.ColorRole
    if mode == QIcon.Mode.Disabled:
        if role == "on-accent":
            return palette.color(group.Disabled, r.ButtonText)
        return palette.color(group.Disabled, r.WindowText)
    # Selected draws like Normal: item views select with a soft accent tint (theme.py) on
    # which the text colour and the accent both read
    if role == "on-accent":
        return palette.color(group.Active, r.HighlightedText)
    if role == "accent":
        return palette.color(group.Active, r.Highlight)
    if role == "muted":
        return palette.color(group.Active, r.PlaceholderText)
    return palette.color(group.Active, r.WindowText)


class PaletteIconEngine(QIconEngine):
    """Renders one SVG of the set in the palette's colour of the moment it is drawn."""

    def __init__(self, name: str, role: str = "text") -> None:
        super().__init__()
        self._name = name
        self._role = role

    def clone(self) -> QIconEngine:
        return PaletteIconEngine(self._name, self._role)

    def key(self) -> str:
        return "sunodesk-palette"

    def iconName(self) -> str:
        return self._name

    def isNull(self) -> bool:
        return False

    def actualSize(self, size: QSize, mode, state) -> QSize:
        side = min(size.width(), size.height())
        return QSize(side, side)

    def scaledPixmap(self, size: QSize, mode, state, scale: float) -> QPixmap:
        side = min(size.width(), size.height())
        return render(self._name, colour_for(self._role, mode), side, dpr=scale)

    def pixmap(self, size: QSize, mode, state) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def paint(self, painter: QPainter, rect: QRect, mode, state) -> None:
        dpr = painter.device().devicePixelRatioF() if painter.device() else 1.0
        side = min(rect.width(), rect.height())
        pix = render(self._name, colour_for(self._role, mode), side, dpr=dpr)
        top_left = rect.topLeft() + QPoint((rect.width() - side) // 2, (rect.height() - side) // 2)
        painter.drawPixmap(top_left, pix)


@cache  # the icon follows the palette by itself, so one per (name, role) serves every theme
def icon(name: str, role: str = "text") -> QIcon:
    """The set's ``name`` as a QIcon that follows the palette (see the module docstring)."""
    _svg(name)  # a wrong name fails here, where it is written, not at first paint
    if name in _FULL_COLOUR:
        engine_icon = QIcon()
        for side in (16, 24, 32, 48, 64, 128, 256):
            engine_icon.addPixmap(render(name, "#000000", side))
        return engine_icon
    return QIcon(PaletteIconEngine(name, role))


def pixmap(name: str, size: int, colour: QColor | str | None = None, dpr: float = 1.0) -> QPixmap:
    """``name`` at ``size`` logical px in ``colour`` (default: the palette's text colour)."""
    return render(name, colour if colour is not None else colour_for("text"), size, dpr=dpr)
