"""Tags on real MP3 files: round trips in v2.3 and v2.4, foreign frames, a second reader,
and the MP3 sanity probe against truncated and fake downloads."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import replace

import pytest
from mp3_factory import JPEG_BYTES, make_mp3, png_bytes, sine_mp3_bytes
from mutagen.id3 import COMM, ID3, TXXX, USLT

from sunodesk.store import mp3_probe
from sunodesk.store import tags as tags_module
from sunodesk.store.mp3_probe import NotPlayable
from sunodesk.store.tags import (
    TagSet,
    TagWriteError,
    image_mime,
    probe_mp3,
    read_tags,
    write_tags,
)

FULL = TagSet(
    title="Ночной город — Midnight",
    artist="Velvet Voice",
    album="Draft №1",
    genre="synthwave",
    date="2025-11-21",
    lyrics="[Verse]\nneon lights\n東京の夜\n\n[Chorus]\nla la 🎵",
    cover=png_bytes(),
    task_id="task-unified-1757165031-abc",
    result_id="res-1",
    model="suno-v5-beta",
    style="synthwave, 80s, female vocals",
    negative_tags="metal",
    style_weight=0.7,
    weirdness=0.1,
    audio_weight=1.0,
    persona_id="p_123",
    prompt="",
)


@pytest.fixture
def mp3(tmp_path):
    return make_mp3(tmp_path / "song.mp3", seconds=2.0)


@pytest.mark.parametrize("version", [4, 3])
def test_round_trip(mp3, version):
    back = write_tags(mp3, FULL, id3_version=version)
    assert ID3(str(mp3)).version == (2, version, 0)
    again = read_tags(mp3)
    assert again == back
    assert again.title == FULL.title and again.artist == FULL.artist
    assert again.lyrics == FULL.lyrics and again.cover == FULL.cover
    assert again.cover_mime == "image/png"
    assert again.style_weight == 0.7 and again.weirdness == 0.1 and again.audio_weight == 1.0
    assert again.date == "2025-11-21" and again.genre == "synthwave"
    assert again.prompt == ""  # empty fields are omitted
    raw = ID3(str(mp3), translate=False)
    assert "TXXX:SUNO_PROMPT" not in raw
    assert raw["USLT::eng"].desc == "" and raw["USLT::eng"].lang == "eng"
    assert raw.getall("APIC")[0].type == 3
    if version == 3:
        assert "TYER" in raw and "TDRC" not in raw
    # the audio is untouched and still plays
    assert probe_mp3(mp3).duration == pytest.approx(2.0, abs=0.1)


def test_jpeg_cover_mime(mp3):
    back = write_tags(mp3, TagSet(title="x", cover=JPEG_BYTES))
    assert back.cover_mime == "image/jpeg"
    assert image_mime(png_bytes()) == "image/png"
    assert image_mime(b"GIF89a....") == "image/gif"


def test_retag_keeps_foreign_frames_and_replaces_ours(mp3):
    id3 = ID3()
    id3.add(TXXX(encoding=3, desc="OTHER", text=["keep me"]))
    id3.add(COMM(encoding=3, lang="eng", desc="", text=["a comment"]))
    id3.add(USLT(encoding=3, lang="deu", desc="", text="deutsche Worte"))
    id3.add(TXXX(encoding=3, desc="SUNO_TASK_ID", text=["stale"]))
    id3.save(str(mp3))

    write_tags(mp3, FULL)
    write_tags(mp3, replace(FULL, title="New title", persona_id="", lyrics="new words"))
    raw = ID3(str(mp3))
    assert raw["TXXX:OTHER"].text == ["keep me"]
    assert raw["COMM::eng"].text == ["a comment"]
    assert raw["USLT::deu"].text == "deutsche Worte"
    assert raw["USLT::eng"].text == "new words"
    assert raw["TIT2"].text == ["New title"]
    assert "TXXX:SUNO_PERSONA_ID" not in raw  # ours, and now empty
    assert raw["TXXX:SUNO_TASK_ID"].text == [FULL.task_id]
    assert len(raw.getall("APIC")) == 1 and len(raw.getall("TIT2")) == 1


def test_readback_mismatch_raises(mp3, monkeypatch):
    real = tags_module.read_tags
    monkeypatch.setattr(
        tags_module, "read_tags", lambda p: replace(real(p), title="something else")
    )
    with pytest.raises(TagWriteError, match="title"):
        write_tags(mp3, FULL)


def test_bad_inputs(mp3):
    with pytest.raises(ValueError):
        write_tags(mp3, FULL, id3_version=2)
    with pytest.raises(ValueError):
        write_tags(mp3, TagSet(date="yesterday"))


def test_read_untagged(mp3):
    assert read_tags(mp3) == TagSet()


@pytest.mark.skipif(shutil.which("exiftool") is None, reason="exiftool not installed")
@pytest.mark.parametrize("version", [4, 3])
def test_exiftool_sees_the_tags(mp3, version):
    tags = FULL
    if version == 3:
        # ID3v2.3 is UCS-2: exiftool shows emoji (UTF-16 surrogate pairs) as broken bytes
        tags = replace(FULL, lyrics=FULL.lyrics.replace(" 🎵", ""))
    write_tags(mp3, tags, id3_version=version)
    out = subprocess.run(
        ["exiftool", "-a", "-j", "-G1", "-b", str(mp3)], capture_output=True, text=True,
        check=True, timeout=60,
    )  # fmt: skip
    data = json.loads(out.stdout)[0]
    group = f"ID3v2_{version}"
    assert data[f"{group}:Title"] == FULL.title
    assert data[f"{group}:Artist"] == FULL.artist
    assert data[f"{group}:Lyrics"] == tags.lyrics
    assert data[f"{group}:PictureMIMEType"] == "image/png"
    assert data[f"{group}:PictureType"] in ("Front Cover", 3)
    assert data[f"{group}:Picture"].startswith("base64:")
    assert "Warning" not in " ".join(data)
    # JSON holds one value per tag name, so the many TXXX frames are checked in text form
    listing = subprocess.run(
        ["exiftool", "-a", "-G1", "-s", str(mp3)], capture_output=True, text=True,
        check=True, timeout=60,
    ).stdout  # fmt: skip
    assert f"(SUNO_TASK_ID) {FULL.task_id}" in listing
    assert f"(SUNO_RESULT_ID) {FULL.result_id}" in listing


def test_probe_good_file(tmp_path):
    info = probe_mp3(make_mp3(tmp_path / "a.mp3", seconds=3.0))
    assert info.duration == pytest.approx(3.0, abs=0.1)
    assert info.bitrate == 128000 and info.sample_rate == 44100
    stereo = probe_mp3(
        make_mp3(tmp_path / "b.mp3", seconds=1.5, channels=2, bitrate=192, sample_rate=48000)
    )
    assert stereo.sample_rate == 48000 and stereo.bitrate == 192000


def test_probe_tagged_file(mp3):
    write_tags(mp3, FULL)
    assert probe_mp3(mp3).duration == pytest.approx(2.0, abs=0.1)


def _frame_starts(data: bytes) -> list[int]:
    starts, pos = [], 0
    while pos < len(data) and (info := mp3_probe.frame_info(data[pos : pos + 4])):
        starts.append(pos)
        pos += info[0]
    return starts


@pytest.mark.parametrize("fraction", [0.5, 0.37, 0.9])
def test_probe_rejects_truncated_given_the_api_duration(tmp_path, fraction):
    data = sine_mp3_bytes(3.0)
    cut = tmp_path / "cut.mp3"
    cut.write_bytes(data[: int(len(data) * fraction)])
    with pytest.raises(NotPlayable, match="incomplete"):
        probe_mp3(cut, expected_duration=3.0)


def test_probe_rejects_cut_mid_frame_without_hints(tmp_path):
    data = sine_mp3_bytes(3.0)
    starts = _frame_starts(data)
    assert len(starts) > 100
    half = starts[len(starts) // 2]
    cut = tmp_path / "cut.mp3"
    cut.write_bytes(data[: half + 100])  # in the middle of a frame
    with pytest.raises(NotPlayable, match="mid-frame"):
        probe_mp3(cut)


def test_probe_accepts_the_api_duration_when_whole(tmp_path):
    mp3 = make_mp3(tmp_path / "a.mp3", seconds=3.0)
    assert probe_mp3(mp3, expected_duration=3.2).duration == pytest.approx(3.0, abs=0.1)


def test_probe_rejects_truncated_tagged_file(mp3):
    write_tags(mp3, FULL)
    data = mp3.read_bytes()
    mp3.write_bytes(data[: len(data) // 2])
    with pytest.raises(NotPlayable, match="incomplete"):
        probe_mp3(mp3, expected_duration=2.0)


def test_probe_rejects_html_error_page(tmp_path):
    page = tmp_path / "song.mp3"
    page.write_text("<!DOCTYPE html>\n<html><body><h1>403 Forbidden</h1>" + "x" * 5000)
    with pytest.raises(NotPlayable, match="web page"):
        probe_mp3(page)
    js = tmp_path / "err.mp3"
    js.write_text('{"error": {"code": "expired"}}')
    with pytest.raises(NotPlayable):
        probe_mp3(js)


def test_probe_rejects_empty_noise_and_tiny(tmp_path):
    empty = tmp_path / "e.mp3"
    empty.write_bytes(b"")
    with pytest.raises(NotPlayable, match="empty"):
        probe_mp3(empty)
    noise = tmp_path / "n.mp3"
    noise.write_bytes(bytes(range(256)) * 200)
    with pytest.raises(NotPlayable):
        probe_mp3(noise)
    tiny = tmp_path / "t.mp3"
    tiny.write_bytes(sine_mp3_bytes(0.1))
    with pytest.raises(NotPlayable, match="short"):
        probe_mp3(tiny)
    with pytest.raises(NotPlayable):
        probe_mp3(tmp_path / "missing.mp3")


def test_probe_rejects_xing_count_mismatch(tmp_path):
    data = bytearray(sine_mp3_bytes(2.0))
    # turn the first frame into an Info frame promising far more frames than exist
    frame_start = 0
    marker_at = frame_start + 4 + 17  # MPEG1 mono side info is 17 bytes
    data[marker_at : marker_at + 12] = b"Info" + (1).to_bytes(4, "big") + (5000).to_bytes(4, "big")
    path = tmp_path / "x.mp3"
    path.write_bytes(bytes(data))
    with pytest.raises(NotPlayable, match="of 5000"):
        probe_mp3(path)
