"""MP3 tags (the ID3 mapping) and the decode check. The only module in sunodesk that imports
mutagen.

``write_tags`` owns a fixed set of frames (TIT2 TPE1 TALB TCON TDRC, USLT::eng with an empty
description, the type-3 front cover, and every ``TXXX:SUNO_*``), rewrites only those, keeps
everything else byte for byte (``tags_edit`` splices the raw frames), and reads the file back to
prove it. ``probe_mp3`` decides whether a download is a complete, decodable MP3 before it is
filed: the frame walk of ``mp3_probe``, then a decode check with mutagen.
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import shutil
from collections.abc import Callable
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
    Frame,
    ID3NoHeaderError,
    ID3TimeStamp,
    ID3v1SaveOptions,
    PictureType,
)
from mutagen.mp3 import MP3, MPEGInfo

from sunodesk.store import files, tags_edit
from sunodesk.store.mp3_probe import Mp3Info, NotPlayable, scan_frames

_ENC = 3  # UTF-8; mutagen converts to UTF-16 when saving v2.3
COVER_MAX_BYTES = 10 * 1024 * 1024  # like the API client's image limit


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
# the frames a text field owns, in any ID3 version
_TEXT_IDS = {
    "title": ("TIT2",),
    "artist": ("TPE1",),
    "album": ("TALB",),
    "genre": ("TCON",),
    "date": ("TDRC", "TYER", "TDAT", "TIME"),
}
EDITABLE = tuple(f.name for f in fields(TagSet) if f.name != "cover_mime")


class TagWriteError(OSError):
    """The tags cannot be read or written, or did not read back as written; ``str()`` is a
    plain sentence with the file's name and a reason."""


class TagValueError(TagWriteError, ValueError):
    """A value that cannot go into a tag (not an image, too large, not a number …); nothing
    was written. ``str()`` is a plain sentence."""


