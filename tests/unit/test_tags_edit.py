"""Tag edits change only what the person changed: every other frame, the ID3 version, the
audio and any ID3v1/APE tail stay byte for byte; a failed save leaves the file as it was."""

from __future__ import annotations

import math
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from id3_raw import after_tag, frames_except, inject_frame, raw_frames, version
from mp3_factory import JPEG_BYTES, make_mp3, png_bytes
from mutagen.id3 import (
    APIC,
    ID3,
    RVAD,
    TALB,
    TCON,
    TDAT,
    TIME,
    TIT2,
    TPE1,
    TRDA,
    TSIZ,
    TSOA,
    TSOP,
    TSOT,
    TXXX,
    TYER,
    USLT,
)

from sunodesk.store import library_files
from sunodesk.store import tags as tags_module
from sunodesk.store.store import open_store
from sunodesk.store.tags import (
    COVER_MAX_BYTES,
    TagSet,
    TagValueError,
    TagWriteError,
    edit_tags,
    read_tags,
    write_tags,
)

CORPUS = Path(__file__).parent.parent / "data" / "tags_corpus"


@pytest.fixture
def mp3(tmp_path):
    return make_mp3(tmp_path / "song.mp3", seconds=1.0)


def _no_temps(folder: Path) -> bool:
    return not [p for p in folder.iterdir() if p.name.startswith(".sunodesk-")]


def test_title_edit_keeps_v23_frames_byte_for_byte(mp3):
    id3 = ID3()
    for frame in (
        TIT2(encoding=1, text=["Old"]),
        TPE1(encoding=0, text=["Band"]),
        TSOP(encoding=0, text=["Band, The"]),
        TSOA(encoding=0, text=["Album, An"]),
        TSOT(encoding=0, text=["Old, The"]),
        TYER(encoding=0, text=["1999"]),
        TDAT(encoding=0, text=["2512"]),
        TIME(encoding=0, text=["1230"]),
        TRDA(encoding=0, text=["Dec 25th 1999"]),
        TSIZ(encoding=0, text=["123456"]),
        RVAD(data=b"\x03\x10\x01\x00\x01\x00"),
    ):
        id3.add(frame)
    id3.save(str(mp3), v2_version=3)  # as written by an older tagger, without update_to_v23
    before, audio = frames_except(mp3, "TIT2"), after_tag(mp3)

    back = edit_tags(mp3, title="New")

    assert back.title == "New" and back.artist == "Band"
    assert version(mp3) == 3
    assert frames_except(mp3, "TIT2") == before  # TSOP TSOA TSOT RVAD TSIZ TRDA TIME …
    assert after_tag(mp3) == audio


def _rich_v24(path: Path) -> None:
    id3 = ID3()
    id3.add(TIT2(encoding=3, text=["Title"]))
    id3.add(TPE1(encoding=3, text=["Ann", "Bob"]))
    id3.add(TCON(encoding=3, text=["Rock", "Pop"]))
    id3.add(TALB(encoding=3, text=["Album"]))
    id3.add(APIC(encoding=3, mime="image/png", type=3, desc="front scan", data=png_bytes()))
    id3.add(APIC(encoding=3, mime="image/jpeg", type=4, desc="back", data=JPEG_BYTES))
    id3.add(APIC(encoding=3, mime="image/png", type=8, desc="artist", data=png_bytes(2, 2)))
    id3.add(USLT(encoding=3, lang="deu", desc="", text="deutsche Worte"))
    id3.add(TXXX(encoding=3, desc="suno_style", text=["lower case, not ours"]))
    id3.add(TXXX(encoding=3, desc="Suno_Model", text=["mixed case, not ours"]))
    id3.save(str(path), v2_version=4)


