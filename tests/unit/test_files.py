"""Safe names, unique paths, temp files, atomic writes and containment."""

from __future__ import annotations

import os
import stat
import uuid

import pytest

from sunodesk.store.files import (
    atomic_write_bytes,
    atomic_write_text,
    clean_stale_temps,
    is_inside,
    safe_filename,
    temp_path,
    unique_path,
)


def _stem(name: str) -> str:
    return name[: -len(".mp3")]


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Midnight Drive", "Midnight Drive.mp3"),
        ("AC/DC: Back in Black?", "AC_DC_ Back in Black_.mp3"),
        ("Ночной город", "Ночной город.mp3"),
        ("東京の夜", "東京の夜.mp3"),
        ("أغنية", "أغنية.mp3"),
        ("", "Untitled.mp3"),
        ("   \t\n ", "Untitled.mp3"),
        ("...", "Untitled.mp3"),
        ("../../etc/passwd", "etc_passwd.mp3"),
        ("..\\..\\windows\\system32", "windows_system32.mp3"),
        (".hidden", "hidden.mp3"),
        ("CON", "CON_.mp3"),
        ("con", "con_.mp3"),
        ("Lpt9", "Lpt9_.mp3"),
        ("COM1.old", "COM1_.old.mp3"),
        ("Console", "Console.mp3"),
        ("trailing dots...  ", "trailing dots.mp3"),
        ('a<b>c"d|e*f', "a_b_c_d_e_f.mp3"),
        ("line\nbreak\x00nul\x1b", "line breaknul.mp3"),
        ("🎵 Song 🎶", "🎵 Song 🎶.mp3"),
    ],
)
def test_safe_filename_cases(title, expected):
    assert safe_filename(title) == expected


def test_nfc_normalisation():
    decomposed = "Cafe\u0301"
    assert safe_filename(decomposed) == "Café.mp3"
    assert len(_stem(safe_filename(decomposed))) == 4


def test_max_len_80_characters():
    assert len(_stem(safe_filename("x" * 200))) == 80
    assert len(_stem(safe_filename("x" * 80))) == 80
    assert _stem(safe_filename("ab " * 40)).endswith("ab")  # no trailing space after the cut
    assert len(_stem(safe_filename("y" * 50, max_len=10))) == 10


def test_byte_limit_for_wide_scripts_and_emoji():
    for title in ("漢" * 100, "🎸" * 100, "👩‍👩‍👧" * 30):
        stem = _stem(safe_filename(title))
        assert len(stem.encode("utf-8")) <= 200
        assert len(stem) <= 80
        assert not stem.endswith("\u200d")


def test_bidi_override_removed():
    assert "\u202e" not in safe_filename("evil\u202e3pm.exe")


def test_extension_forms():
    assert safe_filename("Song", ext="png") == "Song.png"
    assert safe_filename("Song", ext=".json") == "Song.json"
    assert safe_filename("Song", ext="") == "Song"


@pytest.mark.parametrize("title", ["../../x", "/etc/passwd", "C:\\Windows\\x", "..", "a/../../b"])
def test_names_stay_inside_folder(tmp_path, title):
    name = safe_filename(title)
    assert os.sep not in name and "/" not in name and "\\" not in name
    assert not name.startswith(".")
    assert is_inside(tmp_path, tmp_path / name)


def test_unique_path(tmp_path):
    first = unique_path(tmp_path, "Song.mp3")
    assert first == tmp_path / "Song.mp3"
    first.write_bytes(b"1")
    second = unique_path(tmp_path, "Song.mp3")
    assert second == tmp_path / "Song (2).mp3"
    second.write_bytes(b"2")
    assert unique_path(tmp_path, "Song.mp3") == tmp_path / "Song (3).mp3"
    assert unique_path(tmp_path, "Other.mp3") == tmp_path / "Other.mp3"


def test_temp_path_hidden_unique_same_folder(tmp_path):
    a, b = temp_path(tmp_path), temp_path(tmp_path)
    assert a != b and a.parent == tmp_path
    assert a.name.startswith(".sunodesk-") and a.name.endswith(".part")


def test_atomic_write_replaces_and_leaves_no_temp(tmp_path):
    target = tmp_path / "sub" / "f.txt"
    atomic_write_text(target, "one")
    atomic_write_text(target, "twö")
    assert target.read_text(encoding="utf-8") == "twö"
    atomic_write_bytes(target, b"\x00\x01")
    assert target.read_bytes() == b"\x00\x01"
    assert [p.name for p in target.parent.iterdir()] == ["f.txt"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_atomic_write_mode(tmp_path):
    target = tmp_path / "secret"
    atomic_write_text(target, "k", mode=0o600)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_atomic_write_failure_keeps_old_file(tmp_path, monkeypatch):
    target = tmp_path / "f.txt"
    target.write_text("old")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        atomic_write_text(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["f.txt"]


def _dead_pid() -> int:
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_clean_stale_temps_spares_live_processes(tmp_path):
    dead = _dead_pid()
    for _ in range(3):
        (tmp_path / f".sunodesk-{dead}-{uuid.uuid4().hex}.part").write_bytes(b"x")
    mine = temp_path(tmp_path)
    mine.write_bytes(b"x")  # this process is alive: its download is left alone
    legacy = tmp_path / ".sunodesk-0123abcd.part"
    legacy.write_bytes(b"x")
    keep = tmp_path / "Song.mp3"
    keep.write_bytes(b"x")
    other_hidden = tmp_path / ".other.part"
    other_hidden.write_bytes(b"x")
    assert clean_stale_temps(tmp_path, older_than=3600) == 0  # all fresh
    assert clean_stale_temps(tmp_path) == 4
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [".other.part", "Song.mp3", mine.name]
    )
    assert clean_stale_temps(tmp_path / "missing") == 0


def test_place_unique_never_replaces_even_under_a_race(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    from sunodesk.store.files import place_unique

    temps = []
    for i in range(8):
        temp = temp_path(tmp_path)
        temp.write_bytes(str(i).encode())
        temps.append(temp)
    with ThreadPoolExecutor(8) as pool:
        placed = list(pool.map(lambda t: place_unique(t, tmp_path, "Song - take 1.mp3"), temps))
    assert len(set(placed)) == 8
    assert sorted(p.read_bytes() for p in placed) == [str(i).encode() for i in range(8)]
    assert not any(t.exists() for t in temps)
    assert (tmp_path / "Song - take 1 (8).mp3").exists()


def test_is_inside(tmp_path):
    lib = tmp_path / "Library"
    lib.mkdir()
    assert is_inside(lib, lib / "a.mp3")
    assert is_inside(lib, lib / "sub" / "b.mp3")
    assert is_inside(lib, "a.mp3")  # relative to the folder
    assert not is_inside(lib, lib)
    assert not is_inside(lib, lib / ".." / "a.mp3")
    assert not is_inside(lib, tmp_path / "Library2" / "a.mp3")
    assert not is_inside(lib, "/etc/passwd")


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_is_inside_follows_symlinks(tmp_path):
    lib = tmp_path / "Library"
    lib.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (lib / "link").symlink_to(outside)
    assert not is_inside(lib, lib / "link" / "a.mp3")
