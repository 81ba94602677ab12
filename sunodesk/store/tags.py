"""MP3 tags (the ID3 mapping) and the decode check. The only module in sunodesk that imports
mutagen.

``write_tags`` owns a fixed set of frames (TIT2 TPE1 TALB TCON TDRC, USLT::eng with an empty
description, the type-3 front cover, and every ``TXXX:SUNO_*``), rewrites only those, keeps
everything else, and reads the file back to prove it. ``probe_mp3`` decides whether a
download is a complete, decodable MP3 before it is filed: the frame walk of ``mp3_probe``, then
a decode check with mutagen.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path

from mutagen import MutagenError
from mutagen.id3 import (
    APIC,
    ID3,
    TALB,
    TCON,
    TDRC,
    TIT2,
    TPE1,
    TXXX,
    USLT,
    ID3NoHeaderError,
    ID3TimeStamp,
    PictureType,
)
from mutagen.mp3 import MP3, MPEGInfo

from sunodesk.store.mp3_probe import Mp3Info, NotPlayable, scan_frames

_ENC = 3  # UTF-8; mutagen converts to UTF-16 when saving v2.3


@dataclass(frozen=True)
class TagSet:
    """Everything sunodesk writes into a file. Empty strings / None are left out."""

    title: str = ""
    artist: str = ""
    album: str = ""
    genre: str = ""
    date: str = ""  # "YYYY", "YYYY-MM-DD" or a full ID3 timestamp
    lyrics: str = ""
    cover: bytes | None = None
    cover_mime: str = ""
    task_id: str = ""
    result_id: str = ""
    model: str = ""
    style: str = ""
    negative_tags: str = ""
    style_weight: float | None = None
    weirdness: float | None = None
    audio_weight: float | None = None
    persona_id: str = ""
    prompt: str = ""  # the simple-mode description


# TagSet field -> TXXX description
SUNO_FIELDS: dict[str, str] = {
    "task_id": "SUNO_TASK_ID",
    "result_id": "SUNO_RESULT_ID",
    "model": "SUNO_MODEL",
    "style": "SUNO_STYLE",
    "negative_tags": "SUNO_NEGATIVE_TAGS",
    "style_weight": "SUNO_STYLE_WEIGHT",
    "weirdness": "SUNO_WEIRDNESS",
    "audio_weight": "SUNO_AUDIO_WEIGHT",
    "persona_id": "SUNO_PERSONA_ID",
    "prompt": "SUNO_PROMPT",
}
_FLOAT_FIELDS = ("style_weight", "weirdness", "audio_weight")
_TEXT_FRAMES = {"title": TIT2, "artist": TPE1, "album": TALB, "genre": TCON, "date": TDRC}


class TagWriteError(OSError):
    """The tags read back from disk are not the tags that were written."""


def image_mime(data: bytes, fallback: str = "") -> str:
    """The MIME type of cover bytes, from their signature."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return fallback or "image/jpeg"


def _format_float(value: float) -> str:
    return repr(float(value))


def _load_or_new(path: Path) -> ID3:
    try:
        return ID3(str(path))
    except ID3NoHeaderError:
        return ID3()


def _is_owned(key: str, frame: object) -> bool:
    # mutagen sets a frame's fields (desc, lang, type) from its specs at run time, so the
    # type checker cannot see them: hence the ignores below.
    if key in ("TIT2", "TPE1", "TALB", "TCON", "TDRC", "TYER", "TDAT", "TIME"):
        return True
    if isinstance(frame, USLT):
        return frame.desc == "" and frame.lang == "eng"  # type: ignore[attr-defined]
    if isinstance(frame, APIC):
        return frame.type == PictureType.COVER_FRONT  # type: ignore[attr-defined]
    if isinstance(frame, TXXX):
        return frame.desc.upper().startswith("SUNO_")  # type: ignore[attr-defined]
    return False


