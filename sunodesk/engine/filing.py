"""File one take: stream it to a temp file in the library, check it, tag it, move it into place.

Blocking (network and disk): the engine runs these functions in executor threads. A file at its
final path is always complete and tagged; anything half-done stays a hidden ``.part`` file.
"""

from __future__ import annotations

import contextlib
import glob
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sunodesk.api import EvolinkClient
from sunodesk.api.client import IMAGE_MAX_BYTES
from sunodesk.api.errors import ApiError, DownloadError
from sunodesk.core.models import SongRequest, Take
from sunodesk.core.styles import genre_of
from sunodesk.core.untrusted import clean_line
from sunodesk.store import files, mp3_probe, tags


@dataclass(frozen=True)
class TakeContext:
    """Everything needed to tag one take, handed to a worker thread as a frozen snapshot."""

    request: SongRequest
    take: Take
    task_id: str
    model: str
    artist: str
    id3_version: int
    index: int  # 1-based take number
    count: int


def final_name(ctx: TakeContext) -> str:
    title = ctx.take.title or ctx.request.title or ctx.request.prompt[:40] or "Untitled"
    suffix = f" - take {ctx.index}" if ctx.count > 1 else ""
    return files.safe_filename(f"{title[:70]}{suffix}", ".mp3")


def tag_set(ctx: TakeContext, cover: bytes | None) -> tags.TagSet:
    req = ctx.request
    lyrics = req.prompt if req.custom_mode and not req.instrumental else ""
    return tags.TagSet(
        title=ctx.take.title or req.title or "Untitled",
        artist=ctx.artist,
        album=req.album or "",
        genre=genre_of(ctx.take.tags or req.style),
        date=time.strftime("%Y-%m-%d"),
        lyrics=lyrics,
        cover=cover,
        task_id=clean_line(ctx.task_id),  # the raw id is kept for polling, not for tags
        result_id=ctx.take.result_id,
        model=ctx.model,
        style=req.style if req.custom_mode else ctx.take.tags,
        negative_tags=req.negative_tags if req.custom_mode else "",
        style_weight=req.style_weight,
        weirdness=req.weirdness,
        audio_weight=req.audio_weight,
        persona_id=req.persona_id or "",
        prompt="" if req.custom_mode else req.prompt,
    )


def already_filed(path: Path, result_id: str) -> bool:
    """True when ``path`` is this take, complete and tagged."""
    if not path.is_file():
        return False
    try:
        return tags.read_tags(path).result_id == result_id
    except Exception:
        return False


def find_filed(library: Path, name: str, result_id: str) -> Path | None:
    """A file a previous run placed for this take but died before recording (its name is
    ``name`` or a numbered variant; its tags carry the result id)."""
    stem = name.removesuffix(".mp3")
    for candidate in sorted(library.glob(f"{glob.escape(stem)}*.mp3")):
        if already_filed(candidate, result_id):
            return candidate
    return None


def fetch_cover(client: EvolinkClient, url: str | None, library: Path) -> bytes | None:
    """The cover art, or None: a missing cover never costs a song."""
    if not url:
        return None
    temp = files.temp_path(library)
    try:
        client.download_to(url, temp, max_bytes=IMAGE_MAX_BYTES)
        data = temp.read_bytes()
        return data if data[:8] == b"\x89PNG\r\n\x1a\n" or data[:3] == b"\xff\xd8\xff" else None
    except ApiError:
        return None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


def download_audio(
    client: EvolinkClient,
    take: Take,
    library: Path,
    progress: Callable[[int, int | None], None] | None = None,
) -> Path:
    """Stream the audio to a temp file and check it is a whole, playable MP3 (against the
    duration the API reported, which catches a cut on a frame boundary); returns the temp path.
    """
    temp = files.temp_path(library)
    try:
        client.download_to(take.audio_url, temp, progress=progress)
        try:
            tags.probe_mp3(temp, expected_duration=take.duration)
        except mp3_probe.NotPlayable as exc:
            raise DownloadError(f"The download is not a playable MP3: {exc}") from None
        return temp
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        raise


def tag_and_place(
    temp: Path, library: Path, ctx: TakeContext, cover: bytes | None
) -> tuple[Path, float]:
    """Tag the checked temp file (tags are read back), then move it to a free name in the
    library without ever replacing a file; returns where it landed and its duration."""
    try:
        tags.write_tags(temp, tag_set(ctx, cover), id3_version=ctx.id3_version)
        info = tags.probe_mp3(temp)
        return files.place_unique(temp, library, final_name(ctx)), info.duration
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
