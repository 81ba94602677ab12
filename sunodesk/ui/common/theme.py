"""The look of the whole window: Fusion with a tuned light or dark palette (chosen by the
``theme`` setting: "system", "light" or "dark"), a small type scale and the app-wide style
sheet (the primary action, section headers, field errors).

"system" follows the desktop's colour scheme (QStyleHints.colorScheme) and changes live when
the desktop's does. Icons (ui/common/icons) read the palette when drawn, so they follow too.

Type scale (relative to the desktop's body font, about 12–13 px): metadata 0.9×, body 1×,
section headers 1.2× semibold, the now-playing title 1.35× semibold. Spacing is on an 8 px
grid: ``SPACE`` 8 between related controls, ``GROUP`` 16 between groups, ``SECTION`` 24
around sections.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from sunodesk.ui.common.focus import FocusRingStyle, install_focus_ring

THEMES = ("system", "light", "dark")
SPACE, GROUP, SECTION = 8, 16, 24

# the chosen theme; whether the desktop's scheme signal is connected; the scheme it last sent
_state: dict[str, object] = {"theme": "system", "connected": False, "scheme": None}

_LIGHT = {
    "Window": "#f5f5f7",
    "WindowText": "#1d1d1f",
    "Base": "#ffffff",
    "AlternateBase": "#f0f0f3",
    "ToolTipBase": "#ffffff",
    "ToolTipText": "#1d1d1f",
    "PlaceholderText": "#62626a",  # 5.9:1 on Base
    "Text": "#1d1d1f",
    "Button": "#ebebee",
    "ButtonText": "#1d1d1f",
    "BrightText": "#ffffff",
    "Light": "#ffffff",
    "Midlight": "#e0e0e5",
    "Mid": "#b8b8c0",
    "Dark": "#9a9aa3",
    "Shadow": "#6f6f78",
    "Highlight": "#c2410c",  # the accent: white text on it is 5.2:1
    "HighlightedText": "#ffffff",
    "Link": "#b03a0a",
    "LinkVisited": "#8a2f0a",
}
_LIGHT_DISABLED = {"WindowText": "#9a9aa2", "Text": "#9a9aa2", "ButtonText": "#9a9aa2",
                   "Highlight": "#d8b4a3"}  # fmt: skip

_DARK = {
    "Window": "#1f2023",
    "WindowText": "#e8e8ea",
    "Base": "#2a2c30",  # fields a step lighter than the window, so their edges show
    "AlternateBase": "#303236",
    "ToolTipBase": "#2c2e33",
    "ToolTipText": "#e8e8ea",
    "PlaceholderText": "#a6a8af",  # 5.9:1 on Base
    "Text": "#e8e8ea",
    "Button": "#36383d",
    "ButtonText": "#e8e8ea",
    "BrightText": "#ffffff",
    "Light": "#3b3d43",
    "Midlight": "#34363c",
    "Mid": "#4a4c53",
    "Dark": "#121315",
    "Shadow": "#000000",
    "Highlight": "#f0803c",  # the accent: near-black text on it is 7:1
    "HighlightedText": "#141518",
    "Link": "#f5a06a",
    "LinkVisited": "#e8b4f0",
}
_DARK_DISABLED = {"WindowText": "#6c6e75", "Text": "#6c6e75", "ButtonText": "#6c6e75",
                  "Highlight": "#5a3d2c"}  # fmt: skip


def _palette(colours: dict[str, str], disabled: dict[str, str]) -> QPalette:
    palette = QPalette()
    for name, value in colours.items():
        palette.setColor(getattr(QPalette.ColorRole, name), QColor(value))
    for name, value in disabled.items():
        palette.setColor(QPalette.ColorGroup.Disabled, getattr(QPalette.ColorRole, name), value)
    return palette


def light_palette() -> QPalette:
    return _palette(_LIGHT, _LIGHT_DISABLED)


def dark_palette() -> QPalette:
    return _palette(_DARK, _DARK_DISABLED)


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def accent() -> QColor:
    """The accent itself, from the application's palette. Inside item views, Highlight is a
    soft tint of it (the style sheet's calm selection), too pale for a progress bar."""
    app = QGuiApplication.instance()
    palette = app.palette() if isinstance(app, QGuiApplication) else light_palette()
    return palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Highlight)


def error_colour(palette: QPalette) -> str:
    return "#f87171" if is_dark(palette) else "#b42318"


