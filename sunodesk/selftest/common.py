"""What both halves of the self-test share: the playback thresholds and the failure type."""

from __future__ import annotations

PLAY_MS = 1000  # how much to play
MIN_ADVANCE_MS = 500  # the position must advance at least this far...
PLAY_TIMEOUT_MS = 10_000  # ...within this much wall time


class Failed(Exception):
    """A check failed; the message is the one-line reason."""
