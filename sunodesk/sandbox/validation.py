"""Validate raw request bodies exactly as Evolink does, and build its error envelopes.

Follows shared/evolink-api.md sections 2.2 (song fields, with the strict 2026-08-02 rule that
custom-only fields in simple mode are an error), 3 (persona model_params) and 4/5 (error
codes and types). Every length limit comes from :mod:`sunodesk.core.rules`.
"""

from __future__ import annotations

import ipaddress
import math
from typing import Any
from urllib.parse import urlsplit

from sunodesk.core import rules

# Error (code, type, message) per HTTP status, as the music page lists them (doc section 5).
GENERATION_ERRORS: dict[int, tuple[str, str, str]] = {
    400: ("invalid_request", "invalid_request_error", "Invalid request parameters"),
    401: ("unauthorized", "authentication_error", "Invalid or missing API key"),
    402: (
        "insufficient_quota",
        "insufficient_quota",
        "Insufficient quota. Please top up your account.",
    ),
    403: ("model_access_denied", "invalid_request_error", "Token does not have access to model"),
    404: ("not_found", "invalid_request_error", "The requested resource was not found"),
    429: ("rate_limit_exceeded", "rate_limit_error", "Rate limit exceeded, please try again later"),
    500: ("internal_error", "api_error", "Internal server error"),
    502: ("upstream_error", "api_error", "Upstream service error"),
    503: ("service_unavailable", "api_error", "No available channel for the requested model"),
}
# The task endpoint's table (doc section 4).
TASK_ERRORS: dict[int, tuple[str, str, str]] = {
    400: ("invalid_task_id", "invalid_request_error", "Task ID must start with 'task-unified-'"),
    401: ("unauthorized", "authentication_error", "Invalid or missing API key"),
    402: ("quota_exceeded", "insufficient_quota", "Quota exceeded"),
    403: ("permission_denied", "invalid_request_error", "You do not have access to this task"),
    404: ("task_not_found", "invalid_request_error", "Task not found"),
    429: ("rate_limit_exceeded", "evo_api_error", "Rate limit exceeded, please try again later"),
    500: ("internal_error", "api_error", "Internal server error"),
    502: ("upstream_error", "api_error", "Upstream service error"),
    503: ("service_unavailable", "api_error", "Service temporarily unavailable"),
}
# The credits endpoint keeps the older shape: integer code (doc sections 5 and 6.1).
CREDITS_ERRORS: dict[int, tuple[str, str]] = {
    400: ("invalid_request_error", "Invalid request"),
    401: ("authentication_error", "Invalid or missing API key"),
    402: ("insufficient_quota_error", "Insufficient quota"),
    403: ("permission_error", "Permission denied"),
    404: ("not_found_error", "Not found"),
    429: ("rate_limit_error", "Rate limit exceeded"),
    500: ("internal_server_error", "Internal server error"),
    502: ("upstream_error", "Upstream service error"),
    503: ("service_unavailable_error", "Service temporarily unavailable"),
}

CUSTOM_ONLY = (
    "style",
    "title",
    "negative_tags",
    "vocal_gender",
    "style_weight",
    "weirdness_constraint",
    "audio_weight",
    "persona_id",
    "persona_model",
    "duration",
)
WEIGHTS = ("style_weight", "weirdness_constraint", "audio_weight")
# Not in core.rules yet (only in the 2026-07-29+ revisions, doc 2.2): `duration` for v5.5.
DURATION_MODELS = tuple(m.name for m in rules.MODELS if m.duration)
DURATION_MIN, DURATION_MAX = rules.DURATION_MIN, rules.DURATION_MAX
CALLBACK_URL_MAX = 2048
PERSONA_REQUIRED = ("source_task_id", "result_id", "name", "description")


class ApiError(Exception):
    """An error answer: HTTP status plus the Evolink error object."""

    def __init__(
        self, status: int, code: str | int, message: str, type_: str, param: str | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.type = type_
        self.param = param

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code, "message": self.message, "type": self.type}
        if self.param is not None:
            error["param"] = self.param
        return {"error": error}


