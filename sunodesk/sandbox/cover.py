"""Cover art for sandbox songs: a 512x512 PNG made with zlib and struct, coloured by a seed.

A diagonal gradient between two seed colours with a disc (a record) of a second gradient in
the middle and a few darker bands. Each row is a slice of a precomputed strip, so a cover
costs a few milliseconds; covers are cached by seed.
"""

from __future__ import annotations

import colorsys
import functools
import random
import struct
import zlib

SIZE = 512


def _strip(a: tuple[int, int, int], b: tuple[int, int, int], length: int) -> bytes:
    """RGB pixels fading from colour a to colour b over ``length`` pixels."""
    out = bytearray()
    for i in range(length):
        t = i / max(1, length - 1)
        out += bytes(round(a[k] + (b[k] - a[k]) * t) for k in range(3))
    return bytes(out)


def _colour(hue: float, light: float, sat: float) -> tuple[int, int, int]:
    r, g, b = colorsys.hls_to_rgb(hue % 1.0, light, sat)
    return round(r * 255), round(g * 255), round(b * 255)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@functools.lru_cache(maxsize=32)
def make_cover_png(seed: str, size: int = SIZE) -> bytes:
    """A valid RGB PNG, the same for the same seed."""
    rng = random.Random(f"sunodesk-cover:{seed}")
    hue = rng.random()
    back = _strip(_colour(hue, 0.55, 0.6), _colour(hue + 0.18, 0.25, 0.55), 2 * size - 1)
    disc = _strip(_colour(hue + 0.5, 0.7, 0.5), _colour(hue + 0.62, 0.4, 0.6), 2 * size - 1)
    dark = bytes(max(0, c - 40) for c in back)
    band = max(8, size // rng.choice((8, 12, 16)))
    centre = size / 2
    radius = size * rng.uniform(0.28, 0.38)
    hole = radius * 0.12
    rows = bytearray()
    for y in range(size):
        offset = 3 * y
        source = dark if (y // band) % 3 == 2 else back
        row = bytearray(source[offset : offset + 3 * size])
        dy = y + 0.5 - centre
        if abs(dy) < radius:
            half = int((radius * radius - dy * dy) ** 0.5)
            x0, x1 = int(centre) - half, int(centre) + half
            row[3 * x0 : 3 * x1] = disc[offset + 3 * x0 : offset + 3 * x1]
            if abs(dy) < hole:
                h = int((hole * hole - dy * dy) ** 0.5)
                h0, h1 = int(centre) - h, int(centre) + h
                row[3 * h0 : 3 * h1] = back[offset + 3 * h0 : offset + 3 * h1]
        rows += b"\x00" + row  # filter type 0 per scanline
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(bytes(rows), 6))
        + _chunk(b"IEND", b"")
    )
