"""Shared fixtures: a real sandbox on 127.0.0.1, and a store and engine in a temp folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sunodesk.api import EvolinkClient
from sunodesk.engine.engine import Engine, EngineOptions
from sunodesk.sandbox.server import SandboxServer
from sunodesk.store.store import open_store

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TEST_KEY = "sk-test-0123456789abcdef"
FAST_SPEED = 2000.0  # a song task takes 60 ms
FAST_TIME_SCALE = 0.002  # engine waits of 5-10 s become 10-20 ms


@pytest.fixture
def sandbox():
    with SandboxServer(speed=FAST_SPEED, song_seconds=6.0, api_key=TEST_KEY) as server:
        yield server


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


@pytest.fixture
def store(data_dir: Path):
    with open_store(data_dir) as st:
        yield st


@pytest.fixture
def library(data_dir: Path) -> Path:
    return data_dir / "Library"


def make_engine(store, sandbox, library: Path, **options) -> Engine:
    client = EvolinkClient(sandbox.base_url, options.pop("key", TEST_KEY))
    opts = EngineOptions(library_dir=library, time_scale=FAST_TIME_SCALE, **options)
    return Engine(store, client, opts)


@pytest.fixture
def engine_factory(store, sandbox, library):
    """Build engines (several, for restart tests); all are closed at the end."""
    import asyncio

    made: list[Engine] = []

    def build(**options) -> Engine:
        engine = make_engine(store, sandbox, library, **options)
        made.append(engine)
        return engine

    yield build
    for engine in made:
        if not engine._executor._shutdown:
            asyncio.run(engine.close())
