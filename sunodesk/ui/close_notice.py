"""Closing with songs still generating says, once, that they will continue next time.

Jobs resume when sunodesk opens again (the engine picks up every unfinished job), so closing is
safe; the person is told so instead of wondering. "Don't tell me again" is remembered in the
window's settings (window.ini in the data folder).
"""

from __future__ import annotations

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QCheckBox, QMainWindow, QMessageBox

KEY = "notices/closeWithJobsRunning"


def holds_close(window: QMainWindow, event: QCloseEvent, unfinished: int) -> bool:
    """True when the close waits for the notice; the window closes itself after it."""
    settings = window.layout_settings  # type: ignore[attr-defined]
    if unfinished <= 0 or window.property("closeNoticed") or settings.value(KEY, False, type=bool):
        return False
    event.ignore()
    box = QMessageBox(window)
    box.setObjectName("closeNoticeDialog")
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(box.tr("Songs still generating"))
    box.setText(
        box.tr("1 song is still generating; it'll continue next time you open sunodesk.")
        if unfinished == 1
        else box.tr(
            "{n} songs are still generating; they'll continue next time you open sunodesk."
        ).format(n=unfinished)
    )
    dont = QCheckBox(box.tr("Don't tell me again"), box)
    dont.setObjectName("closeNoticeDontTell")
    box.setCheckBox(dont)
    close = box.addButton(box.tr("Close sunodesk"), QMessageBox.ButtonRole.AcceptRole)
    close.setObjectName("closeNoticeClose")
    keep = box.addButton(box.tr("Keep open"), QMessageBox.ButtonRole.RejectRole)
    keep.setObjectName("closeNoticeKeepOpen")
    box.setDefaultButton(close)
    box.setEscapeButton(keep)

    def finished(_result: int) -> None:
        if dont.isChecked():
            settings.setValue(KEY, True)
            settings.sync()
        box.deleteLater()
        if box.clickedButton() is close:
            window.setProperty("closeNoticed", True)
            window.close()

    box.finished.connect(finished)
    box.open()
    return True
