"""Open the database and its repositories together, as the engine and the CLI use them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sunodesk.store import paths
from sunodesk.store.db import Database
from sunodesk.store.drafts import DraftRepo
from sunodesk.store.jobs import JobRepo
from sunodesk.store.personas import PersonaRepo
from sunodesk.store.presets import PresetRepo
from sunodesk.store.tracks import TrackRepo


@dataclass(frozen=True)
class Store:
    db: Database
    jobs: JobRepo
    tracks: TrackRepo
    personas: PersonaRepo
    drafts: DraftRepo
    presets: PresetRepo

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_store(data_dir: str | Path) -> Store:
    """The store in ``data_dir`` (sunodesk.db), migrated to the current schema."""
    db = Database(paths.db_path(Path(data_dir)))
    return Store(db, JobRepo(db), TrackRepo(db), PersonaRepo(db), DraftRepo(db), PresetRepo(db))
