"""Benchmark: what the songs list costs the GUI thread to paint, per row and per frame.

The list is painted in Python (SongDelegate), on the GUI thread, every time a row changes and,
while anything generates, at the placeholder covers' pulse. Here: 20 generations in flight
above 20 finished ones with two takes each and their waveforms, in the pane's size in a
1280 x 800 window. Printed: the median and maximum of a full repaint of the visible rows, of
one pulse (the in-flight rows only), of one row of each kind, and of a relayout of all rows
(every row's size asked again, as when a placeholder becomes its takes).

Figures only; nothing here is timed as a test. Run with ``make perf`` or
``QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest -q -s tests/perf/test_songs_paint.py``.
"""

from __future__ import annotations

import json
import statistics
import time

import pytest

from tests.perf._stats import percentile

ACTIVE_ROWS = 20
DONE_ROWS = 20
REPEATS = 60
PANE = (560, 720)  # the songs pane beside the form, in a 1280 x 800 window


def _jobs_and_takes():
    from sunodesk.core.models import Job, Track

    now = time.time()
    jobs, takes = [], {}
    for i in range(ACTIVE_ROWS + DONE_ROWS):
        active = i < ACTIVE_ROWS
        job_id = 1000 - i
        request = {"title": f"Night bus home {i}", "style": "synth pop, dreamy, female vocals"}
        jobs.append(
            Job(
                id=job_id,
                kind="song",
                state="running" if active else "done",
                request_json=json.dumps(request),
                progress=37,
                model="suno-v5-beta",
                created_at=now - 60 * i,
                submitted_at=now - 30,
                estimated_time=120.0,
                takes_total=2,
                takes_done=0 if active else 2,
            )
        )
        if not active:
            takes[job_id] = [
                Track(
                    result_id=f"r{job_id}-{k}",
                    job_id=job_id,
                    task_id="t",
                    title=request["title"],
                    path=f"/nowhere/{job_id}-{k}.mp3",
                    style=request["style"],
                    duration=183.4,
                    rating=k * 3,
                    favourite=k == 0,
                    state="done",
                )
                for k in range(2)
            ]
    return jobs, takes


def _timed(fn, repeats: int = REPEATS) -> list[float]:
    out = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def _line(label: str, ms: list[float]) -> None:
    print(
        f"  {label:44s} median {statistics.median(ms):7.2f} ms   p90 "
        f"{percentile(ms, 90):7.2f}   max {max(ms):7.2f}"
    )


@pytest.mark.perf
def test_songs_list_paint_cost(qapp):
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtWidgets import QStyleOptionViewItem

    from sunodesk.ui.common.theme import apply_theme
    from sunodesk.ui.songs.model import KindRole, RowKind
    from sunodesk.ui.songs.panel import SongsPanel

    apply_theme(qapp)
    jobs, takes = _jobs_and_takes()
    peaks = [abs(((i * 37) % 255) - 128) / 128 for i in range(600)]
    panel = SongsPanel()
    panel.model.takes_of_job = lambda job_id: takes.get(job_id, [])
    panel.model.peaks = lambda _rid, _path: peaks
    panel.model.set_jobs(jobs)
    panel.resize(*PANE)
    panel.show()
    view, viewport = panel.view, panel.view.viewport()
    qapp.processEvents()
    view.doItemsLayout()
    panel._pulse.stop()  # painted by hand below
    panel._ticker.stop()

    visible = [
        r for r in range(panel.model.rowCount())
        if view.visualRect(panel.model.index(r, 0)).intersects(viewport.rect())
    ]  # fmt: skip
    full = _timed(viewport.repaint)

    def pulse() -> None:
        panel._repaint_active()
        qapp.processEvents()

    pulses = _timed(pulse)

    image = QImage(PANE[0], 200, QImage.Format.Format_ARGB32_Premultiplied)
    per_kind: dict[str, list[float]] = {}
    for row in (0, ACTIVE_ROWS):
        index = panel.model.index(row, 0)
        option = QStyleOptionViewItem()
        view.initViewItemOption(option)
        option.rect = view.visualRect(index).translated(0, -view.visualRect(index).top())
        painter = QPainter(image)

        def one(index=index, option=option, painter=painter) -> None:
            panel.delegate.paint(painter, option, index)

        per_kind[str(index.data(KindRole))] = _timed(one, 200)
        painter.end()
    relayout = _timed(lambda: (view.scheduleDelayedItemsLayout(), view.doItemsLayout()), 30)

    print()
    print(
        f"== songs list paint: {ACTIVE_ROWS} in flight above {DONE_ROWS} finished (2 takes and "
        f"waveforms each), pane {PANE[0]} x {PANE[1]}, {len(visible)} rows visible =="
    )
    _line("full repaint of the visible rows", full)
    _line("one pulse (in-flight rows only)", pulses)
    _line(f"one row: {RowKind.ACTIVE}", per_kind[str(RowKind.ACTIVE)])
    _line(f"one row: {RowKind.DONE} (two takes, waveforms)", per_kind[str(RowKind.DONE)])
    _line(f"relayout of all {panel.model.rowCount()} rows", relayout)
    assert len(visible) >= 4  # sanity: the pane shows rows
    panel.close()