@pytest.mark.parametrize("field", ["title", "album", "genre", "artist", "lyrics", "cover"])
def test_any_edit_keeps_pictures_multi_values_foreign_lyrics_and_txxx(mp3, field):
    _rich_v24(mp3)
    owned = {"title": ("TIT2",), "album": ("TALB",), "genre": ("TCON",), "artist": ("TPE1",)}
    value: object = {"lyrics": "new words", "cover": JPEG_BYTES}.get(field, "Changed")
    before = raw_frames(mp3)
    audio = after_tag(mp3)

    back = edit_tags(mp3, **{field: value})

    assert getattr(back, field) == value
    after = raw_frames(mp3)
    if field in owned:
        assert frames_except(mp3, *owned[field]) == frames_except_list(before, *owned[field])
    else:
        kept = [f for f in before if f[0] not in ("USLT", "APIC")]
        assert [f for f in after if f[0] not in ("USLT", "APIC")] == kept
    apics = [f for f in after if f[0] == "APIC"]
    assert len(apics) == 3
    for frame in before:
        if frame[0] == "APIC" and (field != "cover" or b"front scan" not in frame[1]):
            assert frame in apics  # extra pictures, byte for byte
    if field == "cover":
        assert tags_module.read_cover(mp3) == JPEG_BYTES
        assert ID3(str(mp3)).getall("APIC")[0].desc == "front scan"  # the description stays
    uslt = ID3(str(mp3)).getall("USLT")
    assert len(uslt) == 1  # no copy of the German lyrics as a new `eng` frame
    if field != "lyrics":
        assert [f for f in after if f[0] == "USLT"] == [f for f in before if f[0] == "USLT"]
    if field != "artist":
        assert ID3(str(mp3))["TPE1"].text == ["Ann", "Bob"]
    if field != "genre":
        assert ID3(str(mp3))["TCON"].text == ["Rock", "Pop"]
    assert ID3(str(mp3))["TXXX:suno_style"].text == ["lower case, not ours"]
    assert ID3(str(mp3))["TXXX:Suno_Model"].text == ["mixed case, not ours"]
    assert after_tag(mp3) == audio


def frames_except_list(frames, *frame_ids):
    from collections import Counter

    return Counter(f for f in frames if f[0] not in frame_ids)


@pytest.mark.parametrize(
    "frame",
    [
        USLT(encoding=3, lang="deu", desc="", text="nur Deutsch"),
        USLT(encoding=3, lang="eng", desc="verse 1", text="with a description"),
    ],
    ids=["other-language", "with-description"],
)
def test_clearing_lyrics_when_the_only_uslt_is_not_eng(mp3, frame):
    write_tags(mp3, TagSet(title="Song", lyrics=""))
    id3 = ID3(str(mp3))
    id3.add(frame)
    id3.save()
    assert read_tags(mp3).lyrics == frame.text

    back = edit_tags(mp3, lyrics="")

    assert back.lyrics == "" and read_tags(mp3).lyrics == ""
    assert back.title == "Song"


def test_an_instrumental_take_carrying_foreign_lyrics_can_be_filed(mp3):
    id3 = ID3()
    id3.add(USLT(encoding=3, lang="deu", desc="", text="nur Deutsch"))
    id3.save(str(mp3))
    foreign = [f for f in raw_frames(mp3) if f[0] == "USLT"]

    back = write_tags(mp3, TagSet(title="Instrumental", result_id="r1", lyrics=""))

    assert back.title == "Instrumental" and back.result_id == "r1"
    assert [f for f in raw_frames(mp3) if f[0] == "USLT"] == foreign  # not ours: kept


@pytest.mark.parametrize("text", ["nan", "inf", "-inf", "7.5", "-0.2", "lots"])
def test_a_broken_weight_reads_as_not_set_and_the_file_can_still_be_edited(mp3, text):
    write_tags(mp3, TagSet(title="Song", style="pop", model="suno-v5-beta", lyrics="la"))
    id3 = ID3(str(mp3))
    id3.add(TXXX(encoding=3, desc="SUNO_STYLE_WEIGHT", text=[text]))
    id3.save()
    weight = [f for f in raw_frames(mp3) if b"SUNO_STYLE_WEIGHT" in f[1]]

    assert read_tags(mp3).style_weight is None
    back = edit_tags(mp3, title="Renamed")

    assert back.title == "Renamed" and back.style_weight is None
    assert [f for f in raw_frames(mp3) if b"SUNO_STYLE_WEIGHT" in f[1]] == weight


