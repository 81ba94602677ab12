"""Shared by the two start-up scripts: report the first paint of a window, then leave at once.

Imported right after the script's first line, so it must stay light (stdlib only; PySide6 is
imported lazily inside ``PaintProbe``).
"""

from __future__ import annotations

import json
import os
import sys
import time

# Standard-library modules the bare window imports as well, because sunodesk uses them as
# libraries (the rest of the standard library is shared start-up cost either way).
STDLIB_LIBRARIES = ("sqlite3",)
NOT_LIBRARIES = ("sunodesk", "tests", "__main__")


MARKS: dict[str, float] = {}  # phase name -> time.perf_counter() when it ended


# Every library sunodesk depends on (pyproject's runtime dependencies and the Qt modules the
# app uses): the bare window imports all of them, whatever the app loads before its paint.
DEFAULT_LIBRARIES = [
    "PySide6.QtCore",
    "PySide6.QtGui",
    "PySide6.QtWidgets",
    "PySide6.QtSvg",
    "PySide6.QtMultimedia",
    "qasync",
    "requests",
    "mutagen.id3",
    "mutagen.mp3",
    "lameenc",
    "keyring",
    "platformdirs",
    "send2trash",
    "sqlite3",
]


def mark(name: str) -> None:
    MARKS[name] = time.perf_counter()


def loaded_libraries() -> list[str]:
    """Every third-party module loaded so far (PySide6 ones included), in load order."""
    names = []
    for name in list(sys.modules):
        top = name.partition(".")[0]
        if top in NOT_LIBRARIES or top.startswith("_"):
            continue
        if top in sys.stdlib_module_names and top not in STDLIB_LIBRARIES:
            continue
        names.append(name)
    return names


def import_libraries(names: list[str]) -> int:
    """Import these modules in order; returns how many could not be imported by name."""
    import importlib

    failed = 0
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:  # some are aliases or internals only reachable from their package
            failed += 1
    return failed


def profile_start():
    """With PERF_PROFILE=path, profile everything up to the first paint into that file."""
    path = os.environ.get("PERF_PROFILE")
    if not path:
        return None
    import cProfile

    profiler = cProfile.Profile()
    profiler.enable()
    return profiler


def make_probe(t0: float, profiler=None):
    """An event filter: on the window's first Paint event, print a PAINT line and os._exit."""
    from PySide6.QtCore import QEvent, QObject

    class PaintProbe(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint:
                now_wall, now = time.time(), time.perf_counter()
                if profiler is not None:
                    profiler.disable()
                    profiler.dump_stats(os.environ["PERF_PROFILE"])
                launched = float(os.environ.get("PERF_LAUNCHED_AT") or "nan")
                report = {
                    "from_launch": now_wall - launched,  # includes interpreter start-up
                    "in_script": now - t0,  # from the script's first line
                    # CPU seconds of the whole process (interpreter start-up included): what
                    # start-up costs, whatever else the machine is doing
                    "cpu": time.process_time(),
                    "window": type(obj).__name__,
                    "marks": {k: v - t0 for k, v in MARKS.items()} | {"paint": now - t0},
                }
                if os.environ.get("PERF_LIST_LIBRARIES"):
                    report["libraries"] = loaded_libraries()
                print("PAINT " + json.dumps(report), flush=True)
                sys.stderr.flush()
                os._exit(0)  # teardown is not part of start-up
            return False

    return PaintProbe()
