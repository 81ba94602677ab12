"""Real MP3 files for tests: a short sine wave encoded with lameenc, plus tiny cover images."""

from __future__ import annotations

import array
import math
import struct
import zlib
from pathlib import Path

import lameenc


def sine_mp3_bytes(
    seconds: float = 3.0,
    freq: float = 440.0,
    sample_rate: int = 44100,
    bitrate: int = 128,
    channels: int = 1,
) -> bytes:
    """MP3 bytes of a sine tone (CBR, no Xing header: lameenc writes raw frames)."""
    n = int(seconds * sample_rate)
    samples = array.array("h")
    for i in range(n):
        value = int(8000 * math.sin(2 * math.pi * freq * i / sample_rate))
        samples.extend([value] * channels)
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(bitrate)
    encoder.set_in_sample_rate(sample_rate)
    encoder.set_channels(channels)
    encoder.set_quality(7)
    return bytes(encoder.encode(samples.tobytes()) + encoder.flush())


def make_mp3(path: Path, seconds: float = 3.0, **kwargs: object) -> Path:
    path.write_bytes(sine_mp3_bytes(seconds, **kwargs))  # type: ignore[arg-type]
    return path


def png_bytes(width: int = 4, height: int = 4, rgb: tuple[int, int, int] = (200, 30, 90)) -> bytes:
    """A valid PNG of one colour."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


# A minimal baseline JPEG header is enough for MIME detection by signature.
JPEG_BYTES = (
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    + b"\x00" * 64
    + b"\xff\xd9"
)
