"""`make screenshots` stays working: one state rendered by the real script, read back."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]


def test_the_screenshot_script_renders_the_light_studio(tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "screenshots.py"), "--out", str(tmp_path),
         "--only", "studio-light"],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    image = QImage(str(tmp_path / "studio-light.png"))
    assert (image.width(), image.height()) == (1280, 800)
    # not a blank grab: the accent-filled Generate button and text make many colours
    colours = {image.pixel(x, y) for x in range(0, 1280, 16) for y in range(0, 800, 16)}
    assert len(colours) > 20
    assert [p.name for p in tmp_path.iterdir()] == ["studio-light.png"]
