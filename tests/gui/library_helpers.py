"""Shared steps for the library's GUI tests: a studio whose library holds sandbox takes."""

from __future__ import annotations

import asyncio
import time

from PySide6.QtWidgets import QLineEdit, QTableView

from sunodesk.core.models import SongRequest, Track
from sunodesk.ui.common import tasks
from sunodesk.ui.library.feature import LibraryFeature
from sunodesk.ui.library.model import TrackRole

SONGS = (
    SongRequest(
        title="Neon Coastline",
        style="synthwave, driving",
        prompt="[Verse]\nDriving down the coast tonight\n[Chorus]\nNeon dreams",
    ),
    SongRequest(
        model="suno-v4.5plus-beta",
        title="Paper Lanterns",
        style="indie folk, warm",
        prompt="[Verse]\nLanterns float above the river",
        negative_tags="metal",
        style_weight=0.7,
        weirdness=0.3,
    ),
    SongRequest(
        title="Low Tide",
        style="lo-fi, chillhop",
        prompt="[Verse]\nSalt on the window, rain in the bay",
    ),
)


def feature(h) -> LibraryFeature:
    return next(f for f in h.studio.features if isinstance(f, LibraryFeature))


def view(h) -> QTableView:
    return h.find(QTableView, "libraryView")


def search(h) -> QLineEdit:
    return h.find(QLineEdit, "librarySearch")


def rows(h) -> list[Track]:
    model = view(h).model()
    return [model.index(r, 0).data(TrackRole) for r in range(model.rowCount())]


def titles(h) -> list[str]:
    return [t.title for t in rows(h)]


def generate(h, requests=SONGS, timeout: float = 30.0) -> list[Track]:
    """Generate through the studio and wait until every take is in the library view.

    All of it runs inside one turn of the loop: qasync's run_until_complete processes Qt
    events once more after it stops, with no running loop, so an engine step still in flight
    then would fail ("no running event loop")."""
    want = len(rows(h)) + 2 * len(requests)

    async def go() -> None:
        await h.studio.generate(requests=list(requests))
        await h.studio.session.engine.wait_all()
        deadline = time.monotonic() + timeout
        while len(rows(h)) < want or tasks.pending_count():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {want} library rows")
            await asyncio.sleep(0.01)

    h.run(go())
    return rows(h)


def settle(h) -> None:
    """Run every spawned task to its end inside the asyncio loop (pytest-qt processes Qt
    events after each test, where a pending step would find no running loop)."""
    if h.studio.session is not None:
        h.run(h.studio.session.engine.wait_all())
    h.run(tasks.drain())
