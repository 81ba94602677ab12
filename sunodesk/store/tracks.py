"""The tracks table: one row per take, keyed by its UNIQUE ``result_id``.

Library search uses ``track_search`` (a trigram full-text index of title, style and lyrics,
case-folded), kept in step with ``tracks`` inside the same transaction.

A take is filed as ``pending`` the moment its task completes (so no resume, retry or double
event can file it twice), then marked ``done`` with its path once the tagged file is in place,
or ``expired`` when its links died first.
"""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from sunodesk.core.models import FileState, Take, Track, TrackState
from sunodesk.core.search import search_text
from sunodesk.store.db import Database

_BASE = (
    "id, result_id, job_id, task_id, title, path, model, style, duration, persona_id, state, "
    "audio_url, image_url, created_at, favourite, rating, file_state, imported, album, artist"
)
# One track: its own request, else (rows filed before schema 3) its job's.
_COLUMNS = (
    _BASE + ", COALESCE(request_json, (SELECT j.request_json FROM jobs j WHERE j.id = job_id))"
)
# Many tracks (the library list): the request is read per track when it is shown.
_LIST_COLUMNS = _BASE + ", NULL"


def row_to_track(row: sqlite3.Row | tuple) -> Track:
    """A Track from a row selected with ``_COLUMNS`` (by position: fast for big lists)."""
    (id_, result_id, job_id, task_id, title, path, model, style, duration, persona_id, state,
     audio_url, image_url, created_at, favourite, rating, file_state, imported, album, artist,
     request_json) = tuple(row)  # fmt: skip
    return Track(
        result_id=result_id, job_id=job_id, task_id=task_id or "", title=title or "",
        path=path, model=model or "", style=style or "", duration=duration,
        persona_id=persona_id, state=TrackState(state), created_at=created_at, audio_url=audio_url,
        image_url=image_url, id=id_, favourite=bool(favourite), rating=int(rating or 0),
        file_state=FileState(file_state or "ok"), imported=bool(imported), album=album or "",
        artist=artist or "", request_json=request_json,
    )  # fmt: skip


