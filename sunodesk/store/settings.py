"""The person's settings, kept as JSON in ``data_dir/settings.json`` and written atomically.

Loading never fails: a missing or damaged file, an unknown key or a wrong value falls back to
the default for that value.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from sunodesk.store import paths
from sunodesk.store.files import atomic_write_text

PARALLEL_MIN, PARALLEL_MAX = 1, 8
THEMES = ("system", "light", "dark")


@dataclass(frozen=True)
class Settings:
    artist_name: str = "Suno"  # TPE1 when a take has no persona
    id3_version: int = 4  # 4 or 3
    library_dir: str | None = None  # None: data_dir/Library
    parallel_jobs: int = 2
    base_url: str | None = None  # None: the real Evolink API
    theme: str = "system"  # "system" (follow the desktop), "light" or "dark"

    def library_path(self, data_dir: str | Path) -> Path:
        if self.library_dir:
            return Path(self.library_dir).expanduser()
        return paths.default_library_dir(Path(data_dir))

    def with_changes(self, **changes: Any) -> Settings:
        """A copy with ``changes`` applied and cleaned like a loaded file."""
        return from_dict({**asdict(self), **changes})


def _clean_str(value: Any, default: str | None, max_len: int = 200) -> str | None:
    if not isinstance(value, str) or not value.strip() or len(value) > max_len:
        return default
    return value.strip()


def from_dict(data: Any) -> Settings:
    """Settings from parsed JSON, keeping each valid value and defaulting the rest."""
    default = Settings()
    if not isinstance(data, dict):
        return default
    values: dict[str, Any] = {}
    values["artist_name"] = _clean_str(data.get("artist_name"), default.artist_name)
    id3 = data.get("id3_version")
    values["id3_version"] = id3 if id3 in (3, 4) and not isinstance(id3, bool) else 4
    values["library_dir"] = _clean_str(data.get("library_dir"), None, 4096)
    jobs = data.get("parallel_jobs")
    ok = (
        isinstance(jobs, int)
        and not isinstance(jobs, bool)
        and PARALLEL_MIN <= jobs <= (PARALLEL_MAX)
    )
    values["parallel_jobs"] = jobs if ok else default.parallel_jobs
    url = _clean_str(data.get("base_url"), None, 2048)
    values["base_url"] = url if url and url.lower().startswith(("http://", "https://")) else None
    theme = data.get("theme")
    values["theme"] = theme if theme in THEMES else default.theme
    return replace(default, **values)


def load_settings(data_dir: str | Path) -> Settings:
    path = paths.settings_path(Path(data_dir))
    try:
        return from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return Settings()


def save_settings(data_dir: str | Path, settings: Settings) -> Path:
    path = paths.settings_path(Path(data_dir))
    text = json.dumps(asdict(settings), indent=2, ensure_ascii=False, sort_keys=True)
    atomic_write_text(path, text + "\n")
    return path
