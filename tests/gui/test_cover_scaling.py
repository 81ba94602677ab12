"""Cover thumbnails: decoded at the size they are shown (a JPEG is read at a fraction of its
size, so a worker holds the GIL a quarter as long), square, and the same picture as before;
junk is no cover, not a crash."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF
from PySide6.QtGui import QColor, QImage, QLinearGradient, QPainter

from sunodesk.sandbox.cover import make_cover_png
from sunodesk.ui.library.bridge import scaled_cover


def _encoded(width: int, height: int, fmt: str) -> bytes:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    gradient = QLinearGradient(QPointF(0, 0), QPointF(width, 0))
    gradient.setColorAt(0, QColor("#000000"))
    gradient.setColorAt(1, QColor("#ff0000"))
    painter.fillRect(image.rect(), gradient)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, fmt, 92)
    return bytes(data.data())


@pytest.mark.parametrize(
    ("width", "height", "fmt"),
    [(1024, 1024, "JPG"), (1600, 900, "JPG"), (512, 512, "PNG"), (40, 30, "PNG")],
)
def test_a_cover_becomes_a_square_of_the_asked_size(qapp, width, height, fmt):
    image = scaled_cover(_encoded(width, height, fmt), 96)
    assert image is not None and (image.width(), image.height()) == (96, 96)
    # the picture survives: dark on the left, red on the right (a wide one is cut, not squashed)
    left, right = QColor(image.pixel(4, 48)), QColor(image.pixel(91, 48))
    assert left.red() < right.red() - 60


def test_the_sandbox_cover_and_junk(qapp):
    assert scaled_cover(make_cover_png("seed"), 48).width() == 48
    assert scaled_cover(b"not an image at all", 48) is None
    assert scaled_cover(b"", 48) is None and scaled_cover(None, 48) is None
