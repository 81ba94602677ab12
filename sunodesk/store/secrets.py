"""The Evolink API key: $SUNODESK_API_KEY, else the OS keyring, else a private file.

Where no keyring backend works (headless machines), the key lives in ``data_dir/api_key``
with mode 0600 and :func:`storage_note` says so. :func:`mask` is the only form of a key that
may be shown or logged.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

import keyring
from keyring.backends import fail

from sunodesk.store import logfile, paths
from sunodesk.store.files import atomic_write_text

ENV_KEY = "SUNODESK_API_KEY"
SERVICE = "sunodesk"
USER = "evolink"
SOURCE_ENV = "environment"
SOURCE_KEYRING = "keyring"
SOURCE_FILE = "file (keyring unavailable)"
SOURCE_NONE = "none"


def keyring_available() -> bool:
    """True when a real keyring backend is configured (not the fail or null backend)."""
    try:
        backend = keyring.get_keyring()
    except Exception:
        return False
    if isinstance(backend, fail.Keyring):
        return False
    try:
        priority = float(getattr(backend, "priority", 1))
    except Exception:
        priority = 1.0
    children = getattr(backend, "backends", None)
    return priority > 0 and (children is None or bool(children))


def _read_file(data_dir: Path) -> str | None:
    path = paths.api_key_path(data_dir)
    try:
        text = path.read_text(encoding="utf-8").strip()
    except OSError:
        return None
    if os.name == "posix" and stat.S_IMODE(path.stat().st_mode) & 0o077:
        os.chmod(path, 0o600)  # someone loosened it: tighten again
    return text or None


def get_api_key(data_dir: str | Path) -> tuple[str | None, str]:
    """(key, where it came from); (None, "none") when no key is configured."""
    key, source = _find_api_key(data_dir)
    logfile.remember_secret(key)  # whatever holds it, it never reaches the log
    return key, source


def _find_api_key(data_dir: str | Path) -> tuple[str | None, str]:
    env = os.environ.get(ENV_KEY, "").strip()
    if env:
        return env, SOURCE_ENV
    if keyring_available():
        try:
            key = keyring.get_password(SERVICE, USER)
        except Exception:
            key = None
        if key:
            return key.strip(), SOURCE_KEYRING
    key = _read_file(Path(data_dir))
    if key:
        return key, SOURCE_FILE
    return None, SOURCE_NONE


def set_api_key(data_dir: str | Path, key: str) -> str:
    """Store the key; returns where: "keyring" or "file (keyring unavailable)"."""
    key = (key or "").strip()
    if not key or any(c.isspace() for c in key):
        raise ValueError("an API key is one word with no spaces")
    data_dir = Path(data_dir)
    logfile.remember_secret(key)
    if keyring_available():
        try:
            keyring.set_password(SERVICE, USER, key)
        except Exception:
            pass
        else:
            paths.api_key_path(data_dir).unlink(missing_ok=True)  # no stale plain-text copy
            return SOURCE_KEYRING
    atomic_write_text(paths.api_key_path(data_dir), key + "\n", mode=0o600)
    return SOURCE_FILE


def clear_api_key(data_dir: str | Path) -> None:
    """Forget the stored key (the keyring entry and the file); the environment is untouched."""
    if keyring_available():
        with contextlib.suppress(Exception):
            keyring.delete_password(SERVICE, USER)
    paths.api_key_path(Path(data_dir)).unlink(missing_ok=True)


def delete_api_key(data_dir: str | Path) -> bool:
    """Remove the stored key (keyring entry and file fallback).

    Returns True when a key is still configured afterwards: $SUNODESK_API_KEY cannot be removed
    from here (it belongs to the environment the app was started in).
    """
    clear_api_key(data_dir)
    return bool(os.environ.get(ENV_KEY, "").strip())


def storage_note(data_dir: str | Path) -> str | None:
    """The visible note when the key is kept in a file, else None."""
    key, source = get_api_key(data_dir)
    if key and source == SOURCE_FILE:
        return (
            f"No system keyring is available, so the API key is kept in "
            f"{paths.api_key_path(Path(data_dir))}, readable only by you."
        )
    return None


def mask(key: str | None) -> str:
    """A key as it may be shown: at most its first 4 characters, e.g. "sk-a…***"."""
    if not key:
        return "(none)"
    key = key.strip()
    if len(key) < 12:
        return "***"
    return f"{key[:4]}…***"
