"""A draft typed in the real window survives SIGKILL about a second after the last keystroke:
the next start opens it again, text intact."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QPlainTextEdit

from sunodesk.engine.session import sandbox_dir
from sunodesk.store.store import open_store
from tests.gui.studio_fixture import studio_factory_fixture  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
LINES = ["[Verse]", "Salt on the window, engines in the rain", "every word holds (it must) 123"]


def _reader(stream, lines: queue.Queue) -> None:
    for line in stream:
        lines.put(line.strip())
    lines.put(None)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_typed_draft_survives_sigkill(tmp_path, studio_factory):
    data_dir = tmp_path / "killed"
    data_dir.mkdir()
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        SUNODESK_DATA_DIR=str(data_dir),
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
        PYTHONPATH=str(ROOT),
    )
    env.pop("SUNODESK_API_KEY", None)
    log = (tmp_path / "app.log").open("w")
    proc = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "tests" / "gui" / "draft_typing_app.py"),
            str(data_dir),
            *LINES,
        ],
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        env=env,
        cwd=ROOT,
    )
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=_reader, args=(proc.stdout, lines), daemon=True).start()
    try:
        deadline = time.monotonic() + 60
        while True:
            line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            assert line is not None, (
                "the app exited before typing: " + (tmp_path / "app.log").read_text()[-2000:]
            )
            if line == "typed":
                break
        time.sleep(1.0)  # the crash comes about a second after the last keystroke
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=10) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
        proc.stdout.close()
        log.close()

    text = "\n".join(LINES)
    with open_store(sandbox_dir(data_dir)) as store:
        draft = store.drafts.latest()
        assert draft is not None and draft.request.prompt == text

    # and the next start puts it back into the form
    h = studio_factory(key=False, sandbox_mode=True, name="killed")
    assert h.find(QPlainTextEdit, "lyricsEditor").toPlainText() == text
