"""Collecting a generation's takes: fetch every take at once, then tag and place each one.

A :class:`TakeCollector` is owned by the Engine and built with exactly what it uses: the job
and track repositories, the API client, where and how takes are filed, and the engine's
hooks for running blocking calls, waiting, and moving a job (with its events). Any temp file
is removed whatever happens, including cancellation; a take a crashed run placed is found
again by its tags.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

from sunodesk.api import EvolinkClient
from sunodesk.api import errors as api_errors
from sunodesk.core import schedule
from sunodesk.core.errors import ErrorKind, sentence_for
from sunodesk.core.jobstate import JobState
from sunodesk.core.models import Job, TaskSnapshot, TaskStatus, Track
from sunodesk.engine import filing
from sunodesk.store.jobs import JobRepo
from sunodesk.store.tracks import TrackRepo

S = JobState
T = TypeVar("T")


class RunBlocking(Protocol):
    """Run a blocking call in a worker thread and await its result (``Engine._io``)."""

    async def __call__(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T: ...


class Sleep(Protocol):
    async def __call__(self, seconds: float, /) -> None: ...


class Emit(Protocol):
    """Publish a JobEvent for ``job`` (``Engine._emit``)."""

    def __call__(self, job: Job, kind: str, **fields: Any) -> None: ...


class Move(Protocol):
    """Commit a state change (and other fields), publishing its event (``Engine._move``)."""

    async def __call__(self, job: Job, state: JobState, **fields: Any) -> Job: ...


class Fail(Protocol):
    """End a job in a failure state with its sentence (``Engine._fail``)."""

    async def __call__(
        self,
        job: Job,
        state: JobState,
        kind: ErrorKind,
        code: str | None,
        message: str,
        **context: Any,
    ) -> Job: ...


class Park(Protocol):
    """Stop working on a job without finishing it, saying why (``Engine._park``)."""

    async def __call__(
        self, job: Job, code: str, sentence: str, action: str | None = None, /
    ) -> None: ...


class StopJob(Exception):
    """End this run of a job without finishing it (it stays resumable)."""


@dataclass(frozen=True)
class _Fetched:
    """One take ready to be placed: downloaded to ``temp``, or found already ``filed``."""

    ctx: filing.TakeContext
    temp: Path | None
    filed: Path | None
    cover: bytes | None


class TakeCollector:
    """Fetches, tags and files the takes of completed jobs, exactly once each."""

    def __init__(
        self,
        *,
        jobs: JobRepo,
        tracks: TrackRepo,
        client: EvolinkClient,
        library_dir: Path,
        artist_name: str,
        id3_version: int,
        io: RunBlocking,
        sleep: Sleep,
        rng: random.Random,
        emit: Emit,
        move: Move,
        fail: Fail,
        park: Park,
        record_takes: Callable[[Job, TaskSnapshot], None],
    ) -> None:
        self._jobs = jobs
        self._tracks = tracks
        self._client = client
        self._library = library_dir
        self._artist_name = artist_name
        self._id3_version = id3_version
        self._io = io
        self._sleep = sleep
        self._rng = rng
        self._emit = emit
        self._move = move
        self._fail = fail
        self._park = park
        self._record_takes = record_takes

    async def collect(self, job: Job, resumed: bool) -> Job:
        """Bring a completed (or partly collected, or expired) job to done, or say why not.

        Raises StopJob when a download keeps failing: the job is parked, still resumable.
        """
        if resumed or job.state == S.EXPIRED.value:
            job = await self._refresh_links(job)
        tracks = await self._io(self._tracks.for_job, job.id)
        pending = [t for t in tracks if t.state != "done"]
        total = len(tracks)
        done = total - len(pending)
        if pending:
            job = await self._move(
                job,
                S.DOWNLOADING,
                takes_total=total,
                takes_done=done,
                error_code=None,
                error_message=None,
            )
            self._emit(job, "progress", take=done + 1, takes=total)
        # Every take at once: the links expire, and the person is waiting for all of them.
        fetches = [
            asyncio.ensure_future(self._fetch(job, t, tracks.index(t) + 1, total)) for t in pending
        ]
        results: list[_Fetched | BaseException | None]
        try:
            results = list(await asyncio.gather(*fetches, return_exceptions=True))
        except asyncio.CancelledError:
            await asyncio.shield(self._discard(fetches))
            raise
        expired: api_errors.MediaExpired | None = None
        broken: api_errors.ApiError | None = None
        try:
            for index, (track, result) in enumerate(zip(pending, results, strict=True)):
                if isinstance(result, api_errors.MediaExpired):
                    await self._io(self._tracks.mark_expired, track.result_id)
                    expired = result
                    continue
                if isinstance(result, api_errors.ApiError):
                    broken = result
                    continue
                if isinstance(result, BaseException):
                    raise result
                assert result is not None  # only placed takes are None, and each is seen once
                if job.state != S.TAGGING.value and result.temp is not None:
                    job = await self._move(job, S.TAGGING)
                path = await self._place(track, result)
                results[index] = None  # placed: nothing left to clean up
                done += 1
                job = await self._io(self._jobs.update, job.id, takes_done=done)
                self._emit(
                    job,
                    "track",
                    take=result.ctx.index,
                    takes=total,
                    path=str(path),
                    result_id=track.result_id,
                )
        finally:  # whatever happened, no downloaded temp file is left behind
            await asyncio.shield(self._discard(fetches, results))
        if job.state == S.TAGGING.value and (expired or broken):
            job = await self._move(job, S.DOWNLOADING)
        if expired is not None:
            return await self._fail(job, S.EXPIRED, ErrorKind.EXPIRED, "expired", expired.message)
        if broken is not None:
            user = sentence_for(ErrorKind.DOWNLOAD)
            await self._park(job, "download", f"{user.sentence} ({broken.message})", user.action)
            raise StopJob
        if job.state != S.DONE.value:
            if job.state == S.COMPLETED.value:  # nothing left to fetch (all filed earlier)
                job = await self._move(job, S.DOWNLOADING)
            job = await self._move(job, S.DONE, takes_done=done, takes_total=total)
        return job

    async def _discard(
        self,
        fetches: Sequence[asyncio.Future[_Fetched]],
        results: Sequence[_Fetched | BaseException | None] | None = None,
    ) -> None:
        """Delete the temp files of fetched takes that were not placed."""
        for position, fetch in enumerate(fetches):
            result: _Fetched | BaseException | None
            if results is not None:
                result = results[position]
            elif fetch.done() and not fetch.cancelled() and fetch.exception() is None:
                result = fetch.result()
            else:
                fetch.cancel()
                continue
            if isinstance(result, _Fetched) and result.temp is not None:
                await self._io(result.temp.unlink, missing_ok=True)

    async def _refresh_links(self, job: Job) -> Job:
        """Links may have changed since they were stored (and a restarted sandbox moves ports)."""
        try:
            snap = await self._io(self._client.get_task, job.task_id)
        except api_errors.ApiError:
            return job
        if snap.status is TaskStatus.COMPLETED and snap.takes:
            await self._io(self._record_takes, job, snap)
        if job.state == S.EXPIRED.value:
            job = await self._move(job, S.DOWNLOADING)
        return job

    async def _fetch(self, job: Job, track: Track, index: int, total: int) -> _Fetched:
        """Find the take already filed by a crashed run, or download it (and its cover)."""
        request = job.song_request
        ctx = filing.TakeContext(
            request=request,
            take=track.as_take(),
            task_id=job.task_id or "",
            model=track.model or job.model,
            artist=request.persona_name or self._artist_name,
            id3_version=self._id3_version,
            index=index,
            count=total,
        )
        library = self._library
        filed = await self._io(self._find_filed, track, library, ctx)
        if filed is not None:  # a previous run placed it, then died before recording it
            return _Fetched(ctx, None, filed, None)
        temp = await self._download(job, ctx, library)
        try:
            cover = await self._io(filing.fetch_cover, self._client, ctx.take.image_url, library)
        except BaseException:
            await asyncio.shield(self._io(temp.unlink, missing_ok=True))
            raise
        return _Fetched(ctx, temp, None, cover)

    async def _place(self, track: Track, fetched: _Fetched) -> Path:
        """Tag a downloaded take and move it into the library (or record the one found)."""
        if fetched.filed is not None:
            path, duration = fetched.filed, track.duration or 0.0
        else:
            path, duration = await self._io(
                filing.tag_and_place,
                fetched.temp,
                self._library,
                fetched.ctx,
                fetched.cover,
            )
        await asyncio.shield(self._io(self._tracks.mark_done, track.result_id, str(path), duration))
        return path

    @staticmethod
    def _find_filed(track: Track, library: Path, ctx: filing.TakeContext) -> Path | None:
        if track.path and filing.already_filed(Path(track.path), track.result_id):
            return Path(track.path)
        return filing.find_filed(library, filing.final_name(ctx), track.result_id)

    async def _download(self, job: Job, ctx: filing.TakeContext, library: Path) -> Path:
        for attempt in range(schedule.DOWNLOAD_RETRIES + 1):
            try:
                return await self._io(filing.download_audio, self._client, ctx.take, library)
            except api_errors.MediaExpired:
                raise
            except api_errors.ApiError as exc:
                if attempt == schedule.DOWNLOAD_RETRIES:
                    raise
                self._emit(job, "error", message=f"{exc.message} Retrying.")
                await self._sleep(schedule.backoff(attempt, self._rng))
        raise AssertionError("unreachable")
