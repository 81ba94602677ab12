"""The player as a feature of the window: the PlayerService, the WaveformService and the bar
under everything, and its keys. The services and the bar are registered on the hub, through
which the library queues its list, every part plays takes and asks for their waveforms.

Keys: Space plays and pauses (text fields keep their spaces: they claim the key first);
← and → move 5 s while the player bar or a part registered with
``hub.add_transport_scope`` (the library's list) has the focus, but never in a text field,
slider, spin box or combo box, which keep their arrows; Ctrl+B is A/B, anywhere in the
window (nothing else uses it, and it types nothing)."""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from sunodesk.engine.session import Session
from sunodesk.ui.hub import Hub
from sunodesk.ui.player.bar import PlayerBar
from sunodesk.ui.player.service import PlayerService
from sunodesk.ui.player.waveform_service import WaveformService

SEEK_STEP_MS = 5000
AB_KEY = "Ctrl+B"
_KEEP_ARROWS = (QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSpinBox, QComboBox, QAbstractSlider)


class PlayerFeature(QObject):
    def __init__(self, hub: Hub) -> None:
        super().__init__(hub)
        self.hub = hub
        window = hub.window
        settings = hub.layout_settings
        self.player = PlayerService(settings if isinstance(settings, QSettings) else None, self)
        self.waveforms = WaveformService(self)
        self.bar = PlayerBar(self.player, window, self.waveforms)
        window.set_bottom_bar(self.bar)
        ctx = Qt.ShortcutContext.WindowShortcut
        self.spaceShortcut = QShortcut(QKeySequence(Qt.Key.Key_Space), window, context=ctx)
        self.spaceShortcut.activated.connect(self.player.toggle)
        self.backShortcut = QShortcut(QKeySequence(Qt.Key.Key_Left), window, context=ctx)
        self.backShortcut.activated.connect(lambda: self.player.skip(-SEEK_STEP_MS))
        self.forwardShortcut = QShortcut(QKeySequence(Qt.Key.Key_Right), window, context=ctx)
        self.forwardShortcut.activated.connect(lambda: self.player.skip(SEEK_STEP_MS))
        self.abShortcut = QShortcut(QKeySequence(AB_KEY), window, context=ctx)
        self.abShortcut.activated.connect(self.player.switch_take)
        self.bar.abButton.setToolTip(
            self.bar.abButton.toolTip() + " " + self.tr("({key})").format(key=AB_KEY)
        )
        hub.provide_player(self.player, self.bar)
        hub.provide_waveforms(self.waveforms)
        hub.add_transport_scope(self.bar)
        self.arrows = _ArrowScope(self, window)
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
        # the player needs no session (the library hands it tracks); waveforms cache under it
        self.waveforms.set_data_dir(session.data_dir)

    async def detach(self) -> None:
        self.waveforms.shutdown()  # the library stops the player (it lets go of files first)
        self.waveforms.set_data_dir(None)


class _ArrowScope(QObject):
    """Turns the arrow shortcuts on only while the focus is in a transport scope and not in a
    widget that uses arrows itself. A child of the window, so it goes (and stops listening)
    with the window and its shortcuts."""

    def __init__(self, feature: PlayerFeature, window: QWidget) -> None:
        super().__init__(window)
        self.feature = feature
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.focusChanged.connect(self.focus_changed)
        self.focus_changed(None, app.focusWidget())

    def focus_changed(self, _old: QWidget | None, now: QWidget | None) -> None:
        feature = self.feature
        enabled = now is None or (
            (now is feature.bar.seekSlider or not isinstance(now, _KEEP_ARROWS))
            and any(
                scope is now or scope.isAncestorOf(now) for scope in feature.hub.transport_scopes
            )
        )
        try:
            feature.backShortcut.setEnabled(enabled)
            feature.forwardShortcut.setEnabled(enabled)
        except RuntimeError:  # the window is being taken down, its shortcuts first
            pass
