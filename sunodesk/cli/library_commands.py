"""`sunodesk import` and `sunodesk edit`: the window's import and tag editor for scripts.

Both only touch the local store and the library folder (no key, no network) and run the very
functions the window runs: store.library_files.import_files and store.track_edit.edit_track.
Exit codes: 0 done; 2 invalid input, before anything is changed (a path that does not exist,
an unknown result id, a bad option value, nothing to change); 1 a file could not be imported
or written (the others still were).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from sunodesk.cli.library_parsers import TEXT_OPTIONS
from sunodesk.cli.output import Printer, track_dict
from sunodesk.cli.request import UsageProblem
from sunodesk.core.formatting import format_length
from sunodesk.core.models import Problem, Track
from sunodesk.engine.session import library_dir, open_store
from sunodesk.store import library_files, tags, track_edit

MAX_LYRICS_BYTES = 100_000  # far above any model's limit (5,000 characters)
EXIT_OK, EXIT_FAILED, EXIT_INVALID = 0, 1, 2


def run(args: argparse.Namespace, out: Printer) -> int:
    """Blocking: the caller runs it in a worker thread."""
    _folder, settings, store = open_store(args.data_dir, args.sandbox)
    library = library_dir(_folder, settings, args.sandbox)
    try:
        if args.command == "import":
            return _import(args, out, store.tracks, library)
        return _edit(args, out, store.tracks)
    finally:
        store.close()


# -- import -----------------------------------------------------------------------------------


def _entry_dict(entry: library_files.ImportEntry) -> dict[str, Any]:
    return {
        "type": "import",
        "path": entry.path,
        "status": entry.status,
        "reason": entry.reason or None,
        "result_id": entry.result_id or None,
        "title": entry.title or None,
        "file": entry.file or None,
    }


def _import(args: argparse.Namespace, out: Printer, repo, library: Path) -> int:
    absent = [p for p in args.paths if not os.path.exists(p)]
    if absent:
        raise UsageProblem(
            [Problem("path", f"{p}: no such file or folder; nothing was imported") for p in absent]
        )
    report = library_files.import_files(repo, [Path(p) for p in args.paths], library)
    for entry in report.entries:
        if out.json_mode:
            out.obj(_entry_dict(entry))
        elif entry.status == library_files.FAILED:
            out.error(f"failed: {entry.path}: {entry.reason}")
        elif entry.status == library_files.IMPORTED:
            out.line(f"imported  {entry.path} -> {entry.file}")
        elif entry.status == library_files.ADOPTED:
            out.line(f"adopted   {entry.file}")
        else:
            out.line(f"skipped   {entry.path}: {entry.reason}")
    count = {s: 0 for s in (library_files.IMPORTED, library_files.ADOPTED)}
    count |= {library_files.SKIPPED: 0, library_files.FAILED: 0}
    for entry in report.entries:
        count[entry.status] += 1
    if not report.entries:
        out.note("No MP3 files found there.")
    else:
        out.line(", ".join(f"{n} {status}" for status, n in count.items() if n) + ".")
    return EXIT_FAILED if count[library_files.FAILED] else EXIT_OK


# -- edit -------------------------------------------------------------------------------------


def _one_line(option: str, value: str) -> tuple[str, Problem | None]:
    value = value.strip()
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        return value, Problem(option, "must be one line of text (no control characters)")
    return value, None


def _read_lyrics(name: str) -> str:
    """The lyrics file's text (``-``: stdin), refused in a sentence when binary or too big."""
    try:
        if name == "-":
            data = sys.stdin.buffer.read(MAX_LYRICS_BYTES + 1)
        else:
            if os.path.isfile(name) and os.path.getsize(name) > MAX_LYRICS_BYTES:
                raise UsageProblem([_too_big(name)])
            with open(name, "rb") as handle:
                data = handle.read(MAX_LYRICS_BYTES + 1)
    except OSError as exc:
        reason = f"cannot read {name}: {exc.strerror or exc}"
        raise UsageProblem([Problem("lyrics-file", reason)]) from None
    if len(data) > MAX_LYRICS_BYTES:
        raise UsageProblem([_too_big(name)])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = "\x00"  # refused below, as binary
    if "\x00" in text:
        reason = f"{name} is not text (a binary file, or not UTF-8)"
        raise UsageProblem([Problem("lyrics-file", reason)])
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _too_big(name: str) -> Problem:
    return Problem(
        "lyrics-file", f"{name} is too large for lyrics (at most {MAX_LYRICS_BYTES:,} bytes)"
    )


def _changes(args: argparse.Namespace) -> tuple[dict[str, object], list[Problem]]:
    changes: dict[str, object] = {}
    problems: list[Problem] = []
    for name in TEXT_OPTIONS:
        value = getattr(args, name)
        if value is not None:
            changes[name], problem = _one_line(name, value)
            problems += [problem] if problem else []
    if args.lyrics_file is not None:
        try:
            changes["lyrics"] = _read_lyrics(args.lyrics_file)
        except UsageProblem as exc:
            problems += exc.problems
    if args.cover is not None:
        try:
            changes["cover"] = tags.read_cover_file(args.cover)
        except OSError as exc:  # TagValueError: too large or not an image
            reason = str(exc) if isinstance(exc, tags.TagWriteError) else exc.strerror or exc
            problems.append(Problem("cover", f"cannot use {args.cover}: {reason}"))
    return changes, problems


def _edit(args: argparse.Namespace, out: Printer, repo) -> int:
    changes, problems = _changes(args)
    if not changes and not problems:
        problems.append(
            Problem(
                "edit",
                "Nothing to change: give at least one of --title, --artist, --album, --genre, "
                "--lyrics-file, --cover",
            )
        )
    if repo.get(args.result_id) is None:
        unknown = (
            f"no take with result id {args.result_id!r} in the library; see `sunodesk library`"
        )
        problems.insert(0, Problem("result-id", unknown))
    if problems:
        raise UsageProblem(problems)
    try:
        edited = track_edit.edit_track(repo, args.result_id, changes)
    except tags.TagValueError as exc:
        raise UsageProblem([Problem("edit", str(exc))]) from None
    except (track_edit.UnknownTrack, OSError) as exc:  # TagWriteError: a sentence
        out.error(str(exc))
        return EXIT_FAILED
    _print_edited(out, edited)
    return EXIT_OK


def _print_edited(out: Printer, edited: track_edit.Edited) -> None:
    track: Track = edited.track
    if out.json_mode:
        out.obj(
            track_dict(track)
            | {
                "artist": track.artist,
                "album": track.album,
                "genre": edited.tags.genre,
                "changed": list(edited.changed),
            }
        )
        return
    name = Path(track.path or "").name
    if edited.changed:
        out.line(f"Saved {', '.join(edited.changed)} to {name}.")
    else:
        out.line(f"Nothing changed: {name} already says that.")
    length = format_length(track.duration or 0)
    out.line(f"{track.title[:40]:40}  {length}  {track.artist[:20]:20} {track.result_id}")
