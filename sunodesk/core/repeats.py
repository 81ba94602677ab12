"""One press, one song: the rule that a request sent again within a few seconds asks first.

Pure: the clock is injected, so tests move time without sleeping. A request's fingerprint is
taken from the body that would be sent (core.payload.normalise, then song_body), so two forms
that differ only in what the mode makes meaningless count as the same song.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable

from sunodesk.core.models import SongRequest
from sunodesk.core.payload import normalise, song_body

REPEAT_WINDOW_S = 10.0


def request_fingerprint(req: SongRequest) -> str:
    """The same fingerprint for requests that send the same body (what is paid for).

    The album is left out: it is local (the draft's name, which autosave may rename between
    two presses), and the same body sent twice is two paid songs whatever it is filed under.
    """
    text = json.dumps(song_body(normalise(req)), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class RepeatGuard:
    """Remembers when each request was last sent; ``is_repeat`` says whether to ask first."""

    def __init__(
        self, window_s: float = REPEAT_WINDOW_S, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.window_s = window_s
        self._clock = clock
        self._sent: dict[str, float] = {}

    def sent(self, req: SongRequest) -> None:
        now = self._clock()
        self._sent = {fp: t for fp, t in self._sent.items() if now - t < self.window_s}
        self._sent[request_fingerprint(req)] = now

    def is_repeat(self, req: SongRequest) -> bool:
        """True when the same request was sent less than ``window_s`` seconds ago."""
        at = self._sent.get(request_fingerprint(req))
        return at is not None and self._clock() - at < self.window_s
