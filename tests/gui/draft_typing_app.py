"""Run the real window (sandbox mode) in this process, type lyrics into it like a person, print
"typed" after the last keystroke and keep running until killed. Used by test_draft_sigkill.py;
nothing in sunodesk knows about it.

    python tests/gui/draft_typing_app.py DATA_DIR LINE [LINE ...]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path


def main() -> int:
    data_dir, lines = sys.argv[1], sys.argv[2:]
    import qasync
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QPlainTextEdit

    from sunodesk.ui.app import Studio
    from sunodesk.ui.window import MainWindow

    app = QApplication(sys.argv[:1])
    window = MainWindow(settings_path=Path(data_dir) / "window.ini")
    studio = Studio(window, argparse.Namespace(data_dir=data_dir, base_url=None, sandbox=True))
    window.show()

    async def run() -> None:
        await studio.start()
        editor = window.findChild(QPlainTextEdit, "lyricsEditor")
        editor.setFocus()
        for i, line in enumerate(lines):
            if i:
                QTest.keyClick(editor, Qt.Key.Key_Return)
            QTest.keyClicks(editor, line)
        print("typed", flush=True)
        await asyncio.Event().wait()  # until SIGKILL

    qasync.run(run())
    app.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
