"""How the command line prints: short plain lines, or one JSON object per line with --json.

Progress goes to stderr, and only when stderr is a terminal, so pipes stay clean.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

from sunodesk.api import errors
from sunodesk.core.errors import ErrorKind
from sunodesk.core.jobstate import GENERATING, JobState, next_action
from sunodesk.core.models import Job, Persona, Problem, Track
from sunodesk.engine.events import EventKind, JobEvent

# Keyed by ErrorKind, which a job's error_code (a plain string) also finds (StrEnum).
EXIT_BY_KIND: dict[str, int] = {
    ErrorKind.INVALID: 2,
    ErrorKind.AUTH: 3,
    ErrorKind.CREDITS: 3,
    ErrorKind.ACCESS: 3,
    ErrorKind.RATE: 3,
    ErrorKind.TASK_FAILED: 4,
    ErrorKind.TIMEOUT: 4,
}


def exit_code_for(exc: errors.ApiError) -> int:
    return EXIT_BY_KIND.get(exc.kind.value, 1)


def exit_code_for_job(job: Job, waited: bool = True) -> int:
    """Rejected jobs keep the error kind as their code; failed tasks keep Evolink's.

    A job still under way is fine when we did not wait for it; when we did, it stopped for a
    reason (a refused key, a broken download) that decides the code.
    """
    if job.state == JobState.DONE:
        return 0
    if job.state == JobState.FAILED:
        return 4
    if job.state in GENERATING and not waited:
        return 0
    return EXIT_BY_KIND.get(job.error_code or "", 1)


def job_dict(job: Job, tracks: Sequence[Track] = ()) -> dict[str, Any]:
    return {
        "type": "job",
        "job_id": job.id,
        "kind": job.kind,
        "state": job.state,
        "task_id": job.task_id,
        "title": job.title,
        "model": job.model,
        "progress": job.progress,
        "error_code": job.error_code,
        "damaged": job.damaged,
        "error": job.error_message,
        "action": next_action(job),  # what the window would offer: the same rule (core)
        "credits_reserved": job.credits_reserved,
        "tracks": [track_dict(t) for t in tracks],
    }


def track_dict(track: Track) -> dict[str, Any]:
    return {
        "type": "track",
        "result_id": track.result_id,
        "task_id": track.task_id,
        "job_id": track.job_id,
        "title": track.title,
        "path": track.path,
        "state": track.state,
        "model": track.model,
        "style": track.style,
        "duration": track.duration,
        "persona_id": track.persona_id,
    }


def persona_dict(persona: Persona, uses: int | None = None) -> dict[str, Any]:
    return {
        "type": "persona",
        "persona_id": persona.persona_id,
        "name": persona.name,
        "description": persona.description,
        "source_task_id": persona.source_task_id,
        "source_result_id": persona.source_result_id,
        "created_at": persona.created_at,
        "uses": uses,
    }


class Printer:
    def __init__(self, json_mode: bool = False) -> None:
        self.json_mode = json_mode
        self.tty = sys.stderr.isatty()
        self._last_progress = ""

    def obj(self, data: dict[str, Any]) -> None:
        print(json.dumps(data, ensure_ascii=False), flush=True)

    def line(self, text: str) -> None:
        if not self.json_mode:
            print(text, flush=True)

    def note(self, text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    def error(self, text: str) -> None:
        self._clear()
        print(f"sunodesk: {text}", file=sys.stderr, flush=True)

    def problems(self, problems: list[Problem]) -> None:
        for problem in problems:
            self.error(f"{problem.field}: {problem.message}")

    def event(self, event: JobEvent) -> None:
        """Follow a job on a terminal; errors are always shown (they are plain sentences)."""
        if event.kind == EventKind.ERROR:
            self.error(f"job {event.job_id}: {event.message}")
            return
        if not self.tty:
            return
        if event.kind == EventKind.TRACK:
            self._clear()
            print(f"  filed take {event.take}/{event.takes}: {event.path}", file=sys.stderr)
            return
        text = f"job {event.job_id}: {event.state}"
        if event.state == JobState.RUNNING:
            text += f" {event.progress}%"
        if event.takes:
            text += f" (take {event.take} of {event.takes})"
        if text != self._last_progress:
            self._last_progress = text
            sys.stderr.write("\r\033[K" + text)
            sys.stderr.flush()

    def _clear(self) -> None:
        if self.tty and self._last_progress:
            sys.stderr.write("\r\033[K")
            self._last_progress = ""

    def job(self, job: Job, tracks: list[Track]) -> None:
        self._clear()
        if self.json_mode:
            self.obj(job_dict(job, tracks))
            return
        title = job.title or "(untitled)"
        status: str = job.state
        if job.damaged:
            status = f"damaged — {job.damaged}"
        elif job.error_message and job.state != JobState.DONE:
            status += f" — {job.error_message}"
        task = f" [{job.task_id}]" if job.task_id else ""
        print(f"#{job.id} {title}: {status}{task}")
        for track in tracks:
            where = track.path or "(not downloaded yet)"
            print(f"  {track.result_id}  {where}")
