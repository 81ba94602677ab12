"""`sunodesk import` and `sunodesk edit` as real processes, and a library folder carried to a
second machine by a sync tool (only the folder, never the database) coming back whole there."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from sunodesk.store import library_files, tags
from sunodesk.store.store import open_store
from tests.integration.cli_helpers import cli_env, json_lines, sunodesk
from tests.unit.mp3_factory import make_mp3, png_bytes

LYRICS = "[Verse]\nSalt on the window\n[Chorus]\nWe were young\n"


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (hidden ones too) by relative path: the SHA-256 of its bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def machine_a(sandbox, tmp_path):
    """Machine A generates one song (two takes) in the sandbox; returns its data folder and job."""
    data = tmp_path / "A"
    lyrics = tmp_path / "lyrics.txt"
    lyrics.write_text(LYRICS, encoding="utf-8")
    done = sunodesk(
        "generate", "--title", "Coast Road", "--style", "pop, upbeat", "--model",
        "suno-v4.5plus-beta", "--style-weight", "0.7", "--lyrics-file", str(lyrics), "--wait",
        "--json", env=cli_env(data, sandbox.base_url),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    (job,) = json_lines(done.stdout)
    assert len(job["tracks"]) == 2
    return data, job


def synced_copy(a: Path, b: Path) -> Path:
    """What a sync tool leaves on machine B: A's library folder (mtimes kept), no database."""
    shutil.copytree(a / "Library", b / "Library")
    return b / "Library"


def check_adopted(b_library: Path, job: dict, listed: list[dict], requests: dict) -> None:
    takes = {t["result_id"]: t for t in job["tracks"]}
    assert {t["result_id"] for t in listed} == set(takes)
    for track in listed:
        made = takes[track["result_id"]]
        assert track["title"] == "Coast Road"
        # the same file, where the sync tool put it: no copy, no "(2)" name
        assert track["path"] == str(b_library / Path(made["path"]).name)
        request = json.loads(requests[track["result_id"]])
        assert request["style"] == "pop, upbeat" and request["model"] == "suno-v4.5plus-beta"
        assert request["style_weight"] == 0.7 and request["prompt"] == LYRICS


def test_import_adopts_a_synced_library_folder_in_place(machine_a, tmp_path):
    a, job = machine_a
    b_library = synced_copy(a, tmp_path / "B")
    before = snapshot(b_library)
    env_b = cli_env(tmp_path / "B", None, key=None)
    ran = sunodesk("import", str(b_library), "--json", env=env_b)
    assert ran.returncode == 0, ran.stderr
    entries = json_lines(ran.stdout)
    assert [e["status"] for e in entries] == ["adopted", "adopted"]
    assert all(e["type"] == "import" and e["reason"] is None for e in entries)
    assert snapshot(b_library) == before  # exactly the same files, byte for byte
    listed = json_lines(sunodesk("library", "--json", env=env_b).stdout)
    with open_store(tmp_path / "B") as store:
        requests = {t["result_id"]: store.tracks.get(t["result_id"]).request_json for t in listed}
    check_adopted(b_library, job, listed, requests)
    assert {e["result_id"] for e in entries} == {t["result_id"] for t in listed}

    # the same folder again (the next sync): recognised by result id, never filed twice
    again = sunodesk("import", str(b_library), "--json", env=env_b)
    assert again.returncode == 0, again.stderr
    skipped = json_lines(again.stdout)
    assert [e["status"] for e in skipped] == ["skipped", "skipped"]
    assert all("Already in the library" in e["reason"] for e in skipped)
    assert len(json_lines(sunodesk("library", "--json", env=env_b).stdout)) == 2
    assert snapshot(b_library) == before


