"""Fixtures for the hostile stand-in: the server, and clients and engines pointed at it."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest

from sunodesk.api import EvolinkClient
from sunodesk.engine.engine import Engine, EngineOptions
from tests.conftest import FAST_TIME_SCALE, TEST_KEY
from tests.hostile.server import HostileServer

T = TypeVar("T")


@pytest.fixture
def hostile():
    with HostileServer() as server:
        yield server


@pytest.fixture
def client(hostile):
    """A client at the test time scale, so every budget is short."""
    with EvolinkClient(hostile.base_url, TEST_KEY, time_scale=FAST_TIME_SCALE) as c:
        yield c


@pytest.fixture
def hostile_engine(store, hostile, library: Path):
    made: list[Engine] = []

    def build(**options: Any) -> Engine:
        client = EvolinkClient(hostile.base_url, TEST_KEY, time_scale=FAST_TIME_SCALE)
        opts = EngineOptions(library_dir=library, time_scale=FAST_TIME_SCALE, **options)
        engine = Engine(store, client, opts)
        made.append(engine)
        return engine

    yield build
    for engine in made:
        if not engine._executor._shutdown:
            asyncio.run(engine.close())


def within(seconds: float, fn: Callable[[], T]) -> tuple[T | None, BaseException | None, float]:
    """Run ``fn`` in a thread and wait at most ``seconds`` for it (no sleeping: a join).

    Returns (result, exception, elapsed); fails the test if it is still running, which is
    how an exchange with no overall deadline shows up.
    """
    import time

    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["result"] = fn()
        except BaseException as exc:  # handed to the test
            box["error"] = exc

    started = time.monotonic()
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    elapsed = time.monotonic() - started
    assert not thread.is_alive(), f"still waiting after {elapsed:.1f} s: no overall deadline"
    return box.get("result"), box.get("error"), elapsed
