"""The SQLite database: one locked connection, WAL mode, and ordered schema migrations.

The engine calls the store from executor threads, so the single connection is opened with
``check_same_thread=False`` and every use goes through one re-entrant lock. The schema version
is ``PRAGMA user_version``; ``MIGRATIONS[i]`` brings the schema from version i to i + 1 inside
one transaction. Adding a migration is appending one SQL script to ``MIGRATIONS``.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import urllib.parse
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

Migration = str | Callable[[sqlite3.Connection], None]

MIGRATION_1 = """
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('song', 'persona')),
    state TEXT NOT NULL,
    request_json TEXT NOT NULL,
    task_id TEXT UNIQUE,
    progress INTEGER NOT NULL DEFAULT 0,
    error_code TEXT,
    error_message TEXT,
    model TEXT NOT NULL DEFAULT '',
    estimated_time REAL,
    credits_reserved REAL,
    takes_total INTEGER NOT NULL DEFAULT 0,
    takes_done INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    submitted_at REAL
);
CREATE INDEX jobs_state ON jobs(state);

CREATE TABLE tracks (
    id INTEGER PRIMARY KEY,
    result_id TEXT NOT NULL UNIQUE,
    job_id INTEGER REFERENCES jobs(id) ON DELETE SET NULL,
    task_id TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    path TEXT,
    model TEXT NOT NULL DEFAULT '',
    style TEXT NOT NULL DEFAULT '',
    duration REAL,
    persona_id TEXT,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'expired')),
    audio_url TEXT,
    image_url TEXT,
    created_at REAL NOT NULL,
    lyrics TEXT NOT NULL DEFAULT ''  -- last: list queries never read its overflow pages
);
CREATE INDEX tracks_job ON tracks(job_id);
CREATE INDEX tracks_persona ON tracks(persona_id);
CREATE INDEX tracks_created ON tracks(created_at);

CREATE TABLE personas (
    id INTEGER PRIMARY KEY,
    persona_id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    source_task_id TEXT NOT NULL DEFAULT '',
    source_result_id TEXT UNIQUE,
    job_id INTEGER REFERENCES jobs(id) ON DELETE SET NULL,
    created_at REAL NOT NULL
);
"""


def _search_index(conn: sqlite3.Connection) -> None:
    """track_search(rowid = tracks.id, text): a trigram FTS5 index where SQLite has one,
    else a plain table (searched by scanning)."""
    try:
        conn.execute("CREATE VIRTUAL TABLE track_search USING fts5(text, tokenize='trigram')")
    except sqlite3.OperationalError:
        conn.execute("CREATE TABLE track_search (rowid INTEGER PRIMARY KEY, text TEXT NOT NULL)")


def _migration_1(conn: sqlite3.Connection) -> None:
    for statement in _statements(MIGRATION_1):
        conn.execute(statement)
    _search_index(conn)


# 2: the process that is driving a job, so a window and a `sunodesk resume` never drive the
# same job at once (which could mark an in-flight POST unknown, or file a take twice).
MIGRATION_2 = "ALTER TABLE jobs ADD COLUMN owner_pid INTEGER"

# 3: the library (favourites, ratings, files changed outside the app, imports), local
# drafts with their history of sent requests, and style presets.
MIGRATION_3 = """
ALTER TABLE tracks ADD COLUMN favourite INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tracks ADD COLUMN rating INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tracks ADD COLUMN file_state TEXT NOT NULL DEFAULT 'ok';
ALTER TABLE tracks ADD COLUMN imported INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tracks ADD COLUMN album TEXT NOT NULL DEFAULT '';
ALTER TABLE tracks ADD COLUMN artist TEXT NOT NULL DEFAULT '';
ALTER TABLE tracks ADD COLUMN request_json TEXT;
ALTER TABLE jobs ADD COLUMN draft_id INTEGER;
CREATE INDEX tracks_favourite ON tracks(favourite);
CREATE INDEX tracks_model ON tracks(model);

