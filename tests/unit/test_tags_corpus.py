"""Real files tagged by other programs (tests/data/tags_corpus, see its README): editing one
field changes only that field's frames; every other frame, the ID3 version, the audio and
the ID3v1/APE/Lyrics3 tails stay byte for byte."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from id3_raw import after_tag, frames_except, raw_frames, version
from mp3_factory import JPEG_BYTES

from sunodesk.store.tags import edit_tags, read_tags

CORPUS = Path(__file__).parent.parent / "data" / "tags_corpus"
# mutagen cannot parse the compressed frame (the "cannot be read" case) and cannot write
# ID3v2.2 (converted to v2.4 on a save): both have tests of their own
FILES = sorted(
    p.name for p in CORPUS.glob("*.mp3") if "compressed" not in p.name and "v22" not in p.name
)
# the frames an edit of each field may rewrite
FIELDS: dict[str, tuple[object, tuple[str, ...]]] = {
    "title": ("Ein neuer Titel — 新しい", ("TIT2",)),
    "artist": ("Somebody Else", ("TPE1",)),
    "album": ("Another Album", ("TALB",)),
    "genre": ("Krautrock", ("TCON",)),
    "lyrics": ("[Verse]\nnew words", ("USLT",)),
    "cover": (JPEG_BYTES, ("APIC",)),
}


def test_the_corpus_is_small_and_licensed():
    assert len(FILES) >= 5
    assert sum(p.stat().st_size for p in CORPUS.iterdir()) < 300 * 1024
    readme = (CORPUS / "README.md").read_text()
    for name in FILES:
        assert name in readme
    assert (CORPUS / "COPYING.mutagen").is_file() and (CORPUS / "LICENSE.pytaglib").is_file()


@pytest.mark.parametrize("field", list(FIELDS))
@pytest.mark.parametrize("name", FILES)
def test_editing_one_field_keeps_everything_else(tmp_path, name, field):
    path = tmp_path / name
    shutil.copy(CORPUS / name, path)
    value, owned = FIELDS[field]
    before_tags = read_tags(path)
    before_frames = frames_except(path, *owned)
    before_version, tail = version(path), after_tag(path)

    back = edit_tags(path, **{field: value})

    assert getattr(back, field) == value
    assert read_tags(path) == back
    others = {f: getattr(before_tags, f) for f in FIELDS if f != field}
    assert {f: getattr(back, f) for f in others} == others
    assert frames_except(path, *owned) == before_frames
    assert version(path) == before_version
    assert after_tag(path) == tail
    assert [f for f in raw_frames(path) if f[0] in owned]  # the edit is there


@pytest.mark.parametrize("name", FILES)
def test_an_edit_and_its_undo_leave_the_other_frames_alone(tmp_path, name):
    path = tmp_path / name
    shutil.copy(CORPUS / name, path)
    original = read_tags(path)
    edit_tags(path, title="temporary")
    edit_tags(path, title=original.title or "")
    assert read_tags(path) == original
    assert frames_except(path, "TIT2") == frames_except(CORPUS / name, "TIT2")


def test_an_id3v22_file_is_converted_to_v24_on_an_edit(tmp_path):
    """mutagen cannot write ID3v2.2 (iTunes wrote it for years): the edit converts the tag,
    keeps what it said, and leaves the audio alone."""
    path = tmp_path / "v22.mp3"
    shutil.copy(CORPUS / "id3v22-test.mp3", path)
    data = path.read_bytes()
    assert data[3] == 2
    before, audio = read_tags(path), after_tag(path)

    back = edit_tags(path, title="Converted")

    assert version(path) == 4 and back.title == "Converted"
    assert {f: getattr(back, f) for f in FIELDS if f != "title"} == {
        f: getattr(before, f) for f in FIELDS if f != "title"
    }
    assert back.date == before.date == "2004"
    assert after_tag(path) == audio
    assert {"COMM", "TENC", "TRCK"} <= {f[0] for f in raw_frames(path)}
