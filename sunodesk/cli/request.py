"""The song request a `sunodesk generate` command line asks for, and the usage problems it can
raise (both used by the parser's caller and by the commands, so they live below both)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sunodesk.core.models import Problem, SongRequest
from sunodesk.core.payload import normalise
from sunodesk.core.styles import join_tags, parse_tags


class UsageProblem(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(map(str, problems)))
        self.problems = problems


def _read_lyrics(name: str | None) -> str:
    if not name:
        return ""
    if name == "-":
        return sys.stdin.read()
    try:
        return Path(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
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