def _image_type(data: bytes) -> str:
    """The MIME type of image bytes from their signature; "" when not an image we take."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return ""


def image_mime(data: bytes, fallback: str = "") -> str:
    """The MIME type of cover bytes, from their signature."""
    return _image_type(data) or fallback or "image/jpeg"


def read_cover_file(path: str | os.PathLike[str]) -> bytes:
    """An image file's bytes for a cover: checked for size before it is read, then for being
    a PNG, JPEG, GIF or WebP. Raises :class:`TagValueError` (or OSError) with a sentence."""
    size = os.path.getsize(path)
    if size > COVER_MAX_BYTES:
        raise TagValueError(
            f"The cover image is too large ({size / 2**20:.1f} MB; "
            f"at most {COVER_MAX_BYTES // 2**20} MB)."
        )
    data = Path(path).read_bytes()
    _check_values({"cover": data})
    return data


def _format_float(value: float) -> str:
    return repr(float(value))


def _reason(exc: BaseException) -> str:
    """A short reason for an error, never empty."""
    inner = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc
    strerror = inner.strerror if isinstance(inner, OSError) else None
    text = strerror or str(inner).strip()
    if not text or text.startswith(("'", '"', "/")):
        text = "its ID3 tag is damaged or uses a feature this app cannot read"
    return text.rstrip(".")


def _cover_bytes(value: object) -> bytes | None:
    return bytes(value) if isinstance(value, (bytes, bytearray)) and value else None


def _label(name: str) -> str:
    return name.replace("_", " ")


def _check_values(values: dict[str, object]) -> None:
    """Refuse, in a sentence, any value that cannot be written (raises TagValueError)."""
    for name, value in values.items():
        if name == "cover":
            if value is None:
                continue
            if not isinstance(value, (bytes, bytearray)):
                raise TagValueError("The cover must be image data.")
            if len(value) > COVER_MAX_BYTES:
                raise TagValueError(
                    f"The cover image is too large ({len(value) / 2**20:.1f} MB; "
                    f"at most {COVER_MAX_BYTES // 2**20} MB)."
                )
            if not _image_type(bytes(value)):
                raise TagValueError("The cover is not a PNG, JPEG, GIF or WebP image.")
        elif name in _FLOAT_FIELDS:
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise TagValueError(f"The {_label(name)} must be a number.")
            if not (math.isfinite(value) and 0.0 <= value <= 1.0):
                raise TagValueError(f"The {_label(name)} must be a number from 0 to 1.")
        elif not isinstance(value, str):
            raise TagValueError(f"The {_label(name)} must be text.")
        elif name == "date" and value and not ID3TimeStamp(value).text:
            raise TagValueError(f"not an ID3 date: {value!r} (use YYYY, YYYY-MM-DD …)")


def _render(frames: list[Frame], version: int) -> list[bytes]:
    """Frames as the bytes an ID3v2.``version`` tag holds (mutagen does the encoding)."""
    if not frames:
        return []
    id3 = ID3()
    for frame in frames:
        id3.add(frame)
    buffer = io.BytesIO()
    id3.save(buffer, v2_version=version, v23_sep="/", padding=lambda info: 0)
    tag = tags_edit.split_tag(buffer.getvalue())
    assert tag is not None
    return [frame.raw for frame in tag.frames]


def _described(tag: tags_edit.RawTag, frame_id: str) -> list[tuple[int, tags_edit.Descriptor]]:
    found = []
    for index, frame in enumerate(tag.frames):
        if frame.id == frame_id:
            desc = tags_edit.describe(frame, tag.version)
            if desc is not None:
                found.append((index, desc))
    return found


def _at(indexes: set[int]) -> Callable[[int, tags_edit.RawFrame], bool]:
    return lambda index, frame: index in indexes


def _change(name: str, value: object, tag: tags_edit.RawTag, fresh: bool) -> tags_edit.Change:
    """The frames field ``name`` owns in ``tag`` and what replaces them.

    A fresh take (``fresh``) owns USLT::eng with an empty description; an edit owns the
    lyrics frame the file shows (eng with no description, else the first), so editing keeps
    its language and description, and clearing the lyrics removes every USLT (any one left
    would show as the lyrics). The same goes for the front cover.
    """
    version = tag.version
    if name in _TEXT_IDS:
        ids = _TEXT_IDS[name]
        frames: list[Frame] = []
        if value:
            frames = [_TEXT_FRAMES[name](encoding=_ENC, text=[value])]
            if name == "date" and version == 3:
                scratch = ID3()
                scratch.add(frames[0])
                scratch.update_to_v23()  # TDRC -> TYER, TDAT, TIME
                frames = list(scratch.values())
        return tags_edit.Change(lambda i, f: f.id in ids, _render(frames, version))
    if name == "lyrics":
        uslt = _described(tag, "USLT")
        eng = [i for i, d in uslt if d.lang == "eng" and d.desc == ""]
        lang, desc = "eng", ""
        if fresh:
            owned = set(eng)
        elif not value:
            owned = {i for i, _ in uslt}
        else:
            shown = (eng or [i for i, _ in uslt])[:1]
            owned = set(shown)
            if shown:
                found = dict(uslt)[shown[0]]
                lang, desc = found.lang, found.desc
        frames = [USLT(encoding=_ENC, lang=lang, desc=desc, text=value)] if value else []
        return tags_edit.Change(_at(owned), _render(frames, version))
    if name == "cover":
        apics = _described(tag, "APIC")
        front = [i for i, d in apics if d.picture_type == PictureType.COVER_FRONT]
        if not value:
            return tags_edit.Change(_at(set(front)))
        data = _cover_bytes(value) or b""
        taken = {d.desc for _, d in apics}
        desc = dict(apics)[front[0]].desc if front else ""
        n = 1
        while not front and desc in taken:  # a new picture needs a description of its own
            desc = "Cover" if n == 1 else f"Cover {n}"
            n += 1
        picture = APIC(
            encoding=_ENC, mime=_image_type(data), type=PictureType.COVER_FRONT, desc=desc,
            data=data,
        )  # fmt: skip
        return tags_edit.Change(_at(set(front[:1])), _render([picture], version))
    desc = SUNO_FIELDS[name]
    owned = {i for i, d in _described(tag, "TXXX") if d.desc == desc}
    if value is None or value == "":
        frames = []
    else:
        text = _format_float(value) if name in _FLOAT_FIELDS else str(value)  # type: ignore[arg-type]
        frames = [TXXX(encoding=_ENC, desc=desc, text=[text])]
    return tags_edit.Change(_at(owned), _render(frames, version))


def _stale_suno(tag: tags_edit.RawTag) -> tags_edit.Change:
    """TXXX:SUNO_* frames of ours that no field writes any more (upper case only: a
    ``suno_*`` frame was written by someone else)."""
    ours = set(SUNO_FIELDS.values())
    stale = {
        i for i, d in _described(tag, "TXXX") if d.desc.startswith("SUNO_") and d.desc not in ours
    }
    return tags_edit.Change(_at(stale))


def _normalised_copy(path: Path, version: int) -> Path:
    """A temp copy of ``path`` whose ID3v2 tag mutagen has rewritten as ID3v2.``version``
    (for a version change, ID3v2.2, or a tag the frame walker cannot split). An ID3v1 tail
    stays as it was."""
    real = Path(os.path.realpath(path))
    temp = files.temp_path(real.parent)
    try:
        shutil.copyfile(real, temp)
        with open(temp, "rb") as handle:
            handle.seek(0, os.SEEK_END)
            size = handle.tell()
            handle.seek(max(0, size - 128))
            tail = handle.read(128)
        id3 = ID3(str(temp), translate=False, load_v1=False)
        sep: str | None = None
        if id3.version[:2] != (2, version):
            id3 = ID3(str(temp), v2_version=version, load_v1=False)  # translated
            sep = "/"
        id3.save(str(temp), v1=ID3v1SaveOptions.UPDATE, v2_version=version, v23_sep=sep)
        if tail[:3] == b"TAG":
            with open(temp, "r+b") as handle:
                handle.seek(-128, os.SEEK_END)
                handle.write(tail)
        return temp
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        raise


def _save(
    path: Path, version: int | None, values: dict[str, object], fresh: bool, before: TagSet
) -> TagSet:
    """Rewrite the frames of ``values`` in a copy of ``path``, read it back, check it against
    ``before`` with ``values`` applied, then replace ``path``. Raises TagWriteError."""
    name = path.name
    normalised: Path | None = None
    try:
        head = tags_edit.read_head(path)
        tag = tags_edit.split_tag(head, default_version=version or 4)
        if version is None:
            version = tag.version if tag else (head[3] if head[3:4] in (b"\3", b"\4") else 4)
        source = path
        if tag is None or tag.version != version:
            normalised = source = _normalised_copy(path, version)
            tag = tags_edit.split_tag(tags_edit.read_head(source), default_version=version)
            if tag is None:
                raise TagWriteError(f"Could not write the tags of {name}: its ID3 tag is damaged.")
        changes = [_change(n, v, tag, fresh) for n, v in values.items()]
        if fresh:
            changes.append(_stale_suno(tag))
        trailing = os.path.getsize(source) - tag.size
        frames = tags_edit.splice(tag, changes)
        new_tag = tags_edit.build_tag(version, frames, fit=tag.size, trailing=trailing)
        target = version

        def check(temp: Path) -> TagSet:
            try:
                back = read_tags(temp)
            except TagWriteError as exc:
                raise TagWriteError(str(exc).replace(temp.name, name)) from exc
            _verify(temp, name, back, before, values, target, fresh)
            return back

        return tags_edit.replace_tag(path, source, tag.size, new_tag, check)  # type: ignore[return-value]
    except TagWriteError:
        raise
    except (MutagenError, OSError, ValueError) as exc:
        raise TagWriteError(f"Could not write the tags of {name}: {_reason(exc)}.") from exc
    finally:
        if normalised is not None:
            with contextlib.suppress(FileNotFoundError):
                normalised.unlink()


def _verify(
    temp: Path, name: str, back: TagSet, before: TagSet, values: dict[str, object],
    version: int, fresh: bool,
) -> None:  # fmt: skip
    expected = {f.name: getattr(before, f.name) for f in fields(TagSet)}
    for key, value in values.items():
        if key in _FLOAT_FIELDS:
            expected[key] = None if value is None else float(value)  # type: ignore[arg-type]
        elif key == "cover":
            expected["cover"] = cover = _cover_bytes(value)
            expected["cover_mime"] = _image_type(cover) if cover else ""
        else:
            expected[key] = value
    wrong = []
    for f in fields(TagSet):
        if f.name == "date":
            if _date_key(back.date, version) != _date_key(str(expected["date"]), version):
                wrong.append("date")
        elif f.name == "lyrics" and fresh and not values.get("lyrics"):
            # a fresh take without lyrics owns no USLT; one in another language may remain
            tag = tags_edit.split_tag(tags_edit.read_head(temp))
            if tag is None or [
                d for _, d in _described(tag, "USLT") if d.lang == "eng" and d.desc == ""
            ]:
                wrong.append("lyrics")
        elif getattr(back, f.name) != expected[f.name]:
            wrong.append(f.name)
    if tags_edit.read_head(temp)[3:4] != bytes((version,)):
        wrong.append(f"ID3 version (not v2.{version})")
    if wrong:
        raise TagWriteError(f"The tags of {name} did not read back as written: {', '.join(wrong)}.")


def write_tags(path: str | os.PathLike[str], tags: TagSet, id3_version: int = 4) -> TagSet:
    """Write ``tags`` as ID3v2.4 (or v2.3) into a copy of the file, read it back, verify,
    then replace the file. Frames sunodesk does not own keep their exact bytes.

    Returns what was read back. Raises :class:`TagValueError` for a value that cannot be
    written and :class:`TagWriteError` when the file cannot be tagged or reads back wrong;
    the file is then unchanged.
    """
    if id3_version not in (3, 4):
        raise TagValueError("id3_version must be 3 or 4")
    path = Path(path)
    values = {name: getattr(tags, name) for name in EDITABLE}
    _check_values(values)
    before = read_tags(path)
    return _save(path, id3_version, values, fresh=True, before=before)


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
    """A weight from a tag; "not set" unless it is a number from 0 to 1 (NaN, inf, 7.5 …)."""
    try:
        value = float(text) if text else None
    except ValueError:
        return None
    if value is None or not (math.isfinite(value) and 0.0 <= value <= 1.0):
        return None
    return value


def read_tags(path: str | os.PathLike[str]) -> TagSet:
    """The tags sunodesk knows about, from any ID3v2 version; an empty TagSet when untagged.

    Raises :class:`TagWriteError` (a sentence with a reason) when the tag cannot be read."""
    return _read(path, Path(path).name)


def _read(path: str | os.PathLike[str], shown_as: str) -> TagSet:
    try:
        id3 = ID3(str(path))
    except ID3NoHeaderError:
        return TagSet()
    except (MutagenError, OSError, ValueError) as exc:
        raise TagWriteError(f"Could not read the tags of {shown_as}: {_reason(exc)}.") from exc
    values: dict[str, object] = {name: _text(id3, cls.__name__) for name, cls in
                                 _TEXT_FRAMES.items()}  # fmt: skip
    lyrics = [f for f in id3.getall("USLT") if f.desc == "" and f.lang == "eng"]
    lyrics = lyrics or id3.getall("USLT")
    values["lyrics"] = lyrics[0].text if lyrics else ""
    covers = [f for f in id3.getall("APIC") if f.type == PictureType.COVER_FRONT]
    values["cover"] = covers[0].data if covers else None
    values["cover_mime"] = covers[0].mime if covers else ""
    for field_name, desc in SUNO_FIELDS.items():
        text = _text(id3, f"TXXX:{desc}")
        values[field_name] = _float(text) if field_name in _FLOAT_FIELDS else text
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
    path: str | os.PathLike[str], *, id3_version: int | None = None, **changes: object
) -> TagSet:
    """Change some fields (``title="…"``, ``cover=b"…"`` or ``cover=None`` to remove it) and
    nothing else: only the frames of the fields whose value differs are rewritten; every
    other frame, the ID3 version (unless ``id3_version`` is given), the audio and any
    ID3v1/APE tail keep their exact bytes. The edit goes to a copy that is read back and
    checked before it replaces the file. Clearing the lyrics (or the cover) removes every
    frame that would show as them.

    Returns what was read back. Raises :class:`TagValueError` for an unknown field or a value
    that cannot be written, :class:`TagWriteError` when the file cannot be read, written or
    reads back wrong; either way the file is left as it was.
    """
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise TagValueError(f"These are not tag fields: {', '.join(unknown)}.")
    if id3_version not in (None, 3, 4):
        raise TagValueError("id3_version must be 3 or 4")
    values = dict(changes)
    if "cover" in values and not values["cover"]:
        values["cover"] = None
    _check_values(values)
    path = Path(path)
    before = read_tags(path)
    values = {k: v for k, v in values.items() if not _same(k, v, before)}
    if not values and id3_version in (None, id3_version_of(path)):
        return before
    return _save(path, id3_version, values, fresh=False, before=before)


def _same(name: str, value: object, current: TagSet) -> bool:
    now = getattr(current, name)
    if name in _FLOAT_FIELDS:
        return now is None if value is None else now == float(value)  # type: ignore[arg-type]
    if name == "cover":
        return _cover_bytes(value) == now
    return bool(value == now)


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
