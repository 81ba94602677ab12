"""The songs list, as a feature of the studio window: the default pane beside the form.

Builds the Songs tab (first on the right), fills it with this session's generations through
the jobs bridge, keeps it live from the bridge's signals (a Generate press appears at once as
a placeholder that becomes its takes in place) and reads the takes, covers, favourites and
ratings through the hub (the library provides them). A take plays through the hub; a
failure's action goes to the controller through the hub, as the jobs table's does. When a
generation's takes arrive while the window has focus, the status bar offers to play them.
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QCoreApplication, QObject

from sunodesk.core.jobstate import ACTIVE
from sunodesk.core.models import Job, Track
from sunodesk.engine.session import Session
from sunodesk.ui.common.cover_cache import CoverCache
from sunodesk.ui.hub import Hub
from sunodesk.ui.songs.delegate import COVER
from sunodesk.ui.songs.model import RowKind
from sunodesk.ui.songs.panel import SongsPanel


def tr(text: str) -> str:
    return QCoreApplication.translate("SongsFeature", text)


class SongsFeature(QObject):
    def __init__(self, hub: Hub) -> None:
        super().__init__(hub)
        self.hub = hub
        self.panel = SongsPanel(hub.window)
        model = self.panel.model
        model.takes_of_job = hub.takes_of_job
        model.peaks = hub.take_peaks
        # twice the row's size: sharp at a scale factor of 2 as well
        self.covers = CoverCache(COVER * 2, capacity=200, parent=self)
        self.panel.delegate.cover = self._cover
        self.covers.loaded.connect(lambda _ids: self.panel.view.viewport().update())
        self._connections: list[tuple[object, object]] = []
        self._watching: set[int] = set()  # generations seen in flight this session
        hub.window.add_main_tab(self.panel, tr("Songs"))

        self.panel.playRequested.connect(self.play)
        self.panel.actionRequested.connect(hub.request_job_action)
        self.panel.delegate.favouriteRequested.connect(hub.set_favourite)
        self.panel.delegate.ratingRequested.connect(hub.set_rating)
        hub.takesChanged.connect(self._takes_changed)
        hub.waveformReady.connect(model.waveform_ready)
        hub.add_transport_scope(self.panel)  # ← and → seek the player from the list
        player = hub.player
        if player is not None:
            player.trackChanged.connect(lambda _track: self._show_playing())
            player.playingChanged.connect(lambda _on: self._show_playing())

    # -- session -----------------------------------------------------------------------------

    async def attach(self, session: Session) -> None:
        self.covers.loader = self.hub.thumbnail_loader()
        jobs = self.hub.jobs
        if jobs is None:
            return
        self._connect(jobs.jobEvent, self.panel.model.apply_event)
        self._connect(jobs.jobUpdated, self._job_updated)
        listed = await jobs.jobs()
        self._watching = {j.id for j in listed if j.state in ACTIVE}
        self.panel.model.set_jobs(listed)

    async def detach(self) -> None:
        for signal, slot in self._connections:
            with contextlib.suppress(RuntimeError, TypeError):
                signal.disconnect(slot)
        self._connections.clear()
        self._watching.clear()
        self.covers.loader = None
        self.covers.clear()
        self.panel.model.set_jobs([])

    def _connect(self, signal, slot) -> None:
        signal.connect(slot)
        self._connections.append((signal, slot))

    # -- live --------------------------------------------------------------------------------

    def _cover(self, track: Track):
        return self.covers.get(track) if track.path else None

    def _job_updated(self, job: Job) -> None:
        if job.kind != "song":
            return
        if job.state in ACTIVE:
            self._watching.add(job.id)
        self.panel.model.upsert(job)
        self._maybe_announce(job.id)

    def _takes_changed(self, job_ids: set[int] | None) -> None:
        self.panel.model.takes_changed(job_ids)
        for job_id in list(self._watching) if job_ids is None else job_ids:
            self._maybe_announce(job_id)

    def _maybe_announce(self, job_id: int) -> None:
        """ "2 takes ready — Play": once, when a generation watched in flight has its takes."""
        model = self.panel.model
        row = model.row_of(job_id)
        job = model.job_at(row) if row is not None else None
        if row is None or job is None or job_id not in self._watching:
            return
        kind = model.kind(job)
        if kind == RowKind.FAILED:
            self._watching.discard(job_id)
            return
        takes = model.takes(row)
        # the job can be done a moment before the library has listed its last take
        if kind != RowKind.DONE or not takes or len(takes) < job.takes_total:
            return
        self._watching.discard(job_id)
        if not self.hub.window.isActiveWindow():
            return  # the controller alerts the desktop instead
        first = takes[0]
        self.hub.show_notice(
            tr("“{title}”: {n} takes ready").format(title=job.title, n=len(takes))
            if len(takes) != 1
            else tr("“{title}” is ready").format(title=job.title),
            tr("Play"),
            lambda: self.play(first.result_id),
        )

    # -- playing -----------------------------------------------------------------------------

    def _show_playing(self) -> None:
        player = self.hub.player
        track = player.track if player is not None else None
        playing = track is not None and player is not None and player.playing
        self.panel.model.set_playing(track.result_id if playing and track else None)

    def play(self, result_id: str) -> None:
        """Play a take; its own button again pauses it (and resumes it)."""
        player = self.hub.player
        if player is not None and player.track is not None and player.track.result_id == result_id:
            player.toggle()
            return
        if not self.hub.play_take(result_id):
            self.hub.show_message(tr("That take is not in the library (yet)."))
