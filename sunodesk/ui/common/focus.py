"""A focus ring that can be seen: a 2 px line in the palette's Highlight around the focused
button, check box, slider or field, in light and dark alike (Fusion's own is a faint tint).

A proxy over whatever style the app runs, so it changes nothing else of the look.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QProxyStyle,
    QPushButton,
    QStyle,
    QStyleFactory,
    QToolButton,
)

_RINGED = (
    QStyle.PrimitiveElement.PE_PanelButtonCommand,
    QStyle.PrimitiveElement.PE_PanelButtonTool,
    QStyle.PrimitiveElement.PE_PanelLineEdit,
)


class FocusRingStyle(QProxyStyle):
    """Draws the base style, then a clear ring where keyboard focus is."""

    def drawPrimitive(self, element, option, painter, widget=None) -> None:
        super().drawPrimitive(element, option, painter, widget)
        if isinstance(widget, QAbstractItemView) or widget is None:
            return  # the current item of a list already shows as selected
        if not option.state & QStyle.StateFlag.State_HasFocus:
            return
        # push buttons and combos already have their ring around the whole control
        whole = isinstance(widget, QPushButton | QToolButton | QComboBox)
        frame = element == QStyle.PrimitiveElement.PE_FrameFocusRect and not whole
        if element in _RINGED or frame:
            ring(painter, option.rect, option.palette)

    def drawComplexControl(self, control, option, painter, widget=None) -> None:
        super().drawComplexControl(control, option, painter, widget)
        if (
            control
            in (
                QStyle.ComplexControl.CC_Slider,
                QStyle.ComplexControl.CC_ComboBox,
                QStyle.ComplexControl.CC_SpinBox,
            )
            and option.state & QStyle.StateFlag.State_HasFocus
        ):
            ring(painter, option.rect, option.palette)


def ring(painter: QPainter, rect, palette: QPalette) -> None:
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 2))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRoundedRect(QRectF(rect).adjusted(1, 1, -1, -1), 3, 3)
    painter.restore()


def install_focus_ring(app: QApplication) -> None:
    """Wrap the app's style (once) so focus shows clearly."""
    if isinstance(app.style(), FocusRingStyle):
        return
    base = QStyleFactory.create(app.style().name()) or QStyleFactory.create("Fusion")
    app.setStyle(FocusRingStyle(base))
