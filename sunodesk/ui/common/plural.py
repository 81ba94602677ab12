"""Counted phrases in English without a translator: "1 generation", "2 generations".

Qt's ``tr("%n generation(s)", "", n)`` picks the right form only when a translator is loaded,
and English ships none, so the window picks between the two English forms here. Both forms
go through ``tr`` at the caller, so a translation can still supply its own.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale


def counted(n: int, one: str, many: str) -> str:
    """``one`` or ``many`` with ``{n}`` filled in (the number in the locale's digits)."""
    return (one if n == 1 else many).format(n=QLocale().toString(n))
