"""`sunodesk --self-test`: one sandbox song end to end, its tags, one second of playback."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from sunodesk import selftest


def test_self_test_passes_with_one_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SUNODESK_")}
    # Point the real data folder somewhere harmless: the self-test must not use it at all.
    env.update(SUNODESK_DATA_DIR=str(tmp_path / "untouched"), QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-m", "sunodesk", "--self-test"],
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    (line,) = done.stdout.splitlines()
    assert line.startswith("sunodesk self-test: OK: sandbox song generated (2 takes)")
    assert "tags read back" in line and "played 1." in line
    assert not (tmp_path / "untouched").exists()


def test_a_failed_check_gives_exit_1_and_its_reason(monkeypatch, capsys):
    def broken(_data_dir):
        raise selftest.Failed("the sandbox song ended 'failed': boom")

    monkeypatch.setattr(selftest, "generate", broken)
    assert selftest.run() == 1
    out = capsys.readouterr().out
    assert out == "sunodesk self-test: FAIL: the sandbox song ended 'failed': boom\n"


@pytest.mark.parametrize("unset", ["SUNODESK_SANDBOX_SPEED", "SUNODESK_TIME_SCALE"])
def test_speed_knobs_are_restored(monkeypatch, unset):
    monkeypatch.delenv(unset, raising=False)
    with selftest._env(selftest.FAST):
        assert os.environ[unset] == selftest.FAST[unset]
    assert unset not in os.environ
