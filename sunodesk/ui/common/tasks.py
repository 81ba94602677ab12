"""Run coroutines from Qt slots without losing them or their errors (spawn), and blocking calls
in worker threads so the GUI thread never waits (off_thread)."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

log = logging.getLogger(__name__)
_pending: set[asyncio.Task[Any]] = set()
T = TypeVar("T")


def spawn(coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
    """Schedule ``coro`` on the running (qasync) loop, keep it alive, and log its failure."""
    name = getattr(coro, "__qualname__", repr(coro))
    task = asyncio.ensure_future(coro)
    _pending.add(task)

    def done(t: asyncio.Task[Any]) -> None:
        _pending.discard(t)
        if not t.cancelled() and t.exception() is not None:
            # with its traceback, so the log file has it (in full with SUNODESK_DEBUG=1)
            log.error("background task %s failed", name, exc_info=t.exception())

    task.add_done_callback(done)
    return task


async def drain() -> None:
    """Wait for every spawned task (tests and shutdown use this)."""
    while _pending:
        await asyncio.gather(*list(_pending), return_exceptions=True)


def pending_count() -> int:
    return len(_pending)


async def off_thread(fn: Callable[..., T], *args: Any) -> T:
    """Run a blocking call (SQLite, HTTP) in a worker thread; the GUI thread never waits."""
    return await asyncio.get_running_loop().run_in_executor(None, functools.partial(fn, *args))
