"""Thin Qt adapters over the engine, one QObject per concern: JobsBridge re-emits engine events
as signals and runs engine and store calls off the GUI thread (jobs, personas, costs, resume,
the job actions); AccountBridge does the same for credits. Both hand out frozen core
dataclasses. The library has its own adapter (:mod:`sunodesk.ui.library.bridge`); the window
never calls requests, sqlite3 or mutagen itself.

off_thread lives in :mod:`sunodesk.ui.common.tasks` (it is re-exported here for old callers).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from sunodesk.core.models import Credits, Job, Persona, SongRequest
from sunodesk.engine.events import JobEvent
from sunodesk.engine.session import Session
from sunodesk.ui.common.tasks import off_thread, spawn

__all__ = ["AccountBridge", "JobsBridge", "off_thread"]


class JobsBridge(QObject):
    jobEvent = Signal(object)  # JobEvent
    jobUpdated = Signal(object)  # Job, freshly read after a change
    trackFiled = Signal(object)  # Track
    personaCreated = Signal(object)  # Persona

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.closed = False
        # job id -> whether another event came in while its row was being read (see _on_event)
        self._reading: dict[int, bool] = {}
        self._unsubscribe = session.engine.events.subscribe(self._on_event)

    def detach(self) -> None:
        """The session is closing: late results of work still in flight are dropped."""
        self.closed = True
        self._unsubscribe()

    @property
    def engine(self):
        return self.session.engine

    def _on_event(self, event: JobEvent) -> None:
        self.jobEvent.emit(event)
        if event.kind == "track" and event.result_id:
            spawn(self._take(event.result_id))
        elif event.kind == "persona" and event.result_id:
            spawn(self._persona(event.result_id))
        if event.kind in ("state", "error", "track", "persona"):
            # A filing job sends a burst of events (downloading, tagging, take 1, take 2,
            # done) within milliseconds: while its row is being read, further events fold
            # into one more read, which starts after the last of them.
            if event.job_id in self._reading:
                self._reading[event.job_id] = True
                return
            self._reading[event.job_id] = False
            spawn(self._refresh(event.job_id))

    async def _refresh(self, job_id: int) -> None:
        try:
            while True:
                self._reading[job_id] = False
                job = await off_thread(self.session.store.jobs.get_job, job_id)
                if self.closed:
                    return
                self.jobUpdated.emit(job)
                if not self._reading.get(job_id):
                    return
        finally:
            self._reading.pop(job_id, None)

    async def _take(self, result_id: str) -> None:
        track = await off_thread(self.session.store.tracks.get, result_id)
        if not self.closed:
            self.trackFiled.emit(track)

    async def _persona(self, persona_id: str) -> None:
        persona = await off_thread(self.session.store.personas.get, persona_id)
        if not self.closed:
            self.personaCreated.emit(persona)

    async def submit(self, request: SongRequest, draft_id: int | None = None) -> Job:
        """Raises engine.RequestInvalid when a rule is broken (nothing is sent). With a
        ``draft_id`` the request is snapshotted into that draft's history."""
        job = await self.engine.submit_song(request, draft_id=draft_id)
        self.jobUpdated.emit(job)
        return job

    async def jobs(self) -> list[Job]:
        return await off_thread(self.session.store.jobs.list_jobs, False, 500)

    async def personas(self) -> list[Persona]:
        return await off_thread(self.session.store.personas.all)

    async def last_cost(self, model: str) -> float | None:
        """The credits_reserved last seen for this model, if any."""

        def find() -> float | None:
            for job in self.session.store.jobs.list_jobs(False, 200):
                if job.model == model and job.credits_reserved is not None:
                    return job.credits_reserved
            return None

        return await off_thread(find)

    async def resume_all(self) -> list[Job]:
        return await self.engine.resume_all()

    async def act(self, job: Job, action: str) -> None:
        """The action offered next to a job's error sentence."""
        from sunodesk.core.errors import Action

        if action == Action.SUBMIT_AGAIN:
            await self.engine.submit_again(job.id)
        elif action == Action.CHECK_AGAIN:
            await self.engine.check_again(job.id)
        elif action == Action.TRY_AGAIN:
            await self.engine.try_again(job.id)
        elif action == Action.RETRY_DOWNLOAD:
            await self.engine.resume(job.id)


class AccountBridge(QObject):
    creditsChanged = Signal(object)  # Credits or None
    creditsFailed = Signal(str)  # a plain sentence

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.closed = False
        self._asking = False
        self._again = False

    def detach(self) -> None:
        self.closed = True

    def request_refresh(self) -> None:
        """Ask for a fresh balance. While one request is out, further asks fold into a single
        follow-up, so twenty finishing jobs cost two requests, not twenty (rate limits)."""
        if self._asking:
            self._again = True
            return
        self._asking = True  # now, not when the task starts: asks in this turn fold too
        spawn(self._refresh_folded())

    async def _refresh_folded(self) -> None:
        try:
            while True:
                self._again = False
                await self.refresh_credits()
                if not self._again or self.closed:
                    return
        finally:
            self._asking = False

    async def refresh_credits(self) -> Credits | None:
        from sunodesk.api.errors import ApiError

        if self.closed:
            return None
        try:
            credits = await off_thread(self.session.engine.client.get_credits)
        except ApiError as exc:
            if not self.closed:
                self.creditsFailed.emit(exc.user_message().sentence)
            return None
        if self.closed:  # the session closed while we asked: its window moved on
            return None
        self.creditsChanged.emit(credits)
        return credits
