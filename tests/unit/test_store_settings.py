"""Settings: defaults, round trip, and no crash on damaged or odd files."""

from __future__ import annotations

import json

import pytest

from sunodesk.store.settings import Settings, load_settings, save_settings


def test_defaults_when_missing(tmp_path):
    s = load_settings(tmp_path)
    assert s == Settings()
    assert (s.artist_name, s.id3_version, s.library_dir, s.parallel_jobs, s.base_url) == (
        "Suno",
        4,
        None,
        2,
        None,
    )
    assert s.library_path(tmp_path) == tmp_path / "Library"


def test_round_trip(tmp_path):
    s = Settings(
        artist_name="Me",
        id3_version=3,
        library_dir=str(tmp_path / "Music"),
        parallel_jobs=4,
        base_url="http://127.0.0.1:8765",
    )
    path = save_settings(tmp_path, s)
    assert path == tmp_path / "settings.json"
    assert json.loads(path.read_text())["artist_name"] == "Me"
    assert load_settings(tmp_path) == s
    assert s.library_path(tmp_path) == tmp_path / "Music"
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]  # no temp left


@pytest.mark.parametrize("content", ["", "{", "not json", "[1, 2]", "null", "\x00\xff"])
def test_damaged_file_gives_defaults(tmp_path, content):
    (tmp_path / "settings.json").write_text(content, encoding="utf-8", errors="replace")
    assert load_settings(tmp_path) == Settings()


def test_invalid_values_fall_back_one_by_one(tmp_path):
    (tmp_path / "settings.json").write_text(
        json.dumps(
            {
                "artist_name": "  ",
                "id3_version": 2,
                "library_dir": 42,
                "parallel_jobs": True,
                "base_url": "ftp://x",
                "unknown": "ignored",
            }
        )
    )
    assert load_settings(tmp_path) == Settings()
    (tmp_path / "settings.json").write_text(
        json.dumps(
            {
                "artist_name": " Band ",
                "id3_version": 3,
                "parallel_jobs": 99,
            }
        )
    )
    s = load_settings(tmp_path)
    assert (s.artist_name, s.id3_version, s.parallel_jobs) == ("Band", 3, 2)


def test_with_changes_validates(tmp_path):
    s = Settings(id3_version=3).with_changes(parallel_jobs=3, id3_version="3")
    assert s.parallel_jobs == 3 and s.id3_version == 4  # a string is not a version
    with pytest.raises(AttributeError):
        s.parallel_jobs = 5  # frozen


def test_deeply_nested_file_is_set_aside_with_one_sentence(tmp_path):
    from sunodesk.store.settings import take_notices

    path = tmp_path / "settings.json"
    path.write_text("[" * 200_000, encoding="utf-8")
    assert load_settings(tmp_path) == Settings()  # RecursionError escaped before
    assert not path.exists()
    (aside,) = tmp_path.glob("settings.json.broken-*")
    assert aside.read_text(encoding="utf-8") == "[" * 200_000  # kept byte for byte
    (notice,) = take_notices(tmp_path)
    assert "damaged" in notice and aside.name in notice
    assert take_notices(tmp_path) == []  # said once
    assert load_settings(tmp_path) == Settings() and take_notices(tmp_path) == []
    # a second broken file never overwrites the first one set aside
    path.write_text("{", encoding="utf-8")
    load_settings(tmp_path)
    assert len(list(tmp_path.glob("settings.json.broken-*"))) == 2
    assert aside.read_text(encoding="utf-8") == "[" * 200_000


@pytest.mark.parametrize("content", ["[1, 2]", '"text"', "42", "\xff\xfe{", "{" * 5])
def test_wrong_shape_is_set_aside_with_a_sentence(tmp_path, content):
    from sunodesk.store.settings import take_notices

    (tmp_path / "settings.json").write_bytes(content.encode("latin-1"))
    assert load_settings(tmp_path) == Settings()
    assert len(take_notices(tmp_path)) == 1
    assert len(list(tmp_path.glob("settings.json.broken-*"))) == 1


def test_wrong_types_default_per_field_and_say_which(tmp_path):
    from sunodesk.store.settings import take_notices

    path = tmp_path / "settings.json"
    path.write_text(
        json.dumps({"artist_name": "Band", "id3_version": "3", "parallel_jobs": [2]}),
        encoding="utf-8",
    )
    s = load_settings(tmp_path)
    assert (s.artist_name, s.id3_version, s.parallel_jobs) == ("Band", 4, 2)
    (notice,) = take_notices(tmp_path)
    assert "id3_version" in notice and "parallel_jobs" in notice and "artist_name" not in notice
    assert path.exists()  # the usable values in it are still in use
    save_settings(tmp_path, s)
    load_settings(tmp_path)
    assert take_notices(tmp_path) == []  # a file sunodesk wrote is never reported


@pytest.mark.parametrize(
    ("stored", "expected"),
    [("dark", "dark"), ("light", "light"), ("system", "system"), ("Dark", "system"),
     (1, "system"), (None, "system"), ("", "system")],
)  # fmt: skip
def test_theme_is_kept_when_known_and_defaults_to_system(tmp_path, stored, expected):
    (tmp_path / "settings.json").write_text(json.dumps({"theme": stored}), encoding="utf-8")
    assert load_settings(tmp_path).theme == expected
    assert Settings().theme == "system"