def test_rescan_adopts_what_a_sync_tool_brought(machine_a, tmp_path):
    a, job = machine_a
    b_library = synced_copy(a, tmp_path / "B")
    take = next(b_library.glob("*.mp3"))
    # what sync tools and downloads leave beside the takes: never listed
    (b_library / ".stversions").mkdir()
    shutil.copy2(take, b_library / ".stversions" / "Coast Road - take 1~20261201.mp3")
    shutil.copy2(take, b_library / ".syncthing.Coast Road.mp3.tmp")
    shutil.copy2(take, b_library / ".sunodesk-999999-abc.part")
    half = b_library / "Arriving.mp3"  # a take still being written in place
    half.write_bytes(make_mp3(tmp_path / "whole.mp3", seconds=3.0).read_bytes()[:-700])
    before = snapshot(b_library)
    with open_store(tmp_path / "B") as store:
        report = library_files.rescan(store.tracks, b_library)
        listed = [
            {"result_id": t.result_id, "title": t.title, "path": t.path}
            for t in store.tracks.library()
        ]
        requests = {t["result_id"]: store.tracks.get(t["result_id"]).request_json for t in listed}
        check_adopted(b_library, job, listed, requests)
        assert len(report.adopted) == 2
        assert [name for name, _ in report.unreadable] == ["Arriving.mp3"]
        assert not library_files.rescan(store.tracks, b_library).adopted  # nothing twice
        # once the file has arrived whole, the next rescan lists it
        shutil.copyfile(tmp_path / "whole.mp3", half)
        later = library_files.rescan(store.tracks, b_library)
        assert [Path(t.path).name for t in later.adopted] == ["Arriving.mp3"]
        # machine A edits a take's tags and the sync brings the file again: B follows it
        tags.edit_tags(take, title="Coast Road (live)", lyrics="[Verse]\nLive")
        report = library_files.rescan(store.tracks, b_library)
        (retagged,) = report.retagged
        assert retagged.title == "Coast Road (live)" and retagged.path == str(take)
        request = json.loads(store.tracks.get(retagged.result_id).request_json)
        assert request["title"] == "Coast Road (live)" and request["prompt"] == "[Verse]\nLive"
    before["Arriving.mp3"] = snapshot(b_library)["Arriving.mp3"]
    before[take.name] = snapshot(b_library)[take.name]
    assert snapshot(b_library) == before


def test_import_copies_an_outside_file_in_once(tmp_path):
    data = tmp_path / "data"
    env = cli_env(data, None, key=None)
    outside = tmp_path / "Downloads"
    nested = outside / "2026" / "december"
    nested.mkdir(parents=True)
    song = make_mp3(outside / "web song.mp3", seconds=1.5)
    tags.write_tags(song, tags.TagSet(title="From The Web", result_id="web-1", style="dream pop"))
    deep = make_mp3(nested / "memo.mp3", seconds=1.2, freq=300)
    (nested / "cover.jpg").write_bytes(b"\xff\xd8\xffjunk")  # not an MP3: not looked at
    original = song.read_bytes()

    first = sunodesk("import", str(song), "--json", env=env)
    assert first.returncode == 0, first.stderr
    (entry,) = json_lines(first.stdout)
    assert entry["status"] == "imported" and entry["result_id"] == "web-1"
    assert entry["title"] == "From The Web" and entry["path"] == str(song)
    assert Path(entry["file"]) == data / "Library" / "From The Web.mp3"
    assert Path(entry["file"]).read_bytes() == original and song.read_bytes() == original

    # the same file again, and its folder (searched recursively): filed once, memo added
    second = sunodesk("import", str(song), str(outside), env=env)
    assert second.returncode == 0, second.stderr
    assert (
        "skipped" in second.stdout and "Already in the library as “From The Web”" in second.stdout
    )
    assert "imported" in second.stdout and "memo" in second.stdout
    listed = json_lines(sunodesk("library", "--json", env=env).stdout)
    assert sorted(t["title"] for t in listed) == ["From The Web", "memo"]
    assert sorted(p.name for p in (data / "Library").iterdir()) == ["From The Web.mp3", "memo.mp3"]
    assert deep.exists()


def test_import_exit_codes(tmp_path):
    data = tmp_path / "data"
    env = cli_env(data, None, key=None)
    song = make_mp3(tmp_path / "song.mp3", seconds=1.2)
    text = tmp_path / "notes.mp3"
    text.write_text("not audio")
    missing = sunodesk("import", str(song), str(tmp_path / "gone.mp3"), env=env)
    assert missing.returncode == 2
    assert "path: " + str(tmp_path / "gone.mp3") in missing.stderr
    assert "nothing was imported" in missing.stderr
    assert sunodesk("library", "--json", env=env).stdout == ""
    # a file that is not an MP3 fails (exit 1, with its reason); the others are still imported
    mixed = sunodesk("import", str(text), str(song), "--json", env=env)
    assert mixed.returncode == 1
    bad, good = json_lines(mixed.stdout)
    assert bad["status"] == "failed" and "not an MP3" in bad["reason"]
    assert good["status"] == "imported"
    assert "Traceback" not in mixed.stderr


@pytest.fixture
def one_take(tmp_path):
    """A library with one imported, tagged take (and its env)."""
    data = tmp_path / "data"
    env = cli_env(data, None, key=None)
    song = make_mp3(tmp_path / "take.mp3", seconds=1.5)
    tags.write_tags(
        song,
        tags.TagSet(
            title="Low Tide", artist="Suno", lyrics="old words", result_id="take-1",
            model="suno-v5-beta", style="lo-fi", task_id="task-1",
        ),
    )  # fmt: skip
    ran = sunodesk("import", str(song), "--json", env=env)
    assert ran.returncode == 0, ran.stderr
    return data, env, Path(json_lines(ran.stdout)[0]["file"])


