"""The jobs table: create a job before anything is sent, and move it through its life cycle.

Every state change goes through :meth:`JobRepo.move`, which checks the move with
``core.jobstate.check_move`` inside the same write transaction that records it.
"""

from __future__ import annotations

import json
import sqlite3
import time
from typing import Any

from sunodesk.core.jobstate import FINISHED, InvalidTransition, JobState, check_move
from sunodesk.core.models import Job, PersonaRequest, SongRequest
from sunodesk.store import processes
from sunodesk.store.db import Database

KINDS = ("song", "persona")

# Columns a caller may set with move() or update(); state only through move().
UPDATABLE = frozenset({
    "progress", "task_id", "error_code", "error_message", "estimated_time",
    "credits_reserved", "takes_total", "takes_done", "submitted_at", "model",
})  # fmt: skip

_FINISHED_VALUES = tuple(sorted(s.value for s in FINISHED))


class JobNotFound(LookupError):
    """No job with that id."""


DAMAGED_REQUEST = "This job's stored request is damaged; it was left as it is."
DAMAGED_STATE = "This job's stored state {state!r} is unknown; it was left as it is."


def _damage(row: sqlite3.Row) -> tuple[JobState, str | None]:
    """The row's state, and a sentence when the row cannot be used as it is."""
    try:
        state = JobState(row["state"])
    except ValueError:
        return JobState.FAILED, DAMAGED_STATE.format(state=str(row["state"])[:40])
    kind = SongRequest if row["kind"] == "song" else PersonaRequest
    try:
        if not isinstance(row["request_json"], str):
            raise ValueError("not text")
        if not isinstance(json.loads(row["request_json"]), dict):
            raise ValueError("not an object")
        kind.from_json(row["request_json"])
    except (TypeError, ValueError, RecursionError):
        return state, DAMAGED_REQUEST
    return state, None


def row_to_job(row: sqlite3.Row) -> Job:
    """The Job of a row; a row that cannot be used comes back with ``damaged`` set."""
    state, damaged = _damage(row)
    return Job(
        id=row["id"], kind=row["kind"], state=state, damaged=damaged,
        request_json=row["request_json"] if isinstance(row["request_json"], str) else "",
        task_id=row["task_id"], progress=row["progress"] or 0, error_code=row["error_code"],
        error_message=row["error_message"], model=row["model"] or "",
        estimated_time=row["estimated_time"], credits_reserved=row["credits_reserved"],
        takes_total=row["takes_total"] or 0, takes_done=row["takes_done"] or 0,
        created_at=row["created_at"], updated_at=row["updated_at"],
        submitted_at=row["submitted_at"],
    )  # fmt: skip


def _check_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields) - UPDATABLE
    if unknown:
        raise ValueError(f"cannot set job field(s): {', '.join(sorted(unknown))}")


class JobRepo:
    """Jobs over one :class:`Database`. Every method is a committed unit of work."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def create_job(self, kind: str, request_json: str, model: str = "") -> Job:
        """Insert a queued job and commit it before returning (so it survives a crash)."""
        if kind not in KINDS:
            raise ValueError(f"job kind must be one of {KINDS}, not {kind!r}")
        now = time.time()
        with self.db.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO jobs (kind, state, request_json, model, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (kind, JobState.QUEUED.value, request_json, model or "", now, now),
            )
            row = conn.execute("SELECT * FROM jobs WHERE id = ?", (cur.lastrowid,)).fetchone()
        return row_to_job(row)

    def get_job(self, job_id: int) -> Job | None:
        row = self.db.query_one("SELECT * FROM jobs WHERE id = ?", (job_id,))
        return row_to_job(row) if row else None

    def require(self, job_id: int) -> Job:
        """The job, which must exist (jobs are never deleted); raises :class:`JobNotFound`."""
        job = self.get_job(job_id)
        if job is None:
            raise JobNotFound(f"no job {job_id}")
        return job

    def get_by_task(self, task_id: str) -> Job | None:
        row = self.db.query_one("SELECT * FROM jobs WHERE task_id = ?", (task_id,))
        return row_to_job(row) if row else None

    def list_jobs(self, unfinished_only: bool = False, limit: int | None = None) -> list[Job]:
        """Jobs, newest first; ``unfinished_only`` keeps those a restart must resume."""
        sql = "SELECT * FROM jobs"
        params: list[Any] = []
        if unfinished_only:
            sql += f" WHERE state NOT IN ({', '.join('?' * len(_FINISHED_VALUES))})"
            params.extend(_FINISHED_VALUES)
        sql += " ORDER BY id DESC"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        return [row_to_job(r) for r in self.db.query(sql, params)]

    def move(
        self,
        job_id: int,
        new_state: JobState | str,
        *,
        only_from: tuple[str, ...] | None = None,
        **fields: Any,
    ) -> Job:
        """Move a job to ``new_state`` and set ``fields``, atomically.

        Raises ``InvalidTransition`` (and changes nothing) when the life cycle forbids the move,
        or when ``only_from`` is given and the job is in none of those states (a person's
        action on a row that has moved on since it was drawn), and :class:`JobNotFound` when
        there is no such job.
        """
        _check_fields(fields)
        target = JobState(new_state)
        with self.db.transaction() as conn:
            row = conn.execute("SELECT state FROM jobs WHERE id = ?", (job_id,)).fetchone()
            if row is None:
                raise JobNotFound(f"no job {job_id}")
            if only_from is not None and row["state"] not in only_from:
                raise InvalidTransition(
                    f"job {job_id} is {row['state']}, no longer {' or '.join(only_from)}"
                )
            check_move(row["state"], target)
            return self._write(conn, job_id, {"state": target.value, **fields})

    def update(self, job_id: int, **fields: Any) -> Job:
        """Set fields (progress, takes_done …) without a state move."""
        _check_fields(fields)
        with self.db.transaction() as conn:
            if conn.execute("SELECT 1 FROM jobs WHERE id = ?", (job_id,)).fetchone() is None:
                raise JobNotFound(f"no job {job_id}")
            return self._write(conn, job_id, fields)

    def claim(self, job_id: int, pid: int) -> bool:
        """Take the lease on a job for process ``pid``; False while a live process holds it."""
        with self.db.transaction() as conn:
            row = conn.execute("SELECT owner_pid FROM jobs WHERE id = ?", (job_id,)).fetchone()
            if row is None:
                raise JobNotFound(f"no job {job_id}")
            owner = row["owner_pid"]
            if owner and owner != pid and processes.alive(owner):
                return False
            conn.execute("UPDATE jobs SET owner_pid = ? WHERE id = ?", (pid, job_id))
            return True

    def release(self, job_id: int, pid: int) -> None:
        with self.db.transaction() as conn:
            conn.execute(
                "UPDATE jobs SET owner_pid = NULL WHERE id = ? AND owner_pid = ?", (job_id, pid)
            )

    @staticmethod
    def _write(conn: sqlite3.Connection, job_id: int, values: dict[str, Any]) -> Job:
        values = {**values, "updated_at": time.time()}
        assignments = ", ".join(f"{name} = ?" for name in values)  # names are whitelisted
        conn.execute(f"UPDATE jobs SET {assignments} WHERE id = ?", (*values.values(), job_id))
        return row_to_job(conn.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone())
