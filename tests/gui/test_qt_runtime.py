"""Guards against Qt binding releases that crash the process sunodesk runs in.

PySide6 6.12.0 aborts the interpreter at exit ("Fatal Python error: none_dealloc") after a few
thousand Qt-to-Python calls; qasync makes such calls constantly, so the window and the tests
would exit with 134. pyproject.toml pins below it; this fails loudly if that pin is lifted
onto a release that still has the bug.
"""

import subprocess
import sys

PROGRAM = """
from PySide6.QtCore import QCoreApplication, QTimer
app = QCoreApplication([])
count = [0]
def tick():
    count[0] += 1
    if count[0] < 3000:
        QTimer.singleShot(0, tick)
    else:
        app.quit()
QTimer.singleShot(0, tick)
app.exec()
print(count[0])
"""


def test_many_qt_callbacks_then_a_clean_exit():
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM],
        capture_output=True,
        text=True,
        timeout=60,
        env={"QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.strip() == "3000"