def generation_error(status: int, message: str | None = None, param: str | None = None) -> ApiError:
    code, type_, default = GENERATION_ERRORS[status]
    return ApiError(status, code, message or default, type_, param)


def task_error(status: int, message: str | None = None, param: str | None = None) -> ApiError:
    code, type_, default = TASK_ERRORS[status]
    return ApiError(status, code, message or default, type_, param)


def credits_error(status: int, message: str | None = None) -> ApiError:
    type_, default = CREDITS_ERRORS[status]
    return ApiError(status, status, message or default, type_)


def invalid(param: str, message: str) -> ApiError:
    return generation_error(400, message, param)


def _string(body: dict[str, Any], field: str, *, required: bool = False) -> str | None:
    value = body.get(field)
    if value is None:
        if required:
            raise invalid(field, f"{field} is required")
        return None
    if not isinstance(value, str):
        raise invalid(field, f"{field} must be a string")
    if required and not value.strip():
        raise invalid(field, f"{field} is required")
    return value


def _max_len(field: str, value: str | None, limit: int) -> None:
    if value is not None and len(value) > limit:
        raise invalid(field, f"{field} must be at most {limit} characters (got {len(value)})")


def _bool(body: dict[str, Any], field: str) -> bool:
    value = body.get(field, False)
    if not isinstance(value, bool):
        raise invalid(field, f"{field} must be a boolean")
    return value


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _callback_url(url: Any) -> None:
    if url is None:
        return
    if not isinstance(url, str) or not url:
        raise invalid("callback_url", "callback_url must be a non-empty string")
    _max_len("callback_url", url, CALLBACK_URL_MAX)
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        raise invalid("callback_url", "callback_url must be an HTTPS URL")
    host = parts.hostname
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if address is None:
        if host == "localhost" or host.endswith(".localhost"):
            raise invalid("callback_url", "callback_url must not point to an internal address")
        return
    if address.is_private or address.is_loopback or address.is_link_local:
        raise invalid("callback_url", "callback_url must not point to an internal address")


def validate_song(body: dict[str, Any]) -> dict[str, Any]:
    """The accepted song request with the model canonicalised; ApiError(400) when not."""
    model = body.get("model")
    if model is None or model == "":
        raise invalid("model", "model is required")
    if not isinstance(model, str):
        raise invalid("model", "model must be a string")
    model_rules = rules.rules_for(model)
    if model_rules is None:
        known = ", ".join(rules.model_names())
        raise invalid("model", f"model '{model}' is not supported; use one of: {known}")
    custom = _bool(body, "custom_mode")
    instrumental = _bool(body, "instrumental")
    _callback_url(body.get("callback_url"))

    if not custom:
        for field in CUSTOM_ONLY:
            if field in body:
                raise invalid(field, f"{field} is only allowed in custom mode (custom_mode=true)")
        prompt = _string(body, "prompt", required=True)
        _max_len("prompt", prompt, rules.SIMPLE_PROMPT_MAX)
        return {
            "model": model_rules.name,
            "custom_mode": False,
            "instrumental": instrumental,
            "prompt": prompt,
        }

    style = _string(body, "style", required=True)
    _max_len("style", style, model_rules.style_max)
    title = _string(body, "title", required=True)
    _max_len("title", title, rules.TITLE_MAX)
    prompt = _string(body, "prompt", required=not instrumental)
    _max_len("prompt", prompt, model_rules.lyrics_max)
    negative = _string(body, "negative_tags")
    _max_len("negative_tags", negative, rules.NEGATIVE_TAGS_MAX)
    gender = body.get("vocal_gender")
    if gender is not None and gender not in rules.VOCAL_GENDERS:
        raise invalid("vocal_gender", "vocal_gender must be 'm' or 'f'")
    for field in WEIGHTS:
        value = body.get(field)
        if value is None:
            continue
        if not _number(value):
            raise invalid(field, f"{field} must be a number between 0 and 1")
        if not 0.0 <= value <= rules.WEIGHT_MAX:
            raise invalid(field, f"{field} must be between 0 and 1")
        if abs(value * 100 - round(value * 100)) > 1e-6:
            raise invalid(field, f"{field} must have at most 2 decimal places")
    _persona_fields(body, model_rules)
    duration = body.get("duration")
    if duration is not None:
        if not model_rules.duration:
            raise invalid("duration", f"duration is only supported by {', '.join(DURATION_MODELS)}")
        if not _number(duration) or int(duration) != duration:
            raise invalid("duration", "duration must be an integer number of seconds")
        if not DURATION_MIN <= duration <= DURATION_MAX:
            raise invalid(
                "duration", f"duration must be between {DURATION_MIN} and {DURATION_MAX} seconds"
            )
    accepted = {k: v for k, v in body.items() if v is not None}
    accepted.update(model=model_rules.name, custom_mode=True, instrumental=instrumental)
    return accepted


