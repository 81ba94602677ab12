"""Start the window: the Qt application, asyncio on the Qt loop (qasync), the first paint, and
then the controller (:mod:`sunodesk.ui.controller`).

The window paints first; the engine (and the HTTP, SQLite and tagging libraries under it) and
the features load right after, so a person sees the studio as soon as possible.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

from sunodesk import __version__
from sunodesk.store import paths
from sunodesk.store.settings import load_settings
from sunodesk.ui.common.theme import apply_theme
from sunodesk.ui.controller import Studio
from sunodesk.ui.window import MainWindow

__all__ = ["MainWindow", "Studio", "run"]


class _FirstPaint(QObject):
    """Sets ``done`` when the window paints for the first time."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.done = asyncio.Event()
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.done.is_set():
            self.done.set()
            watched.removeEventFilter(self)
        return False


def run(args: argparse.Namespace) -> int:
    """The window's main loop; returns the exit code."""
    import qasync

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("sunodesk")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("sunodesk")
    app.setDesktopFileName("sunodesk")
    data_dir = paths.resolve_data_dir(args.data_dir)
    apply_theme(app, load_settings(data_dir).theme)
    window = MainWindow(settings_path=data_dir / "window.ini")
    studio = Studio(window, args)
    painted = _FirstPaint(window)
    window.show()

    # Closing the window must not end the loop before Studio.close() has saved the open draft
    # and stopped the engine cleanly: main() returns after it, and that ends the app.
    app.setQuitOnLastWindowClosed(False)

    async def main() -> None:
        closed = asyncio.Event()
        app.lastWindowClosed.connect(closed.set)
        # The engine and the features load once the person can already see the studio.
        # (a platform that never paints still starts, after two seconds)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(painted.done.wait(), timeout=2.0)
        await studio.start()
        await closed.wait()
        await studio.close()

    qasync.run(main())
    return 0
