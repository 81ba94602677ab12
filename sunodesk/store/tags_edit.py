"""ID3v2 frames at the byte level, so a tag edit rewrites only the frames it owns.

``split_tag`` cuts the ID3v2.3/v2.4 tag at the start of a file into its frames, each kept as
the exact bytes the file holds (header, flags and payload). ``splice`` puts new frames in
the place of the frames a change owns and leaves every other frame byte for byte, in its
order; ``build_tag`` wraps the frames in a header of the same ID3 version. ``replace_tag``
writes the result to a temp file beside the original, lets the caller read it back, and only
then ``os.replace``s it over the original, so a failed save leaves the file as it was.

No mutagen here (tags.py, the one module that imports it, renders the new frames); this
module only reads descriptors (language, description, picture type) that decide which frame
belongs to which field.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sunodesk.store import files

_FRAME_ID = re.compile(rb"[A-Z0-9]{4}")
MAX_TAG_BYTES = (1 << 28) - 1  # a syncsafe 28-bit size


@dataclass(frozen=True)
class RawFrame:
    id: str
    flags: int  # the two flag bytes, big-endian
    payload: bytes  # as stored: maybe compressed, grouped, with a data-length indicator
    raw: bytes  # header + payload, exactly as the file holds them


@dataclass(frozen=True)
class RawTag:
    version: int  # 3 or 4
    frames: tuple[RawFrame, ...]
    size: int  # bytes the tag takes at the start of the file, footer and padding included


def _syncsafe(data: bytes) -> int:
    return (data[0] << 21) | (data[1] << 14) | (data[2] << 7) | data[3]


def _to_syncsafe(value: int) -> bytes:
    return bytes(((value >> shift) & 0x7F) for shift in (21, 14, 7, 0))


def tag_size(head: bytes) -> int:
    """Bytes the ID3v2 tag at the start of ``head`` takes (0 when there is none)."""
    if head[:3] != b"ID3" or len(head) < 10:
        return 0
    footer = 10 if head[5] & 0x10 else 0
    return 10 + _syncsafe(head[6:10]) + footer


def split_tag(data: bytes, default_version: int = 4) -> RawTag | None:
    """The frames of the ID3v2 tag that starts ``data`` (an empty tag when there is none).

    None when the tag cannot be walked frame by frame here: ID3v2.2 or v2.5+, a tag-wide
    unsynchronisation, frame sizes that do not add up. The caller then converts the tag
    with mutagen first.
    """
    if data[:3] != b"ID3":
        return RawTag(default_version, (), 0)
    if len(data) < 10 or data[3] not in (3, 4) or data[5] & 0x80:
        return None
    version, flags = data[3], data[5]
    size = tag_size(data)
    end = 10 + _syncsafe(data[6:10])
    if len(data) < end:
        return None
    pos = 10
    if flags & 0x40:  # an extended header: skipped (its CRC would not survive a rewrite)
        ext = data[10:14]
        if len(ext) < 4:
            return None
        pos += _syncsafe(ext) if version == 4 else int.from_bytes(ext, "big") + 4
    frames: list[RawFrame] = []
    # frames stop at the first zero byte: what follows is padding (junk there is dropped)
    while pos + 10 <= end and data[pos] != 0:
        frame_id = data[pos : pos + 4]
        header = data[pos + 4 : pos + 8]
        length = _syncsafe(header) if version == 4 else int.from_bytes(header, "big")
        if not _FRAME_ID.fullmatch(frame_id) or pos + 10 + length > end:
            return None
        if version == 4 and any(b & 0x80 for b in header):
            return None  # not syncsafe (old iTunes): let mutagen sort it out
        frames.append(
            RawFrame(
                frame_id.decode("ascii"),
                int.from_bytes(data[pos + 8 : pos + 10], "big"),
                data[pos + 10 : pos + 10 + length],
                data[pos : pos + 10 + length],
            )
        )
        pos += 10 + length
    return RawTag(version, tuple(frames), size)


def content(frame: RawFrame, version: int) -> bytes | None:
    """A frame's payload with grouping, data-length indicator, compression and (v2.4)
    unsynchronisation undone; None when it is encrypted or cannot be decompressed."""
    data, flags = frame.payload, frame.flags
    if version == 3:
        compressed, encrypted, grouped = flags & 0x0080, flags & 0x0040, flags & 0x0020
        if encrypted:
            return None
        if compressed:
            data = data[4:]
        if grouped:
            data = data[1:]
        unsync = False
    else:
        grouped, compressed, encrypted = flags & 0x0040, flags & 0x0008, flags & 0x0004
        unsync, indicator = bool(flags & 0x0002), flags & 0x0001
        if encrypted:
            return None
        if grouped:
            data = data[1:]
        if indicator:
            data = data[4:]
        if unsync:
            data = data.replace(b"\xff\x00", b"\xff")
    if compressed:
        try:
            data = zlib.decompress(data)
        except zlib.error:
            return None
    return data


_CODECS = {0: "latin-1", 1: "utf-16", 2: "utf-16-be", 3: "utf-8"}


def _terminated(data: bytes, encoding: int) -> tuple[str, bytes]:
    """A null-terminated string in ``encoding`` and what follows it."""
    if encoding in (1, 2):
        at = 0
        while True:
            at = data.find(b"\0\0", at)
            if at < 0 or at % 2 == 0:
                break
            at += 1
        width = 2
    else:
        at, width = data.find(b"\0"), 1
    if at < 0:
        text, rest = data, b""
    else:
        text, rest = data[:at], data[at + width :]
    codec = _CODECS.get(encoding, "latin-1")
    if encoding == 1 and text[:2] not in (b"\xff\xfe", b"\xfe\xff"):
        codec = "utf-16-le"
    return text.decode(codec, errors="replace"), rest


@dataclass(frozen=True)
class Descriptor:
    """What tells two frames with one id apart."""

    lang: str = ""  # USLT
    desc: str = ""  # USLT, APIC, TXXX
    picture_type: int = -1  # APIC


def describe(frame: RawFrame, version: int) -> Descriptor | None:
    """The descriptor of a USLT, APIC or TXXX frame; None when it cannot be read."""
    data = content(frame, version)
    if not data:
        return None
    encoding = data[0]
    if encoding not in _CODECS:
        return None
    if frame.id == "USLT" and len(data) >= 4:
        desc, _ = _terminated(data[4:], encoding)
        return Descriptor(lang=data[1:4].decode("latin-1"), desc=desc)
    if frame.id == "TXXX":
        desc, _ = _terminated(data[1:], encoding)
        return Descriptor(desc=desc)
    if frame.id == "APIC":
        _, rest = _terminated(data[1:], 0)  # the MIME type is always Latin-1
        if not rest:
            return None
        desc, _ = _terminated(rest[1:], encoding)
        return Descriptor(desc=desc, picture_type=rest[0])
    return None


@dataclass(frozen=True)
class Change:
    """Take out the frames ``owns`` picks and put ``frames`` (rendered, header included)
    where the first of them stood, or after the last frame when none matched."""

    owns: Callable[[int, RawFrame], bool]  # (index in the tag, frame)
    frames: Sequence[bytes] = ()


def splice(tag: RawTag, changes: Iterable[Change]) -> list[bytes]:
    """The tag's frames with ``changes`` applied; every frame no change owns keeps its bytes
    and its place."""
    changes = list(changes)
    placed = [False] * len(changes)
    out: list[bytes] = []
    for index, frame in enumerate(tag.frames):
        owner = next((n for n, c in enumerate(changes) if c.owns(index, frame)), None)
        if owner is None:
            out.append(frame.raw)
        elif not placed[owner]:
            out.extend(changes[owner].frames)
            placed[owner] = True
    for n, change in enumerate(changes):
        if not placed[n]:
            out.extend(change.frames)
    return out


def build_tag(version: int, frames: Sequence[bytes], fit: int = 0, trailing: int = 0) -> bytes:
    """An ID3v2.``version`` tag holding ``frames``, padded as mutagen pads: to ``fit`` bytes
    (the old tag's size, so the audio does not move) unless that leaves more than 10 KiB +
    1 % of the ``trailing`` bytes, else 1 KiB + 0.1 % of them."""
    body = b"".join(frames)
    padding = fit - 10 - len(body)
    if not 0 <= padding <= 10 * 1024 + trailing // 100:
        padding = 1024 + trailing // 1000
    size = len(body) + padding
    if size > MAX_TAG_BYTES:
        raise ValueError("the tags are too large for an ID3v2 tag")
    return b"ID3" + bytes((version, 0, 0)) + _to_syncsafe(size) + body + b"\0" * padding


def read_head(path: str | os.PathLike[str]) -> bytes:
    """The start of the file, up to and including its whole ID3v2 tag."""
    with open(path, "rb") as handle:
        head = handle.read(10)
        size = tag_size(head)
        if size > 10:
            head += handle.read(size - 10)
    return head


def replace_tag(
    path: str | os.PathLike[str],
    source: str | os.PathLike[str],
    old_size: int,
    new_tag: bytes,
    check: Callable[[Path], object],
) -> object:
    """Write ``new_tag`` + the bytes of ``source`` after its first ``old_size`` bytes to a temp
    file beside ``path``, call ``check(temp)`` (which raises to refuse), then move it over
    ``path`` (through a symlink, keeping the file's mode). Returns what ``check`` returned."""
    real = Path(os.path.realpath(path))
    temp = files.temp_path(real.parent)
    try:
        with open(source, "rb") as src, open(temp, "xb") as dst:
            dst.write(new_tag)
            src.seek(old_size)
            shutil.copyfileobj(src, dst, 1 << 20)
            dst.flush()
            os.fsync(dst.fileno())
        stat = os.stat(real)
        os.chmod(temp, stat.st_mode & 0o7777)
        with contextlib.suppress(OSError):
            os.chown(temp, stat.st_uid, stat.st_gid)
        result = check(temp)
        os.replace(temp, real)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
    files.fsync_dir(real.parent)
    return result
