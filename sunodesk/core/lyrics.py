"""Lyrics with ``[Section]`` tags: parse into sections, count, and find common mistakes."""

from __future__ import annotations

import re
from dataclasses import dataclass

SECTION_LINE = re.compile(r"^\s*\[([^\[\]\n]+)\]\s*$")
SECTION_NAMES = (
    "Intro", "Verse", "Pre-Chorus", "Chorus", "Post-Chorus", "Bridge", "Hook",
    "Break", "Instrumental", "Solo", "Drop", "Interlude", "Outro", "End",
)  # fmt: skip


@dataclass(frozen=True)
class Section:
    name: str  # "" for lines before the first tag
    start_line: int  # 0-based index of the tag line (or 0)
    lines: tuple[str, ...]

    @property
    def sung_lines(self) -> tuple[str, ...]:
        return tuple(line for line in self.lines if line.strip())


@dataclass(frozen=True)
class LyricsIssue:
    line: int  # 0-based
    message: str


def parse_sections(text: str) -> list[Section]:
    """Split lyrics into sections at ``[Tag]`` lines. Text before any tag is a nameless section."""
    sections: list[Section] = []
    name, start = "", 0
    body: list[str] = []
    for index, line in enumerate((text or "").splitlines()):
        match = SECTION_LINE.match(line)
        if match:
            if name or any(b.strip() for b in body):
                sections.append(Section(name, start, tuple(body)))
            name, start, body = match.group(1).strip(), index, []
        else:
            body.append(line)
    if name or any(b.strip() for b in body):
        sections.append(Section(name, start, tuple(body)))
    return sections


def count_lines(text: str) -> int:
    """Sung lines: not blank and not a section tag."""
    return sum(
        1 for line in (text or "").splitlines() if line.strip() and not SECTION_LINE.match(line)
    )


def find_issues(text: str) -> list[LyricsIssue]:
    """Unclosed or stray brackets and parentheses, and sections with no lines."""
    issues: list[LyricsIssue] = []
    for index, line in enumerate((text or "").splitlines()):
        for open_, close, what in (("[", "]", "bracket"), ("(", ")", "parenthesis")):
            depth = 0
            for char in line:
                if char == open_:
                    depth += 1
                elif char == close:
                    depth -= 1
                    if depth < 0:
                        break
            if depth > 0:
                issues.append(LyricsIssue(index, f"Unclosed {what} on line {index + 1}."))
            elif depth < 0:
                issues.append(LyricsIssue(index, f"Stray closing {what} on line {index + 1}."))
    for section in parse_sections(text):
        if section.name and not section.sung_lines:
            issues.append(
                LyricsIssue(
                    section.start_line,
                    f"[{section.name}] on line {section.start_line + 1} has no lines.",
                )
            )
    return sorted(issues, key=lambda issue: issue.line)
