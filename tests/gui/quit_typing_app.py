"""Run the real app (sunodesk.ui.app.run, sandbox mode), type lyrics, and close the window
straight after the last keystroke, before any autosave timer fires; then print how run()
ended. Used by test_session_safety.py; nothing in sunodesk knows about it.

    python tests/gui/quit_typing_app.py DATA_DIR LINE [LINE ...]
"""

from __future__ import annotations

import argparse
import sys


def main() -> int:
    data_dir, lines = sys.argv[1], sys.argv[2:]
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QPlainTextEdit

    import sunodesk.ui.app as app_module

    start = app_module.Studio.start

    async def start_type_and_close(studio) -> None:
        await start(studio)
        editor = studio.window.findChild(QPlainTextEdit, "lyricsEditor")
        for i, line in enumerate(lines):
            if i:
                QTest.keyClick(editor, Qt.Key.Key_Return)
            QTest.keyClicks(editor, line)
        studio.window.close()  # the person closes the window at once

    app_module.Studio.start = start_type_and_close
    code = app_module.run(argparse.Namespace(data_dir=data_dir, base_url=None, sandbox=True))
    print(f"run returned {code}", flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
