"""DraftRepo, PresetRepo and the local persona edits, on real SQLite files."""

from __future__ import annotations

import pytest

from sunodesk.core.drafts import Preset
from sunodesk.core.models import PersonaRequest, SongRequest, Take
from sunodesk.store.store import open_store


@pytest.fixture
def store(tmp_path):
    with open_store(tmp_path) as s:
        yield s


def test_create_save_rename_duplicate(store):
    draft = store.drafts.create()
    assert draft.name == "Untitled draft" and draft.request == SongRequest()
    text = SongRequest(title="T", prompt="la").to_json()
    assert store.drafts.save(draft.id, text) is True
    assert store.drafts.save(draft.id, text) is False  # unchanged: nothing written
    assert store.drafts.get(draft.id).request.title == "T"
    renamed = store.drafts.rename(draft.id, "  My\x00 Album\n ")
    assert renamed.name == "My Album"
    copy = store.drafts.duplicate(draft.id)
    assert copy.id != draft.id and copy.name == "My Album copy"
    assert copy.request_json == text
    assert store.drafts.latest().id == copy.id
    store.drafts.touch(draft.id)
    assert store.drafts.latest().id == draft.id


def test_soft_delete_and_undo(store):
    a = store.drafts.create("A")
    b = store.drafts.create("B")
    store.drafts.delete(a.id)
    assert [d.name for d in store.drafts.all()] == ["B"]
    assert {d.name for d in store.drafts.all(include_deleted=True)} == {"A", "B"}
    assert store.drafts.restore(a.id).deleted_at is None
    assert {d.name for d in store.drafts.all()} == {"A", "B"}
    store.drafts.delete(b.id)
    assert store.drafts.purge_deleted() == 1
    assert store.drafts.get(b.id) is None


def test_snapshot_links_job_and_tracks(store):
    draft = store.drafts.create("Album")
    request = SongRequest(title="Song", style="pop", prompt="la", album="Album").to_json()
    job = store.drafts.create_job(draft.id, request, "suno-v5-beta")
    assert store.db.query_one("SELECT draft_id FROM jobs WHERE id = ?", (job.id,))[0] == draft.id
    store.tracks.add_pending(job.id, "task-unified-1", Take("r1", "http://x/a.mp3"))
    [snap] = store.drafts.snapshots(draft.id)
    assert snap.job_id == job.id and snap.request_json == request
    assert snap.job_state == "queued" and snap.takes == (("r1", ""),)
    assert snap.request.album == "Album"
    assert store.drafts.draft_for_job(job.id).id == draft.id
    assert store.drafts.draft_for_track("r1").id == draft.id
    # a job for a draft that no longer exists is still created (without a snapshot)
    orphan = store.drafts.create_job(9999, request)
    assert orphan.id and store.drafts.snapshots(9999) == []


def test_presets(store):
    p = store.presets.save(Preset("Dark", style="darkwave", weirdness=0.4))
    assert p.id and store.presets.get("Dark").style == "darkwave"
    store.presets.save(Preset("Dark", style="goth"))  # same name replaces
    assert [x.style for x in store.presets.all()] == ["goth"]
    assert store.presets.delete("Dark") and store.presets.all() == []


def test_persona_local_edits_and_removal_keep_take_taken(store):
    req = PersonaRequest("task-unified-1", "r1", "Ada", "warm")
    job = store.personas.create_job_if_free("r1", req.to_json())
    store.personas.add("p_1", "Ada", "warm", "task-unified-1", "r1", job.id)
    store.db.execute("UPDATE jobs SET state = 'done' WHERE id = ?", (job.id,))
    assert store.personas.rename("p_1", "  Ada   Lovelace ").name == "Ada Lovelace"
    with pytest.raises(ValueError):
        store.personas.rename("p_1", "   ")
    assert store.personas.describe("p_1", "smoky alto").description == "smoky alto"
    song = store.jobs.create_job("song", "{}")
    store.tracks.add_pending(song.id, "t", Take("s1", "u"), persona_id="p_1")
    [(persona, uses, _title, _path)] = store.personas.list_with_usage()
    assert persona.name == "Ada Lovelace" and uses == 1
    assert store.personas.remove("p_1") is True
    assert store.personas.all() == []
    assert store.personas.is_taken("r1")  # the server still has it: no second persona
    assert store.personas.create_job_if_free("r1", req.to_json()) is None
