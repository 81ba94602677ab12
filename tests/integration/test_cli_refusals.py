"""The command line refuses what it cannot do: exit 2, the option named, and nothing sent.

Each case runs the real `sunodesk` process against a test sandbox and then checks the
sandbox's counters: a refused command line must not have reached the API at all.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.cli_helpers import cli_env, sunodesk


@pytest.fixture
def env(sandbox, data_dir):
    return cli_env(data_dir, sandbox.base_url)


def nothing_sent(sandbox) -> bool:
    seen = sandbox.stats.snapshot()
    return (
        seen["submits"] == {"song": 0, "persona": 0}
        and seen["tasks_created"] == 0
        and seen["polls_total"] == 0
        and seen["credits_requests"] == 0
    )


def refused(result, option: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert option in result.stderr, result.stderr
    assert "Traceback" not in result.stderr, result.stderr


GENERATE = ["generate", "--title", "T", "--style", "pop"]


@pytest.mark.parametrize(
    ("extra", "option"),
    [
        (["--style-weight", "nan"], "style-weight"),
        (["--style-weight", "inf"], "style-weight"),
        (["--weirdness", "-inf"], "weirdness"),
        (["--audio-weight", "NaN"], "audio-weight"),
        (["--persona", ""], "persona"),
        (["--persona", "   "], "persona"),
    ],
)
def test_generate_options_refused_before_anything_is_sent(sandbox, env, extra, option):
    result = sunodesk(*GENERATE, *extra, env=env, stdin="")
    refused(result, option)
    assert nothing_sent(sandbox)


@pytest.mark.parametrize(
    "extra",
    [["--title", "Y"], ["--style", "pop"], ["--exclude", "metal"], ["--style-weight", "0.5"]],
)
def test_simple_with_a_custom_field_is_refused_naming_both(sandbox, env, extra):
    result = sunodesk("generate", "--simple", "a calm song", *extra, env=env)
    refused(result, "--simple")
    assert extra[0] in result.stderr, result.stderr
    assert nothing_sent(sandbox)


def test_lyrics_file_that_never_ends_is_refused_quickly(sandbox, env):
    # /dev/urandom never ends: reading it whole grew the process past 2 GB
    result = sunodesk(*GENERATE, "--lyrics-file", "/dev/urandom", env=env, timeout=30)
    refused(result, "lyrics-file")
    assert nothing_sent(sandbox)


def test_lyrics_file_too_large_or_binary_is_refused(sandbox, env, tmp_path: Path):
    big = tmp_path / "big.txt"
    big.write_text("la " * 100_000, encoding="utf-8")
    refused(sunodesk(*GENERATE, "--lyrics-file", str(big), env=env), "lyrics-file")
    binary = tmp_path / "song.mp3"
    binary.write_bytes(b"ID3\x04\x00\x00\x00\x00\x00\x00" + bytes(range(256)) * 4)
    refused(sunodesk(*GENERATE, "--lyrics-file", str(binary), env=env), "lyrics-file")
    nul = tmp_path / "nul.txt"
    nul.write_bytes(b"[Verse]\x00\x00hello\n")
    refused(sunodesk(*GENERATE, "--lyrics-file", str(nul), env=env), "lyrics-file")
    # the same cap from stdin
    refused(sunodesk(*GENERATE, "--lyrics-file", "-", env=env, stdin="la " * 100_000), "lyrics")
    assert nothing_sent(sandbox)


def test_data_dir_that_is_a_file_is_refused(sandbox, env, tmp_path: Path):
    a_file = tmp_path / "not-a-folder"
    a_file.write_text("x", encoding="utf-8")
    for where in (str(a_file), "/dev/null"):
        for command in (["jobs"], ["library"], [*GENERATE]):
            result = sunodesk(*command, "--data-dir", where, env=env, stdin="")
            refused(result, "data-dir")
    assert a_file.read_text(encoding="utf-8") == "x"
    assert nothing_sent(sandbox)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:99999",
        "http://127.0.0.1:-1",
        "https://api.example.com:0x50",
        "http://[::1",
    ],
)
def test_impossible_base_url_is_refused(sandbox, env, url):
    result = sunodesk(*GENERATE, "--base-url", url, env=env, stdin="")
    refused(result, "base-url")
    assert "unknown" not in result.stderr.lower()
    assert nothing_sent(sandbox)


@pytest.mark.parametrize(
    "extra",
    [["--port", "-1"], ["--port", "70000"], ["--speed", "0"], ["--speed", "-1"],
     ["--speed", "nan"], ["--speed", "inf"]],
)  # fmt: skip
def test_sandbox_refuses_impossible_port_and_speed(extra, data_dir):
    result = sunodesk("sandbox", *extra, env=cli_env(data_dir, None), timeout=20)
    refused(result, extra[0])
