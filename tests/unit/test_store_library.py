"""The library's store side: the request a take came from (with the fallback to its job for
rows filed before schema 3), favourites and ratings, tag edits that keep foreign frames and
the file's ID3 version, and the stable id of an imported file."""

from __future__ import annotations

from mutagen.id3 import ID3, TXXX

from sunodesk.core.models import SongRequest, Take
from sunodesk.store import mp3_probe, tags
from sunodesk.store.store import open_store
from tests.unit.mp3_factory import make_mp3


def test_request_json_is_filed_and_old_rows_fall_back_to_the_job(tmp_path):
    with open_store(tmp_path) as store:
        request = SongRequest(title="Song", style="pop", prompt="[Verse]\nla")
        job = store.jobs.create_job("song", request.to_json())
        take = Take(result_id="r1", audio_url="https://cdn/r1.mp3", title="Song")
        store.tracks.add_pending(
            job.id, "t1", take, "suno-v5-beta", "pop", None, "la", request.to_json()
        )
        store.tracks.add_pending(job.id, "t1", Take(result_id="r2", audio_url="u"))  # old
        assert store.tracks.get("r1").song_request == request
        assert store.tracks.get("r2").song_request == request  # from the job
        assert store.tracks.recent()[0].request_json is None  # lists stay light
        assert store.tracks.set_favourite("r1", True).favourite
        assert store.tracks.set_rating("r1", 9).rating == 5
        assert (
            store.tracks.update_tags(
                "r1", title="New", artist="A", album="B", lyrics="words here"
            ).title
            == "New"
        )
        assert store.tracks.matching_ids("words") == {"r1"}
        assert store.tracks.delete("r1") and store.tracks.get("r1") is None
        assert store.tracks.matching_ids("words") == set()


def test_edit_tags_keeps_foreign_frames_and_the_id3_version(tmp_path):
    path = make_mp3(tmp_path / "a.mp3", seconds=1.0)
    tags.write_tags(path, tags.TagSet(title="Old", result_id="r9", lyrics="x"), id3_version=3)
    id3 = ID3(path)
    id3.add(TXXX(encoding=1, desc="MY_APP", text=["keep me"]))
    id3.save(v2_version=3)
    back = tags.edit_tags(path, title="New", artist="Me", cover=None)
    assert (back.title, back.artist, back.result_id, back.lyrics) == ("New", "Me", "r9", "x")
    assert ID3(path).version[1] == 3
    assert ID3(path).getall("TXXX:MY_APP")[0].text == ["keep me"]
    assert tags.read_cover(path) is None and tags.id3_version_of(path) == 3


def test_audio_fingerprint_ignores_tags(tmp_path):
    path = make_mp3(tmp_path / "a.mp3", seconds=1.0)
    before = mp3_probe.audio_fingerprint(path)
    tags.write_tags(path, tags.TagSet(title="Tagged later"))
    assert mp3_probe.audio_fingerprint(path) == before
    audio = tags.read_audio_file(path)
    assert audio.tags.title == "Tagged later" and 0.9 < audio.duration < 1.2


def test_in_memory_search_agrees_with_the_store(tmp_path):
    from sunodesk.ui.library.search import SearchIndex

    with open_store(tmp_path) as store:
        job = store.jobs.create_job("song", "{}").id
        texts = [
            ("Neon Coast", "synthwave", "rain on the window"),
            ("Ünïcødé Straße", "dream pop", "STRASSE at night"),
            ("Low Tide", "lo-fi", "salt and rain"),
            ("ab", "x", ""),
        ]
        for n, (title, style, lyrics) in enumerate(texts):
            rid = f"r{n}"
            store.tracks.add_pending(
                job, "t", Take(result_id=rid, audio_url="u", title=title), "m", style, None, lyrics
            )
            store.tracks.mark_done(rid, f"/x/{rid}.mp3", 1.0)
        index = SearchIndex()
        index.load(store.tracks.search_texts())
        for query in (
            "rain",
            "RAIN win",
            "r",
            "ra",
            "rai",
            "strasse",
            "straße",
            "ab",
            "x",
            "tide salt",
            "nothing",
            "neon   coast",
            "lo-fi",
        ):
            assert index.match(query) == store.tracks.matching_ids(query), query
        assert index.match("  ") is None
        index.remove(["r0"])
        assert index.match("rain") == {"r2"}
        index.update(store.tracks.search_texts(["r0"]))
        assert index.match("rain") == {"r0", "r2"}


def test_edit_track_keeps_a_generated_takes_request_and_rebuilds_an_imported_one(tmp_path):
    import json

    import pytest

    from sunodesk.store import library_files, track_edit

    library = tmp_path / "Library"
    library.mkdir()
    with open_store(tmp_path) as store:
        sent = SongRequest(title="Sent", style="pop", prompt="[Verse]\nla")
        job = store.jobs.create_job("song", sent.to_json())
        take = Take(result_id="gen-1", audio_url="https://cdn/g.mp3", title="Sent")
        store.tracks.add_pending(
            job.id, "t1", take, "suno-v5-beta", "pop", None, "la", sent.to_json()
        )
        made = make_mp3(library / "Sent.mp3", seconds=1.0)
        tags.write_tags(made, tags.TagSet(title="Sent", result_id="gen-1", style="pop"))
        store.tracks.mark_done("gen-1", str(made), 1.0)
        edited = track_edit.edit_track(store.tracks, "gen-1", {"title": "Renamed", "genre": "x"})
        assert edited.track.title == "Renamed" and edited.changed == ("title", "genre")
        assert edited.track.song_request == sent  # what was sent stays what was sent

        outside = make_mp3(tmp_path / "in.mp3", seconds=1.0, freq=300)
        tags.write_tags(outside, tags.TagSet(title="Old", result_id="imp-1", style="folk",
                                             model="suno-v4.5-beta", lyrics="old"))  # fmt: skip
        library_files.import_files(store.tracks, [outside], library)
        edited = track_edit.edit_track(store.tracks, "imp-1", {"lyrics": "new words"})
        request = json.loads(edited.track.request_json)
        assert request["prompt"] == "new words" and request["style"] == "folk"
        assert store.tracks.lyrics("imp-1") == "new words"
        with pytest.raises(track_edit.UnknownTrack, match="No take with result id 'nope'"):
            track_edit.edit_track(store.tracks, "nope", {"title": "x"})
        with pytest.raises(tags.TagValueError):
            track_edit.edit_track(store.tracks, "imp-1", {"result_id": "forged"})
