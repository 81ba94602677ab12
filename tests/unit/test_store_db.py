"""Database: pragmas, migrations, locking across threads."""

from __future__ import annotations

import shutil
import sqlite3
import threading

import pytest

from sunodesk.store.db import MIGRATIONS, Database, SchemaTooNew


def test_wal_foreign_keys_and_version(tmp_path):
    db = Database(tmp_path / "s.db")
    assert db.journal_mode == "wal"
    assert db.query_one("PRAGMA foreign_keys")[0] == 1
    assert db.query_one("PRAGMA synchronous")[0] == 1  # NORMAL
    assert db.query_one("PRAGMA busy_timeout")[0] >= 1000
    assert db.schema_version == len(MIGRATIONS) == 3
    tables = {r[0] for r in db.query("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"jobs", "tracks", "personas"} <= tables
    db.close()


def test_reopen_does_not_reapply(tmp_path):
    path = tmp_path / "s.db"
    Database(path).close()
    db = Database(path)  # would fail with "table jobs already exists" if re-run
    assert db.schema_version == len(MIGRATIONS)
    db.close()


def test_extra_migration_applies_on_a_copy(tmp_path):
    path = tmp_path / "s.db"
    db = Database(path)
    db.execute(
        "INSERT INTO jobs (kind, state, request_json, created_at, updated_at) "
        "VALUES ('song', 'queued', '{}', 1, 1)"
    )
    db.close()
    copy = tmp_path / "copy.db"
    shutil.copy(path, copy)
    extra = "ALTER TABLE jobs ADD COLUMN note TEXT NOT NULL DEFAULT 'hi';"
    db2 = Database(copy, migrations=(*MIGRATIONS, extra))
    assert db2.schema_version == len(MIGRATIONS) + 1
    assert db2.query_one("SELECT note FROM jobs")[0] == "hi"
    db2.close()
    # the original is untouched, and a newer file is refused by an older build
    db1 = Database(path)
    assert db1.schema_version == len(MIGRATIONS)
    db1.close()
    with pytest.raises(SchemaTooNew):
        Database(copy)


def test_failed_migration_rolls_back(tmp_path):
    path = tmp_path / "s.db"
    Database(path).close()
    bad = "CREATE TABLE extra (x INTEGER);\nINSERT INTO no_such_table VALUES (1);"
    with pytest.raises(sqlite3.OperationalError):
        Database(path, migrations=(*MIGRATIONS, bad))
    db = Database(path)
    assert db.schema_version == len(MIGRATIONS)
    assert db.query_one("SELECT name FROM sqlite_master WHERE name='extra'") is None
    db.close()


def test_callable_migration(tmp_path):
    def add_index(conn):
        conn.execute("CREATE INDEX jobs_model ON jobs(model)")

    db = Database(tmp_path / "s.db", migrations=(*MIGRATIONS, add_index))
    assert db.schema_version == len(MIGRATIONS) + 1
    assert db.query_one("SELECT name FROM sqlite_master WHERE name='jobs_model'") is not None
    db.close()


def test_transaction_rolls_back_on_error(tmp_path):
    db = Database(tmp_path / "s.db")
    with pytest.raises(RuntimeError), db.transaction() as conn:
        conn.execute(
            "INSERT INTO jobs (kind, state, request_json, created_at, updated_at) "
            "VALUES ('song', 'queued', '{}', 1, 1)"
        )
        raise RuntimeError("boom")
    assert db.query_one("SELECT COUNT(*) FROM jobs")[0] == 0
    db.close()


def test_foreign_key_enforced(tmp_path):
    db = Database(tmp_path / "s.db")
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO tracks (result_id, job_id, created_at) VALUES ('r', 999, 1)")
    db.close()


def test_threads_share_one_connection(tmp_path):
    db = Database(tmp_path / "s.db")
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            for i in range(50):
                with db.transaction() as conn:
                    conn.execute(
                        "INSERT INTO jobs (kind, state, request_json, created_at, updated_at) "
                        "VALUES ('song', 'queued', ?, ?, ?)",
                        (f"{n}-{i}", i, i),
                    )
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert db.query_one("SELECT COUNT(*) FROM jobs")[0] == 200
    db.close()


def test_a_version_1_database_gains_the_job_owner_column(tmp_path):
    path = tmp_path / "old.db"
    Database(path, migrations=MIGRATIONS[:1]).close()
    db = Database(path)
    assert db.schema_version == len(MIGRATIONS)
    columns = {row[1] for row in db.query("PRAGMA table_info(jobs)")}
    assert {"owner_pid", "draft_id"} <= columns
    db.close()
