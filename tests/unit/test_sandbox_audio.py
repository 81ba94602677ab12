"""The sandbox's media and fault switches without a server: real MP3s (checked with mutagen
and, when present, ffprobe), valid PNGs, and the times semantics of faults."""

from __future__ import annotations

import io
import shutil
import subprocess
import time
import zlib

import pytest
from mutagen.mp3 import MP3

from sunodesk.sandbox import audio, cover
from sunodesk.sandbox.faults import Faults


@pytest.mark.parametrize("seconds", [3, 6, 31.5, 150, 400])
def test_song_has_the_asked_length(seconds):
    data = audio.make_song_mp3(f"length-{seconds}", seconds)
    info = MP3(io.BytesIO(data)).info
    assert info.length == pytest.approx(seconds, abs=0.1)
    assert info.length == pytest.approx(audio.song_duration(seconds), abs=0.06)
    assert info.sample_rate == audio.SAMPLE_RATE and info.channels == 1
    assert info.bitrate == audio.BITRATE_KBPS * 1000
    assert data[:2] == b"\xff\xfb"  # starts with an audio frame, no tag or info frame


def test_songs_are_deterministic_and_seeds_differ():
    first = audio.make_song_mp3("same-seed", 20)
    audio._cache.clear()
    audio._cache_order.clear()
    assert audio.make_song_mp3("same-seed", 20) == first
    assert audio.make_song_mp3("other-seed", 20) != first


def test_song_starts_with_sound_and_is_not_silent():
    data = audio.make_song_mp3("loud", 6)
    # Frames after the first few carry real spectral data, not the near-empty frames of silence.
    frames = [data[i : i + audio.FRAME_BYTES] for i in range(0, len(data), audio.FRAME_BYTES)]
    assert len(frames) > 100
    assert len(set(frames[2:20])) == 18


def test_a_realistic_take_is_cheap():
    start = time.perf_counter()
    audio.make_song_mp3("cheap-take", 150)
    assert time.perf_counter() - start < 2.0  # typically 0.15-0.3 s; generous for slow CI


@pytest.mark.skipif(shutil.which("ffprobe") is None, reason="ffprobe not installed")
def test_ffprobe_and_ffmpeg_decode_a_long_take_cleanly(tmp_path):
    path = tmp_path / "take.mp3"
    path.write_bytes(audio.make_song_mp3("ffprobe", 150))
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "stream=codec_name,sample_rate:format=duration",
         "-of", "default=nw=1", str(path)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "codec_name=mp3" in probe.stdout
    duration = float(probe.stdout.split("duration=")[1].split()[0])
    assert duration == pytest.approx(150, abs=0.2)
    if shutil.which("ffmpeg"):
        decode = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-f", "null", "-"],
                                capture_output=True, text=True)  # fmt: skip
        assert decode.returncode == 0 and decode.stderr == ""  # the joins decode cleanly


def test_cover_is_a_valid_png():
    data = cover.make_cover_png("cover-seed")
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert data[12:16] == b"IHDR" and int.from_bytes(data[16:20], "big") == 512
    idat_at = data.index(b"IDAT")
    length = int.from_bytes(data[idat_at - 4 : idat_at], "big")
    raw = zlib.decompress(data[idat_at + 4 : idat_at + 4 + length])
    assert len(raw) == 512 * (1 + 512 * 3)
    assert data.endswith(b"IEND\xaeB`\x82")
    assert cover.make_cover_png("another") != data


def test_fault_times_and_reset():
    faults = Faults()
    faults.set("submit_status", 429, times=2)
    assert [faults.take("submit_status") for _ in range(3)] == [429, 429, None]
    faults.set("latency", 0.5)
    assert faults.take("latency") == 0.5 and faults.take("latency") == 0.5
    faults.update({"drop_connection": True, "malformed_json": "poll", "times": 1})
    assert faults.take("drop_connection") is True and faults.take("drop_connection") is False
    assert faults.peek("malformed_json") == "poll"
    faults.reset()
    assert faults.peek("latency") == 0.0 and faults.peek("result_shape") == "list"


@pytest.mark.parametrize(
    ("name", "value"),
    [("nope", 1), ("submit_status", 418), ("result_shape", "dict"), ("expire_media", 500),
     ("malformed_json", "media"), ("latency", -1), ("fail_tasks", 3)],
)  # fmt: skip
def test_bad_fault_values_are_refused(name, value):
    with pytest.raises(ValueError):
        Faults().set(name, value)
