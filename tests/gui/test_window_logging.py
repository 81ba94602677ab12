"""A background task that fails in the window lands in the log file, traceback and all with
SUNODESK_DEBUG=1, and the window stays up; Settings shows where the log is."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtWidgets import QApplication, QLineEdit

from sunodesk.store import logfile
from sunodesk.ui.common.tasks import spawn


@pytest.fixture
def window_logging(monkeypatch):
    """Logging as `sunodesk` sets it up for the window (cli: setup_logging, then run())."""
    root = logging.getLogger()
    level = root.level
    monkeypatch.setenv("SUNODESK_DEBUG", "1")

    def start(data_dir):
        return logfile.setup_logging(data_dir, debug=logfile.debug_enabled(), console=True)

    yield start
    logfile.shutdown_logging()
    root.setLevel(level)


def test_a_failed_background_task_is_in_the_log_with_its_traceback(
    studio_factory, window_logging, qtbot, caplog
):
    h = studio_factory()
    path = window_logging(h.data_dir)
    assert path == h.data_dir / "logs" / "sunodesk.log"

    async def refresh_the_moon() -> None:
        raise ValueError("the moon refused to refresh (42)")

    spawn(refresh_the_moon())

    def logged() -> bool:
        for handler in logging.getLogger().handlers:
            handler.flush()
        return path.exists() and "the moon refused to refresh (42)" in path.read_text("utf-8")

    qtbot.waitUntil(logged, timeout=10_000)
    text = path.read_text("utf-8")
    assert "background task" in text and "refresh_the_moon" in text
    assert "Traceback (most recent call last)" in text
    assert "ValueError: the moon refused to refresh (42)" in text
    assert h.window.isVisible()  # the window stays up
    # this failure was the point of the test; studio_factory fails on any other one
    caplog.clear()


def test_settings_shows_where_the_log_is(studio_factory, window_logging, qtbot):
    h = studio_factory()
    h.studio.settings_flow.open()

    def dialog():
        return next(
            (w for w in QApplication.topLevelWidgets() if w.objectName() == "settingsDialog"),
            None,
        )

    qtbot.waitUntil(lambda: dialog() is not None and dialog().isVisible(), timeout=10_000)
    edit = dialog().findChild(QLineEdit, "logFileEdit")
    assert edit is not None and edit.isReadOnly()
    assert edit.text() == str(logfile.log_path(h.data_dir))
    dialog().reject()
