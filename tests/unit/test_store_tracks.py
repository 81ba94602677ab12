"""Tracks repository: idempotent filing by result_id, state changes, search."""

from __future__ import annotations

import pytest

from sunodesk.core.models import Take
from sunodesk.store.store import open_store


@pytest.fixture
def store(tmp_path):
    with open_store(tmp_path) as s:
        yield s


def _job(store):
    return store.jobs.create_job("song", "{}").id


def _take(rid: str, title: str = "Song", **kw) -> Take:
    return Take(result_id=rid, audio_url=f"https://cdn/{rid}.mp3", title=title, **kw)


def test_add_pending_is_idempotent(store):
    job = _job(store)
    take = _take("r1", duration=120.5, image_url="https://cdn/r1.png")
    assert (
        store.tracks.add_pending(job, "task-unified-1", take, "suno-v5-beta", "pop", None, "la la")
        is True
    )
    # a resume, retry or double event files nothing new
    assert store.tracks.add_pending(job, "task-unified-1", take, "suno-v5-beta", "pop") is False
    assert store.tracks.add_pending(job, "other", _take("r1", "Renamed")) is False
    assert store.tracks.count() == 1
    track = store.tracks.get("r1")
    assert (track.state, track.title, track.duration, track.path) == (
        "pending",
        "Song",
        120.5,
        None,
    )
    assert track.image_url == "https://cdn/r1.png" and track.job_id == job
    assert store.tracks.lyrics("r1") == "la la"


def test_state_changes(store):
    job = _job(store)
    store.tracks.add_pending(job, "t", _take("r1"))
    store.tracks.add_pending(job, "t", _take("r2"))
    t = store.tracks.refresh_urls("r1", "https://new/a.mp3", None)
    assert t.audio_url == "https://new/a.mp3" and t.image_url is None
    t = store.tracks.set_path("r1", "/lib/Song.mp3")
    assert (t.state, t.path) == ("pending", "/lib/Song.mp3")
    t = store.tracks.mark_done("r1", "/lib/Song.mp3", 61.2)
    assert (t.state, t.path, t.duration) == ("done", "/lib/Song.mp3", 61.2)
    assert store.tracks.mark_expired("r2").state == "expired"
    assert store.tracks.mark_done("nope", "/x", 1.0) is None
    assert [t.result_id for t in store.tracks.for_job(job)] == ["r1", "r2"]
    assert store.tracks.count("done") == 1
    assert [t.result_id for t in store.tracks.recent(state="expired")] == ["r2"]


def test_search_title_style_lyrics_any_case_any_script(store):
    job = _job(store)
    store.tracks.add_pending(
        job, "t", _take("a", "Midnight Drive"), style="synthwave, 80s", lyrics="neon lights"
    )
    store.tracks.add_pending(
        job, "t", _take("b", "Ночной город"), style="Русский рок", lyrics="ЛЮБОВЬ и дождь"
    )
    store.tracks.add_pending(job, "t", _take("c", "Straße"), style="jazz", lyrics="")

    def ids(q):
        return sorted(t.result_id for t in store.tracks.recent(search=q))

    assert ids("midnight") == ["a"]
    assert ids("SYNTHWAVE") == ["a"]
    assert ids("NEON") == ["a"]
    assert ids("любовь") == ["b"]
    assert ids("русский") == ["b"]
    assert ids("strasse") == ["c"]  # casefold: ß == ss
    assert ids("neon drive") == ["a"]  # every word must match
    assert ids("neon jazz") == []
    assert ids("") == ["a", "b", "c"]
    assert ids("100%") == []  # no LIKE wildcards
    assert len(store.tracks.recent(limit=2)) == 2


def test_list_newest_first(store):
    job = _job(store)
    for rid in ("r1", "r2", "r3"):
        store.tracks.add_pending(job, "t", _take(rid))
    assert [t.result_id for t in store.tracks.recent()] == ["r3", "r2", "r1"]


@pytest.mark.parametrize("use_index", [True, False])
def test_search_short_words_quotes_and_both_paths(store, use_index):
    assert store.db.has_fts  # SQLite here has FTS5 with the trigram tokenizer
    store.tracks._fts = use_index  # the plain-scan path is what SQLite without FTS5 uses
    job = _job(store)
    store.tracks.add_pending(job, "t", _take("a", 'Say "Hi" to DJ Ö'), style="hip hop")
    store.tracks.add_pending(job, "t", _take("b", "Other"), style="jazz")

    def ids(q):
        return sorted(store.tracks.matching_ids(q))

    assert ids('"hi"') == ["a"]
    assert ids("dj") == ["a"]  # two letters: below the trigram size
    assert ids("ö hop") == ["a"]
    assert ids("say jazz") == []
    assert ids("o") == ["a", "b"]
    assert [t.result_id for t in store.tracks.recent(search="HIP")] == ["a"]
