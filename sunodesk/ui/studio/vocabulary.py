"""The style vocabulary shipped in sunodesk/resources: terms for completing style chips."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from types import MappingProxyType

CATEGORIES = ("genres", "moods", "instruments", "vocals", "tempos")
_RESOURCE = "style_vocabulary.json"


@cache
def _load() -> tuple[tuple[str, ...], Mapping[str, str]]:
    """Read the JSON once; terms are sorted case-blind, and the first category of a term wins."""
    text = resources.files("sunodesk.resources").joinpath(_RESOURCE).read_text(encoding="utf-8")
    data = json.loads(text)
    category_of: dict[str, str] = {}
    by_key: dict[str, str] = {}
    for category in CATEGORIES:
        for raw in data.get(category, []):
            term = " ".join(str(raw).split())
            if term and term.casefold() not in by_key:
                by_key[term.casefold()] = term
                category_of[term.casefold()] = category
    terms = tuple(sorted(by_key.values(), key=str.casefold))
    return terms, MappingProxyType(category_of)


def terms() -> list[str]:
    """Every vocabulary term, sorted and unique (case-blind)."""
    return list(_load()[0])


def category_of(term: str) -> str | None:
    """The category ("genres", "moods", ...) of a term, case-blind; None when not in the list."""
    return _load()[1].get(" ".join(term.split()).casefold())


def categories() -> dict[str, list[str]]:
    """Terms grouped by category, each group sorted."""
    grouped: dict[str, list[str]] = {name: [] for name in CATEGORIES}
    for term in _load()[0]:
        grouped[_load()[1][term.casefold()]].append(term)
    return grouped
