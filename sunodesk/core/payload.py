"""Turn requests into the exact JSON bodies Evolink accepts (pure; the api layer sends them)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sunodesk.core import rules
from sunodesk.core.models import PersonaRequest, SongRequest


def weight(value: float | None) -> float | None:
    """A weight as sent: None stays omitted, anything else gets one decimal."""
    return None if value is None else round(float(value), 1)


def normalise(req: SongRequest) -> SongRequest:
    """The request as it will be sent and stored: what the mode makes meaningless is dropped.

    Simple mode keeps only the model, the description, instrumental (and the local album);
    an instrumental drops the lyrics and the vocal gender. The window and the CLI both call
    this before submitting, and song_body applies it again, so they send the same body.
    """
    if not req.custom_mode:
        return SongRequest(
            model=req.model,
            custom_mode=False,
            prompt=req.prompt,
            instrumental=req.instrumental,
            album=req.album,
        )
    if req.instrumental and (req.prompt or req.vocal_gender is not None):
        return replace(req, prompt="", vocal_gender=None)
    return req


def song_body(req: SongRequest) -> dict[str, Any]:
    """The body for POST /v1/audios/generations. Simple mode sends only what it may."""
    req = normalise(req)
    body: dict[str, Any] = {
        "model": rules.canonical_model(req.model),
        "custom_mode": bool(req.custom_mode),
        "instrumental": bool(req.instrumental),
    }
    if not req.custom_mode:
        body["prompt"] = req.prompt
        return body
    body["title"] = req.title
    body["style"] = req.style
    if req.prompt.strip():
        body["prompt"] = req.prompt
    if req.negative_tags.strip():
        body["negative_tags"] = req.negative_tags
    if req.vocal_gender:
        body["vocal_gender"] = req.vocal_gender
    for key, value in (
        ("style_weight", req.style_weight),
        ("weirdness_constraint", req.weirdness),
        ("audio_weight", req.audio_weight),
    ):
        if value is not None:
            body[key] = weight(value)
    if req.persona_id:
        body["persona_id"] = req.persona_id
        body["persona_model"] = req.persona_model or "style_persona"
    return body


def persona_body(req: PersonaRequest) -> dict[str, Any]:
    """The body for a suno-persona task."""
    params: dict[str, Any] = {
        "source_task_id": req.source_task_id,
        "result_id": req.result_id,
        "name": req.name,
        "description": req.description,
    }
    if req.vocal_start is not None and req.vocal_end is not None:
        params["vocal_start"] = float(req.vocal_start)
        params["vocal_end"] = float(req.vocal_end)
    if req.style.strip():
        params["style"] = req.style
    return {"model": rules.PERSONA_MODEL, "model_params": params}