def write_tags(path: str | os.PathLike[str], tags: TagSet, id3_version: int = 4) -> TagSet:
    """Write ``tags`` as ID3v2.4 (or v2.3), keep foreign frames, read back and verify.

    Returns what was read back. Raises :class:`TagWriteError` when it differs.
    """
    if id3_version not in (3, 4):
        raise ValueError("id3_version must be 3 or 4")
    path = Path(path)
    if tags.date and not ID3TimeStamp(tags.date).text:
        raise ValueError(f"not an ID3 date: {tags.date!r} (use YYYY, YYYY-MM-DD …)")
    id3 = _load_or_new(path)
    for key in [k for k, frame in id3.items() if _is_owned(k, frame)]:
        del id3[key]

    for name, frame_cls in _TEXT_FRAMES.items():
        value = getattr(tags, name)
        if value:
            id3.add(frame_cls(encoding=_ENC, text=[value]))
    if tags.lyrics:
        id3.add(USLT(encoding=_ENC, lang="eng", desc="", text=tags.lyrics))
    if tags.cover:
        id3.add(APIC(
            encoding=_ENC, mime=image_mime(tags.cover, tags.cover_mime),
            type=PictureType.COVER_FRONT, desc="", data=tags.cover,
        ))  # fmt: skip
    for name, desc in SUNO_FIELDS.items():
        value = getattr(tags, name)
        if value is None or value == "":
            continue
        text = _format_float(value) if name in _FLOAT_FIELDS else str(value)
        id3.add(TXXX(encoding=_ENC, desc=desc, text=[text]))

    if id3_version == 3:
        id3.update_to_v23()  # TDRC -> TYER/TDAT/TIME; drops frames v2.3 cannot hold
    try:
        id3.save(str(path), v2_version=id3_version, v23_sep="/")
    except (MutagenError, OSError) as exc:
        raise TagWriteError(f"could not write tags to {path.name}: {exc}") from exc

    back = read_tags(path)
    expected = _expected(tags)
    wrong = [
        f.name for f in fields(TagSet)
        if f.name != "date" and getattr(back, f.name) != getattr(expected, f.name)
    ]  # fmt: skip
    if _date_key(back.date, id3_version) != _date_key(tags.date, id3_version):
        wrong.append("date")
    version = ID3(str(path)).version
    if version[1] != id3_version:
        wrong.append(f"ID3 version (v2.{version[1]})")
    if wrong:
        raise TagWriteError(f"tags on {path.name} did not read back: {', '.join(wrong)}")
    return back


def _date_key(text: str, id3_version: int) -> tuple[int, ...]:
    """The parts of a date that survive a round trip (v2.3 keeps year, day and month)."""
    if not text:
        return ()
    stamp = ID3TimeStamp(text)
    # ID3TimeStamp makes its parts (year ... second) at run time, unseen by the type checker
    year, month, day, hour, minute, second = (
        getattr(stamp, part) for part in ("year", "month", "day", "hour", "minute", "second")
    )
    if id3_version == 3:
        return (year, month, day) if month and day else (year,)
    return tuple(v or 0 for v in (year, month, day, hour, minute, second))


def _expected(tags: TagSet) -> TagSet:
    """What read_tags should return after writing ``tags``."""
    values = {f.name: getattr(tags, f.name) for f in fields(TagSet)}
    for name in _FLOAT_FIELDS:
        if values[name] is not None:
            values[name] = float(values[name])
    values["cover_mime"] = image_mime(tags.cover, tags.cover_mime) if tags.cover else ""
    if not tags.cover:
        values["cover"] = None
    return TagSet(**values)


def _text(id3: ID3, key: str) -> str:
    frame = id3.get(key)
    if frame is None:
        return ""
    return "/".join(str(t) for t in frame.text)


def _float(text: str) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None


def read_tags(path: str | os.PathLike[str]) -> TagSet:
    """The tags sunodesk knows about, from any ID3v2 version; an empty TagSet when untagged."""
    try:
        id3 = ID3(str(path))
    except ID3NoHeaderError:
        return TagSet()
    except MutagenError as exc:
        raise TagWriteError(f"could not read tags from {Path(path).name}: {exc}") from exc
    values: dict[str, object] = {name: _text(id3, cls.__name__) for name, cls in
                                 _TEXT_FRAMES.items()}  # fmt: skip
    lyrics = [f for f in id3.getall("USLT") if f.desc == "" and f.lang == "eng"]
    lyrics = lyrics or id3.getall("USLT")
    values["lyrics"] = lyrics[0].text if lyrics else ""
    covers = [f for f in id3.getall("APIC") if f.type == PictureType.COVER_FRONT]
    values["cover"] = covers[0].data if covers else None
    values["cover_mime"] = covers[0].mime if covers else ""
    for name, desc in SUNO_FIELDS.items():
        text = _text(id3, f"TXXX:{desc}")
        values[name] = _float(text) if name in _FLOAT_FIELDS else text
    return TagSet(**values)  # type: ignore[arg-type]


