"""The presets table: named style presets (styles, exclude tags, weights, model)."""

from __future__ import annotations

import time

from sunodesk.core.drafts import Preset, clean_name
from sunodesk.store.db import Database


class PresetRepo:
    """Presets over one :class:`Database`; names are unique, saving a name again replaces it."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def save(self, preset: Preset) -> Preset:
        name = clean_name(preset.name, fallback="Preset")
        now = time.time()
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT INTO presets (name, preset_json, created_at, updated_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET "
                "preset_json = excluded.preset_json, updated_at = excluded.updated_at",
                (name, preset.to_json(), now, now),
            )
        saved = self.get(name)
        assert saved is not None  # committed just above
        return saved

    def get(self, name: str) -> Preset | None:
        row = self.db.query_one("SELECT * FROM presets WHERE name = ?", (name,))
        return Preset.from_json(row["name"], row["preset_json"], row["id"]) if row else None

    def all(self) -> list[Preset]:
        rows = self.db.query("SELECT * FROM presets ORDER BY name COLLATE NOCASE")
        return [Preset.from_json(r["name"], r["preset_json"], r["id"]) for r in rows]

    def delete(self, name: str) -> bool:
        return self.db.execute("DELETE FROM presets WHERE name = ?", (name,)).rowcount > 0
