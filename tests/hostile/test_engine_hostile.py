"""The engine and the CLI against the hostile stand-in: each job ends with a sentence."""

from __future__ import annotations

import asyncio
import itertools
import time
from pathlib import Path

from tests.hostile.conftest import within
from tests.hostile.server import GENERATE, Redirect, Reply, Trickle, mp3
from tests.hostile.test_deadlines import EVERY, SONG
from tests.integration.cli_helpers import cli_env, json_lines, sunodesk

GUARD = 60.0


def run_job(engine, request=SONG):
    async def main():
        try:
            job = await engine.submit_song(request)
            return await engine.wait(job.id)
        finally:
            await engine.close()

    job, error, elapsed = within(GUARD, lambda: asyncio.run(main()))
    assert error is None, error
    return job, elapsed


def processing(hostile, task_id: str, pad: int = 0, **changes) -> dict:
    body = hostile.task_body(task_id, status="processing", progress=40, result_data=None)
    body.update(changes)
    if pad:
        body["padding"] = "." * pad
    return body


def test_a_trickling_poll_ends_at_the_poll_deadline(hostile, hostile_engine):
    hostile.on(
        "GET",
        "/v1/tasks/.*",
        lambda s, r: Trickle(processing(s, r.path.rsplit("/", 1)[1]), every=EVERY),
    )
    job, _ = run_job(hostile_engine())
    assert job.state == "failed" and job.error_code == "poll_timeout"
    assert "stopped waiting" in job.error_message
    assert hostile.count("POST", GENERATE) == 1


def test_a_nan_estimate_does_not_make_the_deadline_endless(hostile, hostile_engine):
    pending = (
        '{"id": "task-unified-1-nan", "status": "pending", "task_info": {"estimated_time": NaN}}'
    )
    hostile.on("POST", GENERATE, Reply(pending))
    hostile.on("GET", "/v1/tasks/.*", lambda s, r: Reply(processing(s, "task-unified-1-nan")))
    job, _ = run_job(hostile_engine())
    assert job.state == "failed" and job.error_code == "poll_timeout"
    assert hostile.count("POST", GENERATE) == 1


def test_an_endless_estimate_is_capped(hostile, hostile_engine):
    pending = (
        '{"id": "task-unified-1-inf", "status": "pending", "task_info": {"estimated_time": 1e308}}'
    )
    hostile.on("POST", GENERATE, Reply(pending))
    hostile.on("GET", "/v1/tasks/.*", lambda s, r: Reply(processing(s, "task-unified-1-inf")))
    job, _ = run_job(hostile_engine())
    assert job.state == "failed" and job.error_code == "poll_timeout"


def test_garbage_polls_are_ridden_out_until_a_good_one(hostile, hostile_engine, store):
    answers = itertools.chain(
        [
            Reply("[" * 100_000),
            Reply('{"id": "task-unified-1-g", "status": "processing", "progress": NaN}'),
            Reply('{"id": "task-unified-1-g", "status": "processing", "progress": -Infinity}'),
            Reply({"x": 1}, status=418),
            Reply({"x": 1}, status=600),
            Reply({"id": "task-unified-1-g", "junk": "x" * (3 * 1024 * 1024)}),
        ],
        itertools.repeat(None),
    )
    hostile.on("POST", GENERATE, Reply({"id": "task-unified-1-g", "status": "pending"}))
    hostile.on(
        "GET", "/v1/tasks/.*", lambda s, r: next(answers) or Reply(s.task_body("task-unified-1-g"))
    )
    job, _ = run_job(hostile_engine())
    assert job.state == "done", job.error_message
    assert len(store.tracks.for_job(job.id)) == 2
    assert hostile.count("POST", GENERATE) == 1


def test_a_trickling_download_is_retried_then_filed(hostile, hostile_engine, library: Path):
    seen: set[str] = set()

    def media(server, request):
        if request.path not in seen:  # each take's first attempt trickles
            seen.add(request.path)
            return Trickle(mp3(request.path), every=EVERY, content_type="audio/mpeg")
        return Reply(mp3(request.path), content_type="audio/mpeg")

    hostile.on("GET", "/media/.*", media)
    job, _ = run_job(hostile_engine())
    assert job.state == "done", job.error_message
    assert len(list(library.glob("*.mp3"))) == 2
    assert hostile.count("GET") >= 4 and hostile.count("POST", GENERATE) == 1


