"""A song generated from a draft: the exact request is snapshotted, the job and its takes link
back to the draft, and the draft's name is the album tag (engine against the sandbox)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sunodesk.core.models import SongRequest
from sunodesk.store import tags


def test_submit_from_draft_snapshots_and_links(engine_factory, store, sandbox):
    draft = store.drafts.create("Summer Sketches")
    request = SongRequest(
        title="Tide", style="lofi", prompt="[Verse]\nsalt and sun", weirdness=0.4, album=draft.name
    )
    engine = engine_factory()

    async def main():
        try:
            job = await engine.submit_song(request, draft_id=draft.id)
            return await engine.wait(job.id)
        finally:
            await engine.close()

    job = asyncio.run(main())
    assert job.state == "done"
    [snap] = store.drafts.snapshots(draft.id)
    assert snap.job_id == job.id and snap.request == request and snap.job_state == "done"
    assert len(snap.takes) == 2
    for result_id, path in snap.takes:
        assert store.drafts.draft_for_track(result_id).id == draft.id
        assert tags.read_tags(Path(path)).album == "Summer Sketches"
    assert sandbox.stats.snapshot()["submits"]["song"] == 1
