"""A 0.1–1.0 weight slider with an "Auto" stop for style weight, weirdness and audio weight.

Position 0 is "Auto" (the request omits the field); positions 1–10 are 0.1–1.0 in tenths.
The value shows beside the slider, and a double-click on the slider goes back to Auto.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QSlider, QWidget

from sunodesk.core.rules import WEIGHT_MAX, WEIGHT_MIN

STEPS = 10  # tenths


def _position_for(value: float | None) -> int:
    """Slider position for a weight: 0 for None, else rounded to tenths and clamped."""
    if value is None:
        return 0
    clamped = min(WEIGHT_MAX, max(WEIGHT_MIN, float(value)))
    return max(1, min(STEPS, round(clamped * STEPS)))


class WeightSlider(QWidget):
    """A slider from Auto to 1.0 with its value beside it; emits changed()."""

    changed = Signal()

    def __init__(
        self,
        object_name: str,
        accessible_name: str,
        tooltip: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(f"{object_name}Box")
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setObjectName(object_name)
        self.slider.setRange(0, STEPS)
        self.slider.setSingleStep(1)
        self.slider.setPageStep(1)
        self.slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.slider.setTickInterval(1)
        self.slider.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.slider.setAccessibleName(accessible_name)
        hint = self.tr("Double-click for Auto.")
        self.slider.setToolTip(f"{tooltip}\n{hint}" if tooltip else hint)
        self._about = tooltip
        self.slider.installEventFilter(self)

        self.label = QLabel(self)
        self.label.setObjectName(f"{object_name}Value")
        self.label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.label.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        width = max(self.label.fontMetrics().horizontalAdvance(t) for t in (self.tr("Auto"), "0.0"))
        self.label.setMinimumWidth(width + 4)
        self.label.setToolTip(tooltip)
        self.label.setBuddy(self.slider)

        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.slider, 1)
        row.addWidget(self.label)

        self.slider.valueChanged.connect(self._on_moved)
        self._show()

    def value(self) -> float | None:
        """The weight, or None for Auto (the field is omitted)."""
        position = self.slider.value()
        return None if position == 0 else round(position / STEPS, 1)

    def set_value(self, value: float | None) -> None:
        """Set a weight (rounded to tenths, clamped into 0.1–1.0) or None for Auto."""
        self.slider.setValue(_position_for(value))

    def reset(self) -> None:
        """Back to Auto."""
        self.slider.setValue(0)

    def text(self) -> str:
        """What the label shows: "Auto" or the value with one decimal."""
        value = self.value()
        return self.tr("Auto") if value is None else f"{value:.1f}"

    def _show(self) -> None:
        self.label.setText(self.text())
        about = f"{self.text()}. {self._about}" if self._about else self.text()
        self.slider.setAccessibleDescription(about)

    def _on_moved(self, _position: int) -> None:
        self._show()
        self.changed.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.slider and event.type() == QEvent.Type.MouseButtonDblClick:
            self.reset()
            return True
        return super().eventFilter(watched, event)
