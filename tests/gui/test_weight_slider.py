"""Weight sliders: Auto plus tenths, the value label, double-click reset and rounding."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSlider

from sunodesk.ui.studio.weight_slider import WeightSlider


@pytest.fixture
def weight(qtbot):
    widget = WeightSlider("styleWeightSlider", "Style weight", "How closely to follow the style")
    qtbot.addWidget(widget)
    widget.resize(300, 40)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_starts_auto(weight):
    slider = weight.findChild(QSlider, "styleWeightSlider")
    assert slider is weight.slider
    assert slider.accessibleName() == "Style weight"
    assert "follow the style" in slider.toolTip()
    assert (slider.minimum(), slider.maximum()) == (0, 10)
    assert weight.value() is None
    assert weight.label.text() == "Auto"


def test_values_and_label(qtbot, weight):
    with qtbot.waitSignal(weight.changed, timeout=1000):
        weight.set_value(0.7)
    assert weight.value() == 0.7
    assert weight.label.text() == "0.7"
    weight.set_value(1.0)
    assert weight.label.text() == "1.0"
    weight.set_value(None)
    assert weight.value() is None
    assert weight.label.text() == "Auto"


@pytest.mark.parametrize(
    ("given", "expected"),
    [(0.34, 0.3), (0.36, 0.4), (0.0, 0.1), (-2, 0.1), (0.04, 0.1), (1.3, 1.0), (0.55, 0.6)],
)
def test_rounding_and_clamping(weight, given, expected):
    weight.set_value(given)
    assert weight.value() == expected


def test_keyboard(qtbot, weight):
    weight.slider.setFocus()
    qtbot.waitUntil(weight.slider.hasFocus)
    qtbot.keyClick(weight.slider, Qt.Key.Key_Right)
    assert weight.value() == 0.1
    qtbot.keyClick(weight.slider, Qt.Key.Key_End)
    assert weight.value() == 1.0
    qtbot.keyClick(weight.slider, Qt.Key.Key_Left)
    assert weight.label.text() == "0.9"
    qtbot.keyClick(weight.slider, Qt.Key.Key_Home)
    assert weight.value() is None


def test_double_click_resets_to_auto(qtbot, weight):
    weight.set_value(0.8)
    with qtbot.waitSignal(weight.changed, timeout=1000):
        qtbot.mouseDClick(weight.slider, Qt.MouseButton.LeftButton)
    assert weight.value() is None
    assert weight.label.text() == "Auto"