def _persona_fields(body: dict[str, Any], model_rules: rules.ModelRules) -> None:
    persona_id = body.get("persona_id")
    persona_model = body.get("persona_model")
    if persona_model is not None and persona_model not in rules.PERSONA_MODELS:
        raise invalid(
            "persona_model", f"persona_model must be one of: {', '.join(rules.PERSONA_MODELS)}"
        )
    if persona_id is None:
        if persona_model is not None:
            raise invalid("persona_model", "persona_model requires persona_id")
        return
    if not isinstance(persona_id, str) or not persona_id.strip() or len(persona_id) > 128:
        raise invalid("persona_id", "persona_id must be a persona ID string")
    if not model_rules.persona:
        raise invalid("persona_id", f"persona_id is not supported by model {model_rules.name}")
    if persona_model == "voice_persona" and not model_rules.voice_persona:
        raise invalid(
            "persona_model",
            f"persona_model voice_persona is only supported by V5-family models, "
            f"not {model_rules.name}",
        )


def validate_persona(body: dict[str, Any]) -> dict[str, Any]:
    """The accepted model_params of a suno-persona request; ApiError(400) when not.

    Checks that need the task store (source exists and is completed, result_id belongs to it,
    one persona per result_id) are done by the state.
    """
    params = body.get("model_params")
    if params is None:
        raise invalid("model_params", "model_params is required")
    if not isinstance(params, dict):
        raise invalid("model_params", "model_params must be an object")
    for field in PERSONA_REQUIRED:
        value = params.get(field)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise invalid(f"model_params.{field}", f"model_params.{field} is required")
        if not isinstance(value, str):
            raise invalid(f"model_params.{field}", f"model_params.{field} must be a string")
    style = params.get("style")
    if style is not None and not isinstance(style, str):
        raise invalid("model_params.style", "model_params.style must be a string")
    start, end = params.get("vocal_start"), params.get("vocal_end")
    if (start is None) != (end is None):
        missing = "vocal_end" if end is None else "vocal_start"
        raise invalid(
            f"model_params.{missing}", "vocal_start and vocal_end must be provided together"
        )
    if start is not None:
        for field, value in (("vocal_start", start), ("vocal_end", end)):
            if not _number(value):
                raise invalid(f"model_params.{field}", f"model_params.{field} must be a number")
        if start < 0:
            raise invalid("model_params.vocal_start", "vocal_start must be >= 0")
        if end <= start:
            raise invalid("model_params.vocal_end", "vocal_end must be greater than vocal_start")
        if not rules.VOCAL_WINDOW_MIN <= end - start <= rules.VOCAL_WINDOW_MAX:
            raise invalid(
                "model_params.vocal_end",
                f"vocal_end - vocal_start must be between {rules.VOCAL_WINDOW_MIN:g} and "
                f"{rules.VOCAL_WINDOW_MAX:g} seconds",
            )
    return {k: v for k, v in params.items() if v is not None and v != ""}
