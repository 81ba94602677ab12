"""Closing with songs still generating says once that they continue next time; "Don't tell me
again" is remembered; with nothing running the window just closes."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QCheckBox, QMessageBox, QPushButton

from sunodesk.core.jobstate import ACTIVE
from sunodesk.core.models import SongRequest
from sunodesk.ui.close_notice import KEY
from tests.gui.feature_helpers import settle

SONG = SongRequest(title="Still Going", style="ambient", prompt="[Verse]\nslow")


def notice(h) -> QMessageBox | None:
    shown = [b for b in h.window.findChildren(QMessageBox, "closeNoticeDialog") if b.isVisible()]
    return shown[0] if shown else None


def start_a_long_job(h, sandbox) -> None:
    sandbox.faults.set("poll_status", 503)  # the task exists; its outcome cannot be read yet
    h.run(h.studio.generate(requests=[SONG]))
    h.run_until(lambda: any(j.state in ACTIVE for j in h.jobs()), timeout=5)


def test_closing_with_a_song_generating_says_it_continues(studio_factory, sandbox, qtbot):
    h = studio_factory()
    start_a_long_job(h, sandbox)
    h.window.close()
    box = notice(h)
    assert box is not None and h.window.isVisible()
    assert box.text() == "1 song is still generating; it'll continue next time you open sunodesk."
    box.findChild(QCheckBox, "closeNoticeDontTell").setChecked(True)
    box.findChild(QPushButton, "closeNoticeClose").click()
    h.run_until(lambda: not h.window.isVisible(), timeout=5, what="the window to close")
    settings = QSettings(str(h.data_dir / "window.ini"), QSettings.Format.IniFormat)
    assert settings.value(KEY, False, type=bool) is True
    sandbox.faults.reset()
    settle(h)


def test_keep_open_keeps_the_window_and_dont_tell_me_again_is_honoured(
    studio_factory, sandbox, qtbot
):
    h = studio_factory()
    start_a_long_job(h, sandbox)
    h.window.close()
    notice(h).findChild(QPushButton, "closeNoticeKeepOpen").click()
    h.run_until(lambda: notice(h) is None, timeout=5)
    assert h.window.isVisible()
    h.window.layout_settings.setValue(KEY, True)
    h.window.close()
    assert notice(h) is None and not h.window.isVisible()
    sandbox.faults.reset()
    settle(h)


def test_nothing_running_closes_without_a_word(studio_factory, qtbot):
    h = studio_factory()
    h.window.close()
    assert notice(h) is None and not h.window.isVisible()
