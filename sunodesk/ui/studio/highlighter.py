"""Syntax highlighting for lyrics: ``[Section]`` tag lines and ``(backing vocal)`` parentheses.

Section tag lines are bold in an accent colour; parenthesised backing vocals are italic in a
muted colour. Both colours are derived from a palette (the editor's), so they stay readable in
light and dark themes; call :meth:`LyricsHighlighter.set_palette` when the palette changes.
Which lines count as section tags is decided by :data:`sunodesk.core.lyrics.SECTION_LINE`.
"""

from __future__ import annotations

import re

from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QPalette,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
)

from sunodesk.core.lyrics import SECTION_LINE

PARENTHESES = re.compile(r"\([^()\n]*\)")


def _utf16(text: str, index: int) -> int:
    """Qt counts UTF-16 code units; Python counts code points (they differ for emoji)."""
    return len(text[:index].encode("utf-16-le")) // 2


def _is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def _mix(a: QColor, b: QColor, amount: float) -> QColor:
    """``a`` moved ``amount`` (0..1) of the way towards ``b``."""
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * amount,
        a.greenF() + (b.greenF() - a.greenF()) * amount,
        a.blueF() + (b.blueF() - a.blueF()) * amount,
    )


def accent_colour(palette: QPalette) -> QColor:
    """The palette's accent, lightened or darkened until it reads against the text background."""
    colour = QColor(palette.color(QPalette.ColorRole.Accent))
    hue, sat, light, alpha = colour.getHsl()
    light = max(light, 165) if _is_dark(palette) else min(light, 110)
    return QColor.fromHsl(max(hue, 0), sat, light, alpha)


def over_limit_colour(palette: QPalette) -> QColor:
    """A warning red that reads on the palette's window colour (lighter on dark themes)."""
    dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
    return QColor("#ff6b6b") if dark else QColor("#c0262d")


def muted_colour(palette: QPalette) -> QColor:
    """Text colour faded part-way towards the background: quieter, still legible."""
    text = palette.color(QPalette.ColorRole.Text)
    base = palette.color(QPalette.ColorRole.Base)
    return _mix(text, base, 0.4)


class LyricsHighlighter(QSyntaxHighlighter):
    """Highlights section tag lines and parentheses in a lyrics document."""

    def __init__(self, document: QTextDocument, palette: QPalette | None = None) -> None:
        super().__init__(document)
        self._section = QTextCharFormat()
        self._backing = QTextCharFormat()
        self.set_palette(palette if palette is not None else QGuiApplication.palette())

    def set_palette(self, palette: QPalette) -> None:
        """Recompute the colours from ``palette`` and re-highlight the whole document."""
        self._section = QTextCharFormat()
        self._section.setFontWeight(QFont.Weight.Bold)
        self._section.setForeground(accent_colour(palette))
        self._backing = QTextCharFormat()
        self._backing.setFontItalic(True)
        self._backing.setForeground(muted_colour(palette))
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:
        if SECTION_LINE.match(text):
            self.setFormat(0, _utf16(text, len(text)), self._section)
            return
        for match in PARENTHESES.finditer(text):
            start = _utf16(text, match.start())
            self.setFormat(start, _utf16(text, match.end()) - start, self._backing)
