"""The song request a `sunodesk generate` command line asks for, and the usage problems it can
raise (both used by the parser's caller and by the commands, so they live below both)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import BinaryIO

from sunodesk.core import rules
from sunodesk.core.endpoints import base_url_problem
from sunodesk.core.models import Problem, SongRequest
from sunodesk.core.payload import normalise
from sunodesk.core.styles import join_tags, parse_tags
from sunodesk.store.paths import ENV_DATA_DIR

# The longest lyrics any model takes, at 4 UTF-8 bytes a character, plus 64 KB of slack (so
# an over-long file still gets the validator's "at most N characters" sentence). Anything
# larger is not lyrics; reading it whole (think /dev/urandom) would never end.
LYRICS_FILE_MAX_BYTES = 4 * max(r.lyrics_max for r in rules.MODELS) + 64 * 1024
_TEXT_CONTROLS = {"\n", "\r", "\t"}

# `generate` options that only mean something in custom mode (what --simple would drop).
_CUSTOM_ONLY = (
    ("title", "--title"), ("style", "--style"), ("lyrics_file", "--lyrics-file"),
    ("exclude", "--exclude"), ("vocal_gender", "--vocal-gender"),
    ("style_weight", "--style-weight"), ("weirdness", "--weirdness"),
    ("audio_weight", "--audio-weight"), ("persona", "--persona"),
)  # fmt: skip


class UsageProblem(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(map(str, problems)))
        self.problems = problems


def check_options(args: argparse.Namespace) -> None:
    """Refuse what the command line cannot do, before a window, a session or a request."""
    problems: list[Problem] = []
    data_dir = getattr(args, "data_dir", None) or os.environ.get(ENV_DATA_DIR, "").strip()
    if data_dir:
        where = Path(data_dir).expanduser()
        if where.exists() and not where.is_dir():
            problems.append(Problem("data-dir", f"{data_dir} is not a folder"))
    base_url = getattr(args, "base_url", None)
    if base_url is not None:
        problem = base_url_problem(base_url)
        if problem:
            problems.append(Problem("base-url", problem))
    if args.command == "generate":
        if args.persona is not None and not args.persona.strip():
            problems.append(Problem("persona", "give a persona's name or id"))
        if args.simple is not None:
            for attr, option in _CUSTOM_ONLY:
                if getattr(args, attr) not in (None, ""):
                    problems.append(
                        Problem(
                            "simple",
                            f"{option} is for custom mode and cannot be used with --simple "
                            "(simple mode sends only the description)",
                        )
                    )
    if problems:
        raise UsageProblem(problems)


def _read_capped(stream: BinaryIO, name: str) -> str:
    """At most LYRICS_FILE_MAX_BYTES of UTF-8 text, or a usage problem saying why not."""
    raw = stream.read(LYRICS_FILE_MAX_BYTES + 1)
    if len(raw) > LYRICS_FILE_MAX_BYTES:
        raise UsageProblem(
            [Problem("lyrics-file", f"{name} is larger than {LYRICS_FILE_MAX_BYTES // 1024} KB: "
                     "that is not a lyrics file")]
        )  # fmt: skip
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = None
    if text is None or any(ch < " " and ch not in _TEXT_CONTROLS for ch in text):
        raise UsageProblem(
            [Problem("lyrics-file", f"{name} is not UTF-8 text (is it a binary file?)")]
        )
    return text


def _read_lyrics(name: str | None) -> str:
    if not name:
        return ""
    if name == "-":
        return _read_capped(sys.stdin.buffer, "standard input")
    try:
        with open(name, "rb") as stream:
            return _read_capped(stream, name)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise UsageProblem([Problem("lyrics-file", f"cannot read {name}: {reason}")]) from None


def song_request(args: argparse.Namespace, store) -> SongRequest:
    """Build the request from the options; persona names are looked up in the store."""
    persona_id = persona_name = persona_model = None
    if args.persona:
        try:
            persona = store.personas.find(args.persona)
        except LookupError as exc:  # a name shared by several personas
            raise UsageProblem([Problem("persona", str(exc))]) from None
        if persona is None:
            raise UsageProblem(
                [
                    Problem(
                        "persona",
                        f"no persona named or with id {args.persona!r}; see `sunodesk personas`",
                    )
                ]
            )
        persona_id, persona_name = persona.persona_id, persona.name
        persona_model = f"{args.persona_model}_persona"
    simple = args.simple is not None
    request = SongRequest(
        model=args.model,
        custom_mode=not simple,
        prompt=args.simple if simple else _read_lyrics(args.lyrics_file),
        title=args.title,
        style=join_tags(parse_tags(args.style)),
        negative_tags=join_tags(parse_tags(args.exclude)),
        instrumental=args.instrumental,
        vocal_gender=args.vocal_gender,
        style_weight=args.style_weight,
        weirdness=args.weirdness,
        audio_weight=args.audio_weight,
        persona_id=persona_id,
        persona_model=persona_model,
        persona_name=persona_name,
        album=args.album,
    )
    # What the mode makes meaningless (--simple: the custom fields; --instrumental: the lyrics
    # and --vocal-gender) is dropped in core, exactly as for the window's form.
    return normalise(request)
