"""Jobs repository: creation, life-cycle moves checked in the transaction, listing."""

from __future__ import annotations

import pytest

from sunodesk.core.jobstate import InvalidTransition, JobState
from sunodesk.core.models import Job, SongRequest
from sunodesk.store.jobs import JobNotFound
from sunodesk.store.store import open_store


@pytest.fixture
def store(tmp_path):
    with open_store(tmp_path) as s:
        yield s


def test_create_is_committed_and_queued(tmp_path, store):
    req = SongRequest(title="Hi", style="pop", prompt="la")
    job = store.jobs.create_job("song", req.to_json(), req.model)
    assert isinstance(job, Job)
    assert job.state == "queued" and job.id > 0 and job.created_at > 0
    # visible from a second connection: it was committed before returning
    with open_store(tmp_path) as other:
        again = other.jobs.get_job(job.id)
    assert again == job
    assert SongRequest.from_json(again.request_json) == req


def test_bad_kind_refused(store):
    with pytest.raises(ValueError):
        store.jobs.create_job("video", "{}")


def test_full_happy_path(store):
    job = store.jobs.create_job("song", "{}", "suno-v5-beta")
    job = store.jobs.move(job.id, JobState.SUBMITTING)
    job = store.jobs.move(
        job.id,
        "submitted",
        task_id="task-unified-1",
        submitted_at=5.0,
        estimated_time=60.0,
        credits_reserved=10.0,
    )
    assert (job.task_id, job.estimated_time, job.credits_reserved) == ("task-unified-1", 60.0, 10.0)
    job = store.jobs.move(job.id, "running", progress=40)
    job = store.jobs.update(job.id, progress=70)
    assert job.state == "running" and job.progress == 70
    job = store.jobs.move(job.id, "completed", progress=100, takes_total=2)
    job = store.jobs.move(job.id, "downloading")
    job = store.jobs.move(job.id, "tagging")
    job = store.jobs.move(job.id, "done", takes_done=2)
    assert job.state == "done" and job.takes_done == 2
    assert store.jobs.get_by_task("task-unified-1").id == job.id


def test_move_refuses_forbidden_transition_and_changes_nothing(store):
    job = store.jobs.create_job("song", "{}")
    before = store.jobs.get_job(job.id)
    with pytest.raises(InvalidTransition):
        store.jobs.move(job.id, "done", progress=99)
    assert store.jobs.get_job(job.id) == before
    store.jobs.move(job.id, "rejected", error_code="invalid", error_message="bad")
    with pytest.raises(InvalidTransition):
        store.jobs.move(job.id, "submitting")


def test_unknown_fields_and_missing_jobs(store):
    job = store.jobs.create_job("song", "{}")
    with pytest.raises(ValueError):
        store.jobs.move(job.id, "submitting", state="done")
    with pytest.raises(ValueError):
        store.jobs.update(job.id, request_json="x; DROP TABLE jobs")
    with pytest.raises(JobNotFound):
        store.jobs.move(12345, "submitting")
    with pytest.raises(JobNotFound):
        store.jobs.update(12345, progress=1)
    assert store.jobs.get_job(12345) is None


def test_task_id_unique(store):
    import sqlite3

    a = store.jobs.create_job("song", "{}")
    b = store.jobs.create_job("song", "{}")
    for j in (a, b):
        store.jobs.move(j.id, "submitting")
    store.jobs.move(a.id, "submitted", task_id="task-unified-x")
    with pytest.raises(sqlite3.IntegrityError):
        store.jobs.move(b.id, "submitted", task_id="task-unified-x")
    assert store.jobs.get_job(b.id).state == "submitting"


def test_list_unfinished_and_limit(store):
    ids = [store.jobs.create_job("song", "{}").id for _ in range(5)]
    store.jobs.move(ids[0], "rejected")
    store.jobs.move(ids[1], "submitting")
    store.jobs.move(ids[1], "unknown")
    store.jobs.move(ids[2], "submitting")
    unfinished = store.jobs.list_jobs(unfinished_only=True)
    assert [j.id for j in unfinished] == [ids[4], ids[3], ids[2]]
    assert len(store.jobs.list_jobs()) == 5
    assert [j.id for j in store.jobs.list_jobs(limit=2)] == [ids[4], ids[3]]


def test_updated_at_moves(store):
    job = store.jobs.create_job("song", "{}")
    later = store.jobs.update(job.id, progress=3)
    assert later.updated_at >= job.updated_at and later.created_at == job.created_at


def test_a_job_lease_keeps_a_second_live_process_out(tmp_path):
    import os
    import subprocess
    import sys

    from sunodesk.store.db import Database
    from sunodesk.store.jobs import JobRepo

    repo = JobRepo(Database(tmp_path / "s.db"))
    job = repo.create_job("song", "{}", "suno-v5-beta")
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert repo.claim(job.id, other.pid)
        assert not repo.claim(job.id, os.getpid())  # a live owner keeps it
        other.kill()
        other.wait()
        assert repo.claim(job.id, os.getpid())  # a dead owner's lease is taken over
        repo.release(job.id, os.getpid())
        assert repo.claim(job.id, other.pid)  # released: anyone may take it
    finally:
        other.kill()
