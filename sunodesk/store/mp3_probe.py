"""The MPEG frame walker: is a download a whole MP3 stream, and how long is it?

Pure byte arithmetic on MPEG-1/2/2.5 Layer III frame headers, ID3v2 headers and the
ID3v1 / APEv2 / Lyrics3 trailers; no tag library. ``store.tags.probe_mp3`` adds a decode check
with mutagen on top (``store.tags`` stays the only module that imports mutagen).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path


class NotPlayable(ValueError):
    """The file is not a complete, decodable MP3; ``str()`` is a plain reason."""


@dataclass(frozen=True)
class Mp3Info:
    duration: float  # seconds
    bitrate: int  # bits per second (average for VBR)
    sample_rate: int


@dataclass(frozen=True)
class FrameScan:
    """What walking every frame found: the audio's length and where it lies."""

    duration: float  # seconds
    audio_bytes: int  # from the end of the ID3v2 tag to the start of any trailer
    promised_frames: int | None  # the frame count of a Xing/Info header, if there is one
    sample_rate: int


_BITRATES = {  # kbit/s, Layer III
    1: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}
MIN_DURATION = 0.5  # seconds
DURATION_TOLERANCE = 0.9  # of the duration the API reported, less one second
MAX_SIZE = 200 * 1024 * 1024


def frame_info(header: bytes) -> tuple[int, int, int] | None:
    """(frame length, samples, sample rate) for a Layer III frame header, else None."""
    if len(header) < 4 or header[0] != 0xFF or (header[1] & 0xE0) != 0xE0:
        return None
    version = (header[1] >> 3) & 3  # 3: MPEG1, 2: MPEG2, 0: MPEG2.5
    layer = (header[1] >> 1) & 3  # 1: Layer III
    index = header[2] >> 4
    rate_index = (header[2] >> 2) & 3
    if version == 1 or layer != 1 or index in (0, 15) or rate_index == 3:
        return None
    padding = (header[2] >> 1) & 1
    sample_rate = _RATES[version][rate_index]
    bitrate = _BITRATES[1 if version == 3 else 2][index] * 1000
    if version == 3:
        return 144 * bitrate // sample_rate + padding, 1152, sample_rate
    return 72 * bitrate // sample_rate + padding, 576, sample_rate


def id3v2_size(data: bytes) -> int:
    if data[:3] != b"ID3" or len(data) < 10:
        return 0
    size = 0
    for byte in data[6:10]:
        size = (size << 7) | (byte & 0x7F)
    footer = 10 if data[5] & 0x10 else 0
    return 10 + size + footer


def audio_end(data: bytes) -> int:
    """Where the MPEG frames must stop: before an ID3v1, APEv2 or Lyrics3 trailer."""
    end = len(data)
    if end >= 128 and data[end - 128 : end - 125] == b"TAG":
        end -= 128
    if end >= 32 and data[end - 32 : end - 24] == b"APETAGEX":
        size = int.from_bytes(data[end - 20 : end - 16], "little")
        end = max(0, end - size - 32)
    if end >= 15 and data[end - 9 : end] in (b"LYRICS200", b"LYRICSEND"):
        found = data.rfind(b"LYRICSBEGIN", 0, end)
        if found >= 0:
            end = found
    return end


def _firstframe_info(data: bytes, start: int, end: int) -> int:
    """The offset of the first frame header followed by another valid header."""
    pos = data.find(b"\xff", start, end)
    limit = min(end, start + 64 * 1024)
    while 0 <= pos < limit:
        info = frame_info(data[pos : pos + 4])
        if info and (pos + info[0] == end or frame_info(data[pos + info[0] : pos + info[0] + 4])):
            return pos
        pos = data.find(b"\xff", pos + 1, end)
    return -1


def _xing_frames(data: bytes, pos: int, length: int) -> int | None:
    """The frame count in a Xing/Info header inside the first frame, if any."""
    frame = data[pos : pos + length]
    for marker in (b"Xing", b"Info"):
        at = frame.find(marker)
        if 0 <= at <= 40 and len(frame) >= at + 12:
            flags = int.from_bytes(frame[at + 4 : at + 8], "big")
            if flags & 1:
                return int.from_bytes(frame[at + 8 : at + 12], "big")
    return None


def scan_frames(path: str | os.PathLike[str], expected_duration: float | None = None) -> FrameScan:
    """Check that ``path`` holds a whole MPEG Layer III stream and measure it.

    Walks every MPEG frame: a file whose last frame is cut off, or with fewer frames than its
    Xing header promises, is truncated. A CBR file without a Xing header cut exactly between
    two frames carries no trace of it, so pass ``expected_duration`` (the take's duration
    from the API) whenever it is known: much less audio than that is truncation too.
    Raises :class:`NotPlayable` with a plain reason.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise NotPlayable(f"The file cannot be read ({exc.strerror}).") from exc
    if size == 0:
        raise NotPlayable("The download is empty.")
    if size > MAX_SIZE:
        raise NotPlayable(f"The download is too large for a song ({size // 2**20} MB).")
    data = path.read_bytes()
    head = data[:1024].lstrip().lower()
    if head.startswith((b"<!doctype", b"<html", b"<?xml", b"{", b"[")) or b"<html" in head:
        raise NotPlayable("The download is a web page or a message, not audio.")

    start = id3v2_size(data)
    end = audio_end(data)
    pos = _firstframe_info(data, start, end)
    if pos < 0:
        raise NotPlayable("The download is not MP3 audio.")
    first = frame_info(data[pos : pos + 4])
    assert first is not None  # _first_frame returns only offsets of valid headers
    first_len = first[0]
    promised = _xing_frames(data, pos, first_len)
    frames = samples = frame_samples = 0
    sample_rate = 0
    junk = 0
    while pos < end:
        info = frame_info(data[pos : pos + 4])
        if info is None:
            nxt = _firstframe_info(data, pos + 1, end)
            if nxt < 0:
                junk += end - pos
                break
            junk += nxt - pos
            pos = nxt
            continue
        length, frame_samples, sample_rate = info
        if pos + length > end:
            raise NotPlayable("The download is incomplete: the audio stops mid-frame.")
        frames += 1
        samples += frame_samples
        pos += length
    if promised is not None:
        frames -= 1  # the Xing/Info frame carries no audio
        samples -= frame_samples
        if frames < promised:
            raise NotPlayable(
                f"The download is incomplete: {frames} of {promised} audio frames arrived."
            )
    if junk > max(4096, (end - start) // 20):
        raise NotPlayable("The file has too much damaged data to play.")
    duration = samples / sample_rate if sample_rate else 0.0
    if duration < MIN_DURATION:
        raise NotPlayable("The download is too short to be a song.")
    if expected_duration and duration < expected_duration * DURATION_TOLERANCE - 1.0:
        raise NotPlayable(
            f"The download is incomplete: {duration:.1f} s of {expected_duration:.1f} s arrived."
        )
    return FrameScan(
        duration=duration,
        audio_bytes=end - start,
        promised_frames=promised,
        sample_rate=sample_rate,
    )


def audio_fingerprint(path: str | os.PathLike[str]) -> str:
    """A stable id for a file's audio: the SHA-256 of its bytes without ID3/APE tags, so a
    re-tagged copy of the same song keeps the same id."""
    data = Path(path).read_bytes()
    return hashlib.sha256(data[id3v2_size(data) : audio_end(data)]).hexdigest()
