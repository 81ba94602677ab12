"""A tiny independent ID3v2.3/v2.4 frame walker, so tests compare the bytes a file really
holds rather than what mutagen makes of them."""

from __future__ import annotations

from collections import Counter
from pathlib import Path


def _size(data: bytes, syncsafe: bool) -> int:
    if syncsafe:
        return (data[0] << 21) | (data[1] << 14) | (data[2] << 7) | data[3]
    return int.from_bytes(data, "big")


def tag_end(data: bytes) -> int:
    """Where the ID3v2 tag at the start of ``data`` ends (0 when there is none)."""
    if data[:3] != b"ID3":
        return 0
    footer = 10 if data[5] & 0x10 else 0
    return 10 + _size(data[6:10], True) + footer


def version(path: Path) -> int:
    return Path(path).read_bytes()[3]


def raw_frames(path: Path) -> list[tuple[str, bytes]]:
    """(frame id, payload) for every frame of the file's ID3v2.3/v2.4 tag, in file order.

    Flags are left out on purpose (a rewrite may legitimately clear them)."""
    data = Path(path).read_bytes()
    end = tag_end(data)
    if not end:
        return []
    major, flags = data[3], data[5]
    assert major in (3, 4), f"ID3v2.{major} is not walked here"
    assert not flags & 0x80, "unsynchronised tags are not walked here"
    pos = 10
    if flags & 0x40:  # extended header
        pos += _size(data[10:14], major == 4) + (0 if major == 4 else 4)
    frames = []
    while pos + 10 <= end and data[pos] != 0:
        frame_id = data[pos : pos + 4].decode("latin-1")
        size = _size(data[pos + 4 : pos + 8], major == 4)
        frames.append((frame_id, data[pos + 10 : pos + 10 + size]))
        pos += 10 + size
    return frames


def frames_except(path: Path, *frame_ids: str) -> Counter[tuple[str, bytes]]:
    """The file's frames as a multiset, without the ids given."""
    return Counter(f for f in raw_frames(path) if f[0] not in frame_ids)


def after_tag(path: Path) -> bytes:
    """Everything after the ID3v2 tag: the audio and any ID3v1/APE/Lyrics3 tails."""
    data = Path(path).read_bytes()
    return data[tag_end(data) :]


def inject_frame(path: Path, frame_id: str, payload: bytes, flags: int = 0) -> bytes:
    """Put a raw frame (any id, any flags) first in the file's ID3v2 tag; returns its bytes."""
    data = Path(path).read_bytes()
    end = tag_end(data)
    major = data[3]
    n = len(payload)
    size = bytes(((n >> s) & 0x7F) for s in (21, 14, 7, 0)) if major == 4 else n.to_bytes(4, "big")
    frame = frame_id.encode("latin-1") + size + flags.to_bytes(2, "big") + payload
    body = frame + data[10:end]
    m = len(body)
    header = data[:6] + bytes(((m >> s) & 0x7F) for s in (21, 14, 7, 0))
    Path(path).write_bytes(header + body + data[end:])
    return frame
