"""Edit one library track's tags: the file first (through the one tagging module, read back),
then its row. The window's tag editor and `sunodesk edit` both call :func:`edit_track`.

Blocking (disk and SQLite): the window runs it in a worker thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sunodesk.core.models import Track
from sunodesk.store import tags
from sunodesk.store.library_files import request_from_tags
from sunodesk.store.tracks import TrackRepo

EDIT_FIELDS = ("title", "artist", "album", "genre", "lyrics", "cover")


class UnknownTrack(LookupError):
    """No take with that result id, or one with no file yet; ``str()`` is a sentence."""


@dataclass(frozen=True)
class Edited:
    track: Track  # the row after the edit
    tags: tags.TagSet  # what the file reads back
    changed: tuple[str, ...]  # the fields whose value is now different (none: nothing to do)


def edit_track(
    repo: TrackRepo, result_id: str, changes: dict[str, object], *, id3_version: int | None = None
) -> Edited:
    """Write ``changes`` (TagSet field names) into the track's file, then update its row from
    what the file reads back.

    A generated take keeps the exact request it was sent with; an imported one, whose request
    was rebuilt from its tags, has it rebuilt again (its title and lyrics are in it).
    Raises :class:`UnknownTrack`, or tags.TagValueError / tags.TagWriteError (sentences; the
    file is left as it was)."""
    unknown = sorted(set(changes) - set(EDIT_FIELDS))
    if unknown:
        raise tags.TagValueError(f"These cannot be edited: {', '.join(unknown)}.")
    track = repo.get(result_id)
    if track is None:
        raise UnknownTrack(f"No take with result id {result_id!r} is in the library.")
    if not track.path:
        raise UnknownTrack(f"The take {result_id!r} has no file yet.")
    before = tags.read_tags(track.path)
    back = tags.edit_tags(track.path, id3_version=id3_version, **changes)
    changed = tuple(n for n in EDIT_FIELDS if getattr(back, n) != getattr(before, n))
    updated = repo.update_tags(
        result_id,
        title=back.title or Path(track.path).stem,  # untitled: shown by its name
        artist=back.artist,
        album=back.album,
        lyrics=back.lyrics,
        style=(back.style or back.genre) if track.imported else None,
        request_json=request_from_tags(back) if track.imported else None,
    )
    if updated is None:  # the row went away while the file was written
        raise UnknownTrack(f"The take {result_id!r} was removed from the library meanwhile.")
    return Edited(updated, back, changed)
