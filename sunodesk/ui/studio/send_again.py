"""The question asked before the same song is sent again within a few seconds.

Awaitable (the dialog is window-modal and opened with open(), never a nested exec() loop), with
Cancel as the default: Enter or Escape sends nothing.
"""

from __future__ import annotations

import asyncio

from PySide6.QtWidgets import QMessageBox, QWidget


async def ask_send_again(parent: QWidget) -> bool:
    """True when the person chose Send again."""
    box = QMessageBox(parent)
    box.setObjectName("sendAgainDialog")
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(box.tr("Send again?"))
    box.setText(box.tr("Send the same song again?"))
    box.setInformativeText(
        box.tr(
            "You sent this exact request a moment ago. Sending it again makes (and pays for) "
            "another song. To make several on purpose, use Generate more…"
        )
    )
    again = box.addButton(box.tr("Send again"), QMessageBox.ButtonRole.AcceptRole)
    again.setObjectName("sendAgainButton")
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    cancel.setObjectName("sendAgainCancel")
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    answer: asyncio.Future[bool] = asyncio.get_running_loop().create_future()

    def finished(_result: int) -> None:
        if not answer.done():
            answer.set_result(box.clickedButton() is again)

    box.finished.connect(finished)
    # closed with the window: nothing is sent
    box.destroyed.connect(lambda: answer.done() or answer.set_result(False))
    box.open()
    try:
        return await answer
    finally:
        box.deleteLater()
