"""Run the real `sunodesk` command in a subprocess against a test sandbox."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import TEST_KEY


def cli_env(
    data_dir: Path, base_url: str | None, key: str | None = TEST_KEY, time_scale: float = 0.002
) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SUNODESK_")}
    env.update(
        SUNODESK_DATA_DIR=str(data_dir),
        SUNODESK_TIME_SCALE=str(time_scale),
        SUNODESK_SANDBOX_SPEED="2000",
        PYTHONUNBUFFERED="1",
    )
    if base_url:
        env["SUNODESK_BASE_URL"] = base_url
    if key:
        env["SUNODESK_API_KEY"] = key
    return env


def sunodesk(
    *args: str, env: dict[str, str], stdin: str | None = None, timeout: float = 60
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sunodesk", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def spawn(*args: str, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "sunodesk", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def wait_for(condition, timeout: float = 30.0, what: str = "condition"):
    """Poll a condition quickly until it holds (no fixed sleeps); fail with a clear message."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.01)
    raise AssertionError(f"timed out waiting for {what}")
