"""How lengths of time are written, the same in the window and on the command line."""

from __future__ import annotations

import math


def format_length(seconds: float | None) -> str:
    """A song length (or a time spent) as "m:ss", or "h:mm:ss" from one hour.

    Rounded to the nearest second, halves up (179.6 s is "3:00", 59.5 s is "1:00"); None is
    "" (unknown), and a negative or non-finite value counts as 0.
    """
    if seconds is None:
        return ""
    whole = int(seconds + 0.5) if math.isfinite(seconds) and seconds > 0 else 0
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
