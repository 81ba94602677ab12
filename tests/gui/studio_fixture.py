"""A real studio window on a qasync loop, talking to the test sandbox over 127.0.0.1.

``studio_factory`` builds the window and the controller exactly as ``sunodesk.ui.app.run``
does (minus ``qasync.run``), and tears everything down with the checks the design asks for:
no pending spawned tasks and no leftover non-daemon threads.
"""

from __future__ import annotations

import argparse
import asyncio
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest
import qasync
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from sunodesk.core.models import Job
from sunodesk.store import secrets
from sunodesk.ui.app import Studio
from sunodesk.ui.common import tasks
from sunodesk.ui.jobs.model import JobRole
from sunodesk.ui.window import MainWindow
from tests.conftest import FAST_TIME_SCALE, TEST_KEY

W = TypeVar("W", bound=QWidget)


class HarnessLoop(qasync.QEventLoop):
    """A qasync loop that stays marked as running between waits, as it is for the whole life
    of the real app (qasync.run). Without this, Qt events processed outside
    run_until_complete (its own last processEvents, qtbot.waitUntil, pytest-qt's cleanup)
    step asyncio tasks that then fail with "no running event loop"."""

    def _after_run_forever(self) -> None:
        super()._after_run_forever()
        asyncio.events._set_running_loop(self)

    def release(self) -> None:
        asyncio.events._set_running_loop(None)


def run_until(
    loop: asyncio.AbstractEventLoop,
    predicate: Callable[[], Any],
    timeout: float = 20.0,
    what: str = "",
) -> None:
    """Run the qasync loop until ``predicate()`` is true; AssertionError on timeout.

    asyncio tasks (the engine, the bridges) only advance while the loop runs, so every wait
    for app progress goes through here.
    """

    async def poll() -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"timed out after {timeout} s waiting for "
                    f"{what or getattr(predicate, '__name__', predicate)}"
                )
            await asyncio.sleep(0.01)

    loop.run_until_complete(poll())


@dataclass
class StudioHarness:
    qtbot: Any
    loop: HarnessLoop
    window: MainWindow
    studio: Studio
    data_dir: Path
    started: bool = False
    closed: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    # -- finding widgets (by objectName only) ------------------------------------------------

    def find(self, cls: type[W], name: str) -> W:
        widget = self.window.findChild(cls, name)
        assert widget is not None, f"no {cls.__name__} named {name!r}"
        return widget

    def show_details(self) -> None:
        """Bring the jobs table (the Details tab beside the songs list) to the front."""
        from PySide6.QtWidgets import QTableView, QTabWidget

        tabs = self.find(QTabWidget, "sideTabs")
        view = self.find(QTableView, "jobsView")
        tabs.setCurrentIndex(
            next(i for i in range(tabs.count()) if tabs.widget(i).isAncestorOf(view))
        )

    # -- the loop ----------------------------------------------------------------------------

    def run(self, coro):
        return self.loop.run_until_complete(coro)

    def run_until(
        self, predicate: Callable[[], Any], timeout: float = 20.0, what: str = ""
    ) -> None:
        run_until(self.loop, predicate, timeout, what)

    def start(self) -> StudioHarness:
        self.run(self.studio.start())
        self.started = True
        return self

    # -- jobs --------------------------------------------------------------------------------

    def jobs(self) -> list[Job]:
        """The jobs the jobsView's model holds, read through its JobRole (newest first)."""
        from PySide6.QtWidgets import QTableView

        view = self.find(QTableView, "jobsView")
        model = view.model()
        return [model.index(row, 0).data(JobRole) for row in range(model.rowCount())]

    def state_texts(self) -> list[str]:
        from PySide6.QtWidgets import QTableView

        view = self.find(QTableView, "jobsView")
        model = view.model()
        return [
            model.index(row, 2).data(Qt.ItemDataRole.DisplayRole) for row in range(model.rowCount())
        ]

    def wait_job_state(self, *states: str, timeout: float = 20.0) -> Job:
        def reached() -> bool:
            jobs = self.jobs()
            return bool(jobs) and jobs[0].state in states

        self.run_until(
            reached, timeout, what=f"a job in state {states} (now {[j.state for j in self.jobs()]})"
        )
        return self.jobs()[0]

    # -- teardown ----------------------------------------------------------------------------

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        try:
            if self.started:
                self.run(self.studio.close())
            self.run(tasks.drain())
            assert tasks.pending_count() == 0, "spawned tasks still pending"
            self.window.close()
            self.window.deleteLater()
            self.run(tasks.drain())
        finally:
            self.loop.release()
            self.loop.close()
            asyncio.set_event_loop(None)
        leftover = _wait_for_threads()
        assert leftover == [], f"threads left running: {leftover}"


def _wait_for_threads(timeout: float = 5.0) -> list[str]:
    """Names of non-daemon threads besides the main one (given a moment to finish)."""
    deadline = time.monotonic() + timeout
    while True:
        left = [
            t.name
            for t in threading.enumerate()
            if t is not threading.main_thread() and not t.daemon and t.is_alive()
        ]
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.02)


@pytest.fixture(name="studio_factory")
def studio_factory_fixture(qapp, qtbot, sandbox, tmp_path, monkeypatch, caplog):
    """Build (and by default start) a studio window; call with keyword options:

    key: put TEST_KEY in SUNODESK_API_KEY (default True); sandbox_mode: args.sandbox;
    base_url: None for the default (the test sandbox's URL); start: run studio.start().
    """
    made: list[StudioHarness] = []
    # never touch the real OS keyring from a test
    monkeypatch.setattr(secrets, "keyring_available", lambda: False)
    monkeypatch.delenv("SUNODESK_BASE_URL", raising=False)
    monkeypatch.setenv("SUNODESK_TIME_SCALE", str(FAST_TIME_SCALE))
    monkeypatch.setenv("SUNODESK_SANDBOX_SPEED", "2000")

    def build(
        *,
        key: bool = True,
        sandbox_mode: bool = False,
        base_url: Any = ...,
        start: bool = True,
        name: str = "data",
    ) -> StudioHarness:
        data_dir = tmp_path / name
        data_dir.mkdir(exist_ok=True)
        if key:
            monkeypatch.setenv("SUNODESK_API_KEY", TEST_KEY)
        else:
            monkeypatch.delenv("SUNODESK_API_KEY", raising=False)
        monkeypatch.setenv("SUNODESK_DATA_DIR", str(data_dir))
        loop = HarnessLoop(qapp)
        asyncio.set_event_loop(loop)
        window = MainWindow(settings_path=data_dir / "window.ini")
        args = argparse.Namespace(
            data_dir=str(data_dir),
            base_url=sandbox.base_url if base_url is ... else base_url,
            sandbox=sandbox_mode,
        )
        studio = Studio(window, args)
        harness = StudioHarness(qtbot, loop, window, studio, data_dir)
        made.append(harness)
        with qtbot.waitExposed(window):
            window.show()
        window.activateWindow()
        if start:
            harness.start()
        return harness

    yield build
    errors = []
    for harness in reversed(made):
        try:
            harness.close()
        except AssertionError as exc:  # report every harness, not just the first
            errors.append(str(exc))
    QApplication.processEvents()
    # a spawned task that died is a silent drop for the person at the window
    errors += [
        f"background task failed: {r.getMessage()} {r.exc_text or r.exc_info}"
        for r in [*caplog.get_records("setup"), *caplog.get_records("call"), *caplog.records]
        if r.name == "sunodesk.ui.common.tasks"
    ]
    assert not errors, errors
