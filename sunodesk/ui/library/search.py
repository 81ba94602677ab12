"""Search as you type, in memory: every track's searchable text (title, styles and lyrics,
case-folded, exactly as the store's full-text index holds it) is read once off the GUI thread,
and a keystroke is a substring test per word over it, narrowed from the previous result while
the query only grows. Until the texts have arrived the store's index answers instead."""

from __future__ import annotations


class SearchIndex:
    def __init__(self) -> None:
        self._texts: dict[str, str] = {}
        self._items: list[tuple[str, str]] = []
        self.ready = False
        self._last: tuple[list[str], list[tuple[str, str]]] | None = None

    def load(self, pairs: list[tuple[str, str]]) -> None:
        """Every text, read once; updates that came in meanwhile are newer and stay."""
        texts = dict(pairs)
        texts.update(self._texts)
        self._texts = texts
        self._items = list(self._texts.items())
        self.ready = True
        self._last = None

    def clear(self) -> None:
        self._texts.clear()
        self._items = []
        self.ready = False
        self._last = None

    def update(self, pairs: list[tuple[str, str]]) -> None:
        self._texts.update(pairs)
        self._items = list(self._texts.items())
        self._last = None

    def remove(self, result_ids: list[str]) -> None:
        for result_id in result_ids:
            self._texts.pop(result_id, None)
        self._items = list(self._texts.items())
        self._last = None

    def match(self, query: str) -> frozenset[str] | None:
        """The ids whose text holds every word of ``query``; None for an empty query."""
        words = [w.casefold() for w in query.split()]
        if not words:
            return None
        candidates = None
        if self._last is not None:  # typing on: only what matched before can match now
            before, found = self._last
            if len(before) <= len(words) and all(
                b in w for b, w in zip(before, words, strict=False)
            ):
                candidates = found
        if candidates is None:
            candidates = self._items
        for word in sorted(set(words), key=len, reverse=True):  # longest: fewest survivors
            candidates = [pair for pair in candidates if word in pair[1]]
        self._last = (words, candidates)
        return frozenset(rid for rid, _text in candidates)
