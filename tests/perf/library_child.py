"""The child processes of tests/perf/test_library_scale.py (no pytest here: its import time
would count as start-up). ``bare``: a bare window importing what the app imports; ``app DIR N``:
the real window until painted with N tracks listed, then timed search keystrokes."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

SEARCHES = ("neon", "coast line", "rain", "ab", "x", "midnight tide", "zzz")
_ballast: list = []  # keeps None's reference count high until os._exit (PySide6 6.12)


def _rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _bare() -> None:
    import mutagen  # noqa: F401
    import qasync  # noqa: F401
    import requests  # noqa: F401
    from PySide6.QtMultimedia import QMediaPlayer  # noqa: F401
    from PySide6.QtSvg import QSvgRenderer  # noqa: F401
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1280, 820)
    window.show()
    app.processEvents()
    window.repaint()
    _ballast.append([None] * 1_000_000)
    print(json.dumps({"painted": True, "rss_mb": _rss_mb()}), flush=True)
    os._exit(0)


def _app(data_dir: str, expected: int) -> None:
    import argparse
    import asyncio

    import qasync
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from sunodesk.ui.app import Studio
    from sunodesk.ui.library.feature import LibraryFeature
    from sunodesk.ui.window import MainWindow

    _ballast.append([None] * 1_000_000)
    app = QApplication(sys.argv[:1])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    window = MainWindow(settings_path=Path(data_dir) / "window.ini")
    studio = Studio(
        window, argparse.Namespace(data_dir=data_dir, base_url="http://127.0.0.1:9", sandbox=False)
    )
    window.show()

    async def main() -> dict:
        await studio.start()  # builds the features (after the first paint in the real app)
        feature = next(f for f in studio.features if isinstance(f, LibraryFeature))
        model = feature.panel.model
        while model.all_count() < expected:
            await asyncio.sleep(0.001)
        window.sideTabs.setCurrentWidget(feature.panel)
        window.repaint()
        print(
            json.dumps({"painted": True, "rows": model.all_count(), "rss_mb": _rss_mb()}),
            flush=True,
        )
        while not feature.search_index.ready:
            await asyncio.sleep(0.005)
        result: dict = {}
        keys: list[float] = []
        box = feature.panel.search
        for text in SEARCHES if expected else ():
            box.clear()
            await asyncio.sleep(0.01)
            for char in text:
                filtered = asyncio.Event()
                model.filtered.connect(filtered.set)
                start = time.perf_counter()
                QTest.keyClick(box, char if char != " " else Qt.Key.Key_Space)
                if not filtered.is_set():  # the store's index answers in a worker thread
                    await asyncio.wait_for(filtered.wait(), 5)
                feature.panel.view.viewport().repaint()  # until the new rows are drawn
                keys.append((time.perf_counter() - start) * 1000)
                model.filtered.disconnect(filtered.set)
                await asyncio.sleep(0)
        result["keys_ms"] = keys
        result["shown_after_last"] = model.rowCount()
        return result

    result = loop.run_until_complete(main())
    print(json.dumps(result), flush=True)
    os._exit(0)


if __name__ == "__main__":
    if sys.argv[1] == "bare":
        _bare()
    else:
        _app(sys.argv[2], int(sys.argv[3]))
