"""Render the app icon (sunodesk/resources/icons/sunodesk.svg) into the hicolor PNG sizes with
the app's own Qt (QSvgRenderer), so the build needs no extra tool.

    python packaging/render_icons.py OUT_DIR   ->  OUT_DIR/hicolor/{scalable,NxN}/apps/sunodesk.*
"""

from __future__ import annotations

import os
import sys
from importlib import resources
from pathlib import Path

SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def main(out: Path) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QByteArray, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication(sys.argv[:1])
    svg = resources.files("sunodesk.resources").joinpath("icons/sunodesk.svg").read_bytes()
    renderer = QSvgRenderer(QByteArray(svg))
    if not renderer.isValid():
        raise SystemExit("render_icons: the app icon is not a valid SVG")
    scalable = out / "hicolor" / "scalable" / "apps"
    scalable.mkdir(parents=True, exist_ok=True)
    (scalable / "sunodesk.svg").write_bytes(svg)
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        folder = out / "hicolor" / f"{size}x{size}" / "apps"
        folder.mkdir(parents=True, exist_ok=True)
        if not image.save(str(folder / "sunodesk.png"), "PNG"):
            raise SystemExit(f"render_icons: could not write the {size}px icon")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