class TrackRepo:
    """Tracks over one :class:`Database`."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._fts = db.has_fts

    def add_pending(
        self,
        job_id: int,
        task_id: str,
        take: Take,
        model: str = "",
        style: str = "",
        persona_id: str | None = None,
        lyrics: str = "",
        request_json: str | None = None,
    ) -> bool:
        """File a take as pending; returns False (and changes nothing) if it is already filed.

        ``request_json`` is the exact request the take came from (shown in the library and
        reusable from there)."""
        title, style = take.title or "", style or take.tags or ""
        with self.db.transaction() as conn:
            cur = conn.execute(
                "INSERT OR IGNORE INTO tracks (result_id, job_id, task_id, title, model, style, "
                "duration, persona_id, state, audio_url, image_url, lyrics, created_at, "
                "request_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?)",
                (
                    take.result_id, job_id, task_id or "", title, model or "", style,
                    take.duration, persona_id or None, take.audio_url, take.image_url,
                    lyrics or "", time.time(), request_json,
                ),
            )  # fmt: skip
            if cur.rowcount != 1:
                return False
            conn.execute(
                "INSERT INTO track_search (rowid, text) VALUES (?, ?)",
                (cur.lastrowid, search_text(title, style, lyrics)),
            )
            return True

    def _set(self, result_id: str, sql: str, params: tuple[Any, ...]) -> Track | None:
        with self.db.transaction() as conn:
            conn.execute(f"UPDATE tracks SET {sql} WHERE result_id = ?", (*params, result_id))
            row = conn.execute(
                f"SELECT {_COLUMNS} FROM tracks WHERE result_id = ?", (result_id,)
            ).fetchone()
        return row_to_track(row) if row else None

    def refresh_urls(
        self, result_id: str, audio_url: str | None, image_url: str | None
    ) -> Track | None:
        """New links from a fresh poll (a retry after expiry may get working ones)."""
        return self._set(result_id, "audio_url = ?, image_url = ?", (audio_url, image_url))

    def set_path(self, result_id: str, path: str) -> Track | None:
        """Record where a take is about to land (still pending), so a crash can be healed."""
        return self._set(result_id, "path = ?", (str(path),))

    def mark_done(self, result_id: str, path: str, duration: float | None) -> Track | None:
        return self._set(
            result_id, "state = 'done', path = ?, duration = COALESCE(?, duration)",
            (str(path), duration),
        )  # fmt: skip

    def mark_expired(self, result_id: str) -> Track | None:
        return self._set(result_id, "state = 'expired'", ())

    def get(self, result_id: str) -> Track | None:
        row = self.db.query_one(f"SELECT {_COLUMNS} FROM tracks WHERE result_id = ?", (result_id,))
        return row_to_track(row) if row else None

    def lyrics(self, result_id: str) -> str | None:
        """The lyrics filed with a take (core.models.Track does not carry them)."""
        row = self.db.query_one("SELECT lyrics FROM tracks WHERE result_id = ?", (result_id,))
        return row["lyrics"] if row else None

    def for_job(self, job_id: int) -> list[Track]:
        rows = self.db.query(
            f"SELECT {_LIST_COLUMNS} FROM tracks WHERE job_id = ? ORDER BY id", (job_id,)
        )
        return [row_to_track(r) for r in rows]

    def _where(self, search: str | None, state: str | None) -> tuple[str, list[Any]]:
        where: list[str] = []
        params: list[Any] = []
        words = [w.casefold() for w in (search or "").split()]
        if words:
            indexed = [w for w in words if len(w) >= 3] if self._fts else []
            conditions = ["instr(text, ?) > 0" for w in words if w not in indexed]
            sub_params: list[Any] = [w for w in words if w not in indexed]
            if indexed:  # the trigram index needs 3+ characters per word; it narrows first
                conditions.insert(0, "track_search MATCH ?")
                sub_params.insert(0, " ".join('"' + w.replace('"', '""') + '"' for w in indexed))
            where.append(f"id IN (SELECT rowid FROM track_search WHERE {' AND '.join(conditions)})")
            params.extend(sub_params)
        if state is not None:
            where.append("state = ?")
            params.append(state)
        return (" WHERE " + " AND ".join(where) if where else ""), params

    def recent(
        self, search: str | None = None, limit: int | None = None, state: str | None = None
    ) -> list[Track]:
        """Tracks, newest first. Every word of ``search`` must appear (case-insensitively,
        any script) in the title, style or lyrics."""
        where, params = self._where(search, state)
        sql = f"SELECT {_LIST_COLUMNS} FROM tracks{where} ORDER BY created_at DESC, id DESC"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        return [row_to_track(r) for r in self.db.query(sql, params, raw=True)]

    def matching_ids(self, search: str | None, state: str | None = None) -> set[str]:
        """The result ids a search matches: cheap enough to re-filter a loaded list per key."""
        where, params = self._where(search, state)
        rows = self.db.query(f"SELECT result_id FROM tracks{where}", params, raw=True)
        return {r[0] for r in rows}

    def count(self, state: str | None = None) -> int:
        if state is None:
            row = self.db.query_one("SELECT COUNT(*) FROM tracks")
        else:
            row = self.db.query_one("SELECT COUNT(*) FROM tracks WHERE state = ?", (state,))
        return int(row[0]) if row else 0

    # -- the library ------------------------------------------------------------------------

    def library(self) -> list[Track]:
        """Every filed track (state done), newest first: what the library window lists."""
        return self.recent(state="done")

    def add_imported(
        self,
        result_id: str,
        path: str,
        title: str,
        *,
        task_id: str = "",
        model: str = "",
        style: str = "",
        duration: float | None = None,
        persona_id: str | None = None,
        lyrics: str = "",
        album: str = "",
        artist: str = "",
        request_json: str | None = None,
        created_at: float | None = None,
    ) -> Track | None:
        """A track added from an existing file; None (nothing changed) when already filed."""
        with self.db.transaction() as conn:
            cur = conn.execute(
                "INSERT OR IGNORE INTO tracks (result_id, job_id, task_id, title, path, model, "
                "style, duration, persona_id, state, lyrics, album, artist, request_json, "
                "imported, created_at) VALUES (?, NULL, ?, ?, ?, ?, ?, ?, ?, 'done', ?, ?, ?, ?, "
                "1, ?)",
                (
                    result_id, task_id, title, str(path), model, style, duration,
                    persona_id or None, lyrics, album, artist, request_json,
                    created_at if created_at is not None else time.time(),
                ),
            )  # fmt: skip
            if cur.rowcount != 1:
                return None
            conn.execute(
                "INSERT INTO track_search (rowid, text) VALUES (?, ?)",
                (cur.lastrowid, search_text(title, style, lyrics)),
            )
        return self.get(result_id)

    def set_favourite(self, result_id: str, favourite: bool) -> Track | None:
        return self._set(result_id, "favourite = ?", (1 if favourite else 0,))

    def set_rating(self, result_id: str, rating: int) -> Track | None:
        return self._set(result_id, "rating = ?", (max(0, min(5, int(rating))),))

    def set_file_state(self, result_id: str, file_state: FileState | str) -> Track | None:
        if file_state not in {state.value for state in FileState}:
            raise ValueError(f"unknown file state {file_state!r}")
        return self._set(result_id, "file_state = ?", (FileState(file_state).value,))

    def move_file(self, result_id: str, path: str) -> Track | None:
        """The file was found under a new name (renamed outside the app)."""
        return self._set(result_id, "path = ?, file_state = 'ok'", (str(path),))

    def update_tags(
        self,
        result_id: str,
        *,
        title: str,
        artist: str,
        album: str,
        lyrics: str,
        style: str | None = None,
        file_state: FileState | str = FileState.OK,
        request_json: str | None = None,
    ) -> Track | None:
        """What the file's tags now say (after an edit, or a re-tag seen by a rescan).

        ``style`` and ``request_json`` stay as they are when None."""
        with self.db.transaction() as conn:
            row = conn.execute(
                "SELECT id, style FROM tracks WHERE result_id = ?", (result_id,)
            ).fetchone()
            if row is None:
                return None
            style = row[1] if style is None else style
            conn.execute(
                "UPDATE tracks SET title = ?, artist = ?, album = ?, lyrics = ?, style = ?, "
                "file_state = ?, request_json = COALESCE(?, request_json) WHERE id = ?",
                (
                    title, artist, album, lyrics, style, FileState(file_state).value,
                    request_json, row[0],
                ),
            )  # fmt: skip
            conn.execute("DELETE FROM track_search WHERE rowid = ?", (row[0],))
            conn.execute(
                "INSERT INTO track_search (rowid, text) VALUES (?, ?)",
                (row[0], search_text(title, style, lyrics)),
            )
        return self.get(result_id)

    def delete(self, result_id: str) -> bool:
        """Forget a track (its file is the caller's business); False when it was not there."""
        with self.db.transaction() as conn:
            row = conn.execute("SELECT id FROM tracks WHERE result_id = ?", (result_id,)).fetchone()
            if row is None:
                return False
            conn.execute("DELETE FROM track_search WHERE rowid = ?", (row[0],))
            conn.execute("DELETE FROM tracks WHERE id = ?", (row[0],))
        return True

    def tag_view(self, result_id: str) -> dict[str, str] | None:
        """The tag-like fields the database holds for a track (a rescan compares them)."""
        row = self.db.query_one(
            "SELECT title, artist, album, lyrics, path FROM tracks WHERE result_id = ?",
            (result_id,),
        )
        return dict(row) if row else None

    def search_texts(self, result_ids: list[str] | None = None) -> list[tuple[str, str]]:
        """(result id, what a search looks in) for every filed track, or for ``result_ids``:
        the window keeps these in memory so a keystroke never waits for the disk."""
        sql = (
            "SELECT t.result_id, s.text FROM tracks t JOIN track_search s ON s.rowid = t.id "
            "WHERE t.state = 'done'"
        )
        if result_ids is None:
            return [tuple(r) for r in self.db.query(sql, raw=True)]
        found: list[tuple[str, str]] = []
        for start in range(0, len(result_ids), 500):
            chunk = result_ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found += [
                tuple(r)
                for r in self.db.query(f"{sql} AND t.result_id IN ({marks})", chunk, raw=True)
            ]
        return found
