"""The drafts and draft_snapshots tables: named form states and the requests sent from them.

Autosave calls :meth:`DraftRepo.save` every second or so while someone types, so it is one
cheap UPDATE that writes nothing when the text did not change. The database runs in WAL mode
with ``synchronous=NORMAL``: a committed save is in the WAL file (the OS has it) when
``save`` returns, so killing the process, even with SIGKILL, cannot lose it; only a power cut
before the next checkpoint could.

Deleting is soft (``deleted_at``), so it can be undone; :meth:`purge_deleted` empties the bin.
A generation from a draft is linked both ways in one transaction with the job row
(:meth:`create_job`): ``jobs.draft_id`` and a ``draft_snapshots`` row with the exact request.
Tracks link back through their job.
"""

from __future__ import annotations

import sqlite3
import time

from sunodesk.core.drafts import DEFAULT_NAME, Draft, DraftSnapshot, clean_name
from sunodesk.core.models import Job, SongRequest
from sunodesk.store.db import Database, inserted_id
from sunodesk.store.jobs import JobRepo


def row_to_draft(row: sqlite3.Row) -> Draft:
    return Draft(
        id=row["id"],
        name=row["name"],
        request_json=row["request_json"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        deleted_at=row["deleted_at"],
    )


class DraftRepo:
    """Drafts over one :class:`Database`."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # -- drafts --------------------------------------------------------------------------------

    def create(self, name: str = DEFAULT_NAME, request_json: str | None = None) -> Draft:
        now = time.time()
        with self.db.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO drafts (name, request_json, created_at, updated_at) "
                "VALUES (?, ?, ?, ?)",
                (clean_name(name), request_json or SongRequest().to_json(), now, now),
            )
            draft_id = inserted_id(cur)
        created = self.get(draft_id)
        assert created is not None  # committed just above; drafts are only soft-deleted
        return created

    def get(self, draft_id: int) -> Draft | None:
        row = self.db.query_one("SELECT * FROM drafts WHERE id = ?", (draft_id,))
        return row_to_draft(row) if row else None

    def all(self, include_deleted: bool = False) -> list[Draft]:
        """Most recently used first."""
        where = "" if include_deleted else "WHERE deleted_at IS NULL"
        rows = self.db.query(f"SELECT * FROM drafts {where} ORDER BY updated_at DESC, id DESC")
        return [row_to_draft(r) for r in rows]

    def latest(self) -> Draft | None:
        """The draft used last (the one to reopen at start)."""
        row = self.db.query_one(
            "SELECT * FROM drafts WHERE deleted_at IS NULL "
            "ORDER BY updated_at DESC, id DESC LIMIT 1"
        )
        return row_to_draft(row) if row else None

    def save(self, draft_id: int, request_json: str) -> bool:
        """Store the form state; True when something changed. Cheap when nothing did."""
        with self.db.transaction() as conn:
            cur = conn.execute(
                "UPDATE drafts SET request_json = ?, updated_at = ? "
                "WHERE id = ? AND request_json IS NOT ?",
                (request_json, time.time(), draft_id, request_json),
            )
            return cur.rowcount > 0

    def touch(self, draft_id: int) -> None:
        """Mark a draft as the one in use (so it reopens at the next start)."""
        self.db.execute("UPDATE drafts SET updated_at = ? WHERE id = ?", (time.time(), draft_id))

    def rename(self, draft_id: int, name: str) -> Draft | None:
        self.db.execute(
            "UPDATE drafts SET name = ?, updated_at = ? WHERE id = ?",
            (clean_name(name), time.time(), draft_id),
        )
        return self.get(draft_id)

    def duplicate(self, draft_id: int, name: str | None = None) -> Draft:
        source = self.get(draft_id)
        if source is None:
            raise KeyError(draft_id)
        return self.create(name or f"{source.name} copy", source.request_json)

    def delete(self, draft_id: int) -> None:
        """Soft delete: the draft leaves the list but :meth:`restore` brings it back."""
        self.db.execute(
            "UPDATE drafts SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL",
            (time.time(), draft_id),
        )

    def restore(self, draft_id: int) -> Draft | None:
        self.db.execute(
            "UPDATE drafts SET deleted_at = NULL, updated_at = ? WHERE id = ?",
            (time.time(), draft_id),
        )
        return self.get(draft_id)

    def purge_deleted(self, older_than: float = 0.0) -> int:
        """Really delete drafts in the bin for longer than ``older_than`` seconds."""
        cur = self.db.execute(
            "DELETE FROM drafts WHERE deleted_at IS NOT NULL AND deleted_at <= ?",
            (time.time() - older_than,),
        )
        return cur.rowcount

    # -- history -------------------------------------------------------------------------------

    def create_job(self, draft_id: int, request_json: str, model: str = "") -> Job:
        """Commit a song job made from a draft, with its snapshot, in one transaction."""
        jobs = JobRepo(self.db)
        with self.db.transaction() as conn:
            job = jobs.create_job("song", request_json, model)
            if conn.execute("SELECT 1 FROM drafts WHERE id = ?", (draft_id,)).fetchone():
                self.add_snapshot(draft_id, job.id, request_json)
        return job

    def add_snapshot(self, draft_id: int, job_id: int | None, request_json: str) -> DraftSnapshot:
        now = time.time()
        with self.db.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO draft_snapshots (draft_id, job_id, request_json, created_at) "
                "VALUES (?, ?, ?, ?)",
                (draft_id, job_id, request_json, now),
            )
            if job_id is not None:
                conn.execute("UPDATE jobs SET draft_id = ? WHERE id = ?", (draft_id, job_id))
            snapshot_id = inserted_id(cur)
        return DraftSnapshot(snapshot_id, draft_id, job_id, request_json, now)

    def snapshots(self, draft_id: int) -> list[DraftSnapshot]:
        """Every generation from this draft, newest first, with its job's state and takes."""
        rows = self.db.query(
            "SELECT s.*, COALESCE(j.state, '') AS job_state FROM draft_snapshots s "
            "LEFT JOIN jobs j ON j.id = s.job_id WHERE s.draft_id = ? "
            "ORDER BY s.created_at DESC, s.id DESC",
            (draft_id,),
        )
        out = []
        for row in rows:
            takes: tuple[tuple[str, str], ...] = ()
            if row["job_id"] is not None:
                takes = tuple(
                    (t["result_id"], t["path"] or "")
                    for t in self.db.query(
                        "SELECT result_id, path FROM tracks WHERE job_id = ? ORDER BY id",
                        (row["job_id"],),
                    )
                )
            out.append(
                DraftSnapshot(
                    row["id"],
                    row["draft_id"],
                    row["job_id"],
                    row["request_json"],
                    row["created_at"],
                    row["job_state"],
                    takes,
                )
            )
        return out

    def draft_for_job(self, job_id: int) -> Draft | None:
        row = self.db.query_one(
            "SELECT d.* FROM drafts d JOIN jobs j ON j.draft_id = d.id WHERE j.id = ?", (job_id,)
        )
        return row_to_draft(row) if row else None

    def draft_for_track(self, result_id: str) -> Draft | None:
        """The draft a take was generated from (take -> job -> draft)."""
        row = self.db.query_one(
            "SELECT d.* FROM drafts d JOIN jobs j ON j.draft_id = d.id "
            "JOIN tracks t ON t.job_id = j.id WHERE t.result_id = ?",
            (result_id,),
        )
        return row_to_draft(row) if row else None
