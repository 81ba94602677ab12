"""A broken file on disk never stops the command line: a damaged settings file, a damaged job
row, a damaged or read-only database each get a sentence, and nothing is repaired behind the
person's back (the damaged thing is left byte for byte as it was)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from contextlib import closing
from pathlib import Path

import pytest

from sunodesk.core.models import SongRequest
from sunodesk.store.store import open_store
from tests.integration.cli_helpers import cli_env, sunodesk

DAMAGED_REQUEST = "This job's stored request is damaged; it was left as it is."


def no_traceback(result) -> None:
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout, result.stderr


def test_settings_of_200000_brackets_do_not_stop_any_command(sandbox, data_dir):
    settings = data_dir / "settings.json"
    settings.write_text("[" * 200_000, encoding="utf-8")
    env = cli_env(data_dir, sandbox.base_url)
    first = sunodesk("jobs", env=env)
    no_traceback(first)
    assert first.returncode == 0, first.stderr
    assert "settings" in first.stderr and "damaged" in first.stderr
    (aside,) = data_dir.glob("settings.json.broken-*")
    assert aside.name in first.stderr
    assert aside.read_text(encoding="utf-8") == "[" * 200_000
    second = sunodesk("library", env=env)
    assert second.returncode == 0 and "damaged" not in second.stderr  # said once


def test_wrong_shape_settings_say_so_and_use_defaults(sandbox, data_dir):
    (data_dir / "settings.json").write_text('{"parallel_jobs": "lots"}', encoding="utf-8")
    result = sunodesk("jobs", env=cli_env(data_dir, sandbox.base_url))
    assert result.returncode == 0, result.stderr
    assert "parallel_jobs" in result.stderr


def _rows(db: Path) -> list[tuple]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute("SELECT * FROM jobs ORDER BY id").fetchall()


def test_damaged_job_rows_are_shown_and_skipped_never_touched(sandbox, data_dir):
    good = SongRequest(title="Good Song", style="pop", prompt="[Verse]\nla la\n")
    with open_store(data_dir) as store:
        done = store.jobs.create_job("song", good.to_json(), good.model)
        broken = store.jobs.create_job("song", good.to_json(), good.model)
        unknown = store.jobs.create_job("song", good.to_json(), good.model)
        queued = store.jobs.create_job("song", good.to_json(), good.model)
    db = data_dir / "sunodesk.db"
    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("UPDATE jobs SET state = 'done' WHERE id = ?", (done.id,))
        conn.execute("UPDATE jobs SET request_json = '{\"title\": ' WHERE id = ?", (broken.id,))
        conn.execute("UPDATE jobs SET state = 'zombie' WHERE id = ?", (unknown.id,))
    damaged_before = [r for r in _rows(db) if r[0] in (broken.id, unknown.id)]
    env = cli_env(data_dir, sandbox.base_url)

    listed = sunodesk("jobs", env=env)
    no_traceback(listed)
    assert listed.returncode == 0, listed.stderr
    assert DAMAGED_REQUEST in listed.stdout
    assert "zombie" in listed.stdout and "left as it is" in listed.stdout
    assert listed.stdout.count("Good Song") == 3  # the sound rows are all listed

    resumed = sunodesk("resume", env=env)
    no_traceback(resumed)
    assert resumed.returncode == 0, resumed.stderr
    assert "Resuming 1 job(s)" in resumed.stdout  # only the sound queued one
    assert sandbox.stats.snapshot()["submits"]["song"] == 1
    with open_store(data_dir) as store:
        assert store.jobs.require(queued.id).state == "done"
        assert store.jobs.require(broken.id).damaged == DAMAGED_REQUEST
        assert store.jobs.require(unknown.id).damaged
    assert [r for r in _rows(db) if r[0] in (broken.id, unknown.id)] == damaged_before


@pytest.mark.parametrize("damage", ["garbage", "truncated", "table missing"])
def test_damaged_database_is_a_sentence(sandbox, data_dir, damage):
    with open_store(data_dir) as store:
        request = SongRequest(title="T", style="pop", prompt="la")
        for _ in range(200):
            store.jobs.create_job("song", request.to_json(), request.model)
    db = data_dir / "sunodesk.db"
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        if damage == "table missing":
            conn.execute("DROP TABLE tracks")
            conn.execute("DROP TABLE track_search")
    if damage == "garbage":
        db.write_bytes(os.urandom(64 * 1024))
    elif damage == "truncated":
        db.write_bytes(db.read_bytes()[: 3 * 4096 + 100])
    before = db.read_bytes()
    env = cli_env(data_dir, sandbox.base_url)
    for command in ("library", "jobs"):
        result = sunodesk(command, env=env)
        no_traceback(result)
        assert result.returncode == 1, (command, result.stderr)
        assert f"The library database at {db} is damaged" in result.stderr, result.stderr
        assert "it was left as it is" in result.stderr
    assert db.read_bytes() == before


def _as_nobody() -> list[str] | None:
    """A command prefix running as an unprivileged user (root ignores file permissions)."""
    setpriv = shutil.which("setpriv")
    if os.geteuid() != 0 or setpriv is None:
        return None
    prefix = [setpriv, "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
    probe = subprocess.run(
        [*prefix, sys.executable, "-c", "import sunodesk"],
        capture_output=True,
        cwd=Path(__file__).parents[2],
    )
    return prefix if probe.returncode == 0 else None


def test_read_only_data_folder_still_lists_the_library(sandbox):
    prefix = _as_nobody()
    if prefix is None:
        pytest.skip("needs root and setpriv to run the command as an unprivileged user")
    root = Path(tempfile.mkdtemp(prefix="sunodesk-ro-", dir="/tmp"))
    try:
        root.chmod(0o755)
        data_dir = root / "data"
        with open_store(data_dir) as store:
            store.db.execute(
                "INSERT INTO tracks (result_id, task_id, title, state, created_at) "
                "VALUES ('r-1', 't-1', 'Read Only Song', 'done', 0)"
            )
        for path in data_dir.rglob("*"):
            path.chmod(0o555 if path.is_dir() else 0o444)
        data_dir.chmod(0o555)
        before = sorted(p.name for p in data_dir.iterdir())
        env = cli_env(data_dir, sandbox.base_url)
        result = subprocess.run(
            [*prefix, sys.executable, "-m", "sunodesk", "library"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            cwd=Path(__file__).parents[2],
        )
        no_traceback(result)
        assert result.returncode == 0, result.stderr
        assert "Read Only Song" in result.stdout
        assert sorted(p.name for p in data_dir.iterdir()) == before
    finally:
        for path in [root, *root.rglob("*")]:
            path.chmod(0o755)
        shutil.rmtree(root)
