"""Start-up probe (b): a bare PySide6 window importing the libraries sunodesk has loaded by
its first paint, on the same qasync loop, to the window's first paint."""

import time

T0 = time.perf_counter()

import sys  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.perf._startup_common import make_probe, profile_start  # noqa: E402

PROFILER = profile_start()

import asyncio  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402

from tests.perf._startup_common import (  # noqa: E402
    DEFAULT_LIBRARIES,
    import_libraries,
    mark,
)

LIBRARIES = json.loads(os.environ.get("PERF_LIBRARIES") or "null") or DEFAULT_LIBRARIES
UNIMPORTABLE = import_libraries(LIBRARIES)

import qasync  # noqa: E402
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow  # noqa: E402

mark("imports")
app = QApplication(sys.argv[:1])
mark("qapplication")
window = QMainWindow()
window.setWindowTitle("bare")
window.setCentralWidget(QLabel("bare window"))
window.resize(1280, 820)
mark("window")
mark("studio")  # (the bare window has no controller)
probe = make_probe(T0, PROFILER)
window.installEventFilter(probe)
window.show()


async def main() -> None:
    await asyncio.Event().wait()


qasync.run(main())
