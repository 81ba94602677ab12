"""Frozen dataclasses shared by every layer: requests, task snapshots, takes, personas, jobs."""

from __future__ import annotations

import json
from dataclasses import Field, asdict, dataclass, fields
from enum import StrEnum
from typing import Any, ClassVar, Self

from sunodesk.core import rules
from sunodesk.core.jobstate import JobState


class JsonRecord:
    """A frozen dataclass stored as JSON (jobs, drafts); unknown keys are ignored on load, so
    a row written by a newer sunodesk still opens."""

    __dataclass_fields__: ClassVar[dict[str, Field[Any]]]  # set by @dataclass on each subclass

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Self:
        data = json.loads(text)
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


@dataclass(frozen=True)
class SongRequest(JsonRecord):
    """Everything a person chose for one generation.

    Weights are None for "Auto" (omitted from the request). In simple mode only ``prompt``
    (the description), ``instrumental`` and ``model`` are sent.
    """

    model: str = rules.DEFAULT_MODEL
    custom_mode: bool = True
    prompt: str = ""  # lyrics in custom mode, the description in simple mode
    title: str = ""
    style: str = ""
    negative_tags: str = ""
    instrumental: bool = False
    vocal_gender: str | None = None  # "m", "f" or None
    style_weight: float | None = None
    weirdness: float | None = None
    audio_weight: float | None = None
    persona_id: str | None = None
    persona_model: str | None = None  # "style_persona" or "voice_persona"
    persona_name: str | None = None  # local only: the artist name for tags, never sent
    album: str = ""  # local only: the draft's name, for TALB


@dataclass(frozen=True)
class PersonaRequest(JsonRecord):
    """A persona made from one finished take."""

    source_task_id: str
    result_id: str
    name: str
    description: str
    vocal_start: float | None = None
    vocal_end: float | None = None
    style: str = ""
    source_model: str = ""  # local only: the model of the source take, for validation


class TaskStatus(StrEnum):
    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def terminal(self) -> bool:
        return self in (TaskStatus.COMPLETED, TaskStatus.FAILED, TaskStatus.CANCELLED)


@dataclass(frozen=True)
class Take:
    """One song of a finished generation, as the API reported it."""

    result_id: str
    audio_url: str
    title: str = ""
    tags: str = ""
    duration: float | None = None
    image_url: str | None = None
    stream_audio_url: str | None = None


@dataclass(frozen=True)
class TaskSnapshot:
    """What one answer from the API said about a task."""

    id: str
    status: TaskStatus
    progress: int = 0
    model: str = ""
    estimated_time: float | None = None
    credits_reserved: float | None = None
    takes: tuple[Take, ...] = ()
    persona_id: str | None = None
    error_code: str | None = None
    error_message: str | None = None
    created: int | None = None


@dataclass(frozen=True)
class Credits:
    """The balance the credits endpoint reported."""

    remaining: float
    used: float | None = None
    unlimited: bool = False
    account_remaining: float | None = None


@dataclass(frozen=True)
class Persona:
    """A persona the app remembers (the API cannot list them)."""

    persona_id: str
    name: str
    description: str
    source_task_id: str
    source_result_id: str
    created_at: float
    id: int | None = None


class TrackState(StrEnum):
    """Where a take is on its way into the library."""

    PENDING = "pending"  # filed the moment its task completed, not downloaded yet
    DONE = "done"  # the tagged file is in place
    EXPIRED = "expired"  # its links died first


class FileState(StrEnum):
    """What the last rescan saw of a take's file."""

    OK = "ok"
    MISSING = "missing"
    CHANGED = "changed"


@dataclass(frozen=True)
class Track:
    """One take filed in the library."""

    result_id: str
    job_id: int
    task_id: str
    title: str
    path: str | None
    model: str = ""
    style: str = ""
    duration: float | None = None
    persona_id: str | None = None
    state: TrackState = TrackState.PENDING
    created_at: float = 0.0
    audio_url: str | None = None
    image_url: str | None = None
    id: int | None = None
    favourite: bool = False
    rating: int = 0  # 0 (unrated) to 5
    file_state: FileState = FileState.OK  # seen by a rescan
    imported: bool = False
    album: str = ""
    artist: str = ""
    request_json: str | None = None  # the exact request the take came from, when known

    @property
    def song_request(self) -> SongRequest | None:
        """The request this take came from (None for an import or an unknown request)."""
        if not self.request_json:
            return None
        try:
            return SongRequest.from_json(self.request_json)
        except (ValueError, TypeError):
            return None

    def as_take(self) -> Take:
        return Take(
            result_id=self.result_id,
            audio_url=self.audio_url or "",
            title=self.title,
            tags=self.style,
            duration=self.duration,
            image_url=self.image_url,
        )


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a request, named by the field it belongs to."""

    field: str
    message: str
    required: bool = False  # the field is empty but must be filled (not a broken rule)

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


@dataclass(frozen=True)
class Job:
    """A job row as the store holds it."""

    id: int
    kind: str  # "song" | "persona"
    state: JobState
    request_json: str
    task_id: str | None = None
    progress: int = 0
    error_code: str | None = None
    error_message: str | None = None
    model: str = ""
    estimated_time: float | None = None
    credits_reserved: float | None = None
    takes_total: int = 0
    takes_done: int = 0
    created_at: float = 0.0
    updated_at: float = 0.0
    submitted_at: float | None = None
    # why the stored row cannot be used (a sentence), or None; a damaged row is shown as it
    # is and never driven, rewritten or deleted
    damaged: str | None = None

    @property
    def song_request(self) -> SongRequest:
        return SongRequest.from_json(self.request_json)

    @property
    def persona_request(self) -> PersonaRequest:
        return PersonaRequest.from_json(self.request_json)

    @property
    def title(self) -> str:
        try:
            data = json.loads(self.request_json)
        except (TypeError, ValueError, RecursionError):
            return ""  # a damaged row (see Job.damaged)
        if not isinstance(data, dict):
            return ""
        for key in ("title", "name"):
            value = data.get(key)
            if value and isinstance(value, str):
                return value
        prompt = data.get("prompt")
        return prompt[:40] if isinstance(prompt, str) else ""
