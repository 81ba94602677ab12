"""The library's files against the sandbox: the tag editor writes through the tagging module
(exiftool reads the result), delete goes to the trash with the row, rescan notices files
renamed, deleted or re-tagged outside the app, and import reads an MP3's tags."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from mutagen.id3 import ID3, TXXX
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from sunodesk.store import tags
from sunodesk.ui.library import actions as library_actions
from tests.gui.library_helpers import SONGS, feature, generate, rows, search, settle
from tests.gui.studio_fixture import studio_factory_fixture  # noqa: F401
from tests.unit.mp3_factory import make_mp3, png_bytes

EXIFTOOL = shutil.which("exiftool") or "/usr/bin/exiftool"


def exif(path: str) -> dict:
    out = subprocess.run(
        [EXIFTOOL, "-j", "-b", "-ID3:all", path], capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out)[0]


@pytest.mark.skipif(not Path(EXIFTOOL).exists(), reason="exiftool is not installed")
def test_tag_editor_writes_and_other_readers_agree(studio_factory, qtbot):
    h = studio_factory()
    track = generate(h, SONGS[:1])[0]
    # a frame sunodesk does not own must survive the edit
    id3 = ID3(track.path)
    id3.add(TXXX(encoding=3, desc="REPLAYGAIN_TRACK_GAIN", text=["-6.2 dB"]))
    id3.save()
    f = feature(h)
    dialog = f.actions.edit_tags(track)
    h.run_until(lambda: dialog.loaded, what="tags read into the editor")
    assert dialog.findChild(QLineEdit, "tag_title").text() == "Neon Coastline"
    dialog.findChild(QLineEdit, "tag_title").setText("Neon Coastline (night mix)")
    dialog.findChild(QLineEdit, "tag_artist").setText("The Harbour Lights")
    dialog.findChild(QLineEdit, "tag_album").setText("Coast Tapes")
    dialog.findChild(QLineEdit, "tag_genre").setText("Synthwave")
    dialog.findChild(QPlainTextEdit, "tag_lyrics").setPlainText("[Verse]\nNew words ✨")
    dialog.set_cover(png_bytes(8, 8, (10, 200, 30)))
    dialog._save()
    h.run_until(
        lambda: rows(h) and any(t.title == "Neon Coastline (night mix)" for t in rows(h)),
        what="row updated",
    )
    settle(h)
    back = tags.read_tags(track.path)
    assert (back.title, back.artist, back.album, back.genre) == (
        "Neon Coastline (night mix)",
        "The Harbour Lights",
        "Coast Tapes",
        "Synthwave",
    )
    assert back.lyrics == "[Verse]\nNew words ✨" and back.cover == png_bytes(8, 8, (10, 200, 30))
    assert back.result_id == track.result_id and back.model  # sunodesk frames kept
    assert ID3(track.path).getall("TXXX:REPLAYGAIN_TRACK_GAIN")[0].text == ["-6.2 dB"]
    info = exif(track.path)
    assert info["Title"] == "Neon Coastline (night mix)"
    assert info["Artist"] == "The Harbour Lights" and info["Album"] == "Coast Tapes"
    assert "New words" in info["Lyrics"]
    assert info.get("Picture") and info.get("PictureMIMEType") == "image/png"
    # the database and the search follow the file
    store = h.studio.session.store
    assert store.tracks.get(track.result_id).artist == "The Harbour Lights"
    assert track.result_id in store.tracks.matching_ids("night mix")
    assert track.result_id in store.tracks.matching_ids("new words")
    search(h).setText("new words")  # the in-memory search follows the edit too
    assert [t.result_id for t in rows(h)] == [track.result_id]


def test_delete_moves_file_to_trash_and_removes_row(studio_factory, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    asked = []
    monkeypatch.setattr(
        library_actions, "confirm_trash", lambda parent, tracks: asked.append(len(tracks)) or True
    )
    h = studio_factory()
    tracks = generate(h, SONGS[:1])
    f = feature(h)
    f.play(tracks[0])
    victim = tracks[0]
    f.actions.trash([victim])
    h.run_until(lambda: len(rows(h)) == 1, what="row removed")
    settle(h)
    assert asked == [1]
    assert not Path(victim.path).exists()
    trashed = list((tmp_path / "xdg" / "Trash" / "files").iterdir())
    assert [p.name for p in trashed] == [Path(victim.path).name]
    assert h.studio.session.store.tracks.get(victim.result_id) is None
    assert f.player.track is None  # it was playing: the player let go of it
    # cancelling deletes nothing
    monkeypatch.setattr(library_actions, "confirm_trash", lambda parent, tracks: False)
    f.actions.trash(rows(h))
    settle(h)
    assert len(rows(h)) == 1 and Path(rows(h)[0].path).exists()


def test_rescan_notices_renamed_deleted_and_retagged(studio_factory):
    h = studio_factory()
    tracks = generate(h, SONGS[:2])
    f = feature(h)
    by_id = {t.result_id: t for t in tracks}
    renamed, deleted, retagged = tracks[0], tracks[1], tracks[2]
    new_path = Path(renamed.path).with_name("renamed elsewhere.mp3")
    Path(renamed.path).rename(new_path)
    Path(deleted.path).unlink()
    tags.edit_tags(retagged.path, title="Retitled in another app", artist="Someone")
    report = h.run(f.actions.rescan())
    settle(h)
    assert [t.result_id for t in report.renamed] == [renamed.result_id]
    assert [t.result_id for t in report.missing] == [deleted.result_id]
    assert [t.result_id for t in report.retagged] == [retagged.result_id]
    now = {t.result_id: t for t in rows(h)}
    assert now[renamed.result_id].path == str(new_path)
    assert now[deleted.result_id].file_state == "missing"
    assert now[retagged.result_id].title == "Retitled in another app"
    assert now[retagged.result_id].artist == "Someone"
    assert set(now) == set(by_id)
    # a second rescan finds nothing new
    again = h.run(f.actions.rescan())
    settle(h)
    assert not again.updated


def test_rescan_action_adopts_a_take_a_sync_tool_brought(studio_factory):
    h = studio_factory()
    f = feature(h)
    library = h.studio.session.engine.options.library_dir
    library.mkdir(parents=True, exist_ok=True)
    synced = make_mp3(library / "Tide Pool - take 2.mp3", seconds=2.0)
    tags.write_tags(
        synced,
        tags.TagSet(
            title="Tide Pool", artist="Suno", result_id="from-machine-a-2", task_id="task-a",
            model="suno-v4.5plus-beta", style="dream pop", lyrics="[Verse]\nla la",
            style_weight=0.4,
        ),
    )  # fmt: skip
    (library / ".syncthing.Tide Pool - take 1.mp3.tmp").write_bytes(synced.read_bytes()[:4000])
    before = {p.name: p.read_bytes() for p in library.iterdir()}
    f.actions.rescanAction.trigger()
    h.run_until(lambda: any(t.result_id == "from-machine-a-2" for t in rows(h)), what="adopted")
    settle(h)
    (track,) = rows(h)
    assert track.title == "Tide Pool" and track.path == str(synced) and track.artist == "Suno"
    assert {p.name: p.read_bytes() for p in library.iterdir()} == before  # no copy, no rename
    request = json.loads(h.studio.session.store.tracks.get(track.result_id).request_json)
    assert request["model"] == "suno-v4.5plus-beta" and request["style"] == "dream pop"
    assert request["style_weight"] == 0.4 and request["prompt"] == "[Verse]\nla la"
    assert "1 added" in h.window.statusBar().currentMessage()
    search(h).setText("la la")  # searchable like any take
    assert [t.result_id for t in rows(h)] == ["from-machine-a-2"]


def test_import_reads_tags_and_copies_into_the_library(studio_factory, tmp_path):
    h = studio_factory()
    outside = tmp_path / "Downloads"
    outside.mkdir()
    tagged = make_mp3(outside / "suno-download.mp3", seconds=2.0)
    tags.write_tags(
        tagged,
        tags.TagSet(
            title="Saved From The Web",
            artist="Me",
            lyrics="la la",
            result_id="web-123",
            model="suno-v4.5-beta",
            style="dream pop",
        ),
    )
    bare = make_mp3(outside / "voice memo.mp3", seconds=1.5, freq=300)
    junk = outside / "notes.mp3"
    junk.write_text("not audio")
    f = feature(h)
    report = h.run(f.actions.import_paths([str(tagged), str(bare), str(junk)]))
    settle(h)
    assert {t.title for t in report.added} == {"Saved From The Web", "voice memo"}
    assert [name for name, _ in report.skipped] == ["notes.mp3"]
    listed = {t.title: t for t in rows(h)}
    web = listed["Saved From The Web"]
    assert web.result_id == "web-123" and web.imported and web.artist == "Me"
    assert web.model == "suno-v4.5-beta" and web.style == "dream pop"
    library = h.studio.session.engine.options.library_dir
    assert Path(web.path).parent == library and Path(web.path).exists()
    assert tagged.exists()  # a copy: the original stays where it was
    memo = listed["voice memo"]
    assert memo.result_id.startswith("file-") and len(memo.result_id) == 37
    assert h.studio.session.store.tracks.lyrics("web-123") == "la la"
    assert "web-123" in h.studio.session.store.tracks.matching_ids("la la")
    # importing again adds nothing
    again = h.run(f.actions.import_paths([str(tagged), str(bare)]))
    settle(h)
    assert again.added == [] and len(again.skipped) == 2
    # export copies the selected files out
    out = tmp_path / "Export"
    done = h.run(f.actions.export([web, memo], str(out)))
    settle(h)
    assert sorted(Path(p).name for p in done) == sorted([Path(web.path).name, Path(memo.path).name])


def test_tag_editor_refuses_a_cover_that_is_text_or_too_large(studio_factory, tmp_path):
    h = studio_factory()
    track = generate(h, SONGS[:1])[0]
    dialog = feature(h).actions.edit_tags(track)
    h.run_until(lambda: dialog.loaded, what="tags read into the editor")
    page = tmp_path / "cover.png"
    page.write_text("<!DOCTYPE html><html>not an image</html>")
    huge = tmp_path / "huge.png"
    with open(huge, "wb") as handle:  # sparse: 50 MB that must not be read at all
        handle.write(png_bytes())
        handle.truncate(50 * 2**20)
    for path, words in ((page, "not a PNG"), (huge, "too large")):
        h.run(dialog.load_cover_file(str(path)))
        assert words in dialog.status.text()
        assert "cover" not in dialog.changes()
    dialog.reject()