def test_edit_writes_the_file_and_the_library(one_take, tmp_path):
    data, env, path = one_take
    cover = tmp_path / "cover.png"
    cover.write_bytes(png_bytes(8, 8, (10, 200, 30)))
    ran = sunodesk(
        "edit", "take-1", "--title", "Low Tide (night mix)", "--artist", "The Harbour Lights",
        "--album", "Coast Tapes", "--genre", "Chillhop", "--lyrics-file", "-", "--cover",
        str(cover), "--json", env=env, stdin="[Verse]\r\nNew words ✨\r\n",
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    (shown,) = json_lines(ran.stdout)
    assert shown["type"] == "track" and shown["result_id"] == "take-1"
    assert shown["title"] == "Low Tide (night mix)" and shown["artist"] == "The Harbour Lights"
    assert shown["album"] == "Coast Tapes" and shown["genre"] == "Chillhop"
    assert shown["changed"] == ["title", "artist", "album", "genre", "lyrics", "cover"]
    back = tags.read_tags(path)
    assert (back.title, back.artist, back.album, back.genre) == (
        "Low Tide (night mix)", "The Harbour Lights", "Coast Tapes", "Chillhop",
    )  # fmt: skip
    assert back.lyrics == "[Verse]\nNew words ✨\n" and back.cover == cover.read_bytes()
    assert back.result_id == "take-1" and back.task_id == "task-1"  # sunodesk's frames kept
    with open_store(data) as store:
        track = store.tracks.get("take-1")
        assert track.title == "Low Tide (night mix)" and track.album == "Coast Tapes"
        assert store.tracks.lyrics("take-1") == "[Verse]\nNew words ✨\n"
        assert "take-1" in store.tracks.matching_ids("new words")
        request = json.loads(track.request_json)  # an imported take's request follows its tags
        assert request["title"] == "Low Tide (night mix)" and request["style"] == "lo-fi"
        assert request["prompt"] == "[Verse]\nNew words ✨\n"
    plain = sunodesk("edit", "take-1", "--artist", "Someone", env=env)
    assert plain.returncode == 0, plain.stderr
    assert plain.stdout.splitlines()[0] == "Saved artist to Low Tide.mp3."
    same = sunodesk("edit", "take-1", "--artist", "Someone", env=env)
    assert same.returncode == 0 and "Nothing changed" in same.stdout


def test_edit_refuses_bad_values_and_changes_nothing(one_take, tmp_path):
    _data, env, path = one_take
    before = path.read_bytes()
    page = tmp_path / "cover.png"
    page.write_text("<!DOCTYPE html><html>not an image</html>")
    huge = tmp_path / "huge.png"
    with open(huge, "wb") as handle:  # sparse: 50 MB that must not be read
        handle.write(png_bytes())
        handle.truncate(50 * 2**20)
    binary = tmp_path / "lyrics.bin"
    binary.write_bytes(b"\x00\x01\x02PK\x03\x04" * 10)
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Caf\xe9".encode("latin-1"))
    big = tmp_path / "big.txt"
    big.write_text("la " * 50_000)
    cases = [
        (["--cover", str(page)], "cover: cannot use", "not a PNG"),
        (["--cover", str(huge)], "cover: cannot use", "too large"),
        (["--cover", str(tmp_path / "nope.png")], "cover: cannot use", "No such file"),
        (["--lyrics-file", str(binary)], "lyrics-file: ", "not text"),
        (["--lyrics-file", str(latin)], "lyrics-file: ", "not UTF-8"),
        (["--lyrics-file", str(big)], "lyrics-file: ", "too large"),
        (["--title", "two\nlines"], "title: ", "one line"),
        ([], "Nothing to change: give at least one of --title", "--cover"),
    ]
    for options, field, words in cases:
        ran = sunodesk("edit", "take-1", *options, env=env)
        assert ran.returncode == 2, (options, ran.stderr)
        assert field in ran.stderr and words in ran.stderr, (options, ran.stderr)
        assert "Traceback" not in ran.stderr
        assert path.read_bytes() == before
    unknown = sunodesk("edit", "no-such-take", "--title", "X", env=env)
    assert unknown.returncode == 2
    assert "result-id: no take with result id 'no-such-take'" in unknown.stderr
    binary_stdin = sunodesk("edit", "take-1", "--lyrics-file", "-", env=env, stdin="a\x00b")
    assert binary_stdin.returncode == 2 and "lyrics-file: - is not text" in binary_stdin.stderr
    assert path.read_bytes() == before
