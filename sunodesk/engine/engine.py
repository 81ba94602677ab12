"""The job engine: drives every job from where it stands to one of its ends.

Each job runs as one asyncio task on the caller's loop (the Qt loop via qasync, or asyncio.run in
the CLI); every blocking call (HTTP, SQLite, mutagen, file moves) goes to an executor thread.
The job row is committed before the POST and the task id the moment it arrives, so a restart
picks up from the last committed state. A submit whose outcome is unknown is never re-sent.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import random
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from sunodesk.api import EvolinkClient
from sunodesk.api import errors as api_errors
from sunodesk.core import schedule
from sunodesk.core.errors import RETRYABLE_REFUSALS, UNKNOWN_OUTCOME, ErrorKind, sentence_for
from sunodesk.core.jobstate import InvalidTransition, JobState
from sunodesk.core.models import (
    Job,
    Persona,
    PersonaRequest,
    Problem,
    SongRequest,
    TaskSnapshot,
    TaskStatus,
)
from sunodesk.core.untrusted import clean_line
from sunodesk.core.validation import validate_persona, validate_song
from sunodesk.engine.collecting import StopJob as _Stop
from sunodesk.engine.collecting import TakeCollector
from sunodesk.engine.events import EventBus, EventKind, JobEvent
from sunodesk.store.store import Store

log = logging.getLogger(__name__)
T = TypeVar("T")
S = JobState


class RequestInvalid(ValueError):
    """The request broke a rule known before sending; nothing was sent."""

    def __init__(self, problems: list) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class EngineOptions:
    library_dir: Path
    artist_name: str = "Suno"
    id3_version: int = 4
    parallel_jobs: int = 2
    time_scale: float = 1.0  # multiplies every wait; tests against a fast sandbox shrink it


def _nothing_made(exc: BaseException) -> bool:
    """An answer to a POST that proves no task was created (so no credit was spent)."""
    if isinstance(exc, api_errors.RateLimited):
        return True
    if isinstance(exc, api_errors.ServerError):
        return exc.status == 503
    if isinstance(exc, (api_errors.NetworkError, api_errors.MalformedResponse)):
        return not exc.maybe_sent
    return False


class Engine:
    def __init__(
        self,
        store: Store,
        client: EvolinkClient,
        options: EngineOptions,
        *,
        rng: random.Random | None = None,
        max_workers: int = 32,
    ) -> None:
        self.store = store
        self.client = client
        self.options = options
        self.events = EventBus()
        self._rng = rng or random.Random()
        self._executor = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="engine")
        self._slots = asyncio.Semaphore(max(1, options.parallel_jobs))
        self._running: dict[int, asyncio.Task[Job]] = {}
        self._persona_lock = asyncio.Lock()
        self._pid = os.getpid()
        self._collector = TakeCollector(
            jobs=store.jobs,
            tracks=store.tracks,
            client=client,
            library_dir=options.library_dir,
            artist_name=options.artist_name,
            id3_version=options.id3_version,
            io=self._io,
            sleep=self._sleep,
            rng=self._rng,
            emit=self._emit,
            move=self._move,
            fail=self._fail,
            park=self._park,
            record_takes=self._record_takes,
        )
        options.library_dir.mkdir(parents=True, exist_ok=True)

    # -- public ------------------------------------------------------------------------------

    async def submit_song(
        self, request: SongRequest, until_submitted: bool = False, draft_id: int | None = None
    ) -> Job:
        """Validate, commit the job, and start it. Raises RequestInvalid with nothing sent.

        With ``until_submitted`` the job stops once the task id is committed (a later resume
        polls it); otherwise it runs to its end. With ``draft_id`` the exact request is also
        snapshotted into that draft's history and the job linked to it (one transaction).
        """
        problems = validate_song(request)
        if problems:
            raise RequestInvalid(problems)
        if draft_id is None:
            job = await self._io(
                self.store.jobs.create_job, "song", request.to_json(), request.model
            )
        else:
            job = await self._io(
                self.store.drafts.create_job, draft_id, request.to_json(), request.model
            )
        self._start(job.id, until_submitted=until_submitted)
        return job

    async def submit_persona(self, request: PersonaRequest, until_submitted: bool = False) -> Job:
        problems = validate_persona(request)
        if problems:
            raise RequestInvalid(problems)
        async with self._persona_lock:  # a double click must not make two persona jobs
            job = await self._io(
                self.store.personas.create_job_if_free, request.result_id, request.to_json()
            )
        if job is None:
            raise RequestInvalid(
                [
                    Problem(
                        "result_id", "This take already has a persona; each take can make only one."
                    )
                ]
            )
        self._start(job.id, until_submitted=until_submitted)
        return job

    async def resume_all(self) -> list[Job]:
        """Start every unfinished job from where it stopped; returns them."""
        await self._io(self._clean_temps)
        # a damaged row is left exactly as it is: never driven (see store.jobs.row_to_job)
        jobs = [job for job in await self._io(self.store.jobs.list_jobs, True) if not job.damaged]
        for job in jobs:
            self._start(job.id, resumed=True)
        return jobs

    async def resume(self, job_id: int) -> Job:
        self._start(job_id, resumed=True)
        return await self.wait(job_id)

    async def submit_again(self, job_id: int) -> Job:
        """The person's explicit choice to re-send a job whose outcome was unknown. Raises
        InvalidTransition if it is no longer unknown (a second press while the first is sent)."""
        return await self._send_again(job_id, S.UNKNOWN)

    async def try_again(self, job_id: int) -> Job:
        """The person's choice to send once more a job refused in a way that proved nothing
        was sent (core.errors.RETRYABLE_REFUSALS). Raises InvalidTransition otherwise, or when
        it has moved on (a second press)."""
        job = await self._io(self.store.jobs.require, job_id)
        if job.state != S.REJECTED.value or job.error_code not in RETRYABLE_REFUSALS:
            raise InvalidTransition(f"job {job_id} cannot be tried again")
        return await self._send_again(job_id, S.REJECTED)

    async def _send_again(self, job_id: int, only_from: JobState) -> Job:
        """Queue the job again (its error cleared) if it is still ``only_from``, and drive it;
        the store's conditional move makes a second press an InvalidTransition."""
        job = await self._io(
            self.store.jobs.move,
            job_id,
            S.QUEUED.value,
            only_from=(only_from.value,),
            error_code=None,
            error_message=None,
        )
        self._start(job_id)
        return job

    async def check_again(self, job_id: int) -> Job:
        """Poll again a job we stopped waiting for."""
        await self._io(
            self.store.jobs.move,
            job_id,
            S.RUNNING.value,
            only_from=(S.FAILED.value,),
            error_code=None,
            error_message=None,
        )
        self._start(job_id, resumed=True)
        return await self.wait(job_id)

    async def wait(self, job_id: int) -> Job:
        task = self._running.get(job_id)
        if task is not None:
            try:
                await asyncio.shield(task)
            except asyncio.CancelledError:
                current = asyncio.current_task()
                if not task.cancelled() or (current is not None and current.cancelling()):
                    raise  # the waiter itself was cancelled (Ctrl+C): do not swallow it
        return await self._io(self.store.jobs.require, job_id)

    async def wait_all(self) -> None:
        while self._running:
            await asyncio.gather(*self._running.values(), return_exceptions=True)

    async def close(self) -> None:
        for task in list(self._running.values()):
            task.cancel()
        await asyncio.gather(*self._running.values(), return_exceptions=True)
        # never block the loop (the window) while a worker finishes its current call
        await asyncio.to_thread(self._executor.shutdown, True, cancel_futures=True)
        self.client.close()

    # -- plumbing ----------------------------------------------------------------------------

    async def _io(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(fn, *args, **kwargs))

    async def _sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds * self.options.time_scale))

    def _start(self, job_id: int, resumed: bool = False, until_submitted: bool = False) -> None:
        if job_id in self._running and not self._running[job_id].done():
            return
        task = asyncio.get_running_loop().create_task(self._drive(job_id, resumed, until_submitted))
        self._running[job_id] = task

        def forget(done: asyncio.Task[Job], j: int = job_id) -> None:
            if self._running.get(j) is done:  # a newer run of the same job stays
                del self._running[j]

        task.add_done_callback(forget)

    def _emit(self, job: Job, kind: EventKind | str, **kw: Any) -> None:
        event = JobEvent(
            job_id=job.id, kind=EventKind(kind), state=job.state, progress=job.progress, **kw
        )
        self.events.emit(event)

    async def _move(self, job: Job, state: JobState, **fields: Any) -> Job:
        new = await self._io(self.store.jobs.move, job.id, state.value, **fields)
        if new.state != job.state:
            self._emit(new, "state")
        elif new.progress != job.progress:
            self._emit(new, "progress")
        return new

    async def _fail(
        self,
        job: Job,
        state: JobState,
        kind: ErrorKind,
        code: str | None,
        message: str,
        **context: Any,
    ) -> Job:
        user = sentence_for(kind, detail=message, code=code or "", **context)
        job = await self._move(
            job, state, error_code=code or kind.value, error_message=user.sentence
        )
        self._emit(job, "error", message=user.sentence, action=user.action)
        return job

    async def _drive(self, job_id: int, resumed: bool, until_submitted: bool = False) -> Job:
        job = await self._io(self.store.jobs.require, job_id)
        if job.damaged:
            self._emit(job, "error", message=job.damaged)
            return job
        if not await self._io(self.store.jobs.claim, job_id, self._pid):
            # Another sunodesk (a window, or `sunodesk resume`) is driving it right now.
            self._emit(job, "error", message="Another sunodesk is working on this job.")
            return job
        try:
            return await self._drive_claimed(job, resumed, until_submitted)
        finally:
            await asyncio.shield(self._io(self.store.jobs.release, job_id, self._pid))

    async def _drive_claimed(self, job: Job, resumed: bool, until_submitted: bool) -> Job:
        job_id = job.id
        try:
            if job.state == S.SUBMITTING.value:
                # We died mid-POST: the server may have the task. Never re-send by ourselves.
                return await self._unknown(job)
            if job.state == S.QUEUED.value:
                # A new generation holds one of the `parallel_jobs` slots until its task ends;
                # downloads and resumed tasks (already paid for) never wait for a slot.
                async with self._slots:
                    job = await self._submit(job)
                    if until_submitted:
                        return job
                    if job.state == S.SUBMITTED.value:
                        job = await self._poll(job, resumed)
            if job.state in (S.SUBMITTED.value, S.RUNNING.value):
                job = await self._poll(job, resumed)
            if job.state in (
                S.COMPLETED.value,
                S.DOWNLOADING.value,
                S.TAGGING.value,
                S.EXPIRED.value,
            ):
                job = await self._collector.collect(job, resumed)
        except _Stop:
            pass
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a bug must not lose the job: it stays resumable
            log.error("job %s stopped: %s", job_id, exc)
            log.debug("job %s stopped", job_id, exc_info=True)
            await self._park(job, "internal", f"Stopped by an internal error: {exc}")
        return await self._io(self.store.jobs.require, job_id)

    async def _park(self, job: Job, code: str, sentence: str, action: str | None = None) -> None:
        """Stop working on a job without finishing it, saying why (it stays resumable)."""
        await self._io(self.store.jobs.update, job.id, error_code=code, error_message=sentence)
        self._emit(job, "error", message=sentence, action=action)

    async def _unknown(self, job: Job) -> Job:
        job = await self._move(
            job, S.UNKNOWN, error_code="unknown", error_message=UNKNOWN_OUTCOME.sentence
        )
        self._emit(job, "error", message=UNKNOWN_OUTCOME.sentence, action=UNKNOWN_OUTCOME.action)
        return job

    # -- submit ------------------------------------------------------------------------------

    async def _submit(self, job: Job) -> Job:
        for attempt in range(schedule.SUBMIT_RETRIES + 1):
            job = await self._move(job, S.SUBMITTING)
            try:
                snap = await self._send_to_completion(job)
            except (
                api_errors.NetworkError,
                api_errors.MalformedResponse,
                api_errors.RateLimited,
                api_errors.ServerError,
            ) as exc:
                # A 429, a 503 "no available channel" or a request that never left this
                # machine made nothing: retry. No answer, an unreadable one, or a
                # 500/502/504 (a proxy, a crash mid-request) proves nothing: never re-send.
                if not _nothing_made(exc):
                    return await self._unknown(job)
                error: api_errors.ApiError = exc
            except api_errors.ApiError as exc:
                return await self._reject(job, exc)
            except Exception as exc:  # we cannot tell whether it went out
                log.error("job %s: sending failed: %s", job.id, exc)
                return await self._unknown(job)
            else:
                return await self._submitted(job, snap)
            job = await self._move(job, S.QUEUED)
            if attempt == schedule.SUBMIT_RETRIES:
                return await self._reject(job, error)
            delay = getattr(error, "retry_after", None) or schedule.backoff(attempt, self._rng)
            user = sentence_for(error.kind, retry_in=delay * self.options.time_scale)
            self._emit(job, "error", message=user.sentence)
            await self._sleep(delay)
        return job

    async def _submitted(self, job: Job, snap: TaskSnapshot) -> Job:
        """Record the task the server made. Its id must never be lost: if the job moved on
        meanwhile (it should not), the id is stored anyway and the job stops for a look."""
        fields = {
            "task_id": snap.id,
            "submitted_at": time.time(),
            "estimated_time": snap.estimated_time,
            "credits_reserved": snap.credits_reserved,
            "model": snap.model or job.model,
        }
        try:
            return await self._move(job, S.SUBMITTED, progress=snap.progress, **fields)
        except InvalidTransition:
            log.error(
                "job %s moved on while its POST was answered; keeping task %s", job.id, snap.id
            )
            await self._io(self.store.jobs.update, job.id, **fields)
            raise _Stop from None

    async def _send_to_completion(self, job: Job) -> TaskSnapshot:
        """POST, and if we are cancelled meanwhile, still record the task id the server gives.

        Closing the engine (quitting, or a new key in Settings) must not turn a request that
        is on the wire into an "unknown" outcome.
        """
        sending = asyncio.ensure_future(self._io(self._send, job))
        try:
            return await asyncio.shield(sending)
        except asyncio.CancelledError:
            try:
                snap = await sending
            except Exception as exc:
                if _nothing_made(exc):  # safe to send when the job next runs
                    await self._io(self.store.jobs.move, job.id, S.QUEUED.value)
                raise asyncio.CancelledError from None
            await self._io(
                self.store.jobs.move,
                job.id,
                S.SUBMITTED.value,
                task_id=snap.id,
                submitted_at=time.time(),
                estimated_time=snap.estimated_time,
                credits_reserved=snap.credits_reserved,
                model=snap.model or job.model,
            )
            raise

    def _send(self, job: Job) -> TaskSnapshot:
        if job.kind == "persona":
            return self.client.submit_persona(job.persona_request)
        return self.client.submit_song(job.song_request)

    async def _reject(self, job: Job, exc: api_errors.ApiError) -> Job:
        context: dict[str, Any] = {}
        if exc.kind is ErrorKind.CREDITS:
            context["balance"] = await self._balance()
        if exc.kind is ErrorKind.ACCESS:
            context["model"] = job.model
        return await self._fail(job, S.REJECTED, exc.kind, exc.kind.value, exc.message, **context)

    async def _balance(self) -> float | None:
        try:
            return (await self._io(self.client.get_credits)).remaining
        except api_errors.ApiError:
            return None

    # -- poll --------------------------------------------------------------------------------

    async def _poll(self, job: Job, resumed: bool) -> Job:
        # The deadline counts from when this run began waiting, so a resume days later (or
        # "check again") still polls: the takes may be finished and paid for.
        started = time.time()
        give_up = started + schedule.give_up_after(job.estimated_time, self.options.time_scale)
        delay = 0.0 if resumed else schedule.first_poll_delay(job.estimated_time)
        failures = not_found = 0
        while True:
            await self._sleep(delay)
            if time.time() > give_up:
                minutes = (time.time() - started) / 60 / self.options.time_scale
                return await self._fail(
                    job,
                    S.FAILED,
                    ErrorKind.TIMEOUT,
                    "poll_timeout",
                    f"No result after {minutes:.0f} min.",
                )
            try:
                snap = await self._io(self.client.get_task, job.task_id)
            except api_errors.RateLimited as exc:
                failures += 1
                delay = exc.retry_after or schedule.backoff(failures, self._rng)
                self._emit(
                    job,
                    "error",
                    message=sentence_for(
                        ErrorKind.RATE, retry_in=delay * self.options.time_scale
                    ).sentence,
                )
                continue
            except api_errors.NotFound as exc:
                not_found += 1  # a task polled right after its creation may 404 briefly
                if not_found > 3:
                    return await self._fail(
                        job, S.FAILED, ErrorKind.TASK_FAILED, "resource_not_found", exc.message
                    )
                delay = schedule.poll_interval(self._rng)
                continue
            except (api_errors.AuthError, api_errors.CreditsError, api_errors.AccessDenied) as exc:
                user = exc.user_message(model=job.model)
                await self._park(job, exc.kind.value, user.sentence, user.action)
                raise _Stop from None  # keep the job: it resumes once the key is fixed
            except api_errors.ApiError as exc:
                failures += 1
                delay = schedule.backoff(min(failures, 6), self._rng)
                user = exc.user_message(retry_in=delay * self.options.time_scale)
                if failures > schedule.POLL_ERROR_RETRIES:
                    await self._park(job, exc.kind.value, exc.user_message().sentence)
                    raise _Stop from None
                self._emit(job, "error", message=user.sentence)
                continue
            failures = not_found = 0
            job = await self._apply(job, snap)
            if job.state not in (S.SUBMITTED.value, S.RUNNING.value):
                return job
            delay = schedule.poll_interval(self._rng)

    async def _apply(self, job: Job, snap: TaskSnapshot) -> Job:
        if snap.status is TaskStatus.COMPLETED:
            if job.kind == "persona":
                return await self._persona_done(job, snap)
            if not snap.takes:
                return await self._fail(
                    job, S.FAILED, ErrorKind.TASK_FAILED, "generation_failed_no_content", ""
                )
            await self._io(self._record_takes, job, snap)
            return await self._move(job, S.COMPLETED, progress=100, takes_total=len(snap.takes))
        if snap.status in (TaskStatus.FAILED, TaskStatus.CANCELLED):
            code = snap.error_code or snap.status.value
            return await self._fail(
                job, S.FAILED, ErrorKind.TASK_FAILED, code, snap.error_message or ""
            )
        if job.state == S.SUBMITTED.value or snap.progress != job.progress:
            return await self._move(job, S.RUNNING, progress=snap.progress)
        return job

    def _record_takes(self, job: Job, snap: TaskSnapshot) -> None:
        if job.task_id is None:  # takes come only from a polled task, which has an id
            raise ValueError(f"job {job.id} has takes but no task id")
        request = job.song_request
        lyrics = request.prompt if request.custom_mode else ""
        for take in snap.takes:
            filed = self.store.tracks.get(take.result_id)
            if filed is not None and filed.job_id != job.id:
                # The server reused another generation's result_id. This take is paid for
                # too: file it under an id of its own, and leave the other take's links alone.
                own = clean_line(f"{take.result_id}~{job.task_id}")
                take = replace(take, result_id=own)
            if not self.store.tracks.add_pending(
                job.id,
                job.task_id,
                take,
                snap.model or job.model,
                request.style,
                request.persona_id,
                lyrics,
                job.request_json,
            ):
                self.store.tracks.refresh_urls(take.result_id, take.audio_url, take.image_url)

    async def _persona_done(self, job: Job, snap: TaskSnapshot) -> Job:
        if not snap.persona_id:
            return await self._fail(
                job,
                S.FAILED,
                ErrorKind.TASK_FAILED,
                "no_persona_id",
                "The persona task finished without a persona id.",
            )
        req = job.persona_request
        persona = await self._io(self._add_persona, job, req, snap.persona_id)
        job = await self._move(job, S.COMPLETED, progress=100)
        job = await self._move(job, S.DONE)
        self._emit(job, "persona", message=persona.name, result_id=persona.persona_id)
        return job

    def _add_persona(self, job: Job, req: PersonaRequest, persona_id: str) -> Persona:
        existing = self.store.personas.get(persona_id)
        if existing:
            return existing
        return self.store.personas.add(
            persona_id=persona_id,
            name=req.name,
            description=req.description,
            source_task_id=req.source_task_id,
            source_result_id=req.result_id,
            job_id=job.id,
        )

    # -- download, tag, file -----------------------------------------------------------------

    def _clean_temps(self) -> None:
        from sunodesk.store import files

        files.clean_stale_temps(self.options.library_dir)
