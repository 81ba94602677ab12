"""Real, audible MP3 songs for the sandbox, made quickly from a seed.

A seed picks a key, a tempo, a chord progression and a melody. Four bars of music (the loop)
are synthesised once in pure Python and encoded with LAME (``lameenc``) as mono 32 kHz,
96 kbps CBR, where every frame is exactly 432 bytes and 1152 samples. The loop is a whole
number of frames long, so (once warmed up) LAME encodes every second pass of the loop to the
same frames. A long song is the encoder's real start, a block of two passes of frames
repeated, and the encoder's real fade-out ending, joined where the frames before the seam
are byte-identical, so every frame finds exactly the bit-reservoir bytes and overlap it was
encoded against: decoders play it cleanly, as if LAME had encoded the whole song. When no
such seam exists, the whole song is encoded instead (slower, still correct).
"""

from __future__ import annotations

import array
import functools
import math
import operator
import random
import threading
from collections.abc import Iterable
from itertools import repeat

import lameenc

SAMPLE_RATE = 32000
BITRATE_KBPS = 96
FRAME_SAMPLES = 1152
FRAME_BYTES = 144 * BITRATE_KBPS * 1000 // SAMPLE_RATE  # 432: no padding at 32 kHz
FADE_SECONDS = 3.0
_BEATS = 16  # four bars of 4/4

_MAJOR = (0, 2, 4, 5, 7, 9, 11)
_MINOR = (0, 2, 3, 5, 7, 8, 10)
# Chord progressions as scale degrees (0 = I).
_TEMPOS = (88, 94, 100, 106, 112, 118, 124)
_PROGRESSIONS = ((0, 4, 5, 3), (5, 3, 0, 4), (0, 5, 3, 4), (0, 3, 4, 3), (3, 0, 4, 5))
_TAU = 2.0 * math.pi


def _midi_hz(note: float) -> float:
    return 440.0 * 2.0 ** ((note - 69) / 12.0)


@functools.lru_cache(maxsize=128)
def _cycle(midi: int, harmonics: tuple[tuple[int, float], ...]) -> list[float]:
    """A whole number of periods of a note, short enough to tile (pitch error under 1 cent)."""
    period = SAMPLE_RATE / _midi_hz(midi)
    best = min(range(1, 13), key=lambda k: abs(k * period - round(k * period)) / k)
    size = round(best * period)
    w = _TAU * best / size
    return [sum(a * math.sin(h * w * i) for h, a in harmonics) for i in range(size)]


