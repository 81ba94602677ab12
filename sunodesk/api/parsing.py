"""Tolerant parsing of Evolink answers (task bodies, the credits balance) into core dataclasses.

``result_data`` may be a list of songs, an object with ``songs``, an object with a persona's
``persona_id``, or missing (then the flat ``results`` URL list is used). Unknown fields are
ignored; legacy and ``-beta`` model names are both accepted.
"""

from __future__ import annotations

import math
from typing import Any

from sunodesk.api.errors import MalformedResponse
from sunodesk.core import rules
from sunodesk.core.models import Credits, Take, TaskSnapshot, TaskStatus
from sunodesk.core.untrusted import clean_line

ESTIMATE_MAX = 3600.0  # s; a bigger estimate would stretch the poll deadline without end
CREATED_MAX = 10**11  # unix seconds, year ~5000


def _number(value: Any, low: float = -math.inf, high: float = math.inf) -> float | None:
    """A finite number within [low, high] from a JSON number or numeric string, else None
    (NaN, infinities, out-of-range values, huge integers and anything else)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float, str)):
        try:
            number = float(value)
        except (ValueError, OverflowError):  # OverflowError: an int beyond the float range
            return None
        if math.isfinite(number) and low <= number <= high:
            return number
    return None


def _object(value: Any) -> dict[str, Any]:
    """``value`` if it is a JSON object, else an empty one (a missing or odd-shaped part)."""
    return value if isinstance(value, dict) else {}


def _progress(value: Any) -> int:
    """0..100 whatever was sent: NaN or nonsense is 0, infinities and overshoots clamp."""
    if isinstance(value, bool):
        return 0
    if isinstance(value, (int, float, str)):
        try:
            number = float(value)
        except (ValueError, OverflowError):
            return 100 if isinstance(value, int) and value > 0 else 0
        if math.isnan(number):
            return 0
        return int(max(0.0, min(100.0, number)))
    return 0


def _text(value: Any) -> str:
    # what the server says is cleaned here, before it is stored, tagged or made a file name
    return clean_line(value)


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
        duration=_number(item.get("duration"), 0.0, 86400.0),
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
    flat = body.get("results")
    urls = [u for u in (_url(x) for x in flat) if u] if isinstance(flat, list) else []
    stem = _text(task_id) or "task"  # the id is ours here: it goes into tags and names
    return tuple(Take(result_id=f"{stem}-{index}", audio_url=u) for index, u in enumerate(urls, 1))


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
    persona_id = _text(data.get("persona_id")) if isinstance(data, dict) else None
    created = _number(body.get("created"), 1.0, CREATED_MAX)
    return TaskSnapshot(
        id=task_id,
        status=status,
        progress=_progress(body.get("progress")),
        model=rules.canonical_model(_text(body.get("model"))),
        estimated_time=_number(info.get("estimated_time"), 0.0, ESTIMATE_MAX) or None,
        credits_reserved=_number(usage.get("credits_reserved"), 0.0),
        takes=_takes(body, task_id) if status is TaskStatus.COMPLETED else (),
        persona_id=persona_id if isinstance(persona_id, str) and persona_id else None,
        error_code=None if error.get("code") is None else _text(str(error.get("code"))) or None,
        error_message=_text(error.get("message")) or None,
        created=int(created) if created else None,
    )


def parse_credits(body: Any) -> Credits:
    """A ``GET /v1/credits`` answer; raises MalformedResponse when it holds no balance.

    Numbers must be finite and not negative (NaN or a negative balance reads as unknown)."""
    data = _object(_object(body).get("data"))
    token = _object(data.get("token"))
    user = _object(data.get("user"))
    remaining = _balance(token.get("remaining_credits", user.get("remaining_credits")))
    if remaining is None:
        raise MalformedResponse("The credits answer had no balance.")
    return Credits(
        remaining=remaining,
        used=_balance(token.get("used_credits")),
        unlimited=token.get("unlimited_credits") is True,
        account_remaining=_balance(user.get("remaining_credits")),
    )


def _balance(value: Any) -> float | None:
    """A JSON number of credits (never a string), finite and not negative, else None."""
    return _number(value, 0.0) if isinstance(value, (int, float)) else None
