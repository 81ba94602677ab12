"""The engine against the sandbox over real HTTP: the whole life of a job, every fault, resume."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from sunodesk.core.models import PersonaRequest, SongRequest
from sunodesk.engine.engine import RequestInvalid
from sunodesk.store import tags

LYRICS = "[Verse]\nDriving down the coast tonight\n[Chorus]\nNeon dreams (neon dreams)"
SONG = SongRequest(
    title="Neon Dreamers",
    style="synth pop, upbeat",
    prompt=LYRICS,
    negative_tags="metal",
    weirdness=0.3,
    album="Summer drafts",
)


def run(engine, coro_fn):
    """Run one coroutine against the engine on a fresh loop and close the engine after."""

    async def main():
        try:
            return await coro_fn(engine)
        finally:
            await engine.close()

    return asyncio.run(main())


async def generate(engine, request=SONG):
    job = await engine.submit_song(request)
    return await engine.wait(job.id)


def part_files(library: Path) -> list[Path]:
    return list(library.glob(".sunodesk-*.part")) if library.exists() else []


def test_a_song_arrives_as_two_tagged_takes(engine_factory, store, sandbox, library):
    engine = engine_factory(artist_name="Ada")
    events = []
    engine.events.subscribe(events.append)
    job = run(engine, generate)

    assert job.state == "done" and job.takes_done == 2 and job.task_id.startswith("task-unified-")
    tracks = store.tracks.for_job(job.id)
    assert [t.state for t in tracks] == ["done", "done"]
    assert len({t.result_id for t in tracks}) == 2
    for track in tracks:
        path = Path(track.path)
        assert path.parent == library and path.name.startswith("Neon Dreamers - take ")
        info = tags.probe_mp3(path)
        assert info.duration > 5
        tagged = tags.read_tags(path)
        assert (tagged.title, tagged.artist, tagged.album) == (
            "Neon Dreamers",
            "Ada",
            "Summer drafts",
        )
        assert tagged.lyrics == LYRICS and tagged.genre == "synth pop"
        assert tagged.result_id == track.result_id and tagged.task_id == job.task_id
        assert tagged.model == "suno-v5-beta" and tagged.weirdness == pytest.approx(0.3)
        assert tagged.negative_tags == "metal"
        assert tagged.cover and tagged.cover[:4] == b"\x89PNG"
    assert part_files(library) == []
    assert sandbox.stats.snapshot()["submits"]["song"] == 1
    states = [e.state for e in events if e.kind == "state"]
    assert states[:3] == ["submitting", "submitted", "running"]
    assert {"completed", "downloading", "tagging"} <= set(states) and states[-1] == "done"
    assert [e.take for e in events if e.kind == "track"] == [1, 2]


def test_the_request_is_sent_as_the_api_expects(engine_factory, sandbox):
    job = run(engine_factory(), generate)
    sent = sandbox.state.get(job.task_id)["request"]
    assert sent["weirdness_constraint"] == 0.3 and "style_weight" not in sent
    assert sent["custom_mode"] is True and "album" not in sent


def test_simple_mode(engine_factory, store):
    job = run(
        engine_factory(),
        lambda e: generate(e, SongRequest(custom_mode=False, prompt="a lazy jazz tune")),
    )
    assert job.state == "done"
    assert all(
        tags.read_tags(t.path).prompt == "a lazy jazz tune" for t in store.tracks.for_job(job.id)
    )


def test_invalid_request_sends_nothing(engine_factory, sandbox, store):
    engine = engine_factory()

    async def bad(e):
        await e.submit_song(SongRequest(title="", style="", prompt="x" * 6000))

    with pytest.raises(RequestInvalid) as info:
        run(engine, bad)
    assert {p.field for p in info.value.problems} == {"title", "style", "prompt"}
    assert sandbox.stats.snapshot()["submits"]["song"] == 0
    assert store.jobs.list_jobs() == []


@pytest.mark.parametrize(
    ("status", "code", "sentence"),
    [
        (400, "invalid", "The request was refused"),
        (401, "auth", "The API key was refused"),
        (402, "credits", "Not enough credits. Current balance: 500"),
        (403, "access", "This key cannot use model suno-v5-beta"),
        (429, "rate", "Busy"),
        (503, "server", "The server had a problem"),
    ],
)
def test_refusals_end_rejected_with_one_sentence(engine_factory, sandbox, status, code, sentence):
    sandbox.faults.set("submit_status", status)
    engine = engine_factory()
    errors = []
    engine.events.subscribe(lambda e: e.kind == "error" and errors.append(e.message))
    job = run(engine, generate)
    assert job.state == "rejected" and job.error_code == code
    assert job.error_message.startswith(sentence)
    assert "Traceback" not in job.error_message and "\n" not in job.error_message
    assert sandbox.stats.snapshot()["tasks_created"] == 0
    assert any(m.startswith(sentence) for m in errors)


@pytest.mark.parametrize("status", [429, 503])
def test_passing_refusals_are_retried_safely(engine_factory, sandbox, status):
    sandbox.faults.set("submit_status", status, times=2)
    job = run(engine_factory(), generate)
    assert job.state == "done"
    stats = sandbox.stats.snapshot()
    assert stats["submits"]["song"] == 3 and stats["tasks_created"] == 1


@pytest.mark.parametrize(
    ("fault", "value"),
    [
        ("drop_connection", True),
        ("malformed_json", "submit"),
        ("submit_status", 500),
        ("submit_status", 502),
    ],
)
def test_no_answer_means_unknown_and_is_never_resent(engine_factory, sandbox, fault, value):
    """No readable answer, or a 500/502 that does not prove nothing was made: never re-sent."""
    sandbox.faults.set(fault, value, times=1)
    job = run(engine_factory(), generate)
    assert job.state == "unknown"
    assert "Outcome unknown" in job.error_message
    assert sandbox.stats.snapshot()["submits"]["song"] == 1

    # A restart does not re-send it either.
    again = run(engine_factory(), lambda e: e.resume_all())
    assert again == []
    assert sandbox.stats.snapshot()["submits"]["song"] == 1


def test_submit_again_is_the_persons_choice(engine_factory, sandbox):
    sandbox.faults.set("drop_connection", True, times=1)
    job = run(engine_factory(), generate)

    async def again(e):
        await e.submit_again(job.id)
        return await e.wait(job.id)

    assert run(engine_factory(), again).state == "done"
    assert sandbox.stats.snapshot()["submits"]["song"] == 2


def test_a_failed_task_keeps_evolinks_code_and_the_request(engine_factory, sandbox):
    sandbox.faults.set("fail_tasks", "content_policy_violation")
    job = run(engine_factory(), generate)
    assert job.state == "failed" and job.error_code == "content_policy_violation"
    assert "content policy" in job.error_message
    assert job.song_request == SONG


@pytest.mark.parametrize("status", [429, 500, 503])
def test_poll_errors_are_ridden_out(engine_factory, sandbox, status):
    sandbox.faults.set("poll_status", status, times=3)
    assert run(engine_factory(), generate).state == "done"


def test_malformed_poll_answers_are_ridden_out(engine_factory, sandbox):
    sandbox.faults.set("malformed_json", "poll", times=2)
    assert run(engine_factory(), generate).state == "done"


@pytest.mark.parametrize("shape", ["songs", "results_only"])
def test_other_result_shapes(engine_factory, sandbox, store, shape):
    sandbox.faults.set("result_shape", shape)
    job = run(engine_factory(), generate)
    assert job.state == "done" and len(store.tracks.for_job(job.id)) == 2


def test_a_cut_download_is_retried_and_never_filed_half(engine_factory, sandbox, library):
    sandbox.faults.set("truncate_download", True, times=2)
    job = run(engine_factory(), generate)
    assert job.state == "done" and part_files(library) == []
    assert len(list(library.glob("*.mp3"))) == 2


def test_a_download_that_keeps_failing_parks_the_job_for_resume(engine_factory, sandbox, library):
    sandbox.faults.set("truncate_download", True)
    job = run(engine_factory(), generate)
    assert job.state in ("downloading", "tagging") and "did not complete" in job.error_message
    assert part_files(library) == [] and list(library.glob("*.mp3")) == []
    sandbox.faults.reset()
    resumed = run(engine_factory(), lambda e: e.resume(job.id))
    assert resumed.state == "done" and len(list(library.glob("*.mp3"))) == 2


def test_expired_links_end_expired(engine_factory, sandbox, store):
    sandbox.faults.set("expire_media", True)
    job = run(engine_factory(), generate)
    assert job.state == "expired" and "expired" in job.error_message
    assert {t.state for t in store.tracks.for_job(job.id)} >= {"expired"}


def test_resume_after_a_restart_while_polling(engine_factory, sandbox, store, library):
    async def submit_only(e):
        job = await e.submit_song(SONG, until_submitted=True)
        return await e.wait(job.id)

    job = run(engine_factory(), submit_only)
    assert job.state == "submitted" and job.task_id
    resumed = run(engine_factory(), _resume_and_wait)
    assert [j.id for j in resumed] == [job.id]
    assert store.jobs.get_job(job.id).state == "done"
    assert len(list(library.glob("*.mp3"))) == 2
    assert sandbox.stats.snapshot()["submits"]["song"] == 1


def test_a_job_caught_mid_post_becomes_unknown_on_restart(engine_factory, store, sandbox):
    job = store.jobs.create_job("song", SONG.to_json(), SONG.model)
    store.jobs.move(job.id, "submitting")
    run(engine_factory(), _resume_and_wait)
    assert store.jobs.get_job(job.id).state == "unknown"
    assert sandbox.stats.snapshot()["submits"]["song"] == 0


async def _resume_and_wait(engine):
    jobs = await engine.resume_all()
    await engine.wait_all()
    return jobs


def test_personas_one_per_take_and_used_in_tags(engine_factory, store, sandbox):
    song = run(engine_factory(), generate)
    take = store.tracks.for_job(song.id)[0]
    request = PersonaRequest(
        source_task_id=take.task_id,
        result_id=take.result_id,
        name="Ada Voice",
        description="warm alto",
        vocal_start=5,
        vocal_end=25,
        source_model=take.model,
    )

    async def persona(e):
        job = await e.submit_persona(request)
        return await e.wait(job.id)

    job = run(engine_factory(), persona)
    assert job.state == "done"
    made = store.personas.for_result(take.result_id)
    assert made and len(made.persona_id) == 32 and made.name == "Ada Voice"

    with pytest.raises(RequestInvalid) as info:
        run(engine_factory(), persona)
    assert info.value.problems[0].field == "result_id"
    assert sandbox.stats.snapshot()["submits"]["persona"] == 1

    with_persona = SongRequest(
        **{
            **SONG.__dict__,
            "persona_id": made.persona_id,
            "persona_model": "voice_persona",
            "persona_name": made.name,
        }
    )
    job2 = run(engine_factory(), lambda e: generate(e, with_persona))
    assert sandbox.state.get(job2.task_id)["request"]["persona_id"] == made.persona_id
    for track in store.tracks.for_job(job2.id):
        tagged = tags.read_tags(track.path)
        assert tagged.artist == "Ada Voice" and tagged.persona_id == made.persona_id
    assert store.personas.usage_count(made.persona_id) == 2


def test_closing_mid_post_still_records_the_task(engine_factory, sandbox, store):
    sandbox.faults.set("latency", 0.5)  # the POST is on the wire when we close
    engine = engine_factory()

    async def close_while_sending(e):
        job = await e.submit_song(SONG)
        while store.jobs.get_job(job.id).state != "submitting":
            await asyncio.sleep(0.005)
        await e.close()
        return job

    job = asyncio.run(close_while_sending(engine))
    saved = store.jobs.get_job(job.id)
    assert saved.state == "submitted" and saved.task_id
    sandbox.faults.reset()
    resumed = run(engine_factory(), _resume_and_wait)
    assert [j.id for j in resumed] == [job.id] and store.jobs.get_job(job.id).state == "done"
    assert sandbox.stats.snapshot()["submits"]["song"] == 1


def test_a_double_click_on_create_persona_sends_one_request(engine_factory, store, sandbox):
    song = run(engine_factory(), generate)
    take = store.tracks.for_job(song.id)[0]
    request = PersonaRequest(
        source_task_id=take.task_id,
        result_id=take.result_id,
        name="Ada",
        description="alto",
        source_model=take.model,
    )

    async def twice(e):
        results = await asyncio.gather(
            e.submit_persona(request), e.submit_persona(request), return_exceptions=True
        )
        await e.wait_all()
        return results

    results = run(engine_factory(), twice)
    assert sum(isinstance(r, RequestInvalid) for r in results) == 1
    assert sandbox.stats.snapshot()["submits"]["persona"] == 1


def test_a_resume_long_after_the_deadline_still_polls(engine_factory, store, sandbox):
    async def submit_only(e):
        job = await e.submit_song(SONG, until_submitted=True)
        return await e.wait(job.id)

    job = run(engine_factory(), submit_only)
    store.jobs.update(job.id, submitted_at=job.submitted_at - 3 * 86400)  # three days ago
    run(engine_factory(), _resume_and_wait)
    assert store.jobs.get_job(job.id).state == "done"


def test_two_jobs_with_one_title_never_overwrite_each_other(engine_factory, store, library):
    async def two(e):
        jobs = [await e.submit_song(SONG), await e.submit_song(SONG)]
        await e.wait_all()
        return jobs

    jobs = run(engine_factory(parallel_jobs=2), two)
    tracks = [t for job in jobs for t in store.tracks.for_job(job.id)]
    assert len({t.path for t in tracks}) == 4
    for track in tracks:
        assert tags.read_tags(track.path).result_id == track.result_id
    assert len(list(library.glob("*.mp3"))) == 4 and part_files(library) == []


def test_a_job_owned_by_a_live_process_is_left_alone(engine_factory, store, sandbox):
    import subprocess
    import sys

    job = store.jobs.create_job("song", SONG.to_json(), SONG.model)
    store.jobs.move(job.id, "submitting")
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert store.jobs.claim(job.id, other.pid)
        run(engine_factory(), _resume_and_wait)
        assert store.jobs.get_job(job.id).state == "submitting"  # not judged "unknown"
    finally:
        other.kill()
        other.wait()
    run(engine_factory(), _resume_and_wait)
    assert store.jobs.get_job(job.id).state == "unknown"  # its owner died mid-POST


def test_the_parallel_cap_limits_running_generations(engine_factory, sandbox):
    engine = engine_factory(parallel_jobs=2)
    active: set[int] = set()
    peak = [0]

    def follow(event):
        if event.kind != "state":
            return
        if event.state in ("submitting", "submitted", "running"):
            active.add(event.job_id)
        else:
            active.discard(event.job_id)
        peak[0] = max(peak[0], len(active))

    engine.events.subscribe(follow)

    async def five(e):
        for _ in range(5):
            await e.submit_song(SONG)
        await e.wait_all()

    run(engine, five)
    assert peak[0] == 2
    assert sandbox.stats.snapshot()["tasks_created"] == 5


def test_both_takes_stream_at_once(engine_factory, sandbox, library):
    import threading

    sandbox.faults.set("slow_download", 150_000)  # each take streams for a while
    engine = engine_factory()
    active, peak, lock = [0], [0], threading.Lock()
    real = engine.client.download_to

    def counting(url, path, **kw):
        if "max_bytes" in kw:  # covers are small: count the audio only
            return real(url, path, **kw)
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        try:
            return real(url, path, **kw)
        finally:
            with lock:
                active[0] -= 1

    engine.client.download_to = counting
    job = run(engine, generate)
    assert job.state == "done" and peak[0] == 2
    assert part_files(library) == []


def test_submit_again_twice_sends_once_and_keeps_the_task(engine_factory, sandbox, store):
    from sunodesk.core.jobstate import InvalidTransition

    sandbox.faults.set("drop_connection", True, times=1)
    job = run(engine_factory(), generate)
    assert job.state == "unknown"
    sandbox.faults.set("latency", 0.3)  # the re-send is on the wire for a while

    async def twice(e):
        await e.submit_again(job.id)
        while store.jobs.get_job(job.id).state != "submitting":
            await asyncio.sleep(0.005)
        with pytest.raises(InvalidTransition):
            await e.submit_again(job.id)  # the second press: refused, nothing changes
        return await e.wait(job.id)

    final = run(engine_factory(), twice)
    assert final.state == "done" and final.task_id
    assert sandbox.stats.snapshot()["submits"]["song"] == 2  # the lost one and one re-send


def test_try_again_only_for_a_refusal_that_sent_nothing(engine_factory, sandbox):
    from sunodesk.core.jobstate import InvalidTransition

    sandbox.faults.set("submit_status", 400)

    async def refused_then_try(e):
        job = await generate(e)
        assert job.state == "rejected" and job.error_code == "invalid"
        with pytest.raises(InvalidTransition):  # the fields were wrong: sending again is no use
            await e.try_again(job.id)
        return job

    run(engine_factory(), refused_then_try)
    assert sandbox.stats.snapshot()["submits"]["song"] == 1
