"""JobsBridge: a burst of engine events for one job is read back as few rows, the last one
always read after the last event (design.md, "Speed and size": no GUI-thread stall while 20
jobs poll and their takes are filed)."""

from __future__ import annotations

from sunodesk.core.models import SongRequest
from sunodesk.ui.common import tasks


def test_a_burst_of_events_folds_into_few_row_reads_ending_with_the_latest(studio_factory):
    h = studio_factory()
    bridge, store, engine = h.studio.jobs, h.studio.session.store, h.studio.session.engine
    request = SongRequest(custom_mode=True, title="Burst", style="pop", prompt="la la")
    job = store.jobs.create_job("song", request.to_json(), request.model)
    rows: list = []
    bridge.jobUpdated.connect(lambda row: rows.append(row) if row.id == job.id else None)

    # What the engine does while a job is filed: commit, then publish, several times in one
    # turn of the loop (the bridge reads rows in a worker thread meanwhile).
    for state, fields in (
        ("submitting", {}),
        ("submitted", {"task_id": "task-burst"}),
        ("running", {"progress": 40}),
        ("completed", {"progress": 100}),
        ("downloading", {}),
    ):
        job = store.jobs.move(job.id, state, **fields)
        engine._emit(job, "state")

    h.run_until(lambda: rows and rows[-1].state == "downloading", what="the latest row")
    h.run(tasks.drain())  # every read the burst started has ended
    assert rows[-1].state == "downloading" and rows[-1].progress == 100
    # one read for the first event, one more for all that came while it ran (not five)
    assert len(rows) <= 2, [r.state for r in rows]
    # the window's jobs list shows the latest row too
    shown = [j for j in h.jobs() if j.id == job.id]
    assert shown and shown[0].state == "downloading"
