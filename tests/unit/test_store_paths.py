"""Data folder resolution: CLI value, then environment, then the per-OS default."""

from __future__ import annotations

from pathlib import Path

import platformdirs

from sunodesk.store import paths


def test_cli_value_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("SUNODESK_DATA_DIR", str(tmp_path / "env"))
    got = paths.resolve_data_dir(str(tmp_path / "cli" / "nested"))
    assert got == tmp_path / "cli" / "nested" and got.is_dir()
    assert not (tmp_path / "env").exists()


def test_env_then_default(tmp_path, monkeypatch):
    monkeypatch.setenv("SUNODESK_DATA_DIR", str(tmp_path / "env"))
    assert paths.resolve_data_dir(None) == tmp_path / "env"
    assert (tmp_path / "env").is_dir()
    monkeypatch.delenv("SUNODESK_DATA_DIR")
    monkeypatch.setattr(platformdirs, "user_data_dir", lambda name: str(tmp_path / "os" / name))
    assert paths.resolve_data_dir(None) == tmp_path / "os" / "sunodesk"


def test_relative_becomes_absolute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    got = paths.resolve_data_dir("rel")
    assert got.is_absolute() and got == tmp_path / "rel"


def test_well_known_files(tmp_path):
    assert paths.db_path(tmp_path) == tmp_path / "sunodesk.db"
    assert paths.default_library_dir(tmp_path) == tmp_path / "Library"
    assert paths.settings_path(tmp_path) == tmp_path / "settings.json"
    assert isinstance(paths.api_key_path(tmp_path), Path)