def test_a_redirected_submit_is_outcome_unknown_and_sent_once(hostile, hostile_engine):
    hostile.on("POST", GENERATE, Redirect(location=GENERATE, status=307))
    job, _ = run_job(hostile_engine())
    assert job.state == "unknown" and "Outcome unknown" in job.error_message
    assert hostile.count("POST") == 1


def test_generate_wait_with_a_trickling_poll_ends_with_a_sentence(hostile, data_dir, tmp_path):
    """The CLI run in a real process: before, each poll took minutes (one byte per 50 ms of a
    padded body) and `generate --wait` sat far past the (scaled) 1.2 s poll deadline."""
    hostile.on(
        "GET",
        "/v1/tasks/.*",
        lambda s, r: Trickle(processing(s, r.path.rsplit("/", 1)[1], pad=4000), every=EVERY),
    )
    lyrics = tmp_path / "lyrics.txt"
    lyrics.write_text("[Verse]\nla la la\n", encoding="utf-8")
    env = cli_env(data_dir, hostile.base_url)
    started = time.monotonic()
    done = sunodesk(
        "generate",
        "--title",
        "T",
        "--style",
        "pop",
        "--lyrics-file",
        str(lyrics),
        "--wait",
        "--json",
        env=env,
        timeout=GUARD,
    )
    elapsed = time.monotonic() - started
    assert done.returncode == 4, done.stderr
    (job,) = json_lines(done.stdout)
    assert job["state"] == "failed" and job["error_code"] == "poll_timeout"
    assert "stopped waiting" in job["error"]
    assert hostile.count("POST", GENERATE) == 1
    assert elapsed < 20, elapsed
    print(f"generate --wait with a trickling poll gave up after {elapsed:.1f} s")


def test_result_ids_reused_by_a_second_task_still_file_its_takes(hostile, hostile_engine, store):
    """Two tasks answering with the same result_ids: each paid take is filed, none is lost,
    and the first job's links are not pointed at the second task's audio."""

    def same_ids(server, request):
        task_id = request.path.rsplit("/", 1)[1]
        body = server.task_body(task_id)
        for n, take in enumerate(body["result_data"], 1):
            take["result_id"] = f"reused-{n}"
        return Reply(body)

    hostile.on("GET", "/v1/tasks/.*", same_ids)
    first, _ = run_job(hostile_engine())
    second, _ = run_job(hostile_engine())
    assert first.state == second.state == "done", second.error_message
    for job in (first, second):
        tracks = store.tracks.for_job(job.id)
        assert len(tracks) == 2 and all(t.state == "done" for t in tracks)
        assert all(job.task_id in t.audio_url for t in tracks)
    assert hostile.count("POST", GENERATE) == 2


def test_control_characters_in_ids_and_titles_still_file_the_takes(hostile, hostile_engine, store):
    odd_task = "task-unified-1-\x00\x1b[2J/../x"

    def odd(server, request):
        body = server.task_body(odd_task)
        for n, take in enumerate(body["result_data"], 1):
            take["result_id"] = f"id\x00{n}\u202e\x07"
            take["title"] = f"Bad\x00title\x1b[31m {n}/../\r\n"
            take["audio_url"] = f"{server.base_url}/media/odd/{n}.mp3"
        return Reply(body)

    hostile.on("POST", GENERATE, Reply({"id": odd_task, "status": "pending"}))
    hostile.on("GET", "/v1/tasks/.*", odd)
    job, _ = run_job(hostile_engine())
    assert job.state == "done", job.error_message
    tracks = store.tracks.for_job(job.id)
    assert len(tracks) == 2
    for track in tracks:
        name = Path(track.path).name
        assert "\x00" not in name and "/" not in name and "\x1b" not in name
