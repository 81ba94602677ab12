"""The sandbox's memory: tasks, credits and personas, optionally saved to a folder.

A task's status is derived from the wall clock: its run time is base / speed (songs 120 s,
personas 15 s); the first 10 % it is pending (progress 0), then processing with rising
progress, then completed (or failed, when a fault marked it). Credits are reserved when a task
is created and given back when it fails. With a ``state_dir`` every change is written
atomically to ``sandbox-state.json`` and read back at start, so a sandbox restarted in the same
folder continues the same tasks. Media is never stored: it is regenerated from the seeds.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import string
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sunodesk.core import rules
from sunodesk.sandbox import audio
from sunodesk.sandbox.validation import generation_error, invalid

SONG_BASE_SECONDS = 120.0
PERSONA_BASE_SECONDS = 15.0
SONG_COST = 10.0
PERSONA_COST = 1.0
PENDING_FRACTION = 0.1
TAKES_PER_SONG = 2
STATE_FILE = "sandbox-state.json"
TASK_FAILURE_MESSAGES = {
    "content_policy_violation": "The request was rejected by the content policy.",
    "invalid_parameters": "The upstream model rejected the parameters.",
    "generation_failed_no_content": "The generation produced no content.",
    "service_error": "The music service had an error.",
    "generation_timeout": "The generation timed out.",
    "resource_exhausted": "Upstream resources are exhausted.",
    "quota_exceeded": "Upstream quota exceeded.",
    "service_unavailable": "The music service is unavailable.",
    "resource_not_found": "The task was not found or has expired.",
    "request_cancelled": "The request was cancelled.",
    "unknown_error": "An unknown error occurred.",
}
_ALNUM = string.ascii_lowercase + string.digits
_STOP_WORDS = (
    "a an the and or but of for to in on at by with about from into song songs track music "
    "tune some that this is are be my your our their its it i you we they me"
)
_STOP = frozenset(_STOP_WORDS.split())
_GENRES = (
    "lo-fi", "hip hop", "pop", "rock", "jazz", "blues", "folk", "country", "metal", "punk",
    "r&b", "soul", "funk", "disco", "house", "techno", "trance", "ambient", "edm", "reggae",
    "classical", "orchestral", "synthwave", "indie", "acoustic", "piano", "gospel", "latin",
)  # fmt: skip


def new_task_id(now: float) -> str:
    return f"task-unified-{int(now)}-{''.join(secrets.choice(_ALNUM) for _ in range(8))}"


def made_up_title(prompt: str) -> str:
    """A short title from a simple-mode description, as Suno would invent one."""
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z']*", prompt) if w.lower() not in _STOP]
    return " ".join(w.capitalize() for w in words[-3:]) or "Untitled Song"


def made_up_tags(prompt: str) -> str:
    text = prompt.lower()
    found = [g for g in _GENRES if g in text][:3]
    return ", ".join(found or ["pop", "upbeat"])


class SandboxState:
    """Thread-safe task and credit store for one sandbox."""

    def __init__(
        self,
        *,
        speed: float = 10.0,
        song_seconds: float = 150.0,
        credits: float = 500.0,
        state_dir: str | os.PathLike[str] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if speed <= 0:
            raise ValueError("speed must be > 0")
        self.speed = float(speed)
        self.song_seconds = float(song_seconds)
        self.clock = clock
        self._lock = threading.RLock()
        self.credits = float(credits)
        self.used = 0.0
        self.tasks: dict[str, dict[str, Any]] = {}
        self.path = Path(state_dir) / STATE_FILE if state_dir is not None else None
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if self.path.exists():
                self._load()

    # ----- persistence -------------------------------------------------------------------

    def _load(self) -> None:
        assert self.path is not None
        data = json.loads(self.path.read_text(encoding="utf-8"))
        self.credits = float(data["credits"])
        self.used = float(data.get("used", 0.0))
        self.tasks = {t["id"]: t for t in data.get("tasks", [])}

    def _save(self) -> None:
        if self.path is None:
            return
        data = {"version": 1, "credits": self.credits, "used": self.used,
                "tasks": list(self.tasks.values())}  # fmt: skip
        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self.path)

    # ----- timing ------------------------------------------------------------------------

    def estimated_time(self, kind: str) -> int:
        base = SONG_BASE_SECONDS if kind == "song" else PERSONA_BASE_SECONDS
        return max(1, round(base / self.speed))

    def status(self, task: dict[str, Any]) -> tuple[str, int]:
        """(status, progress) of a task right now; settles credits once it ends."""
        fraction = (self.clock() - task["start"]) / task["run_seconds"]
        if fraction < PENDING_FRACTION:
            return "pending", 0
        if fraction < 1.0:
            done = (fraction - PENDING_FRACTION) / (1.0 - PENDING_FRACTION)
            return "processing", max(1, min(99, int(5 + 94 * done)))
        self._settle(task)
        return ("failed", task["progress_at_failure"]) if task.get("fail") else ("completed", 100)

    def _settle(self, task: dict[str, Any]) -> None:
        with self._lock:
            if task.get("settled"):
                return
            task["settled"] = True
            if task.get("fail"):  # reserved credits come back when a task fails
                self.credits += task["cost"]
                self.used -= task["cost"]
            self._save()

    def settle_all(self) -> None:
        with self._lock:
            for task in list(self.tasks.values()):
                if not task.get("settled"):
                    self.status(task)

    # ----- creating tasks ----------------------------------------------------------------

    def _charge(self, cost: float) -> None:
        self.settle_all()
        if self.credits + 1e-9 < cost:
            raise generation_error(402)
        self.credits -= cost
        self.used += cost

    def _new_task(self, kind: str, model: str, cost: float, fail: str | None) -> dict[str, Any]:
        now = self.clock()
        task_id = new_task_id(now)
        while task_id in self.tasks:
            task_id = new_task_id(now)
        base = SONG_BASE_SECONDS if kind == "song" else PERSONA_BASE_SECONDS
        return {
            "id": task_id,
            "kind": kind,
            "model": model,
            "created": int(now),
            "start": now,
            "run_seconds": base / self.speed,
            "cost": cost,
            "fail": fail,
            "progress_at_failure": 0 if fail == "content_policy_violation" else 37,
            "settled": False,
        }

    def create_song(self, request: dict[str, Any], fail: str | None = None) -> dict[str, Any]:
        """A new song task for an accepted request; ApiError(402) without enough credits."""
        with self._lock:
            self._charge(SONG_COST)
            task = self._new_task("song", request["model"], SONG_COST, fail)
            seconds = float(request.get("duration") or self.song_seconds)
            if request.get("custom_mode"):
                title, tags = request["title"], request["style"]
            else:
                title, tags = made_up_title(request["prompt"]), made_up_tags(request["prompt"])
            task["request"] = request
            task["takes"] = [
                {
                    "result_id": str(uuid.uuid4()),
                    "seed": f"{task['id']}:{i}",
                    "title": title,
                    "tags": tags,
                    "seconds": seconds,
                    "duration": audio.song_duration(seconds),
                }
                for i in range(TAKES_PER_SONG)
            ]
            self.tasks[task["id"]] = task
            self._save()
            return task

    def create_persona(self, params: dict[str, Any], fail: str | None = None) -> dict[str, Any]:
        """A new persona task; ApiError(400) when the source or result_id is not acceptable."""
        with self._lock:
            source_id = params["source_task_id"]
            result_id = params["result_id"]
            source = self.tasks.get(source_id)
            if source is None or source["kind"] != "song":
                raise invalid(
                    "model_params.source_task_id",
                    f"Source task does not exist or does not belong to the current user: "
                    f"{source_id}",
                )
            if not rules.can_source_persona(source["model"]):
                raise invalid(
                    "model_params.source_task_id", "Source task model must be suno-v4 or above"
                )
            status, _ = self.status(source)
            if status != "completed":
                raise invalid(
                    "model_params.source_task_id",
                    f"Source task is not completed (status: {status}): {source_id}",
                )
            if result_id not in {t["result_id"] for t in source["takes"]}:
                raise invalid(
                    "model_params.result_id",
                    f"result_id {result_id} does not belong to source task {source_id}",
                )
            for other in self.tasks.values():
                if (
                    other["kind"] == "persona"
                    and other["params"]["result_id"] == result_id
                    and self.status(other)[0] != "failed"
                ):
                    raise invalid(
                        "model_params.result_id",
                        f"A persona has already been created for result_id: {result_id}",
                    )
            self._charge(PERSONA_COST)
            task = self._new_task("persona", rules.PERSONA_MODEL, PERSONA_COST, fail)
            task["params"] = params
            task["persona_id"] = uuid.uuid4().hex
            self.tasks[task["id"]] = task
            self._save()
            return task

    # ----- reading -----------------------------------------------------------------------

    def get(self, task_id: str) -> dict[str, Any] | None:
        with self._lock:
            return self.tasks.get(task_id)

    def take(self, task_id: str, result_id: str) -> dict[str, Any] | None:
        """A take whose media may be served: its task exists and is completed."""
        task = self.get(task_id)
        if task is None or task["kind"] != "song" or self.status(task)[0] != "completed":
            return None
        return next((t for t in task["takes"] if t["result_id"] == result_id), None)

    def balance(self) -> tuple[float, float]:
        """(remaining, used) credits."""
        with self._lock:
            self.settle_all()
            return self.credits, self.used

    def reset(self, credits: float | None = None) -> None:
        with self._lock:
            self.tasks.clear()
            if credits is not None:
                self.credits = float(credits)
                self.used = 0.0
            self._save()
