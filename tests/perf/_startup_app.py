"""Start-up probe (a): the real app, ``sunodesk --sandbox``, to the main window's first paint."""

import time

T0 = time.perf_counter()

import sys  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repo, for `tests.perf`

from tests.perf._startup_common import make_probe, mark, profile_start  # noqa: E402

PROFILER = profile_start()

import sunodesk.ui.app as app_module  # noqa: E402
from sunodesk import cli  # noqa: E402

mark("imports")

_probe = []


class _ProbedMainWindow(app_module.MainWindow):
    def __init__(self, *args, **kwargs) -> None:
        mark("qapplication")  # run() has made the QApplication and applied the theme
        super().__init__(*args, **kwargs)
        mark("window")
        _probe.append(make_probe(T0, PROFILER))
        self.installEventFilter(_probe[0])


class _ProbedStudio(app_module.Studio):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        mark("studio")


# run() builds the window and the controller through these names
app_module.MainWindow = _ProbedMainWindow
app_module.Studio = _ProbedStudio
sys.exit(cli.main(["--sandbox"]))
