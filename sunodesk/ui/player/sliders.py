"""The player's sliders. Both jump to where they are clicked (a plain QSlider moves a page
step towards the click). The seek slider draws the take's waveform: the played part in the
palette's highlight, the rest muted; a plain bar while there is no waveform yet. It stays a
QSlider (value, range, sliderPressed/Moved/Released, keys), so the bar and tests use it as
one."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPalette, QPixmap
from PySide6.QtWidgets import QSlider, QStyle, QStyleOptionSlider, QWidget

MARGIN = 5  # room for the playhead at both ends


class JumpSlider(QSlider):
    """A QSlider whose handle jumps under the pointer on a click, then drags as usual."""

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.maximum() > self.minimum():
            option = QStyleOptionSlider()
            self.initStyleOption(option)
            style = self.style()
            cc = QStyle.ComplexControl.CC_Slider
            groove = style.subControlRect(cc, option, QStyle.SubControl.SC_SliderGroove, self)
            handle = style.subControlRect(cc, option, QStyle.SubControl.SC_SliderHandle, self)
            if not handle.contains(event.position().toPoint()):
                if self.orientation() == Qt.Orientation.Horizontal:
                    span, pos = groove.width() - handle.width(), event.position().x()
                    offset = pos - groove.x() - handle.width() / 2
                else:
                    span, pos = groove.height() - handle.height(), event.position().y()
                    offset = pos - groove.y() - handle.height() / 2
                value = QStyle.sliderValueFromPosition(
                    self.minimum(), self.maximum(), round(offset), max(1, span), option.upsideDown
                )
                self.setValue(value)
        super().mousePressEvent(event)  # the handle is under the pointer now: a drag starts


class WaveformSlider(QSlider):
    """The seek slider, drawn as a waveform; the time maps linearly onto its width."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self._peaks: bytes = b""
        self._strips: tuple[QPixmap, QPixmap] | None = None  # played, muted
        self.setMinimumHeight(28)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    # -- what it shows -----------------------------------------------------------------------

    def set_peaks(self, peaks: bytes | None) -> None:
        """The waveform to draw (None or empty: a plain bar)."""
        self._peaks = bytes(peaks or b"")
        self._strips = None
        self.update()

    @property
    def peaks(self) -> bytes:
        return self._peaks

    def value_at(self, x: float) -> int:
        """The value under horizontal position ``x`` (widget coordinates)."""
        span = max(1.0, self.width() - 2 * MARGIN)
        fraction = min(1.0, max(0.0, (x - MARGIN) / span))
        return self.minimum() + round(fraction * (self.maximum() - self.minimum()))

    def x_of(self, value: int) -> float:
        full = self.maximum() - self.minimum()
        fraction = (value - self.minimum()) / full if full > 0 else 0.0
        return MARGIN + fraction * max(1.0, self.width() - 2 * MARGIN)

    # -- the pointer -------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self.maximum() <= self.minimum():
            event.ignore()
            return
        event.accept()
        self.setSliderDown(True)
        self.setSliderPosition(self.value_at(event.position().x()))

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if not self.isSliderDown():
            event.ignore()
            return
        event.accept()
        self.setSliderPosition(self.value_at(event.position().x()))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or not self.isSliderDown():
            event.ignore()
            return
        event.accept()
        self.setSliderPosition(self.value_at(event.position().x()))
        self.setSliderDown(False)

    # -- painting ----------------------------------------------------------------------------

    def resizeEvent(self, event) -> None:
        self._strips = None
        super().resizeEvent(event)

    def changeEvent(self, event) -> None:
        self._strips = None  # palette or enabled state changed
        super().changeEvent(event)

    def _colours(self) -> tuple[QColor, QColor]:
        palette = self.palette()
        group = QPalette.ColorGroup.Active if self.isEnabled() else QPalette.ColorGroup.Disabled
        played = palette.color(group, QPalette.ColorRole.Highlight)
        muted = QColor(palette.color(group, QPalette.ColorRole.WindowText))
        muted.setAlphaF(0.28)
        return played, muted

    def _strip(self, colour: QColor) -> QPixmap:
        ratio = self.devicePixelRatioF()
        pixmap = QPixmap(round(self.width() * ratio), round(self.height() * ratio))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        peaks = self._peaks
        loudest = max(peaks) or 1
        mid = self.height() / 2
        reach = mid - 3
        step = 2.0  # a bar every two logical pixels, one and a half wide
        left, width = float(MARGIN), max(1.0, self.width() - 2.0 * MARGIN)
        x = 0.0
        while x < width:
            i = int(x / width * len(peaks))
            j = max(i + 1, int((x + step) / width * len(peaks)))
            level = max(peaks[i:j]) / loudest
            h = max(1.0, level * reach)
            painter.drawRect(QRectF(left + x, mid - h, 1.5, 2 * h))
            x += step
        painter.end()
        return pixmap

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        played, muted = self._colours()
        head = self.x_of(self.sliderPosition())
        w, h = self.width(), self.height()
        if self._peaks:
            if self._strips is None:
                self._strips = (self._strip(played), self._strip(muted))
            played_strip, muted_strip = self._strips
            painter.save()
            painter.setClipRect(QRectF(head, 0, w - head, h))
            painter.drawPixmap(0, 0, muted_strip)
            painter.setClipRect(QRectF(0, 0, head, h))
            painter.drawPixmap(0, 0, played_strip)
            painter.restore()
        else:
            bar = QRectF(MARGIN, h / 2 - 2, max(1.0, w - 2 * MARGIN), 4)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(muted)
            painter.drawRoundedRect(bar, 2, 2)
            painter.setBrush(played)
            painter.drawRoundedRect(QRectF(bar.x(), bar.y(), head - bar.x(), 4), 2, 2)
        if self.maximum() > self.minimum():
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(played)
            painter.drawRoundedRect(QRectF(head - 1.5, 2, 3, h - 4), 1.5, 1.5)
            if self.isSliderDown() or self.hasFocus():
                painter.drawEllipse(QPointF(head, h / 2), 5, 5)
        if self.hasFocus():
            focus = QColor(played)
            focus.setAlphaF(0.5)
            painter.setPen(focus)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(QRectF(0.5, 0.5, w - 1, h - 1), 3, 3)
        painter.end()