# -- MP3 sanity ---------------------------------------------------------------------------------


def probe_mp3(path: str | os.PathLike[str], expected_duration: float | None = None) -> Mp3Info:
    """Check that ``path`` is a whole, decodable MP3 and return its duration and format.

    The frame walk (:func:`sunodesk.store.mp3_probe.scan_frames`) finds truncation and junk;
    mutagen then confirms the stream decodes. Raises :class:`NotPlayable` with a plain reason.
    """
    scan = scan_frames(path, expected_duration)
    try:
        info = _mpeg_info(path)
    except MutagenError as exc:
        raise NotPlayable("The download is not a decodable MP3.") from exc
    if info.sketchy:
        raise NotPlayable("The download does not look like valid MP3 audio.")
    # MPEGInfo sets bitrate and sample_rate in a parsing helper, unseen by the type checker
    decoded_bitrate = int(info.bitrate)  # type: ignore[attr-defined]
    decoded_rate = int(info.sample_rate or scan.sample_rate)  # type: ignore[attr-defined]
    measured = round(scan.audio_bytes * 8 / scan.duration) if scan.promised_frames else 0
    return Mp3Info(
        duration=scan.duration, bitrate=measured or decoded_bitrate, sample_rate=decoded_rate
    )


def _mpeg_info(path: str | os.PathLike[str]) -> MPEGInfo:
    """The stream info mutagen reads from an MP3 (an MP3 that loads always has one)."""
    info = MP3(str(path)).info
    if not isinstance(info, MPEGInfo):
        raise MutagenError("no MPEG stream info")
    return info


# -- the library: covers, edits, imports ------------------------------------------------------


def read_cover(path: str | os.PathLike[str]) -> bytes | None:
    """The front cover's bytes (else any picture), or None; never raises for a bad file."""
    try:
        id3 = ID3(str(path))
    except (MutagenError, OSError):
        return None
    pictures = id3.getall("APIC")
    front = [f for f in pictures if f.type == PictureType.COVER_FRONT] or pictures
    return front[0].data if front else None


def id3_version_of(path: str | os.PathLike[str], default: int = 4) -> int:
    """3 or 4: the ID3v2 minor version a file carries (``default`` when untagged)."""
    try:
        version = ID3(str(path)).version[1]
    except (MutagenError, OSError):
        return default
    return version if version in (3, 4) else default


def edit_tags(
    path: str | os.PathLike[str], id3_version: int | None = None, **changes: object
) -> TagSet:
    """Change some fields (``title=…, cover=…``), keep every other frame, read back, verify.

    The file keeps its ID3 version unless ``id3_version`` is given. Returns what was read back.
    """
    current = read_tags(path)
    unknown = set(changes) - {f.name for f in fields(TagSet)}
    if unknown:
        raise ValueError(f"not tag fields: {', '.join(sorted(unknown))}")
    values = {f.name: getattr(current, f.name) for f in fields(TagSet)}
    values.update(changes)
    if "cover" in changes and not changes["cover"]:
        values["cover"], values["cover_mime"] = None, ""
    version = id3_version or id3_version_of(path)
    if version == 3 and values["date"]:
        values["date"] = str(values["date"])[:10]
    return write_tags(path, TagSet(**values), id3_version=version)


@dataclass(frozen=True)
class AudioFile:
    """What an import needs from an MP3: its tags and its length."""

    tags: TagSet
    duration: float | None


def read_audio_file(path: str | os.PathLike[str]) -> AudioFile:
    """Tags and duration of an MP3 made anywhere; raises NotPlayable when it is not one."""
    try:
        info = _mpeg_info(path)
    except (MutagenError, OSError) as exc:
        raise NotPlayable(f"{Path(path).name} is not an MP3 file this app can read.") from exc
    try:
        tagset = read_tags(path)
    except TagWriteError:
        tagset = TagSet()
    return AudioFile(tags=tagset, duration=float(info.length) if info.length else None)
