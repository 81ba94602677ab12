"""Personas repository: uniqueness, lookup by id or name, usage, persona jobs in flight."""

from __future__ import annotations

import pytest

from sunodesk.core.models import PersonaRequest, Take
from sunodesk.store.personas import AmbiguousPersona, PersonaConflict, persona_pending_for_result
from sunodesk.store.store import open_store


@pytest.fixture
def store(tmp_path):
    with open_store(tmp_path) as s:
        yield s


def test_add_and_find(store):
    p = store.personas.add("p_1", "Velvet Voice", "smoky alto", "task-unified-1", "r1")
    assert p.id and p.name == "Velvet Voice" and p.source_result_id == "r1"
    assert store.personas.find("p_1") == p
    assert store.personas.find("velvet voice") == p
    assert store.personas.find("  VELVET VOICE ") == p
    assert store.personas.find("nobody") is None
    assert store.personas.find("") is None
    assert store.personas.for_result("r1") == p
    assert store.personas.for_result("r2") is None


def test_same_persona_twice_is_idempotent_but_second_for_take_conflicts(store):
    a = store.personas.add("p_1", "A", "", "t", "r1")
    assert store.personas.add("p_1", "A", "", "t", "r1") == a
    with pytest.raises(PersonaConflict):
        store.personas.add("p_2", "B", "", "t", "r1")
    assert [p.persona_id for p in store.personas.all()] == ["p_1"]


def test_ambiguous_name(store):
    store.personas.add("p_1", "Echo", "", "t", "r1")
    store.personas.add("p_2", "echo", "", "t", "r2")
    with pytest.raises(AmbiguousPersona) as info:
        store.personas.find("ECHO")
    assert "p_1" in str(info.value) and "p_2" in str(info.value)
    assert store.personas.find("p_2").persona_id == "p_2"  # the id still works


def test_list_sorted_by_name(store):
    store.personas.add("p_2", "beta", "", "t", "r2")
    store.personas.add("p_1", "Alpha", "", "t", "r1")
    assert [p.name for p in store.personas.all()] == ["Alpha", "beta"]


def test_usage_count(store):
    job = store.jobs.create_job("song", "{}").id
    store.personas.add("p_1", "A", "", "t", "r0")
    for rid in ("a", "b"):
        store.tracks.add_pending(job, "t", Take(rid, "u"), persona_id="p_1")
    store.tracks.add_pending(job, "t", Take("c", "u"))
    assert store.personas.usage_count("p_1") == 2
    assert store.personas.usage_count("p_9") == 0


def test_persona_job_in_flight_takes_the_result(store):
    req = PersonaRequest("task-unified-1", "r1", "Name", "desc")
    job = store.jobs.create_job("persona", req.to_json(), "suno-persona")
    assert store.personas.pending_for_result("r1").id == job.id
    assert persona_pending_for_result(store.db, "r1").id == job.id
    assert store.personas.pending_for_result("r2") is None
    assert store.personas.is_taken("r1")
    # a song job with a result_id-like field does not count
    store.jobs.create_job("song", '{"result_id": "r3"}')
    assert store.personas.pending_for_result("r3") is None
    # rejected releases the take
    store.jobs.move(job.id, "rejected")
    assert store.personas.pending_for_result("r1") is None
    assert not store.personas.is_taken("r1")
    # an unknown outcome keeps it taken (the persona may exist on the server)
    job2 = store.jobs.create_job("persona", req.to_json())
    store.jobs.move(job2.id, "submitting")
    store.jobs.move(job2.id, "unknown")
    assert store.personas.pending_for_result("r1").id == job2.id


def test_persona_job_creation_checks_and_inserts_at_once(tmp_path):
    from sunodesk.store.db import Database
    from sunodesk.store.personas import PersonaRepo

    repo = PersonaRepo(Database(tmp_path / "s.db"))
    request = '{"result_id": "r1", "name": "Ada"}'
    first = repo.create_job_if_free("r1", request)
    assert first is not None and first.kind == "persona"
    assert repo.create_job_if_free("r1", request) is None
    assert repo.create_job_if_free("r2", '{"result_id": "r2"}') is not None
