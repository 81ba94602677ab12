"""The personas table: personas this app created (the API cannot list them).

A take may source at most one persona: ``source_result_id`` is UNIQUE, and a persona job still
in flight for a take counts as taking it (:meth:`PersonaRepo.pending_for_result`).
"""

from __future__ import annotations

import sqlite3
import time

from sunodesk.core.jobstate import JobState
from sunodesk.core.models import Job, Persona
from sunodesk.store.db import Database
from sunodesk.store.jobs import row_to_job

# Persona jobs in these states no longer hold their source take: nothing was created
# (rejected, failed) or the persona row itself now records it (done).
_RELEASED = (JobState.REJECTED.value, JobState.FAILED.value, JobState.DONE.value)


class PersonaConflict(ValueError):
    """That take already sourced a different persona."""


class AmbiguousPersona(LookupError):
    """More than one persona has that name; the message lists their ids."""


def row_to_persona(row: sqlite3.Row) -> Persona:
    return Persona(
        persona_id=row["persona_id"], name=row["name"], description=row["description"] or "",
        source_task_id=row["source_task_id"] or "",
        source_result_id=row["source_result_id"] or "", created_at=row["created_at"],
        id=row["id"],
    )  # fmt: skip


class PersonaRepo:
    """Personas over one :class:`Database`."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def add(
        self,
        persona_id: str,
        name: str,
        description: str = "",
        source_task_id: str = "",
        source_result_id: str = "",
        job_id: int | None = None,
    ) -> Persona:
        """Record a persona. Recording the same persona id again returns the stored row;
        a second persona for the same source take raises :class:`PersonaConflict`."""
        if not persona_id or not name.strip():
            raise ValueError("a persona needs an id and a name")
        with self.db.transaction() as conn:
            row = conn.execute(
                "SELECT * FROM personas WHERE persona_id = ?", (persona_id,)
            ).fetchone()
            if row is not None:
                return row_to_persona(row)
            try:
                conn.execute(
                    "INSERT INTO personas (persona_id, name, description, source_task_id, "
                    "source_result_id, job_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (persona_id, name.strip(), description, source_task_id,
                     source_result_id or None, job_id, time.time()),
                )  # fmt: skip
            except sqlite3.IntegrityError as exc:
                raise PersonaConflict(f"take {source_result_id} already has a persona") from exc
            row = conn.execute(
                "SELECT * FROM personas WHERE persona_id = ?", (persona_id,)
            ).fetchone()
        return row_to_persona(row)

    def all(self) -> list[Persona]:
        rows = self.db.query("SELECT * FROM personas ORDER BY name COLLATE NOCASE, id")
        return [row_to_persona(r) for r in rows]

    def get(self, persona_id: str) -> Persona | None:
        row = self.db.query_one("SELECT * FROM personas WHERE persona_id = ?", (persona_id,))
        return row_to_persona(row) if row else None

    def find(self, name_or_id: str) -> Persona | None:
        """By exact persona id, else by name ignoring case; None when nothing matches.

        Raises :class:`AmbiguousPersona` when several personas share that name.
        """
        key = (name_or_id or "").strip()
        if not key:
            return None
        exact = self.get(key)
        if exact is not None:
            return exact
        wanted = key.casefold()
        matches = [
            row_to_persona(r)
            for r in self.db.query("SELECT * FROM personas WHERE sd_fold(name) = ?", (wanted,))
        ]
        if len(matches) > 1:
            ids = ", ".join(p.persona_id for p in matches)
            raise AmbiguousPersona(
                f"{len(matches)} personas are named “{key}”; use one of their ids: {ids}"
            )
        return matches[0] if matches else None

    def for_result(self, result_id: str) -> Persona | None:
        row = self.db.query_one("SELECT * FROM personas WHERE source_result_id = ?", (result_id,))
        return row_to_persona(row) if row else None

    def usage_count(self, persona_id: str) -> int:
        """How many tracks were made with this persona."""
        row = self.db.query_one("SELECT COUNT(*) FROM tracks WHERE persona_id = ?", (persona_id,))
        return int(row[0]) if row else 0

    def pending_for_result(self, result_id: str) -> Job | None:
        """A persona job in flight (or of unknown outcome) whose source is this take."""
        placeholders = ", ".join("?" * len(_RELEASED))
        row = self.db.query_one(
            "SELECT * FROM jobs WHERE kind = 'persona' "
            "AND json_extract(request_json, '$.result_id') = ? "
            f"AND state NOT IN ({placeholders}) ORDER BY id DESC LIMIT 1",
            (result_id, *_RELEASED),
        )
        return row_to_job(row) if row else None

    def is_taken(self, result_id: str) -> bool:
        """True when the take already sourced a persona or one is being made from it
        (a persona removed from the list still exists on the server, so its take stays taken)."""
        return (
            self.for_result(result_id) is not None
            or (self.pending_for_result(result_id) is not None)
            or self.db.query_one(
                "SELECT 1 FROM jobs WHERE kind = 'persona' AND state = 'done' "
                "AND json_extract(request_json, '$.result_id') = ? LIMIT 1",
                (result_id,),
            )
            is not None
        )

    # -- local edits (the API has no way to change or delete a persona) --------------------------

    def rename(self, persona_id: str, name: str) -> Persona | None:
        """Rename locally (the name is only ever used here: the artist tag, the lists)."""
        name = " ".join((name or "").split())
        if not name:
            raise ValueError("a persona needs a name")
        self.db.execute(
            "UPDATE personas SET name = ? WHERE persona_id = ?", (name[:80], persona_id)
        )
        return self.get(persona_id)

    def describe(self, persona_id: str, description: str) -> Persona | None:
        """Change the local description (the server keeps the one it was created with)."""
        self.db.execute(
            "UPDATE personas SET description = ? WHERE persona_id = ?",
            ((description or "").strip()[:1000], persona_id),
        )
        return self.get(persona_id)

    def remove(self, persona_id: str) -> bool:
        """Forget a persona locally. The copy on the server cannot be deleted; its source take
        stays taken (see :meth:`is_taken`) and tracks made with it keep its id."""
        return (
            self.db.execute("DELETE FROM personas WHERE persona_id = ?", (persona_id,)).rowcount > 0
        )

    def list_with_usage(self) -> list[tuple[Persona, int, str, str]]:
        """Every persona with its usage count and its source take's title and file path."""
        rows = self.db.query(
            "SELECT p.*, (SELECT COUNT(*) FROM tracks u WHERE u.persona_id = p.persona_id) "
            "AS uses, COALESCE(s.title, '') AS source_title, COALESCE(s.path, '') AS "
            "source_path FROM personas p LEFT JOIN tracks s ON s.result_id = p.source_result_id "
            "ORDER BY p.name COLLATE NOCASE, p.id"
        )
        return [
            (row_to_persona(r), int(r["uses"]), r["source_title"], r["source_path"]) for r in rows
        ]

    def create_job_if_free(self, result_id: str, request_json: str) -> Job | None:
        """Commit a persona job for this take unless the take is already taken; the check and
        the insert are one transaction, so a double click cannot send two persona requests."""
        from sunodesk.store.jobs import JobRepo

        with self.db.transaction():
            if self.is_taken(result_id):
                return None
            return JobRepo(self.db).create_job("persona", request_json, "suno-persona")


def persona_pending_for_result(db: Database, result_id: str) -> Job | None:
    """Module-level form of :meth:`PersonaRepo.pending_for_result`."""
    return PersonaRepo(db).pending_for_result(result_id)
