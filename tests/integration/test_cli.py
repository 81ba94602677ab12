"""The `sunodesk` command line contract of design.md, run as a real process over real HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest

from sunodesk.sandbox.server import SandboxServer
from sunodesk.store import tags
from tests.conftest import TEST_KEY
from tests.integration.cli_helpers import cli_env, json_lines, sunodesk

LYRICS = "[Verse]\nSalt on the window\n[Chorus]\nWe were young (so young)\n"


@pytest.fixture
def lyrics_file(tmp_path: Path) -> Path:
    path = tmp_path / "lyrics.txt"
    path.write_text(LYRICS, encoding="utf-8")
    return path


@pytest.fixture
def env(sandbox, data_dir):
    return cli_env(data_dir, sandbox.base_url)


def exiftool(path: str) -> dict[str, list[str]]:
    """What exiftool (a tag reader other than mutagen) sees, every duplicate kept."""
    import re
    import subprocess

    out = subprocess.run(
        ["exiftool", "-a", "-G1", "-s", path], capture_output=True, text=True, check=True
    )
    seen: dict[str, list[str]] = {}
    for line in out.stdout.splitlines():
        match = re.match(r"\[(\S+)\]\s+(\S+)\s*: (.*)", line)
        if match:
            seen.setdefault(f"{match[1]}:{match[2]}", []).append(match[3])
    return seen


def generate(env, lyrics_file, *extra):
    return sunodesk(
        "generate",
        "--title",
        "Coast Road",
        "--style",
        "pop, upbeat",
        "--lyrics-file",
        str(lyrics_file),
        "--wait",
        "--json",
        *extra,
        env=env,
    )


def test_generate_wait_json_files_two_tagged_takes(env, lyrics_file, sandbox):
    done = generate(env, lyrics_file)
    assert done.returncode == 0, done.stderr
    (job,) = json_lines(done.stdout)
    assert job["state"] == "done" and job["task_id"].startswith("task-unified-")
    assert len(job["tracks"]) == 2
    for track in job["tracks"]:
        assert track["task_id"] == job["task_id"] and track["title"] == "Coast Road"
        tagged = tags.read_tags(track["path"])
        assert tagged.result_id == track["result_id"] and tagged.lyrics == LYRICS
    assert sandbox.stats.snapshot()["submits"]["song"] == 1

    for track in job["tracks"]:
        seen = exiftool(track["path"])
        assert seen["ID3v2_4:Title"] == ["Coast Road"] and seen["ID3v2_4:Artist"] == ["Suno"]
        assert seen["ID3v2_4:Lyrics"][0].startswith("[Verse]")
        assert seen["ID3v2_4:PictureType"] == ["Front Cover"]
        assert seen["ID3v2_4:PictureMIMEType"] == ["image/png"]
        suno = seen["ID3v2_4:UserDefinedText"]
        for field in (
            f"(SUNO_RESULT_ID) {track['result_id']}",
            f"(SUNO_TASK_ID) {job['task_id']}",
            "(SUNO_MODEL) suno-v5-beta",
            "(SUNO_STYLE) pop, upbeat",
        ):
            assert field in suno

    listed = json_lines(sunodesk("library", "--json", env=env).stdout)
    assert {t["result_id"] for t in listed} == {t["result_id"] for t in job["tracks"]}
    found = json_lines(sunodesk("library", "--search", "young", "--json", env=env).stdout)
    assert len(found) == 2
    jobs = json_lines(sunodesk("jobs", "--json", env=env).stdout)
    assert [j["state"] for j in jobs] == ["done"]


def test_built_in_sandbox_and_global_options_after_the_command(tmp_path, lyrics_file):
    env = cli_env(tmp_path / "d", base_url=None, key=None)
    done = sunodesk(
        "generate",
        "--sandbox",
        "--data-dir",
        str(tmp_path / "own"),
        "--title",
        "T",
        "--style",
        "pop",
        "--lyrics-file",
        "-",
        "--wait",
        "--json",
        env=env,
        stdin=LYRICS,
    )
    assert done.returncode == 0, done.stderr
    assert "Sandbox mode" in done.stderr
    (job,) = json_lines(done.stdout)
    own = tmp_path / "own"
    assert all(Path(t["path"]).parent == own / "sandbox" / "Library" for t in job["tracks"])
    # The sandbox keeps its own world: real-mode listings never show simulated songs.
    listed = json_lines(
        sunodesk("library", "--sandbox", "--json", "--data-dir", str(own), env=env).stdout
    )
    assert len(listed) == 2
    assert sunodesk("library", "--json", "--data-dir", str(own), env=env).stdout == ""


def test_invalid_input_names_the_fields_exits_2_and_sends_nothing(env, sandbox, tmp_path):
    long = tmp_path / "long.txt"
    long.write_text("la " * 2000)
    bad = sunodesk(
        "generate",
        "--title",
        "x" * 81,
        "--lyrics-file",
        str(long),
        "--style-weight",
        "1.5",
        env=env,
    )
    assert bad.returncode == 2
    for field in ("title:", "style:", "prompt:", "style_weight:"):
        assert field in bad.stderr
    assert "Traceback" not in bad.stderr
    missing = sunodesk(
        "generate",
        "--title",
        "t",
        "--style",
        "pop",
        "--lyrics-file",
        str(tmp_path / "nope.txt"),
        env=env,
    )
    assert missing.returncode == 2 and "lyrics-file:" in missing.stderr
    assert sandbox.stats.snapshot()["submits"]["song"] == 0


def test_a_wrong_key_exits_3_and_is_never_printed_or_stored(sandbox, data_dir, lyrics_file):
    secret = "sk-WRONG-very-secret-key-123"
    env = cli_env(data_dir, sandbox.base_url, key=secret)
    refused = generate(env, lyrics_file)
    assert refused.returncode == 3
    assert "API key was refused" in refused.stderr
    assert secret not in refused.stdout + refused.stderr
    for path in data_dir.rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), path
    credits = sunodesk("credits", env=env)
    assert credits.returncode == 3 and secret not in credits.stderr


def test_no_key_says_how_to_add_one(data_dir):
    env = cli_env(data_dir, "http://127.0.0.1:9", key=None)
    out = sunodesk("credits", env=env)
    assert out.returncode == 2 and "SUNODESK_API_KEY" in out.stderr and "--sandbox" in out.stderr


@pytest.mark.parametrize(
    ("fault", "value", "code", "words"),
    [
        ("submit_status", 402, 3, "Not enough credits"),
        ("submit_status", 403, 3, "cannot use model"),
        ("submit_status", 429, 3, "Busy"),
        ("fail_tasks", "content_policy_violation", 4, "content policy"),
        ("drop_connection", True, 1, "Outcome unknown"),
        ("expire_media", True, 1, "expired"),
    ],
)
def test_faults_map_to_exit_codes_and_one_sentence(
    env, lyrics_file, sandbox, fault, value, code, words
):
    sandbox.faults.set(fault, value)
    out = generate(env, lyrics_file)
    assert out.returncode == code, out.stderr
    (job,) = json_lines(out.stdout)
    assert words in job["error"] and "Traceback" not in out.stderr


@pytest.mark.parametrize(
    ("fault", "value", "action"),
    [
        ("submit_status", 402, "check_balance"),
        ("drop_connection", True, "submit_again"),
        ("expire_media", True, "retry_download"),
        ("fail_tasks", "content_policy_violation", "edit_request"),  # the request is kept
    ],
)
def test_json_job_names_the_next_action_the_window_offers(
    env, lyrics_file, sandbox, fault, value, action
):
    sandbox.faults.set(fault, value)
    (job,) = json_lines(generate(env, lyrics_file).stdout)
    assert job["action"] == action


def test_credits(env, lyrics_file):
    before = json_lines(sunodesk("credits", "--json", env=env).stdout)[0]["remaining"]
    assert generate(env, lyrics_file).returncode == 0
    after = json_lines(sunodesk("credits", "--json", env=env).stdout)[0]["remaining"]
    assert before - after == 10


def test_persona_create_then_generate_with_it(env, lyrics_file, sandbox):
    (job,) = json_lines(generate(env, lyrics_file).stdout)
    take = job["tracks"][0]["result_id"]
    made = sunodesk(
        "persona",
        "create",
        "--track",
        take,
        "--name",
        "Ada",
        "--description",
        "warm alto",
        "--vocal-start",
        "2",
        "--vocal-end",
        "14",
        "--wait",
        "--json",
        env=env,
    )
    assert made.returncode == 0, made.stderr
    persona = json_lines(made.stdout)[0]
    assert len(persona["persona_id"]) == 32

    again = sunodesk(
        "persona",
        "create",
        "--track",
        take,
        "--name",
        "Ada 2",
        "--description",
        "x",
        "--wait",
        env=env,
    )
    assert again.returncode == 2 and "result_id:" in again.stderr
    assert sandbox.stats.snapshot()["submits"]["persona"] == 1

    used = generate(env, lyrics_file, "--persona", "ada")
    assert used.returncode == 0, used.stderr
    (job2,) = json_lines(used.stdout)
    assert sandbox.state.get(job2["task_id"])["request"]["persona_id"] == persona["persona_id"]
    assert tags.read_tags(job2["tracks"][0]["path"]).artist == "Ada"
    listed = json_lines(sunodesk("personas", "--json", env=env).stdout)
    assert [(p["name"], p["uses"]) for p in listed] == [("Ada", 2)]

    bad = sunodesk(
        "persona", "create", "--track", "nope", "--name", "n", "--description", "d", env=env
    )
    assert bad.returncode == 2 and "track:" in bad.stderr


def test_sandbox_command_serves(tmp_path):
    import subprocess
    import sys

    import requests

    from tests.integration.cli_helpers import wait_for

    with SandboxServer() as probe:  # borrow a free port number
        port = probe.port
    proc = subprocess.Popen(
        [sys.executable, "-m", "sunodesk", "sandbox", "--port", str(port)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert f"127.0.0.1:{port}" in proc.stdout.readline()

        def answered():
            reply = requests.get(
                f"http://127.0.0.1:{port}/v1/credits",
                headers={"Authorization": f"Bearer {TEST_KEY}"},
                timeout=2,
            )
            return reply.status_code == 200

        wait_for(answered, what="the sandbox to answer")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_ctrl_c_while_waiting_says_so_and_exits_130(env, lyrics_file, sandbox):
    import signal
    import subprocess
    import sys

    from tests.integration.cli_helpers import wait_for

    sandbox.faults.set("latency", 0.3)
    env = {**env, "SUNODESK_TIME_SCALE": "1"}  # keep it polling so there is time to interrupt
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sunodesk",
            "generate",
            "--title",
            "T",
            "--style",
            "pop",
            "--instrumental",
            "--wait",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    wait_for(lambda: sandbox.stats.snapshot()["tasks_created"] == 1, what="the submit")
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130 and "sunodesk resume" in err and "Traceback" not in err


def test_resume_with_a_refused_key_exits_3(sandbox, data_dir, lyrics_file):
    good = cli_env(data_dir, sandbox.base_url)
    sent = sunodesk("generate", "--title", "T", "--style", "pop", "--instrumental", env=good)
    assert sent.returncode == 0, sent.stderr
    bad = cli_env(data_dir, sandbox.base_url, key="sk-revoked-000000000000")
    resumed = sunodesk("resume", env=bad)
    assert resumed.returncode == 3 and "API key was refused" in resumed.stderr
    assert "API key was refused" in sunodesk("jobs", env=bad).stdout  # the job says why


def test_a_bad_data_folder_is_one_sentence_not_a_traceback(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    out = sunodesk("jobs", "--data-dir", str(blocker / "sub"), env=cli_env(tmp_path, None))
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert out.stderr.startswith("sunodesk: ")


def test_a_bad_base_url_names_the_field(data_dir):
    out = sunodesk("credits", "--base-url", "http://api.example.com", env=cli_env(data_dir, None))
    assert out.returncode == 2 and "base-url:" in out.stderr and "https" in out.stderr
