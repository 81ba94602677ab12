"""Tolerant parsing of Evolink answers (task bodies, the credits balance) into core dataclasses.

``result_data`` may be a list of songs, an object with ``songs``, an object with a persona's
``persona_id``, or missing (then the flat ``results`` URL list is used). Unknown fields are
ignored; legacy and ``-beta`` model names are both accepted.
"""

from __future__ import annotations

from typing import Any

from sunodesk.api.errors import MalformedResponse
from sunodesk.core import rules
from sunodesk.core.models import Credits, Take, TaskSnapshot, TaskStatus


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _object(value: Any) -> dict[str, Any]:
    """``value`` if it is a JSON object, else an empty one (a missing or odd-shaped part)."""
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _url(value: Any) -> str | None:
    return value if isinstance(value, str) and value.startswith(("http://", "https://")) else None


def _take(item: dict[str, Any]) -> Take | None:
    audio = _url(item.get("audio_url")) or _url(item.get("stream_audio_url"))
    result_id = _text(item.get("result_id") or item.get("id"))
    if not audio or not result_id:
        return None
    return Take(
        result_id=result_id,
        audio_url=audio,
        title=_text(item.get("title")),
        tags=_text(item.get("tags") or item.get("style")),
        duration=_number(item.get("duration")),
        image_url=_url(item.get("image_url")),
        stream_audio_url=_url(item.get("stream_audio_url")),
    )


def _takes(body: dict[str, Any], task_id: str) -> tuple[Take, ...]:
    data = body.get("result_data")
    items: Any = None
    if isinstance(data, list):
        items = data
    elif isinstance(data, dict) and isinstance(data.get("songs"), list):
        items = data["songs"]
    takes = [t for t in (_take(i) for i in items or () if isinstance(i, dict)) if t]
    if takes:
        return tuple(takes)
    # Fall back to the flat URL list. The ids must survive new links (signed URLs change),
    # so they come from the task and the position, never from the URL.
    urls = [u for u in (_url(x) for x in body.get("results") or ()) if u]
    return tuple(
        Take(result_id=f"{task_id}-{index}", audio_url=u) for index, u in enumerate(urls, 1)
    )


def parse_task(body: Any) -> TaskSnapshot:
    """A task body from a submit or poll answer; raises MalformedResponse when unusable."""
    if not isinstance(body, dict):
        raise MalformedResponse("The task answer was not a JSON object.")
    task_id = body.get("id")
    if not isinstance(task_id, str) or not task_id:
        raise MalformedResponse("The task answer had no task id.")
    raw_status = _text(body.get("status")).lower() or "pending"
    try:
        status = TaskStatus(raw_status)
    except ValueError:
        status = TaskStatus.PROCESSING  # an unknown in-between state: keep polling
    info = _object(body.get("task_info"))
    usage = _object(body.get("usage"))
    error = _object(body.get("error"))
    data = body.get("result_data")
    persona_id = data.get("persona_id") if isinstance(data, dict) else None
    progress = _number(body.get("progress"))
    created = _number(body.get("created"))
    return TaskSnapshot(
        id=task_id,
        status=status,
        progress=max(0, min(100, int(progress or 0))),
        model=rules.canonical_model(_text(body.get("model"))),
        estimated_time=_number(info.get("estimated_time")),
        credits_reserved=_number(usage.get("credits_reserved")),
        takes=_takes(body, task_id) if status is TaskStatus.COMPLETED else (),
        persona_id=persona_id if isinstance(persona_id, str) and persona_id else None,
        error_code=None if error.get("code") is None else str(error.get("code")),
        error_message=_text(error.get("message")) or None,
        created=int(created) if created else None,
    )


def parse_credits(body: Any) -> Credits:
    """A ``GET /v1/credits`` answer; raises MalformedResponse when it holds no balance."""
    data = _object(_object(body).get("data"))
    token = _object(data.get("token"))
    user = _object(data.get("user"))
    remaining = token.get("remaining_credits", user.get("remaining_credits"))
    if not isinstance(remaining, (int, float)):
        raise MalformedResponse("The credits answer had no balance.")
    used = token.get("used_credits")
    account = user.get("remaining_credits")
    return Credits(
        remaining=float(remaining),
        used=float(used) if isinstance(used, (int, float)) else None,
        unlimited=bool(token.get("unlimited_credits", False)),
        account_remaining=float(account) if isinstance(account, (int, float)) else None,
    )
