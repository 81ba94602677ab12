"""The drafts feature: every form state is a draft, saved while you type.

Autosave is debounced with a ceiling: the first change after a save starts a 700 ms timer and
later changes do not push it back, so even during non-stop typing the store is never more than
~0.7 s behind the window. The write is one small UPDATE in a worker thread, committed to the
WAL before it returns, so a crash (even SIGKILL) loses at most that last fraction of a second.
Saves are serialised, so an older form state can never land after a newer one.

The open draft's name is the album of the songs it generates, and each generation is
snapshotted into its history (see Engine.submit_song): the feature offers both to the hub as
``hub.current_draft()``, and ``hub.open_in_new_draft`` (the library's "Reuse these
settings"). At start the draft used last is reopened. Ctrl+S saves at once.
Export, import and style presets live in :mod:`sunodesk.ui.drafts.tools`.
"""

from __future__ import annotations

import asyncio
import contextlib

from PySide6.QtCore import QObject, QTimer

from sunodesk.core.drafts import (
    Draft,
    DraftSnapshot,
    auto_name,
    draft_request,
    follows_title,
    unique_name,
)
from sunodesk.core.models import SongRequest
from sunodesk.ui.common.tasks import off_thread, spawn
from sunodesk.ui.drafts.panel import DraftsPanel, IdRole
from sunodesk.ui.drafts.tools import DraftsTools
from sunodesk.ui.hub import CurrentDraft, Hub

AUTOSAVE_MS = 700