def selection_colour(palette: QPalette) -> QColor:
    """The accent mixed into the view background: a calm selection for list rows."""
    accent = palette.color(QPalette.ColorRole.Highlight)
    base = palette.color(QPalette.ColorRole.Base)
    share = 0.22 if is_dark(palette) else 0.2  # accent icons on it stay above 3:1
    return QColor(
        round(base.red() + (accent.red() - base.red()) * share),
        round(base.green() + (accent.green() - base.green()) * share),
        round(base.blue() + (accent.blue() - base.blue()) * share),
    )


def resolve(theme: str) -> str:
    """ "light" or "dark": what ``theme`` means on this desktop right now."""
    if theme in ("light", "dark"):
        return theme
    hints = QGuiApplication.styleHints()
    scheme = hints.colorScheme() if hasattr(hints, "colorScheme") else None
    if scheme in (None, Qt.ColorScheme.Unknown):
        scheme = _state["scheme"]  # what the desktop said last, when the hint is not set
    return "dark" if scheme == Qt.ColorScheme.Dark else "light"


def current_theme() -> str:
    return str(_state["theme"])


def _style_sheet(palette: QPalette) -> str:
    accent = palette.color(QPalette.ColorRole.Highlight)
    on_accent = palette.color(QPalette.ColorRole.HighlightedText).name()
    hover = accent.lighter(112) if is_dark(palette) else accent.darker(112)
    pressed = accent.darker(125)
    disabled = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Highlight).name()
    disabled_text = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text).name()
    return (
        f'QLabel[role="fieldError"] {{ color: {error_colour(palette)}; }}\n'
        # selected rows in a soft tint of the accent, so one accent-filled thing (Generate)
        # stays the loudest; text keeps its colour on it (at least 9:1 in both palettes)
        "QAbstractItemView {"
        f" selection-background-color: {selection_colour(palette).name()};"
        f" selection-color: {palette.color(QPalette.ColorRole.Text).name()}; }}\n"
        # the primary action: filled in the accent colour, larger than everything around it
        "QPushButton#generateButton {"
        f" background: {accent.name()}; color: {on_accent}; border: none;"
        " border-radius: 6px; padding: 8px 24px; font-weight: 600; }\n"
        f"QPushButton#generateButton:hover {{ background: {hover.name()}; }}\n"
        f"QPushButton#generateButton:pressed {{ background: {pressed.name()}; }}\n"
        "QPushButton#generateButton:disabled {"
        f" background: {disabled}; color: {disabled_text}; }}\n"
        "QPushButton#generateButton:focus {"
        f" border: 2px solid {palette.color(QPalette.ColorRole.WindowText).name()}; }}\n"
    )


def apply_theme(app: QApplication, theme: str | None = None) -> None:
    """Fusion with the palette ``theme`` asks for (None: keep the current choice)."""
    if theme is not None:
        _state["theme"] = theme if theme in THEMES else "system"
    if not isinstance(app.style(), FocusRingStyle) and app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    install_focus_ring(app)  # wraps Fusion once; a visible focus in light and dark
    palette = dark_palette() if resolve(current_theme()) == "dark" else light_palette()
    app.setPalette(palette)
    app.setStyleSheet(_style_sheet(palette))
    if not _state["connected"]:
        hints = app.styleHints()
        if hasattr(hints, "colorSchemeChanged"):
            hints.colorSchemeChanged.connect(_scheme_changed)
        _state["connected"] = True


def _scheme_changed(scheme=None) -> None:
    _state["scheme"] = scheme
    app = QApplication.instance()
    if isinstance(app, QApplication) and current_theme() == "system":
        apply_theme(app)


# -- the type scale ----------------------------------------------------------------------------

_SEMI = QFont.Weight.DemiBold
_SCALE = {"meta": (0.9, None), "body": (1.0, None), "header": (1.2, _SEMI),
          "title": (1.35, _SEMI), "display": (1.6, _SEMI)}  # fmt: skip


def font(level: str, base: QFont | None = None) -> QFont:
    """The app font at ``level`` of the type scale: meta, body, header, title or display."""
    app = QApplication.instance()
    base_font = base or (app.font() if isinstance(app, QApplication) else QFont())
    factor, weight = _SCALE[level]
    scaled = QFont(base_font)
    if base_font.pointSizeF() > 0:
        scaled.setPointSizeF(base_font.pointSizeF() * factor)
    elif base_font.pixelSize() > 0:
        scaled.setPixelSize(round(base_font.pixelSize() * factor))
    if weight is not None:
        scaled.setWeight(weight)
    return scaled


def set_text_level(widget: QWidget, level: str) -> None:
    """Give ``widget`` a level of the type scale; "meta" is drawn muted too."""
    widget.setFont(font(level))
    widget.setProperty("textLevel", level)
    if level == "meta":
        widget.setStyleSheet("color: palette(placeholder-text);")
