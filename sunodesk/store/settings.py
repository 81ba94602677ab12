"""The person's settings, kept as JSON in ``data_dir/settings.json`` and written atomically.

Loading never fails: a missing or damaged file, an unknown key or a wrong value falls back to
the default for that value. A file that cannot be read at all is renamed aside
(``settings.json.broken-<time>``, never overwritten) and a sentence saying so waits in
:func:`take_notices` for the front end to show once.
"""

from __future__ import annotations

import json
import threading
import time
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


SETTINGS_MAX_BYTES = 1024 * 1024  # the file is a few hundred bytes; more is not settings

_notices: dict[Path, str] = {}
_notices_lock = threading.Lock()


def from_dict(data: Any) -> Settings:
    """Settings from parsed JSON, keeping each valid value and defaulting the rest."""
    return _from_dict(data)[0]


def _from_dict(data: Any) -> tuple[Settings, list[str]]:
    """The settings and the names of the values present in ``data`` that could not be used."""
    default = Settings()
    if not isinstance(data, dict):
        return default, []
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
    rejected = [
        name
        for name, value in values.items()
        if data.get(name) is not None and value == getattr(default, name)
        and data.get(name) != value
    ]  # fmt: skip
    return replace(default, **values), rejected


def _note(data_dir: Path, sentence: str) -> None:
    with _notices_lock:
        _notices[data_dir] = sentence


def take_notices(data_dir: str | Path) -> list[str]:
    """What loading the settings of ``data_dir`` has to tell the person, once."""
    with _notices_lock:
        sentence = _notices.pop(Path(data_dir), None)
    return [sentence] if sentence else []


def _set_aside(path: Path, reason: str) -> str:
    """Rename an unreadable settings file out of the way, and say so in one sentence."""
    aside = path.with_name(f"{path.name}.broken-{time.strftime('%Y%m%d-%H%M%S')}")
    n = 2
    while aside.exists():
        aside = path.with_name(f"{path.name}.broken-{time.strftime('%Y%m%d-%H%M%S')}-{n}")
        n += 1
    try:
        path.rename(aside)
    except OSError:
        return (
            f"The settings file {path} is damaged ({reason}): using the default settings; "
            "the file was left as it is."
        )
    return (
        f"The settings file {path.name} is damaged ({reason}): using the default settings; "
        f"the file was kept as {aside.name}."
    )


def load_settings(data_dir: str | Path) -> Settings:
    """The settings of ``data_dir``; never raises (see the module docstring)."""
    data_dir = Path(data_dir)
    path = paths.settings_path(data_dir)
    try:
        with path.open("rb") as stream:
            raw = stream.read(SETTINGS_MAX_BYTES + 1)
    except FileNotFoundError:
        return Settings()
    except OSError as exc:
        _note(data_dir, f"The settings file {path} cannot be read ({exc.strerror or exc}); "
                        "sunodesk uses the default settings.")  # fmt: skip
        return Settings()
    try:
        if len(raw) > SETTINGS_MAX_BYTES:
            raise ValueError("it is far too large")
        data = json.loads(raw.decode("utf-8"))
        if not isinstance(data, dict):
            raise ValueError("it does not hold a set of settings")
    except (ValueError, RecursionError, MemoryError) as exc:
        reason = "it is nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        if isinstance(exc, UnicodeDecodeError):
            reason = "it is not UTF-8 text"
        elif isinstance(exc, json.JSONDecodeError):
            reason = "it is not valid JSON"
        _note(data_dir, _set_aside(path, reason))
        return Settings()
    settings, rejected = _from_dict(data)
    if rejected:
        _note(data_dir, f"Some settings in {path} could not be used ({', '.join(rejected)}); "
                        "they use their defaults until the settings are saved again.")  # fmt: skip
    return settings


def save_settings(data_dir: str | Path, settings: Settings) -> Path:
    path = paths.settings_path(Path(data_dir))
    text = json.dumps(asdict(settings), indent=2, ensure_ascii=False, sort_keys=True)
    atomic_write_text(path, text + "\n")
    return path
