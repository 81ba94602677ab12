"""One press, one song: the same request again within the window asks first (Cancel by
default); after the window it is sent without asking; Generate more… never asks for its own
batch. POSTs are counted by the sandbox."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from sunodesk.core.repeats import RepeatGuard
from tests.gui.test_studio_window import TERMINAL, click, fill_valid


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def posts(sandbox) -> int:
    return sandbox.stats.snapshot()["submits"]["song"]


def question(h) -> QMessageBox | None:
    shown = [b for b in h.window.findChildren(QMessageBox, "sendAgainDialog") if b.isVisible()]
    return shown[0] if shown else None


def ready(h, qtbot, clock: Clock | None = None):
    clock = clock or Clock()
    h.studio.repeats = RepeatGuard(10.0, clock)
    fill_valid(qtbot, h.window)
    button = h.find(QPushButton, "generateButton")
    h.run_until(button.isEnabled, timeout=5, what="Generate enabled")
    return button, clock


def press_and_wait_sent(h, qtbot, button, sandbox, expected: int) -> None:
    click(qtbot, button)
    h.run_until(lambda: posts(sandbox) == expected and button.isEnabled(), timeout=10)


def test_two_presses_send_once_unless_confirmed(studio_factory, sandbox, qtbot):
    h = studio_factory()
    button, clock = ready(h, qtbot)
    press_and_wait_sent(h, qtbot, button, sandbox, 1)
    assert button.text() == "Sent"

    clock.now += 0.08  # the second press, 80 ms later
    click(qtbot, button)
    h.run_until(lambda: question(h) is not None, timeout=5, what="the question")
    box = question(h)
    assert box.text() == "Send the same song again?"
    assert box.defaultButton().objectName() == "sendAgainCancel"
    qtbot.keyClick(box, Qt.Key.Key_Return)  # Enter takes the default: Cancel
    h.run_until(lambda: question(h) is None and button.isEnabled(), timeout=5)
    h.run(h.studio.session.engine.wait_all())
    assert posts(sandbox) == 1

    click(qtbot, button)  # asked again, and this time confirmed
    h.run_until(lambda: question(h) is not None, timeout=5, what="the question")
    click(qtbot, question(h).findChild(QPushButton, "sendAgainButton"))
    h.run_until(lambda: posts(sandbox) == 2 and button.isEnabled(), timeout=10)
    h.run(h.studio.session.engine.wait_all())
    h.run_until(lambda: all(j.state in TERMINAL for j in h.jobs()), timeout=10)
    assert len(h.jobs()) == 2 and posts(sandbox) == 2


def test_ctrl_enter_twice_quickly_asks_too(studio_factory, sandbox, qtbot):
    h = studio_factory()
    button, _clock = ready(h, qtbot)
    lyrics = h.window.form.lyrics.editor
    lyrics.setFocus()
    qtbot.keyClick(lyrics, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(lyrics, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    h.run_until(lambda: posts(sandbox) == 1 and button.isEnabled(), timeout=10)
    text = lyrics.toPlainText()
    qtbot.keyClick(lyrics, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    h.run_until(lambda: question(h) is not None, timeout=5, what="the question")
    qtbot.keyClick(question(h), Qt.Key.Key_Escape)
    h.run_until(lambda: question(h) is None and button.isEnabled(), timeout=5)
    h.run(h.studio.session.engine.wait_all())
    assert posts(sandbox) == 1
    assert lyrics.toPlainText() == text  # Ctrl+Enter typed no new line


def test_the_same_request_after_the_window_is_sent_without_asking(studio_factory, sandbox, qtbot):
    h = studio_factory()
    button, clock = ready(h, qtbot)
    press_and_wait_sent(h, qtbot, button, sandbox, 1)
    clock.now += 10.0
    press_and_wait_sent(h, qtbot, button, sandbox, 2)
    assert question(h) is None
    h.run(h.studio.session.engine.wait_all())


def test_generate_more_sends_its_batch_without_asking(studio_factory, sandbox, qtbot):
    from sunodesk.ui.studio.generate_more import GenerateMoreDialog

    h = studio_factory()
    button, _clock = ready(h, qtbot)
    press_and_wait_sent(h, qtbot, button, sandbox, 1)  # the first song, just sent

    def accept_three() -> None:
        dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, GenerateMoreDialog)]
        if dialogs:
            dialogs[0].repeatSpin.setValue(3)
            dialogs[0].accept()

    from PySide6.QtCore import QTimer

    QTimer.singleShot(0, accept_three)
    click(qtbot, h.find(QPushButton, "generateMoreButton"))
    h.run_until(lambda: posts(sandbox) == 4 and button.isEnabled(), timeout=10)
    assert question(h) is None
    h.run(h.studio.session.engine.wait_all())
