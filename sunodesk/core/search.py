"""What a library search looks in (the store indexes it; the window filters with it)."""

from __future__ import annotations


def search_text(title: str, style: str, lyrics: str) -> str:
    """What a library search looks in: title, style and lyrics, case-folded (any script)."""
    return "\n".join((title or "", style or "", lyrics or "")).casefold()