class DraftsFeature(QObject):
    def __init__(self, hub: Hub) -> None:
        super().__init__(hub)
        self.hub = hub
        self.session = None
        self.current: Draft | None = None
        self._loading = False
        self._lock: asyncio.Lock | None = None
        self._undo = None  # a coroutine function the Undo button runs
        self._reopen_id: int | None = None  # the draft open when the last session closed
        # "Reuse these settings" (library) opens the request in a draft of its own, so the
        # words in the open draft are never overwritten.
        hub.provide_drafts(self)
        self.panel = DraftsPanel(hub.window)
        self.panel.setObjectName("draftsPanel")
        hub.window.add_side_tab(self.panel, self.tr("Drafts"))
        self.tools = DraftsTools(self)
        self._timer = QTimer(self, singleShot=True, interval=AUTOSAVE_MS)
        self._timer.timeout.connect(lambda: self._when_running(self._timer, self.save_now))
        self._history_timer = QTimer(self, singleShot=True, interval=250)
        self._history_timer.timeout.connect(
            lambda: self._when_running(self._history_timer, self.refresh_history)
        )

        form = hub.window.form
        form.changed.connect(self._on_form_changed)
        form.lyrics.textChanged.connect(self._on_form_changed)
        form.titleEdit.textChanged.connect(self._on_form_changed)
        form.simplePromptEdit.textChanged.connect(self._on_form_changed)
        hub.window.saveRequested.connect(lambda: spawn(self.save_now(announce=True)))
        p = self.panel
        p.newButton.clicked.connect(lambda: spawn(self.new_draft()))
        p.duplicateButton.clicked.connect(lambda: spawn(self.duplicate()))
        p.deleteButton.clicked.connect(lambda: spawn(self.delete_selected()))
        p.undoButton.clicked.connect(lambda: spawn(self.undo()))
        p.switchRequested.connect(lambda draft_id: spawn(self.switch_to(draft_id)))
        p.renameRequested.connect(lambda draft_id, name: spawn(self.rename(draft_id, name)))
        p.snapshotOpenRequested.connect(self.reopen_snapshot)
        p.takePlayRequested.connect(self._play)

    # -- session -------------------------------------------------------------------------------

    @property
    def repo(self):
        return self.session.store.drafts if self.session is not None else None

    async def attach(self, session) -> None:
        self.session = session
        self._lock = asyncio.Lock()
        jobs = self.hub.jobs
        jobs.jobUpdated.connect(self._on_job)
        jobs.trackFiled.connect(self._on_job)
        form_state = draft_request(self.hub.window.form.request())
        reopen, self._reopen_id = self._reopen_id, None
        kept = await off_thread(self.repo.get, reopen) if reopen is not None else None
        latest = await off_thread(self.repo.latest)
        if (
            kept is not None
            and kept.deleted_at is None
            and draft_request(kept.request) == form_state
        ):
            # the same store after a rebuild (Settings): the form already holds this draft
            self._set_current(kept)
        elif latest is None or form_state != draft_request(SongRequest()):
            # nothing saved yet, or typed before the store was ready: keep what is in the form
            latest = await off_thread(
                self.repo.create, self.tr("Untitled draft"), form_state.to_json()
            )
            self._set_current(latest)
        else:
            self._set_current(latest)
            self._load(latest.request)
        await self.tools.attach()
        await self.refresh()

    async def detach(self) -> None:
        await self.save_now()
        self._reopen_id = self.current.id if self.current is not None else None
        if self.current is not None and self.repo is not None:
            # switching does not reorder the list; the draft open at the end is the one
            # reopened at the next start (the most recently touched)
            await off_thread(self.repo.touch, self.current.id)
        jobs = self.hub.jobs
        if jobs is not None:
            for signal in (jobs.jobUpdated, jobs.trackFiled):
                with contextlib.suppress(RuntimeError, TypeError):
                    signal.disconnect(self._on_job)
        self._timer.stop()
        self._history_timer.stop()
        self.current = None
        self.session = None

    @staticmethod
    def _when_running(timer: QTimer, make) -> None:
        """Start ``make()`` on the asyncio loop; if Qt fired the timer while that loop is
        paused (only a test harness pumps Qt alone), try again a moment later."""
        try:
            running = asyncio.get_event_loop().is_running()
        except RuntimeError:
            running = False
        if running:
            spawn(make())
        else:
            timer.start(50)

    # -- saving --------------------------------------------------------------------------------

    def _on_form_changed(self, *_args) -> None:
        if self._loading or self.current is None:
            return
        if not self._timer.isActive():
            self._timer.start(AUTOSAVE_MS)

    async def save_now(self, announce: bool = False) -> bool:
        """Write the form into the open draft now; True when something changed."""
        self._timer.stop()
        self._timer.setInterval(AUTOSAVE_MS)
        if self.current is None or self.repo is None or self._lock is None:
            return False
        draft_id, repo = self.current.id, self.repo
        request = self.hub.window.form.request()
        text = draft_request(request).to_json()
        async with self._lock:
            before = await off_thread(repo.get, draft_id)
            changed = await off_thread(repo.save, draft_id, text)
        if changed and before is not None:
            await self._follow_title(before, request.title)
        if announce:
            self.hub.window.show_message(
                self.tr("Draft “{name}” saved.").format(
                    name=self.current.name if self.current else ""
                ),
                3000,
            )
        return changed

    async def _follow_title(self, before: Draft, title: str) -> None:
        """A draft nobody named follows its song's title as it is typed (the name is the
        album tag too), never taking a name another draft has: " 2" is appended."""
        if self.repo is None or not follows_title(before.name, before.request.title):
            return
        others = [d.name for d in await off_thread(self.repo.all) if d.id != before.id]
        wanted = auto_name(title, others)
        if wanted != before.name:
            await self.rename(before.id, wanted)

    # -- switching -----------------------------------------------------------------------------

    def _set_current(self, draft: Draft) -> None:
        self.current = draft

    def current_draft(self) -> CurrentDraft:
        """The open draft's name (the album of what it generates) and id (its history)."""
        if self.current is None:
            return CurrentDraft()
        return CurrentDraft(self.current.name, self.current.id)

    def _load(self, request: SongRequest) -> None:
        self._loading = True
        try:
            self.hub.window.form.load(request)
        finally:
            self._loading = False

    async def switch_to(self, draft_id: int) -> Draft | None:
        if self.repo is None or (self.current is not None and self.current.id == draft_id):
            return self.current
        left = self.current
        await self.save_now()
        draft = await off_thread(self.repo.get, draft_id)
        if draft is None or draft.deleted_at is not None:
            return None
        # what was typed during those awaits belongs to the draft being left: read it now,
        # in the same step that loads the new one, so no keystroke falls in between
        late = draft_request(self.hub.window.form.request()).to_json()
        self._set_current(draft)
        self._load(draft.request)
        if left is not None:
            await off_thread(self.repo.save, left.id, late)  # a no-op when nothing changed
        await self.refresh()
        return draft

    async def refresh(self) -> None:
        if self.repo is None:
            return
        drafts = await off_thread(self.repo.all)
        if self.current is not None:
            self.current = next((d for d in drafts if d.id == self.current.id), self.current)
        self.panel.set_drafts(drafts, self.current.id if self.current else None)
        await self.refresh_history()

    async def refresh_history(self) -> list[DraftSnapshot]:
        if self.repo is None or self.current is None:
            return []
        snapshots = await off_thread(self.repo.snapshots, self.current.id)
        self.panel.set_history(snapshots)
        return snapshots

    def _on_job(self, _job_or_track) -> None:
        self._history_timer.start(250)

    # -- actions -------------------------------------------------------------------------------

    async def open_in_new_draft(self, request: SongRequest, name: str) -> Draft | None:
        """Open a request (e.g. a take's) in a new draft; the open one is saved, untouched."""
        if self.repo is None:
            return None
        await self.save_now()
        taken = [d.name for d in await off_thread(self.repo.all)]
        name = unique_name(name or self.tr("Untitled draft"), taken)
        draft = await off_thread(self.repo.create, name, draft_request(request).to_json())
        opened = await self.switch_to(draft.id)
        if opened is not None:  # the open draft's words stay where they were: say where
            self.hub.window.show_message(
                self.tr("Opened in a new draft: “{name}”.").format(name=opened.name)
            )
        return opened

    async def new_draft(self) -> Draft | None:
        if self.repo is None:
            return None
        await self.save_now()
        taken = [d.name for d in await off_thread(self.repo.all)]
        draft = await off_thread(self.repo.create, unique_name(self.tr("Untitled draft"), taken))
        return await self.switch_to(draft.id)

    async def duplicate(self) -> Draft | None:
        if self.repo is None or self.current is None:
            return None
        await self.save_now()
        copy = await off_thread(
            self.repo.duplicate,
            self.current.id,
            self.tr("{name} copy").format(name=self.current.name),
        )
        return await self.switch_to(copy.id)

    async def rename(self, draft_id: int, name: str) -> None:
        if self.repo is None:
            return
        draft = await off_thread(self.repo.rename, draft_id, name)
        if draft is not None and self.current is not None and draft.id == self.current.id:
            self._set_current(draft)
        await self.refresh()

    async def delete_selected(self) -> None:
        item = self.panel.view.currentItem()
        draft_id = item.data(IdRole) if item is not None else None
        if draft_id is not None:
            await self.delete(draft_id)

    async def delete(self, draft_id: int) -> None:
        if self.repo is None:
            return
        await self.save_now()
        draft = await off_thread(self.repo.get, draft_id)
        await off_thread(self.repo.delete, draft_id)
        if self.current is not None and self.current.id == draft_id:
            self.current = None
            latest = await off_thread(self.repo.latest)
            if latest is None:
                latest = await off_thread(self.repo.create, self.tr("Untitled draft"))
            await self.switch_to(latest.id)
        else:
            await self.refresh()

        async def undo() -> None:
            await off_thread(self.repo.restore, draft_id)
            await self.switch_to(draft_id)

        self._offer_undo(
            self.tr("Deleted “{name}”.").format(name=draft.name if draft else ""), undo
        )

    def reopen_snapshot(self, snapshot: DraftSnapshot | None) -> None:
        """Put a generation's exact request back into the form (undoable)."""
        if snapshot is None or self.current is None:
            return
        before = self.hub.window.form.request()
        self._load(draft_request(snapshot.request))
        self._on_form_changed()
        draft_id = self.current.id

        async def undo() -> None:
            if self.current is not None and self.current.id == draft_id:
                self._load(before)
                await self.save_now()

        self._offer_undo(
            self.tr("Reopened the request sent {when}.").format(
                when=self.panel.history.currentItem().text().split("  ")[0]
                if self.panel.history.currentItem()
                else ""
            ),
            undo,
        )

    def _offer_undo(self, text: str, action) -> None:
        self._undo = action
        self.panel.show_undo(text)

    async def undo(self) -> None:
        action, self._undo = self._undo, None
        self.panel.show_undo("")
        if action is not None:
            await action()

    def _play(self, result_id: str, path: str) -> None:
        self.hub.play_take(result_id, path)
