"""The library, as a feature of the studio window.

Builds the Library tab (search, filters, the table, the details pane), loads every filed
track once per session through the LibraryBridge, adds takes live as the engine files them,
and connects the window's player (the hub's) to the list the person is looking at. It offers
the hub the takes it holds (``hub.play_take``).
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import replace

from PySide6.QtCore import QCoreApplication, QObject

from sunodesk.core.models import SongRequest, Track
from sunodesk.core.search import search_text
from sunodesk.engine.session import Session
from sunodesk.ui.common.cover_cache import CoverCache
from sunodesk.ui.common.tasks import spawn
from sunodesk.ui.hub import Hub
from sunodesk.ui.library.actions import LibraryActions
from sunodesk.ui.library.bridge import LibraryBridge
from sunodesk.ui.library.details import COVER as DETAILS_COVER
from sunodesk.ui.library.panel import LibraryPanel
from sunodesk.ui.library.search import SearchIndex


def tr(text: str) -> str:
    return QCoreApplication.translate("LibraryFeature", text)


class LibraryFeature(QObject):
    def __init__(self, hub: Hub) -> None:
        super().__init__(hub)
        self.hub = hub
        window = hub.window
        self.bridge: LibraryBridge | None = None
        self.session: Session | None = None
        self._search_seq = 0
        self._detail_seq = 0
        self._arrived: list[Track] | None = None  # takes filed while the library loads
        self._connections: list[tuple[object, object]] = []
        self.search_index = SearchIndex()

        self.panel = LibraryPanel(window)
        self.covers = CoverCache(36, parent=self)
        self.panel.model.decoration = self.covers.get
        self.covers.loaded.connect(self.panel.model.refresh_covers)
        player, bar = hub.player, hub.player_bar
        assert player is not None and bar is not None, "the player feature comes first"
        self.player, self.bar = player, bar
        self.player.set_queue(self.panel.model.tracks)
        self.player.set_siblings(self.panel.model.siblings)
        self.actions = LibraryActions(self)
        window.add_side_tab(self.panel, tr("Library"))
        a = self.actions
        window.add_menu_actions(
            window.libraryMenu, [a.importAction, a.rescanAction, a.exportAction]
        )
        hub.add_transport_scope(self.panel)  # ← and → seek the player from the list

        p = self.panel
        p.searchChanged.connect(self._search_changed)
        p.selectionChanged.connect(self._selection_changed)
        p.activated.connect(self.play)
        p.favouriteClicked.connect(lambda t: spawn(self.set_favourite([t], not t.favourite)))
        p.ratingRequested.connect(lambda tracks, n: spawn(self.set_rating(tracks, n)))
        p.contextMenuRequested.connect(
            lambda pos: self.actions.context_menu(p.selected_tracks()).popup(pos)
        )
        p.details.reuseRequested.connect(self.load_request)
        p.details.playRequested.connect(self.play)
        p.details.editRequested.connect(self.actions.edit_tags)
        self.player.trackChanged.connect(self._now_playing)
        self.player.failed.connect(self._play_failed)
        # Other features (personas, drafts, songs) play takes through the hub.
        hub.provide_takes(self)
        hub.provide_library(self)
        # takes filed while the Library tab is not in view: counted on its tab until visited
        self._unseen: set[str] = set()
        window.sideTabs.currentChanged.connect(self._tab_changed)

    # -- session -----------------------------------------------------------------------------

    async def attach(self, session: Session) -> None:
        self.session = session
        self.bridge = LibraryBridge(session, self)
        self.covers.loader = self.bridge.thumbnails
        self.bridge.tracksChanged.connect(self._tracks_changed)
        self.bridge.tracksRemoved.connect(self._tracks_removed)
        self.bridge.textsChanged.connect(self._texts_changed)
        jobs = self.hub.jobs
        if jobs is not None:
            self._connect(jobs.trackFiled, self._track_filed)
            self._connect(jobs.personaCreated, self._persona_created)
        self._arrived = []
        tracks, personas = await self.bridge.load()
        arrived, self._arrived = self._arrived, None
        self.panel.model.set_tracks(tracks)
        if arrived:
            self.panel.model.upsert(arrived)
        self.hub.takesChanged.emit(None)
        self._set_personas(personas)
        # the list shows first; the texts for search as you type follow (awaited here, so no
        # task outlives the attach)
        await self._load_search_index()

    async def _load_search_index(self) -> None:
        bridge = self.bridge
        pairs = await bridge.search_texts() if bridge else None
        if pairs is not None and bridge is self.bridge:
            self.search_index.load(pairs)

    async def detach(self) -> None:
        self.player.stop()
        for signal, slot in self._connections:
            with contextlib.suppress(RuntimeError, TypeError):
                signal.disconnect(slot)
        self._connections.clear()
        if self.bridge is not None:
            self.bridge.deleteLater()
        self.bridge = None
        self.session = None
        self.covers.loader = None
        self.covers.clear()
        self.search_index.clear()
        self.panel.model.set_tracks([])
        self.panel.details.show_track(None)
        self._unseen.clear()
        self._show_badge()
        self.hub.takesChanged.emit(None)

    def _connect(self, signal, slot) -> None:
        signal.connect(slot)
        self._connections.append((signal, slot))

    def say(self, text: str) -> None:
        self.hub.show_message(text)

    # -- arriving and changing tracks --------------------------------------------------------

    def _track_filed(self, track: Track | None) -> None:
        if track is None or track.state != "done" or not track.path:
            return
        request = track.song_request
        lyrics = request.prompt if request is not None and request.custom_mode else ""
        self._texts_changed([(track.result_id, search_text(track.title, track.style, lyrics))])
        if self.hub.window.sideTabs.currentWidget() is not self.panel:
            self._unseen.add(track.result_id)
            self._show_badge()
        if self._arrived is not None:
            self._arrived.append(track)
            return
        self._tracks_changed([track])

    def _tab_changed(self, _index: int) -> None:
        if self.hub.window.sideTabs.currentWidget() is self.panel and self._unseen:
            self._unseen.clear()
            self._show_badge()

    def _show_badge(self) -> None:
        """ "Library (2)": the takes filed since the person last looked at the library."""
        tabs = self.hub.window.sideTabs
        index = tabs.indexOf(self.panel)
        if index < 0:
            return
        count = len(self._unseen)
        tabs.setTabText(index, tr("Library ({n})").format(n=count) if count else tr("Library"))
        tabs.setTabToolTip(
            index, tr("{n} new take(s) since you last looked").format(n=count) if count else ""
        )

    def _texts_changed(self, pairs: list[tuple[str, str]]) -> None:
        self.search_index.update(pairs)
        if self.panel.search.text().strip():
            self._search_changed(self.panel.search.text())

    def _tracks_changed(self, tracks: list[Track]) -> None:
        model = self.panel.model
        kept = [t.result_id for t in self.panel.selected_tracks()]
        current = self.panel.current_track()
        model.upsert(tracks)
        self.hub.takesChanged.emit({t.job_id for t in tracks})
        self.panel.select_ids(kept, current.result_id if current else None)
        self._refresh_choices()
        shown = self.panel.details.track
        if shown is not None and shown.result_id in {t.result_id for t in tracks}:
            self._selection_changed()
        playing = self.player.track
        for track in tracks:
            if playing is not None and track.result_id == playing.result_id:
                self.bar.show_track(track, self.panel.model.take_letter(track.result_id))

    def _tracks_removed(self, result_ids: list[str]) -> None:
        self.panel.model.remove(result_ids)
        self.hub.takesChanged.emit(None)
        self.search_index.remove(result_ids)
        self._refresh_choices()
        self._selection_changed()

    def _persona_created(self, _persona) -> None:
        if self.bridge is not None:
            spawn(self._reload_personas())

    async def _reload_personas(self) -> None:
        if self.bridge is not None:
            self._set_personas(await self.bridge.personas())

    def _set_personas(self, personas) -> None:
        self.panel.model.set_personas({p.persona_id: p.name for p in personas})
        self._refresh_choices()

    def _refresh_choices(self) -> None:
        model = self.panel.model
        personas = [(pid, model.persona_name(pid) or pid) for pid in model.persona_ids()]
        self.panel.set_choices(model.models(), personas)

    # -- search and details ------------------------------------------------------------------

    def _search_changed(self, text: str) -> None:
        self._search_seq += 1
        current = self.panel.model.current_filter
        if not text.strip() or self.bridge is None:
            self.panel.set_filter(replace(current, ids=None))
            return
        if self.search_index.ready:  # in memory: the keystroke is filtered right here
            self.panel.set_filter(replace(current, ids=self.search_index.match(text)))
            return
        spawn(self._search(text, self._search_seq))

    async def _search(self, text: str, seq: int) -> None:
        bridge = self.bridge
        ids = await bridge.matching_ids(text) if bridge else None
        if seq == self._search_seq and ids is not None:  # a later keystroke wins
            current = self.panel.model.current_filter
            self.panel.set_filter(replace(current, ids=frozenset(ids)))

    def _selection_changed(self) -> None:
        self._detail_seq += 1
        track = self.panel.current_track()
        if track is None or self.bridge is None:
            self.panel.details.show_track(None)
            return
        spawn(self._show_details(track.result_id, self._detail_seq))

    async def _show_details(self, result_id: str, seq: int) -> None:
        detail = await self.bridge.detail(result_id, DETAILS_COVER) if self.bridge else None
        if seq != self._detail_seq:
            return
        if detail is None:
            self.panel.details.show_track(None)
            return
        persona = self.panel.model.persona_name(detail.track.persona_id)
        self.panel.details.show_track(detail.track, detail.lyrics, detail.cover, persona)

    # -- playing -----------------------------------------------------------------------------

    def play(self, track: Track) -> None:
        self.player.play(track)

    def play_result_id(self, result_id: str) -> bool:
        """Play a take by its result id (for other features: personas, jobs); False when the
        library does not hold it."""
        track = self.panel.model.get(result_id)
        if track is not None:
            self.player.play(track)
        return track is not None

    def play_other(self, track: Track) -> None:
        if self.player.track is None or self.player.track.result_id != track.result_id:
            self.player.play(track)
        self.player.switch_take()

    def _now_playing(self, track: Track | None) -> None:
        letter = self.panel.model.take_letter(track.result_id) if track else ""
        self.bar.show_track(track, letter)
        self.panel.model.set_playing(track.result_id if track else None)
        if track is not None and self.bridge is not None:
            spawn(self._load_now_playing(track.result_id))

    async def _load_now_playing(self, result_id: str) -> None:
        detail = await self.bridge.detail(result_id, self.bar.cover_size) if self.bridge else None
        playing = self.player.track
        if detail is not None and playing is not None and playing.result_id == result_id:
            self.bar.set_now_playing(detail.cover, detail.lyrics)

    def _play_failed(self, sentence: str) -> None:
        self.bar.subtitleLabel.setText(sentence)
        self.say(sentence)

    # -- edits -------------------------------------------------------------------------------

    async def set_favourite(self, tracks: list[Track], favourite: bool) -> None:
        if self.bridge is not None:
            await asyncio.gather(
                *(self.bridge.set_favourite(t.result_id, favourite) for t in tracks)
            )

    async def set_rating(self, tracks: list[Track], rating: int) -> None:
        if self.bridge is not None:
            await asyncio.gather(*(self.bridge.set_rating(t.result_id, rating) for t in tracks))

    # -- what the hub offers other parts (hub.Takes) ----------------------------------------

    def takes_of_job(self, job_id: int) -> list[Track]:
        return self.panel.model.takes_of_job(job_id)

    async def thumbnails(self, paths: list[str], size: int):
        bridge = self.bridge
        return await bridge.thumbnails(paths, size) if bridge is not None else {}

    async def set_take_favourite(self, result_id: str, favourite: bool) -> None:
        if self.bridge is not None:
            await self.bridge.set_favourite(result_id, favourite)

    async def set_take_rating(self, result_id: str, rating: int) -> None:
        if self.bridge is not None:
            await self.bridge.set_rating(result_id, rating)

    def load_request(self, request: SongRequest) -> None:
        """ "Reuse these settings": the request opens in a new draft (the open draft's words
        stay where they are), or straight in the form when there are no drafts."""
        if not self.hub.open_in_new_draft(request, request.title or tr("Reused settings")):
            self.hub.window.form.load(request)
        self.say(
            tr("Loaded the settings of “{title}” into the form.").format(
                title=request.title or request.prompt[:40]
            )
        )

    async def reuse(self, track: Track) -> None:
        detail = await self.bridge.detail(track.result_id, 1) if self.bridge else None
        request = detail.track.song_request if detail else None
        if request is None:
            self.say(tr("The request of this track is not known."))
            return
        self.load_request(request)