def _tiled(cycle: list[float], length: int) -> list[float]:
    return (cycle * (length // len(cycle) + 1))[:length]


def _shaped(wave: Iterable[float], envelope: Iterable[float]) -> array.array:
    return array.array("d", map(operator.mul, wave, envelope))


@functools.lru_cache(maxsize=4)
def _pluck(kind: str, gain: float) -> tuple[float, ...]:
    """A four-second pluck envelope (sharp attack, exponential decay), sliced per note."""
    decay = (4.0 if kind == "lead" else 3.0) / SAMPLE_RATE
    attack = (0.006 if kind == "lead" else 0.01) * SAMPLE_RATE
    return tuple(gain * min(1.0, i / attack) * math.exp(-decay * i) for i in range(4 * SAMPLE_RATE))


@functools.lru_cache(maxsize=96)
def _note(midi: int, length: int, kind: str, gain: float) -> array.array:
    """One plucked note (kind "lead" or "bass") of ``length`` samples."""
    harmonics = ((1, 1.0), (2, 0.25), (3, 0.06)) if kind == "lead" else ((1, 1.0), (3, 0.15))
    envelope = _pluck(kind, gain)[:length]
    return _shaped(_tiled(_cycle(midi, harmonics), len(envelope)), envelope)


@functools.lru_cache(maxsize=8)
def _pad_envelope(length: int, gain: float) -> tuple[float, ...]:
    """Fade in, hold, and fade out over the last fifth."""
    attack = int(0.08 * SAMPLE_RATE)
    release = max(1, length // 5)
    hold = max(0, length - attack - release)
    return (
        tuple(gain * i / attack for i in range(min(attack, length)))
        + (gain,) * hold
        + tuple(gain * (1.0 - i / release) for i in range(max(0, length - attack - hold)))
    )[:length]


def _mix_in(mix: array.array, start: int, wave: array.array) -> None:
    """Add ``wave`` into ``mix`` at ``start``; a tail past the end wraps to the start."""
    first = min(len(wave), len(mix) - start)
    end = start + first
    mix[start:end] = array.array("d", map(operator.add, mix[start:end], wave[:first]))
    rest = len(wave) - first
    if rest > 0:
        mix[:rest] = array.array("d", map(operator.add, mix[:rest], wave[first:]))


@functools.lru_cache(maxsize=16)
def _bar(chord: tuple[int, int, int], bass: int, length: int) -> array.array:
    """One bar of backing: a soft pad on the triad and the bass on beats one and three."""
    a, b, c = (_tiled(_cycle(midi, ((1, 1.0),)), length) for midi in chord)
    pad = map(operator.add, map(operator.add, a, b), c)
    bar = _shaped(pad, _pad_envelope(length, 0.16))
    half = length // 2
    _mix_in(bar, 0, _note(bass, half, "bass", 0.5))
    _mix_in(bar, half, _note(bass, length - half, "bass", 0.5))
    return bar


class _Loop:
    """Four bars of music for one seed, as int16 PCM bytes a whole number of frames long.

    Tempos, keys and chords come from small sets, so the backing bars and notes are shared
    between songs through caches; only the melody is new for every seed.
    """

    def __init__(self, seed: str) -> None:
        rng = random.Random(f"sunodesk-sandbox:{seed}")
        bpm = rng.choice(_TEMPOS)
        self.frames = round(_BEATS * 60.0 / bpm * SAMPLE_RATE / FRAME_SAMPLES)
        self.samples = self.frames * FRAME_SAMPLES
        beat = self.samples / _BEATS
        root = rng.choice((55, 57, 58, 60, 62, 63, 64))  # G3..E4
        scale = _MAJOR if rng.random() < 0.65 else _MINOR
        progression = rng.choice(_PROGRESSIONS)

        def degree(d: int, octave: int = 0) -> int:
            return root + scale[d % 7] + 12 * (d // 7 + octave)

        edges = [round(b * self.samples / 4) for b in range(5)]
        mix = array.array("d")
        for b, chord in enumerate(progression):
            triad = (degree(chord), degree(chord + 2), degree(chord + 4))
            mix += _bar(triad, degree(chord, -2), edges[b + 1] - edges[b])
        # Melody: eighth notes walking over chord tones, with a few rests and held notes.
        position = rng.choice((0, 2, 4))
        step = 0
        eighth = beat / 2
        while step < _BEATS * 2:
            chord = progression[step // 8]
            hold = rng.choice((1, 1, 1, 2, 2, 3))
            if rng.random() < 0.12 and step % 8:
                step += hold
                continue
            if step % 4 == 0:  # on strong beats land on a chord tone
                position = chord + rng.choice((0, 2, 4, 7))
            else:
                position += rng.choice((-2, -1, -1, 1, 1, 2))
            position = max(0, min(11, position))
            length = int(min(hold, _BEATS * 2 - step) * eighth + 0.25 * eighth)
            _mix_in(mix, int(step * eighth), _note(degree(position, 1), length, "lead", 0.34))
            step += hold
        peak = max(1e-9, max(mix), -min(mix))
        gain = repeat(0.82 * 32767 / peak)
        pcm = array.array("h")
        for i in range(0, len(mix), 16384):  # in pieces, so other threads get the GIL
            pcm.extend(map(int, map(operator.mul, mix[i : i + 16384], gain)))
        self.pcm = pcm.tobytes()


@functools.lru_cache(maxsize=8)
def _loop(seed: str) -> _Loop:
    return _Loop(seed)


def _encode(pcm: bytes) -> bytes:
    """LAME, fed a second at a time so other threads get the GIL between calls."""
    enc = lameenc.Encoder()
    enc.set_bit_rate(BITRATE_KBPS)
    enc.set_in_sample_rate(SAMPLE_RATE)
    enc.set_channels(1)
    enc.set_quality(7)
    step = 2 * SAMPLE_RATE
    out = bytearray()
    for i in range(0, len(pcm), step):
        out += enc.encode(pcm[i : i + step])
    return bytes(out + enc.flush())


def _frames(mp3: bytes) -> list[bytes] | None:
    """Split a CBR stream into frames; None unless every frame is a plain 432-byte frame."""
    if len(mp3) % FRAME_BYTES:
        return None
    out = [mp3[i : i + FRAME_BYTES] for i in range(0, len(mp3), FRAME_BYTES)]
    return out if all(f[0] == 0xFF and f[1] & 0xE0 == 0xE0 for f in out) else None


def _fade(pcm: bytes, seconds: float) -> bytes:
    samples = array.array("h")
    samples.frombytes(pcm)
    n = min(len(samples), int(seconds * SAMPLE_RATE))
    start = len(samples) - n
    for i in range(n):
        samples[start + i] = int(samples[start + i] * (1.0 - i / n))
    return samples.tobytes()


def _repeated(loop: _Loop, samples: int) -> bytes:
    whole, part = divmod(samples, loop.samples)
    return loop.pcm * whole + loop.pcm[: part * 2]


def target_frames(seconds: float) -> int:
    return max(1, round(seconds * SAMPLE_RATE / FRAME_SAMPLES))


def song_duration(seconds: float) -> float:
    """The length (s) make_song_mp3 gives for ``seconds``, to two decimals."""
    return round(target_frames(seconds) * FRAME_SAMPLES / SAMPLE_RATE, 2)


def _build(seed: str, seconds: float) -> bytes:
    loop = _loop(seed)
    n = loop.frames
    total = target_frames(seconds)
    fade = min(FADE_SECONDS, seconds / 3)
    fade_frames = int(fade * SAMPLE_RATE / FRAME_SAMPLES) + 4
    block = 2 * n  # LAME's frames repeat with a period of two passes, not one
    base = 4 * n
    if total >= base + fade_frames:
        # Encode four passes plus the remainder r, fading out at the end. Then find a frame a
        # whose four predecessors are byte-identical to those one block later: frame a only
        # reads reservoir bytes and overlap from those, so the block of frames [a, a + block)
        # can follow frame a + block - 1 exactly as it follows frame a - 1. Insert `extra`
        # such blocks.
        r = (total - base) % block
        extra = (total - base - r) // block
        frames = _frames(_encode(_fade(_repeated(loop, (base + r) * FRAME_SAMPLES), fade)))
        if frames is not None:
            for a in range(4, len(frames) - fade_frames - block):
                if frames[a - 4 : a] == frames[a + block - 4 : a + block]:
                    head = b"".join(frames[: a + block])
                    tail = b"".join(frames[a + block :])
                    return head + b"".join(frames[a : a + block]) * extra + tail
    return _encode(_fade(_repeated(loop, total * FRAME_SAMPLES), fade))


_cache: dict[tuple[str, float], bytes] = {}
_cache_order: list[tuple[str, float]] = []
_cache_lock = threading.Lock()
_building: dict[tuple[str, float], threading.Lock] = {}
_CACHE_SIZE = 8


def make_song_mp3(seed: str, seconds: float) -> bytes:
    """A decodable MP3 of about ``seconds`` seconds (see song_duration), the same every time
    for the same seed. The most recent few songs are cached."""
    key = (seed, round(float(seconds), 3))
    with _cache_lock:
        building = _building.setdefault(key, threading.Lock())
    with building:  # many downloads of one new take build it once
        with _cache_lock:
            hit = _cache.get(key)
            if hit is not None:
                _cache_order.remove(key)
                _cache_order.append(key)
                _building.pop(key, None)
                return hit
        data = _build(seed, key[1])
        with _cache_lock:
            _cache[key] = data
            _cache_order.append(key)
            while len(_cache_order) > _CACHE_SIZE:
                _cache.pop(_cache_order.pop(0), None)
            _building.pop(key, None)
    return data
