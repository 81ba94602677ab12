"""Style tags: parse a comma-separated string into clean tags and join them back."""

from __future__ import annotations

import re

_SPLIT = re.compile(r"[,\n;]+")


def parse_tags(text: str) -> list[str]:
    """Split on commas (and newlines/semicolons), trim, collapse spaces, drop case-blind repeats."""
    seen: set[str] = set()
    tags: list[str] = []
    for raw in _SPLIT.split(text or ""):
        tag = " ".join(raw.split())
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            tags.append(tag)
    return tags


def join_tags(tags: list[str] | tuple[str, ...]) -> str:
    """The string the API takes: tags separated by a comma and a space."""
    return ", ".join(parse_tags(",".join(tags)))


def add_tag(tags: list[str], tag: str) -> tuple[list[str], bool]:
    """Add one tag unless a case-blind duplicate exists; returns the list and whether it grew."""
    clean = " ".join(tag.replace(",", " ").split())
    if not clean or clean.casefold() in {t.casefold() for t in tags}:
        return list(tags), False
    return [*tags, clean], True


def genre_of(style: str) -> str:
    """The genre for tags: the first style tag, or empty."""
    tags = parse_tags(style)
    return tags[0] if tags else ""
