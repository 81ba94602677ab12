"""The `sunodesk` command writes <data-dir>/logs/sunodesk.log, and the API key never reaches it,
even with SUNODESK_DEBUG=1 (every request logged, full tracebacks). Real processes, real HTTP."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from sunodesk.store import logfile
from tests.integration.cli_helpers import cli_env, sunodesk

LYRICS = "[Verse]\nA line for the log\n"


def log_files(data_dir: Path) -> list[Path]:
    return sorted(p for p in (data_dir / "logs").rglob("*") if p.is_file())


def dead_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again: nothing listens there


@pytest.mark.parametrize("key", ["sk-LOGLEAK-0123456789abcdef", "evk_LOGLEAK_not_sk_shaped_42"])
def test_a_refused_key_is_logged_in_debug_but_never_the_key(sandbox, data_dir, tmp_path, key):
    env = cli_env(data_dir, sandbox.base_url, key=key)
    env["SUNODESK_DEBUG"] = "1"
    lyrics = tmp_path / "lyrics.txt"
    lyrics.write_text(LYRICS, encoding="utf-8")
    refused = sunodesk(
        "generate", "--title", "T", "--style", "pop", "--lyrics-file", str(lyrics), "--wait",
        env=env,
    )  # fmt: skip
    credits = sunodesk("credits", env=env)
    assert refused.returncode == 3 and credits.returncode == 3, refused.stderr + credits.stderr
    assert "Traceback" in credits.stderr  # SUNODESK_DEBUG=1 shows it on the terminal too

    files = log_files(data_dir)
    assert files == [logfile.log_path(data_dir)]
    text = files[0].read_text("utf-8")
    assert "credits failed: The API key was refused" in text
    assert "Traceback" in text and "DEBUG" in text  # debug detail reaches the file
    for path in files:
        assert b"LOGLEAK" not in path.read_bytes(), path
    assert "LOGLEAK" not in refused.stdout + refused.stderr + credits.stdout + credits.stderr


def test_without_debug_the_file_has_one_line_errors_and_the_terminal_no_traceback(data_dir):
    env = cli_env(data_dir, f"http://127.0.0.1:{dead_port()}", key="sk-LOGLEAK-0123456789abcdef")
    result = sunodesk("credits", env=env)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    text = logfile.log_path(data_dir).read_text("utf-8")
    assert "INFO sunodesk.cli.main: sunodesk " in text  # which command, which version
    assert "credits failed: " in text and "(NetworkError: " in text
    assert "Traceback" not in text and " DEBUG " not in text
    assert "LOGLEAK" not in text


# A careless debug line that logs the request headers, added to the real client in the child
# process, then the real `sunodesk credits`: the key must still not reach the file.
CARELESS = """
import logging, sys
from sunodesk.api import client
from sunodesk.cli import main

real = client.EvolinkClient._call
def _call(self, method, path, body=None):
    log = logging.getLogger("sunodesk.api")
    log.debug("%s %s headers=%s", method, path, self._session.headers)
    log.info("key in a message: " + self._session.headers["Authorization"])
    return real(self, method, path, body)
client.EvolinkClient._call = _call
sys.exit(main(["credits"]))
"""


def test_even_a_debug_line_that_logs_the_headers_never_writes_the_key(sandbox, data_dir):
    import subprocess
    import sys

    key = "evk_LOGLEAK_not_sk_shaped_42"
    env = cli_env(data_dir, sandbox.base_url, key=key)
    env["SUNODESK_DEBUG"] = "1"
    result = subprocess.run(
        [sys.executable, "-c", CARELESS], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 3, result.stderr
    text = logfile.log_path(data_dir).read_text("utf-8")
    assert "headers=" in text and "'Authorization': 'Bearer ***'" in text
    assert "key in a message: Bearer ***" in text
    assert "LOGLEAK" not in text and "LOGLEAK" not in result.stderr


def test_the_window_keeps_a_log_too(data_dir):
    """`sunodesk` with no command (what the desktop menu runs) logs to the same file."""
    from tests.integration.cli_helpers import spawn, wait_for

    env = cli_env(data_dir, None, key=None)
    env.update(QT_QPA_PLATFORM="offscreen", SUNODESK_DEBUG="1")
    window = spawn("--sandbox", env=env)
    try:
        path = logfile.log_path(data_dir)
        wait_for(
            lambda: path.exists() and ": window (log: " in path.read_text("utf-8"),
            timeout=60,
            what=f"the window's first log line in {path}",
        )
    finally:
        window.terminate()
        window.communicate(timeout=30)
    assert "INFO sunodesk.cli" in path.read_text("utf-8")
