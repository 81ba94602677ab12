"""SIGKILL while a job polls, and while it downloads; `sunodesk resume` then files each take
exactly once, whole and playable, leaves no temp file, and never sends a second POST."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from sunodesk.sandbox.server import SandboxServer
from sunodesk.store import tags
from sunodesk.store.store import open_store
from tests.conftest import TEST_KEY
from tests.integration.cli_helpers import cli_env, json_lines, spawn, sunodesk, wait_for

ARGS = (
    "generate",
    "--title",
    "Night Drive",
    "--style",
    "synthwave",
    "--instrumental",
    "--wait",
    "--json",
)


def job_state(data_dir: Path) -> str | None:
    with open_store(data_dir) as store:
        jobs = store.jobs.list_jobs()
        return jobs[0].state if jobs else None


def check_library(data_dir: Path, sandbox: SandboxServer) -> None:
    library = data_dir / "Library"
    files = sorted(library.glob("*.mp3"))
    assert len(files) == 2
    assert list(library.glob(".sunodesk-*")) == []
    with open_store(data_dir) as store:
        (job,) = store.jobs.list_jobs()
        tracks = store.tracks.for_job(job.id)
    assert job.state == "done" and {t.state for t in tracks} == {"done"}
    assert sorted(Path(t.path) for t in tracks) == files
    assert {tags.read_tags(f).result_id for f in files} == {t.result_id for t in tracks}
    for track in tracks:  # whole: the full length the API reported
        expected = sandbox.state.take(job.task_id, track.result_id)["duration"]
        assert tags.probe_mp3(track.path, expected_duration=expected).duration == pytest.approx(
            expected, abs=0.2
        )
    assert sandbox.stats.snapshot()["submits"]["song"] == 1


def kill(proc) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    proc.stdout.close()
    proc.stderr.close()


def test_sigkill_while_polling_then_resume(data_dir):
    with SandboxServer(speed=40, song_seconds=8, api_key=TEST_KEY) as sandbox:  # 3 s task
        env = cli_env(data_dir, sandbox.base_url, time_scale=0.02)
        proc = spawn(*ARGS, env=env)
        wait_for(lambda: job_state(data_dir) == "running", what="the job to poll")
        kill(proc)
        assert job_state(data_dir) == "running"

        resumed = sunodesk("resume", "--json", env=env)
        assert resumed.returncode == 0, resumed.stderr
        assert [j["state"] for j in json_lines(resumed.stdout)] == ["done"]
        check_library(data_dir, sandbox)


def test_sigkill_while_downloading_then_resume(data_dir):
    with SandboxServer(speed=2000, song_seconds=30, api_key=TEST_KEY) as sandbox:
        sandbox.faults.set("slow_download", 60_000)  # ~6 s per take
        env = cli_env(data_dir, sandbox.base_url)
        proc = spawn(*ARGS, env=env)
        library = data_dir / "Library"

        def partly_downloaded():
            parts = list(library.glob(".sunodesk-*.part")) if library.exists() else []
            return any(p.stat().st_size > 50_000 for p in parts if p.exists())

        wait_for(partly_downloaded, what="a download in progress")
        kill(proc)
        assert job_state(data_dir) == "downloading"
        assert list(library.glob("*.mp3")) == []

        sandbox.faults.reset()
        resumed = sunodesk("resume", "--json", env=env)
        assert resumed.returncode == 0, resumed.stderr
        check_library(data_dir, sandbox)

        again = sunodesk("resume", env=env)
        assert again.returncode == 0 and "Nothing to resume" in again.stdout
        check_library(data_dir, sandbox)


def test_two_resumes_at_once_file_each_take_once(data_dir):
    import subprocess
    import sys

    with SandboxServer(speed=2000, song_seconds=20, api_key=TEST_KEY) as sandbox:
        env = cli_env(data_dir, sandbox.base_url)
        for title in ("One", "Two"):
            sent = sunodesk(
                "generate", "--title", title, "--style", "pop", "--instrumental", env=env
            )
            assert sent.returncode == 0, sent.stderr
        sandbox.faults.set("slow_download", 400_000)  # both resumes overlap for a while
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "sunodesk", "resume"],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        for proc in procs:
            _out, err = proc.communicate(timeout=120)
            assert "Traceback" not in err, err
        library = data_dir / "Library"
        files = sorted(library.glob("*.mp3"))
        assert len(files) == 4 and list(library.glob(".sunodesk-*")) == []
        assert len({tags.read_tags(f).result_id for f in files}) == 4
        assert sandbox.stats.snapshot()["submits"]["song"] == 2
        with open_store(data_dir) as store:
            assert {j.state for j in store.jobs.list_jobs()} == {"done"}