CREATE TABLE drafts (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    request_json TEXT NOT NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    deleted_at REAL
);
CREATE INDEX drafts_updated ON drafts(updated_at);

CREATE TABLE draft_snapshots (
    id INTEGER PRIMARY KEY,
    draft_id INTEGER NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
    job_id INTEGER REFERENCES jobs(id) ON DELETE SET NULL,
    request_json TEXT NOT NULL,
    created_at REAL NOT NULL
);
CREATE INDEX draft_snapshots_draft ON draft_snapshots(draft_id);

CREATE TABLE presets (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    preset_json TEXT NOT NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
"""

# Append new migrations here (an SQL script or a function of the connection);
# never edit one that has shipped.
MIGRATIONS: tuple[Migration, ...] = (_migration_1, MIGRATION_2, MIGRATION_3)


def inserted_id(cursor: sqlite3.Cursor) -> int:
    """The rowid of the row an INSERT on ``cursor`` just made."""
    rowid = cursor.lastrowid
    if rowid is None:  # only before any INSERT on this cursor
        raise sqlite3.InterfaceError("no row was inserted")
    return rowid


class SchemaTooNew(RuntimeError):
    """The database was written by a newer sunodesk than this one."""


class DatabaseReadOnly(RuntimeError):
    """A read-only database that would need a migration; ``message`` is the sentence."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# SQLite's result codes for a file that is not (or no longer) a sound database
_SQLITE_CORRUPT, _SQLITE_NOTADB = 11, 26
_MISSING = ("no such table", "no such column", "malformed")


class DatabaseDamaged(sqlite3.OperationalError):
    """The database file is damaged (garbage, truncated, a table missing); ``message`` is the
    sentence for the person. Nothing is ever written to repair it."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.message = f"The library database at {path} is damaged: {reason}; it was left as it is."
        super().__init__(self.message)


def _is_damage(exc: sqlite3.DatabaseError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None and code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return True
    text = str(exc).lower()
    return any(part in text for part in _MISSING) or "not a database" in text


@contextmanager
def _damage_as_sentence(path: Path) -> Iterator[None]:
    """Re-raise SQLite's damage errors as DatabaseDamaged (constraint errors pass as they are)."""
    try:
        yield
    except DatabaseDamaged:
        raise
    except sqlite3.DatabaseError as exc:
        if isinstance(exc, sqlite3.IntegrityError) or not _is_damage(exc):
            raise
        raise DatabaseDamaged(path, str(exc)) from exc


def _statements(script: str) -> Iterator[str]:
    """Split a SQL script into complete statements (so they run inside our transaction)."""
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                yield buf.strip()
            buf = ""
    if buf.strip():
        yield buf.strip()


def _fold(value: Any) -> str:
    """Unicode case folding for case-insensitive search (SQLite's lower() is ASCII-only)."""
    return value.casefold() if isinstance(value, str) else ""


class Database:
    """One SQLite file. Use :meth:`transaction` for writes and :meth:`query` for reads."""

    def __init__(
        self,
        path: str | Path,
        migrations: Sequence[Migration] = MIGRATIONS,
        busy_timeout_ms: int = 5000,
    ) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._depth = 0
        with _damage_as_sentence(self.path):
            self._open(migrations, busy_timeout_ms)

    def _connect(self, target: str, uri: bool, busy_timeout_ms: int) -> sqlite3.Connection:
        conn = sqlite3.connect(
            target, check_same_thread=False, isolation_level=None,
            timeout=busy_timeout_ms / 1000, uri=uri,
        )  # fmt: skip
        conn.row_factory = sqlite3.Row
        conn.create_function("sd_fold", 1, _fold, deterministic=True)
        return conn

    def _open(self, migrations: Sequence[Migration], busy_timeout_ms: int) -> None:
        self.read_only = False
        self._conn = self._connect(str(self.path), False, busy_timeout_ms)
        try:
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.OperationalError as exc:
            self._conn.close()
            if not self._may_read_only(exc):
                raise
            self._open_read_only(busy_timeout_ms)
        try:
            self._conn.execute("PRAGMA foreign_keys=ON")
            self._conn.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
            if self.read_only:
                self._check_current(migrations)
            else:
                self.migrate(migrations)
        except BaseException:
            self._conn.close()
            raise

    def _may_read_only(self, exc: sqlite3.OperationalError) -> bool:
        """A folder or file we may not write (a read-only mount, another user's data):
        reading is still possible when the database exists."""
        text = str(exc).lower()
        writable = os.access(self.path.parent, os.W_OK) and (
            not self.path.exists() or os.access(self.path, os.W_OK)
        )
        return self.path.is_file() and (
            "readonly" in text or "read-only" in text or "unable to open" in text or not writable
        )

    def _open_read_only(self, busy_timeout_ms: int) -> None:
        """Reopen the file read-only; immutable when its WAL index cannot be made (nothing
        can write the file meanwhile through a folder we cannot write either)."""
        target = "file:" + urllib.parse.quote(str(self.path.absolute()))
        for query in ("?mode=ro", "?mode=ro&immutable=1"):
            self._conn = self._connect(target + query, True, busy_timeout_ms)
            try:
                self._conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlite3.OperationalError:
                self._conn.close()
                if "immutable" in query:
                    raise
                continue
            self.read_only = True
            return

    def _check_current(self, migrations: Sequence[Migration]) -> None:
        """A read-only database is used as it is: only when it needs no migration."""
        current = self.schema_version
        if current != len(migrations):
            raise DatabaseReadOnly(
                f"The library database at {self.path} cannot be written (read-only) and was "
                f"made by {'a newer' if current > len(migrations) else 'an older'} sunodesk; "
                "it was left as it is."
            )

    # -- transactions -------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Hold the lock and a write transaction; commit on success, roll back on error.

        Nested use in the same thread joins the outer transaction.
        """
        with self._lock, _damage_as_sentence(self.path):
            if self._depth:
                self._depth += 1
                try:
                    yield self._conn
                finally:
                    self._depth -= 1
                return
            self._conn.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            else:
                self._conn.execute("COMMIT")
            finally:
                self._depth = 0

    def query(
        self, sql: str, params: Sequence[Any] | dict[str, Any] = (), raw: bool = False
    ) -> list[Any]:
        """All rows as ``sqlite3.Row`` (or plain tuples with ``raw``, faster for big lists)."""
        with self._lock, _damage_as_sentence(self.path):
            cur = self._conn.cursor()
            if raw:
                cur.row_factory = None
            return cur.execute(sql, params).fetchall()

    def query_one(
        self, sql: str, params: Sequence[Any] | dict[str, Any] = ()
    ) -> sqlite3.Row | None:
        with self._lock, _damage_as_sentence(self.path):
            return self._conn.execute(sql, params).fetchone()

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> sqlite3.Cursor:
        """Run one write statement in its own transaction (or the caller's)."""
        with self.transaction() as conn:
            return conn.execute(sql, params)

    # -- schema -------------------------------------------------------------------------------

    @property
    def schema_version(self) -> int:
        with self._lock:
            return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    @property
    def has_fts(self) -> bool:
        """Whether track_search is a full-text (trigram) index."""
        row = self.query_one("SELECT sql FROM sqlite_master WHERE name = 'track_search'")
        return bool(row and "fts5" in (row[0] or "").lower())

    @property
    def journal_mode(self) -> str:
        with self._lock:
            return str(self._conn.execute("PRAGMA journal_mode").fetchone()[0]).lower()

    def migrate(self, migrations: Sequence[Migration] = MIGRATIONS) -> int:
        """Apply every migration past the stored version, each in its own transaction."""
        current = self.schema_version
        if current > len(migrations):
            raise SchemaTooNew(
                f"{self.path} uses schema version {current}; this sunodesk knows up to "
                f"{len(migrations)}. Update sunodesk to open it."
            )
        for version in range(current, len(migrations)):
            step = migrations[version]
            with self.transaction() as conn:
                if callable(step):
                    step(conn)
                else:
                    for statement in _statements(step):
                        conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {version + 1}")
        return self.schema_version

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
