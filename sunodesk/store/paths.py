"""Where sunodesk keeps its data: the data folder and the well-known files inside it."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

ENV_DATA_DIR = "SUNODESK_DATA_DIR"
APP_NAME = "sunodesk"


def resolve_data_dir(cli_value: str | os.PathLike[str] | None = None) -> Path:
    """The data folder: the CLI value, else $SUNODESK_DATA_DIR, else the per-OS user data folder.

    The folder is created when missing and returned as an absolute path.
    """
    raw = cli_value if cli_value not in (None, "") else os.environ.get(ENV_DATA_DIR, "").strip()
    path = Path(raw).expanduser() if raw else Path(platformdirs.user_data_dir(APP_NAME))
    path = path.absolute()
    path.mkdir(parents=True, exist_ok=True)
    return path


def db_path(data_dir: Path) -> Path:
    return Path(data_dir) / "sunodesk.db"


def default_library_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "Library"


def settings_path(data_dir: Path) -> Path:
    return Path(data_dir) / "settings.json"


def api_key_path(data_dir: Path) -> Path:
    """The key file used only when no OS keyring works."""
    return Path(data_dir) / "api_key"
