"""The player as a feature of the window: the PlayerService and the bar under everything, and
Space to play and pause. The service and the bar are registered on the hub, through which the
library queues its list and every part plays takes."""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings, Qt
from PySide6.QtGui import QKeySequence, QShortcut

from sunodesk.engine.session import Session
from sunodesk.ui.hub import Hub
from sunodesk.ui.player.bar import PlayerBar
from sunodesk.ui.player.service import PlayerService


class PlayerFeature(QObject):
    def __init__(self, hub: Hub) -> None:
        super().__init__(hub)
        self.hub = hub
        window = hub.window
        settings = hub.layout_settings
        self.player = PlayerService(settings if isinstance(settings, QSettings) else None, self)
        self.bar = PlayerBar(self.player, window)
        window.set_bottom_bar(self.bar)
        # Space plays and pauses; text fields keep their spaces (they claim the key first).
        self.spaceShortcut = QShortcut(
            QKeySequence(Qt.Key.Key_Space), window, context=Qt.ShortcutContext.WindowShortcut
        )
        self.spaceShortcut.activated.connect(self.player.toggle)
        hub.provide_player(self.player, self.bar)
        # no sound card (a server, a container): say so where the player is, once at start
        # and whenever devices come or go
        self.player.outputProblem.connect(self._show_output_problem)
        self._show_output_problem(self.player.output_problem())

    def _show_output_problem(self, sentence: str) -> None:
        if self.player.track is None:
            self.bar.show_track(None)  # the bar's idle line says it (the whole in its tooltip)
        if sentence:
            self.hub.window.show_message(sentence)

    async def attach(self, session: Session) -> None:
        pass  # the player needs no session: the library hands it tracks

    async def detach(self) -> None:
        pass  # the library stops it (it lets go of the files first)
