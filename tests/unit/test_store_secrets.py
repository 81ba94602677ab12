"""The API key: environment first, keyring when it works, else a 0600 file; masking."""

from __future__ import annotations

import os
import stat

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from sunodesk.store import secrets


class MemoryKeyring(KeyringBackend):
    """A working keyring that lives in memory (never the user's real one)."""

    priority = 1

    def __init__(self):
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.store.get((service, username))

    def set_password(self, service, username, password):
        self.store[(service, username)] = password

    def delete_password(self, service, username):
        self.store.pop((service, username), None)


@pytest.fixture
def no_keyring(monkeypatch):
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    monkeypatch.delenv("SUNODESK_API_KEY", raising=False)
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def memory_keyring(monkeypatch):
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    monkeypatch.delenv("SUNODESK_API_KEY", raising=False)
    yield backend
    keyring.set_keyring(previous)


KEY = "sk-abcdefghijklmnopqrstuvwxyz0123"


def test_nothing_configured(tmp_path, no_keyring):
    assert secrets.get_api_key(tmp_path) == (None, "none")
    assert secrets.storage_note(tmp_path) is None


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_file_fallback_is_private(tmp_path, no_keyring):
    assert not secrets.keyring_available()
    where = secrets.set_api_key(tmp_path, f"  {KEY}\n")
    assert where == "file (keyring unavailable)"
    path = tmp_path / "api_key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert secrets.get_api_key(tmp_path) == (KEY, "file (keyring unavailable)")
    note = secrets.storage_note(tmp_path)
    assert note and "keyring" in note and str(path) in note and KEY not in note
    os.chmod(path, 0o644)  # loosened by someone else: tightened on the next read
    secrets.get_api_key(tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    secrets.clear_api_key(tmp_path)
    assert not path.exists()


def test_environment_wins(tmp_path, no_keyring, monkeypatch):
    secrets.set_api_key(tmp_path, KEY)
    monkeypatch.setenv("SUNODESK_API_KEY", " sk-from-env-123456 ")
    assert secrets.get_api_key(tmp_path) == ("sk-from-env-123456", "environment")


def test_working_keyring_is_used_and_file_removed(tmp_path, memory_keyring):
    (tmp_path / "api_key").write_text("old-file-key")
    assert secrets.keyring_available()
    assert secrets.set_api_key(tmp_path, KEY) == "keyring"
    assert memory_keyring.store[("sunodesk", "evolink")] == KEY
    assert not (tmp_path / "api_key").exists()
    assert secrets.get_api_key(tmp_path) == (KEY, "keyring")
    assert secrets.storage_note(tmp_path) is None
    secrets.clear_api_key(tmp_path)
    assert secrets.get_api_key(tmp_path) == (None, "none")


def test_broken_keyring_falls_back_to_file(tmp_path, memory_keyring, monkeypatch):
    def broken(*args):
        raise keyring.errors.KeyringError("locked")

    monkeypatch.setattr(memory_keyring, "set_password", broken)
    assert secrets.set_api_key(tmp_path, KEY) == "file (keyring unavailable)"
    assert (tmp_path / "api_key").read_text().strip() == KEY


def test_rejects_blank_or_spaced_keys(tmp_path, no_keyring):
    for bad in ("", "   ", "two words"):
        with pytest.raises(ValueError):
            secrets.set_api_key(tmp_path, bad)
    assert not (tmp_path / "api_key").exists()


def test_mask_reveals_at_most_four_characters():
    assert secrets.mask(KEY) == "sk-a…***"
    assert secrets.mask("short") == "***"
    assert secrets.mask("") == "(none)" and secrets.mask(None) == "(none)"
    for key in (KEY, "abcdefghijklmnop", "x" * 12):
        shown = secrets.mask(key).replace("…***", "")
        assert len(shown) <= 4 and key[4:] not in secrets.mask(key)


def test_delete_api_key_removes_the_file_and_the_keyring_entry(tmp_path, no_keyring, monkeypatch):
    monkeypatch.delenv("SUNODESK_API_KEY", raising=False)
    secrets.set_api_key(tmp_path, KEY)
    assert secrets.delete_api_key(tmp_path) is False  # nothing configured any more
    assert secrets.get_api_key(tmp_path) == (None, "none")
    assert not (tmp_path / "api_key").exists()


def test_delete_api_key_from_the_keyring(tmp_path, memory_keyring, monkeypatch):
    monkeypatch.delenv("SUNODESK_API_KEY", raising=False)
    secrets.set_api_key(tmp_path, KEY)
    assert secrets.delete_api_key(tmp_path) is False
    assert ("sunodesk", "evolink") not in memory_keyring.store


def test_delete_api_key_says_the_environment_key_stays(tmp_path, no_keyring, monkeypatch):
    secrets.set_api_key(tmp_path, KEY)
    monkeypatch.setenv("SUNODESK_API_KEY", "sk-from-env-123456")
    assert secrets.delete_api_key(tmp_path) is True
    assert not (tmp_path / "api_key").exists()
    assert secrets.get_api_key(tmp_path) == ("sk-from-env-123456", "environment")
