"""Generate more: repeat or sweep, with the total cost before sending."""

from sunodesk.core.models import SongRequest
from sunodesk.ui.studio.generate_more import GenerateMoreDialog

BASE = SongRequest(title="T", style="pop", prompt="la", weirdness=0.5)


def test_repeat_sends_n_identical_requests_and_prices_them(qtbot):
    dialog = GenerateMoreDialog(BASE, 10.0, 2)
    qtbot.addWidget(dialog)
    dialog.repeatSpin.setValue(3)
    assert dialog.requests() == [BASE] * 3
    assert "3 songs" in dialog.summary.text() and "30 credits" in dialog.summary.text()
    dialog.repeatSpin.setValue(9)
    assert len(dialog.requests()) == 5  # capped at five


def test_sweep_varies_only_the_chosen_slider(qtbot):
    dialog = GenerateMoreDialog(BASE, None, 2)
    qtbot.addWidget(dialog)
    dialog.sweepRadio.setChecked(True)
    dialog.sweepFieldCombo.setCurrentIndex(dialog.sweepFieldCombo.findData("style_weight"))
    requests = dialog.requests()
    assert [r.style_weight for r in requests] == [0.3, 0.6, 0.9]
    assert {r.weirdness for r in requests} == {0.5} and {r.title for r in requests} == {"T"}
    assert "after your first song" in dialog.summary.text()
    for check in dialog.valueChecks:
        check.setChecked(False)
    assert dialog.requests() == [] and not dialog.sendButton.isEnabled()
