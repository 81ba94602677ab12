"""Driving a Studio harness without stranding a coroutine outside the asyncio loop.

qasync's ``run_until_complete`` pumps Qt events once more *after* it has cleared the running
loop, so a coroutine step still queued when an ``h.run(...)`` ends runs with no loop and fails
("no running event loop"). Every helper here therefore does its work and then settles (the
engine and every spawned coroutine finished) inside one and the same ``run``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from sunodesk.ui.common import tasks
from tests.gui.studio_fixture import StudioHarness


async def _settle(h: StudioHarness) -> None:
    while True:
        session = h.studio.session
        if session is not None:
            await session.engine.wait_all()
        await tasks.drain()
        await asyncio.sleep(0.01)  # let callbacks from worker threads land
        busy = session is not None and session.engine._running
        if not tasks.pending_count() and not busy:
            return


def settle(h: StudioHarness) -> None:
    """Let the engine and every spawned coroutine finish."""
    h.run(_settle(h))


def call(h: StudioHarness, coro) -> Any:
    """Await ``coro`` and settle, in one run."""

    async def run() -> Any:
        result = await coro
        await _settle(h)
        return result

    return h.run(run())


def ui(h: StudioHarness, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call ``fn`` (a qtbot action, a widget method) with the loop running, then settle."""

    async def run() -> Any:
        result = fn(*args, **kwargs)
        await _settle(h)
        return result

    return h.run(run())


def press(h: StudioHarness, button) -> None:
    """Click a button and let what it started finish."""
    ui(h, button.click)


def until(
    h: StudioHarness, predicate: Callable[[], Any], timeout: float = 20.0, what: str = ""
) -> None:
    """Run the loop until ``predicate()`` holds, then settle (one run)."""

    async def run() -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout} s waiting for {what}")
            await asyncio.sleep(0.01)
        await _settle(h)

    h.run(run())


def wait_done(h: StudioHarness, timeout: float = 30.0):
    """The newest job once it reached an end state (settled)."""
    ends = ("done", "failed", "rejected", "expired", "unknown")
    until(
        h,
        lambda: bool(h.jobs()) and h.jobs()[0].state in ends,
        timeout,
        what=f"a finished job (now {[j.state for j in h.jobs()]})",
    )
    return h.jobs()[0]
