"""Cleaning what a server sends before it is stored, tagged or put in a file name.

One place for it: NUL, C0/C1 control characters and the bidirectional overrides that can
disguise a name are removed, runs of whitespace become one space, and the text is capped.
"""

from __future__ import annotations

import re

# C0 controls (tab, newline and carriage return too: these fields are one line), DEL, C1
# controls, the bidi marks, embeddings, overrides and isolates, and lone surrogates (JSON may
# escape one, "\ud800"; no UTF-8 encoder, SQLite's included, accepts it).
_UNSAFE = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)

LINE_MAX = 1000


def clean_line(value: object, limit: int = LINE_MAX) -> str:
    """``value`` as one clean line of at most ``limit`` characters ("" if not a string)."""
    if not isinstance(value, str):
        return ""
    text = " ".join(_UNSAFE.sub(" ", value).split())
    return text[:limit].strip()