def test_import_does_not_store_a_nan_weight(tmp_path):
    outside = tmp_path / "in"
    outside.mkdir()
    song = make_mp3(outside / "song.mp3", seconds=1.0)
    write_tags(song, TagSet(title="Song", style="pop", model="suno-v5-beta", lyrics="la"))
    id3 = ID3(str(song))
    id3.add(TXXX(encoding=3, desc="SUNO_STYLE_WEIGHT", text=["nan"]))
    id3.add(TXXX(encoding=3, desc="SUNO_WEIRDNESS", text=["0.4"]))
    id3.save()
    with open_store(tmp_path / "data") as store:
        report = library_files.import_files(store.tracks, [song], tmp_path / "lib")
        request = store.tracks.get(report.added[0].result_id).song_request
    assert request is not None
    assert request.style_weight is None and request.weirdness == 0.4


def test_write_tags_refuses_a_weight_that_is_not_a_number(mp3):
    before = mp3.read_bytes()
    for bad in (math.nan, math.inf):
        with pytest.raises(TagValueError, match="weight"):
            write_tags(mp3, TagSet(title="x", style_weight=bad))
    assert mp3.read_bytes() == before


@pytest.mark.parametrize("how", ["edit", "write"])
def test_a_failed_save_leaves_the_file_byte_identical(mp3, monkeypatch, how):
    _rich_v24(mp3)
    before = mp3.read_bytes()
    real = tags_module.read_tags

    def wrong(path):
        back = real(path)
        return back if Path(path) == mp3 else replace(back, title="something else")

    monkeypatch.setattr(tags_module, "read_tags", wrong)
    with pytest.raises(TagWriteError, match="title"):
        if how == "edit":
            edit_tags(mp3, title="New")
        else:
            write_tags(mp3, TagSet(title="New"))
    assert mp3.read_bytes() == before
    assert _no_temps(mp3.parent)


def test_a_save_keeps_the_file_mode_and_writes_through_a_symlink(mp3, tmp_path):
    mp3.chmod(0o640)
    link = tmp_path / "link.mp3"
    link.symlink_to(mp3)
    edit_tags(link, title="Through the link")
    assert link.is_symlink() and read_tags(mp3).title == "Through the link"
    assert mp3.stat().st_mode & 0o777 == 0o640


def test_mutagen_errors_become_sentences_with_a_reason(tmp_path):
    with pytest.raises(TagWriteError, match=r"missing\.mp3.*\w+\.?$") as err:
        write_tags(tmp_path / "missing.mp3", TagSet(title="x"))
    assert not str(err.value).rstrip().endswith(":")
    broken = tmp_path / "broken.mp3"
    shutil.copy(CORPUS / "pytaglib-compressed_id3_frame.mp3", broken)
    before = broken.read_bytes()
    for call in (
        lambda: read_tags(broken),
        lambda: edit_tags(broken, title="x"),
        lambda: write_tags(broken, TagSet(title="x")),
    ):
        with pytest.raises(TagWriteError) as err:
            call()
        message = str(err.value)
        assert "broken.mp3" in message and not message.rstrip().endswith(":"), message
        assert len(message.split(":", 1)[-1].strip()) > 3, message
    assert broken.read_bytes() == before
    bogus = tmp_path / "bogus.mp3"
    bogus.write_bytes(b"ID3\x05\x00\x00\x00\x00\x00\x10" + b"\x00" * 64)  # ID3v2.5
    with pytest.raises(TagWriteError):
        write_tags(bogus, TagSet(title="x"))


def test_unknown_fields_and_wrong_types_are_refused_in_a_sentence(mp3):
    with pytest.raises(TagValueError, match="colour"):
        edit_tags(mp3, colour="red")
    with pytest.raises(TagValueError, match="title"):
        edit_tags(mp3, title=5)


