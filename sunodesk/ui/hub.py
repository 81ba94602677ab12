"""The hub: the one way the parts of the window reach each other.

Each part (a feature package under ``sunodesk.ui``) gets the hub when it is built. It finds
the window and the session's jobs bridge here, and it *registers* what it offers other parts
with a typed ``provide_*`` method; other parts then use the hub's typed methods (play a take,
the playhead, a take's waveform, create a persona, open a request in a new draft, the current
draft) and never look each other up. A part that is missing makes those methods answer "not
here" (False, None, an empty draft), so every part also works alone (tests build them one
at a time).

This module imports no feature package at run time (only for type checking), so a feature
that imports the hub depends on no other feature.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices

from sunodesk.ui.common.tasks import spawn

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QWidget

    from sunodesk.core.models import SongRequest, Track
    from sunodesk.engine.session import Session
    from sunodesk.ui.bridges import JobsBridge
    from sunodesk.ui.player.bar import PlayerBar
    from sunodesk.ui.player.service import PlayerService
    from sunodesk.ui.window import MainWindow


class Feature(Protocol):
    """A part of the window beyond the studio form and the jobs panel.

    Built once with the hub (it adds its tabs and bars to the window then, and registers what
    it offers on the hub), attached to every session the controller opens, and detached
    before that session closes.
    """

    def __init__(self, hub: Hub) -> None: ...

    async def attach(self, session: Session) -> None: ...

    async def detach(self) -> None: ...


@dataclass(frozen=True)
class CurrentDraft:
    """The open draft: its name is the album of what it generates; its id gets the history."""

    album: str = ""
    draft_id: int | None = None


class TakeSource(Protocol):
    """Plays a filed take by its result id (the library: it holds the tracks)."""

    def play_result_id(self, result_id: str) -> bool: ...


class WaveformSource(Protocol):
    """Waveforms of takes, computed off the GUI thread (the player part); ``ready`` is a
    signal carrying the result id whose peaks just arrived."""

    ready: Any

    def peaks(
        self, result_id: str, path: str | None = None, urgent: bool = False
    ) -> bytes | None: ...


class Takes(Protocol):
    """The filed takes by generation, their covers, and the person's marks on them (the
    library: it holds the tracks)."""

    def takes_of_job(self, job_id: int) -> list[Track]: ...

    async def thumbnails(self, paths: list[str], size: int) -> dict[str, QImage | None]: ...

    async def set_take_favourite(self, result_id: str, favourite: bool) -> None: ...

    async def set_take_rating(self, result_id: str, rating: int) -> None: ...


class PersonaMaker(Protocol):
    """Opens the Create-persona dialog, on a take when one is given (the personas part)."""

    def open_create_dialog(self, result_id: str | None = None) -> None: ...


class Drafts(Protocol):
    """The open draft, and opening a request in a draft of its own (the drafts part)."""

    def current_draft(self) -> CurrentDraft: ...

    async def open_in_new_draft(self, request: SongRequest, name: str) -> Any: ...


class Hub(QObject):
    # a take's waveform is ready: hub.waveform(result_id) answers it now
    waveformReady = Signal(str)
    # The takes of these generations (a set of job ids; None: of all of them) were filed,
    # changed or removed: whoever shows takes reads them again with takes_of_job.
    takesChanged = Signal(object)
    # A part asks for a job's action (Open Settings, Retry download …): the controller does it.
    jobActionRequested = Signal(object, str)  # Job, action

    def __init__(self, window: MainWindow, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.window = window
        # the open session's bridge over the engine (set by the controller while attached)
        self.jobs: JobsBridge | None = None
        self._player: PlayerService | None = None
        self._player_bar: PlayerBar | None = None
        self._takes: TakeSource | None = None
        self._personas: PersonaMaker | None = None
        self._drafts: Drafts | None = None
        self._waveforms: WaveformSource | None = None
        self._transport_scopes: list[QWidget] = []
        self._library: Takes | None = None
        # a take's waveform peaks (0..1) when known; the waveform part provides it
        self._peaks: Callable[[str], list[float] | None] | None = None

    # -- registration: what each part offers ------------------------------------------------

    def provide_player(self, player: PlayerService, bar: PlayerBar) -> None:
        """The window's player (the player part): the service and its bar."""
        self._player, self._player_bar = player, bar

    def provide_waveforms(self, waveforms: WaveformSource) -> None:
        """Waveforms of takes, computed off the GUI thread and cached (the player part)."""
        self._waveforms = waveforms
        waveforms.ready.connect(self.waveformReady)

    def provide_takes(self, takes: TakeSource) -> None:
        self._takes = takes

    def provide_library(self, library: Takes) -> None:
        self._library = library

    def provide_peaks(self, peaks: Callable[[str], list[float] | None]) -> None:
        self._peaks = peaks

    def provide_personas(self, personas: PersonaMaker) -> None:
        self._personas = personas

    def provide_drafts(self, drafts: Drafts) -> None:
        self._drafts = drafts

    # -- the window --------------------------------------------------------------------------

    @property
    def layout_settings(self) -> QSettings:
        """The window's own QSettings (layout, volume): what is remembered between runs."""
        return self.window.layout_settings

    def show_message(self, text: str, ms: int = 8000) -> None:
        self.window.show_message(text, ms)

    def show_notice(self, text: str, button: str, pressed: Callable[[], None]) -> None:
        """A status-bar notice with one button ("2 takes ready — Play")."""
        self.window.show_notice(text, button, pressed)

    # -- the player --------------------------------------------------------------------------

    @property
    def player(self) -> PlayerService | None:
        return self._player

    @property
    def player_bar(self) -> PlayerBar | None:
        return self._player_bar

    def play_take(self, result_id: str, path: str = "") -> bool:
        """Play a take in the window's player (when the library holds it); where the window
        has no library, its file (``path``) opens in the desktop's player. False when neither
        happened."""
        if self._takes is not None:
            return self._takes.play_result_id(result_id)
        if path:
            QDesktopServices.openUrl(QUrl.fromLocalFile(path))
            return True
        return False

    @property
    def has_playhead(self) -> bool:
        """Whether playhead_seconds can ever answer (the window has a player)."""
        return self._player is not None

    def playhead_seconds(self, result_id: str) -> float | None:
        """Where the player is in this take, in seconds; None when it is not playing it."""
        player = self._player
        playing = player.track if player is not None else None
        if player is None or playing is None or playing.result_id != result_id:
            return None
        return player.position / 1000.0

    def waveform(self, result_id: str, path: str | None = None) -> bytes | None:
        """A take's waveform: bytes of 0-255, each the loudest point of one equal slice of the
        take, or None while it is not known yet. Asking starts its computation off the GUI
        thread (from the cache, else by decoding ``path``); ``waveformReady`` then says when
        to ask again. Without ``path`` only the cache can answer. None when the window has no
        player."""
        if self._waveforms is None:
            return None
        return self._waveforms.peaks(result_id, path)

    def add_transport_scope(self, widget: QWidget) -> None:
        """Where ← and → seek the player while that widget (or a child) has the focus, e.g.
        a list of takes; text fields and sliders keep their arrows anyway."""
        self._transport_scopes.append(widget)

    @property
    def transport_scopes(self) -> list[QWidget]:
        return [w for w in self._transport_scopes if _alive(w)]

    def request_job_action(self, job: Any, action: str) -> None:
        """Do the action offered beside a job's sentence (core.jobstate.next_action)."""
        self.jobActionRequested.emit(job, action)

    # -- takes -------------------------------------------------------------------------------

    def takes_of_job(self, job_id: int) -> list[Track]:
        """The filed takes of one generation, in filing order (A, B …); [] without a library."""
        return self._library.takes_of_job(job_id) if self._library is not None else []

    def thumbnail_loader(
        self,
    ) -> Callable[[list[str], int], Awaitable[dict[str, QImage | None]]] | None:
        """What reads cover thumbnails off the GUI thread (for a CoverCache); None without."""
        return self._library.thumbnails if self._library is not None else None

    def set_favourite(self, result_id: str, favourite: bool) -> bool:
        if self._library is None:
            return False
        spawn(self._library.set_take_favourite(result_id, favourite))
        return True

    def set_rating(self, result_id: str, rating: int) -> bool:
        if self._library is None:
            return False
        spawn(self._library.set_take_rating(result_id, rating))
        return True

    def take_peaks(self, result_id: str, path: str | None = None) -> list[float] | None:
        """A take's waveform as peaks from 0 to 1 when known (asking starts its computation
        off the GUI thread; ``waveformReady`` says when to ask again)."""
        if self._peaks is not None:
            return self._peaks(result_id)
        data = self.waveform(result_id, path)
        return [b / 255 for b in data] if data else None

    # -- personas ----------------------------------------------------------------------------

    @property
    def can_create_personas(self) -> bool:
        return self._personas is not None

    def create_persona(self, result_id: str | None = None) -> bool:
        """Open the Create-persona dialog (on this take); False when the window has none."""
        if self._personas is None:
            return False
        self._personas.open_create_dialog(result_id)
        return True

    # -- drafts ------------------------------------------------------------------------------

    def current_draft(self) -> CurrentDraft:
        return self._drafts.current_draft() if self._drafts is not None else CurrentDraft()

    def open_in_new_draft(self, request: SongRequest, name: str) -> bool:
        """Open a request in a new draft (the open one is saved and left as it is); False
        when the window has no drafts (then the caller loads the form itself)."""
        if self._drafts is None:
            return False
        spawn(self._drafts.open_in_new_draft(request, name))
        return True


def _alive(widget: QObject) -> bool:
    try:
        widget.objectName()
    except RuntimeError:  # its C++ side is gone
        return False
    return True
