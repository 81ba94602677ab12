"""Waveform peaks from decoded audio: 16-bit PCM in, a short strip of loudness out.

A take's waveform is ``BUCKETS`` bytes, each the largest absolute amplitude (0-255) of one
equal slice of the take, in order. The decoder hands PCM over in chunks whose total length is
unknown until the end, so :class:`PeakMeter` folds each chunk into fine blocks as it arrives
and only :meth:`PeakMeter.finish` spreads those blocks over the buckets. Pure Python, no Qt.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Sequence

BUCKETS = 600  # enough for a full-width strip at 2x; 600 bytes per take on disk
BLOCK = 32  # samples folded into one block as chunks arrive (8 ms at 4 kHz)
FULL_SCALE = 32768


def reduce_peaks(blocks: Sequence[int], buckets: int = BUCKETS) -> bytes:
    """Spread per-block peaks (0..32768) over ``buckets`` slices: each slice's maximum, scaled
    to 0..255. Fewer blocks than buckets are stretched (a short take still fills the strip)."""
    if buckets <= 0 or not blocks:
        return b""
    n = len(blocks)
    out = bytearray(buckets)
    for i in range(buckets):
        start = i * n // buckets
        end = max(start + 1, (i + 1) * n // buckets)
        peak = max(blocks[start:end])
        out[i] = min(255, peak * 255 // FULL_SCALE)
    return bytes(out)


class PeakMeter:
    """Folds little-endian signed 16-bit mono PCM into block peaks, chunk by chunk."""

    def __init__(self, block: int = BLOCK) -> None:
        self.block = max(1, block)
        self.blocks = array("i")
        self.samples = 0
        self._carry = array("h")

    def feed(self, pcm: bytes) -> None:
        if len(pcm) % 2:
            pcm = pcm[:-1]  # a torn sample: drop it rather than shift every one after it
        chunk = array("h")
        chunk.frombytes(pcm)
        if sys.byteorder == "big":
            chunk.byteswap()
        self.samples += len(chunk)
        if self._carry:
            chunk = self._carry + chunk
        size = self.block
        whole = len(chunk) - len(chunk) % size
        blocks = self.blocks
        for i in range(0, whole, size):
            part = chunk[i : i + size]
            blocks.append(max(max(part), -min(part)))
        self._carry = chunk[whole:]

    def finish(self, buckets: int = BUCKETS) -> bytes:
        """The waveform of everything fed (empty when nothing was)."""
        if self._carry:
            part = self._carry
            self.blocks.append(max(max(part), -min(part)))
            self._carry = array("h")
        return reduce_peaks(self.blocks, buckets)


def peaks_from_pcm(pcm: bytes, buckets: int = BUCKETS) -> bytes:
    """The waveform of one whole PCM buffer (16-bit signed little-endian mono)."""
    meter = PeakMeter()
    meter.feed(pcm)
    return meter.finish(buckets)