def test_rescan_keeps_the_file_name_title_of_an_untitled_import(tmp_path):
    outside = tmp_path / "in"
    outside.mkdir()
    make_mp3(outside / "voice memo.mp3", seconds=1.0)
    with open_store(tmp_path / "data") as store:
        report = library_files.import_files(
            store.tracks, [outside / "voice memo.mp3"], tmp_path / "lib"
        )
        assert report.added[0].title == "voice memo"
        rescan = library_files.rescan(store.tracks, tmp_path / "lib")
        assert not rescan.retagged
        assert store.tracks.get(report.added[0].result_id).title == "voice memo"


@pytest.mark.parametrize(
    "cover",
    [
        b"just some text, not a picture",
        b"<!DOCTYPE html><html><body>404</body></html>",
        b"\x89PNG\r\n\x1a\n" + b"\0" * (COVER_MAX_BYTES),
    ],
    ids=["text", "html", "too-large"],
)
def test_a_cover_must_be_a_small_image(mp3, cover):
    write_tags(mp3, TagSet(title="Song", cover=png_bytes()))
    before = mp3.read_bytes()
    with pytest.raises(TagValueError, match=r"cover|image"):
        edit_tags(mp3, cover=cover)
    with pytest.raises(TagValueError, match=r"cover|image"):
        write_tags(mp3, TagSet(title="Song", cover=cover))
    assert mp3.read_bytes() == before


def test_fresh_take_frames_are_still_the_design_ones(mp3):
    full = TagSet(
        title="T", artist="A", album="B", genre="pop", date="2025-01-02", lyrics="la",
        cover=png_bytes(), task_id="t1", result_id="r1", model="suno-v5-beta", style="pop",
        style_weight=0.5, prompt="",
    )  # fmt: skip
    for v in (4, 3):
        back = write_tags(mp3, full, id3_version=v)
        assert back == replace(full, cover_mime="image/png")
        ids = {f[0] for f in raw_frames(mp3)}
        date = {"TDRC"} if v == 4 else {"TYER", "TDAT"}
        assert ids == {"TIT2", "TPE1", "TALB", "TCON", "USLT", "APIC", "TXXX"} | date
        assert version(mp3) == v
        raw = ID3(str(mp3))
        assert raw["USLT::eng"].text == "la" and raw.getall("APIC")[0].type == 3


@pytest.mark.parametrize("v", [3, 4])
def test_unknown_frames_and_frame_flags_survive_an_edit(mp3, v):
    write_tags(mp3, TagSet(title="Old", artist="Someone"), id3_version=v)
    unknown = inject_frame(mp3, "XQZY", b"\x00opaque bytes \xff\x00\x01")
    flagged = inject_frame(mp3, "TPE2", b"\x00Band", flags=0x4000 if v == 3 else 0x2000)
    assert "XQZY" in {f[0] for f in raw_frames(mp3)}
    audio = after_tag(mp3)

    edit_tags(mp3, title="New")

    data = mp3.read_bytes()
    assert unknown in data and flagged in data  # header, flags and payload, byte for byte
    assert version(mp3) == v and after_tag(mp3) == audio
    assert read_tags(mp3).title == "New" and read_tags(mp3).artist == "Someone"


@pytest.mark.parametrize(("start", "target"), [(3, 4), (4, 3)])
def test_a_version_change_converts_and_keeps_foreign_frames_and_the_id3v1_tail(mp3, start, target):
    id3 = ID3()
    id3.add(TIT2(encoding=1, text=["Old"]))
    id3.add(TXXX(encoding=1, desc="MY_APP", text=["keep me"]))
    id3.add(USLT(encoding=1, lang="deu", desc="", text="Worte"))
    id3.save(str(mp3), v2_version=start, v1=2)  # with an ID3v1 tail
    tail = mp3.read_bytes()[-128:]
    assert tail[:3] == b"TAG"

    back = write_tags(mp3, TagSet(title="Fresh", result_id="r1"), id3_version=target)

    assert version(mp3) == target and back.title == "Fresh" and back.result_id == "r1"
    raw = ID3(str(mp3))
    assert raw["TXXX:MY_APP"].text == ["keep me"] and raw["USLT::deu"].text == "Worte"
    assert mp3.read_bytes()[-128:] == tail
    edit_tags(mp3, id3_version=start)
    assert version(mp3) == start and read_tags(mp3) == back
