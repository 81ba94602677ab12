"""Validate requests before anything is sent: one message per field, in plain words.

Every limit comes from :mod:`sunodesk.core.rules`. The field names are the API's field names
(``prompt``, ``style``, ``title`` …), which the CLI prints and the form maps to its widgets.
"""

from __future__ import annotations

import math
import re

from sunodesk.core import rules
from sunodesk.core.models import PersonaRequest, Problem, SongRequest

_RESULT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$")
_PERSONA_ID = re.compile(r"^[A-Za-z0-9_-]{1,128}$")


def _too_long(
    field: str, what: str, text: str, limit: int, model: str = "", plural: bool = False
) -> Problem | None:
    """ "The title is 81 characters long; the limit is 80." / "The lyrics are 6,000
    characters long; V5 allows 5,000." (a model's own limit names the model)."""
    if len(text) > limit:
        verb = "are" if plural else "is"
        allowed = f"{model} allows {limit:,}" if model else f"the limit is {limit:,}"
        return Problem(field, f"{what} {verb} {len(text):,} characters long; {allowed}.")
    return None


def _check_weight(field: str, label: str, value: float | None) -> Problem | None:
    if value is None:
        return None
    if not _is_number(value) or math.isnan(value):
        return Problem(field, f"{label} must be a number between 0.1 and 1.0, or Auto.")
    if not rules.WEIGHT_MIN - 1e-9 <= value <= rules.WEIGHT_MAX + 1e-9:
        return Problem(field, f"{label} must be between 0.1 and 1.0 (leave it on Auto to omit).")
    return None


# What each field must hold. A stored request (a draft, a job row) comes back from JSON, so
# any field may hold anything; the checks below only run on the right types.
_TEXT, _FLAG, _MAYBE_TEXT = "text", "flag", "maybe_text"
_SONG_TYPES = {
    "model": _TEXT, "custom_mode": _FLAG, "prompt": _TEXT, "title": _TEXT, "style": _TEXT,
    "negative_tags": _TEXT, "instrumental": _FLAG, "vocal_gender": _MAYBE_TEXT,
    "persona_id": _MAYBE_TEXT, "persona_model": _MAYBE_TEXT, "persona_name": _MAYBE_TEXT,
    "album": _TEXT,
}  # fmt: skip
_PERSONA_TYPES = {
    "source_task_id": _TEXT, "result_id": _TEXT, "name": _TEXT, "description": _TEXT,
    "style": _TEXT, "source_model": _TEXT,
}  # fmt: skip
_TYPE_WORDS = {_TEXT: "text", _FLAG: "yes or no", _MAYBE_TEXT: "text or unset"}


def _type_problems(req: object, types: dict[str, str]) -> list[Problem]:
    out = []
    for name, kind in types.items():
        value = getattr(req, name)
        ok = {
            _TEXT: isinstance(value, str),
            _FLAG: isinstance(value, bool),
            _MAYBE_TEXT: value is None or isinstance(value, str),
        }[kind]
        if not ok:
            out.append(Problem(name, f"The {name.replace('_', ' ')} must be {_TYPE_WORDS[kind]}."))
    return out


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def validate_song(req: SongRequest) -> list[Problem]:
    """Every problem with a song request; an empty list means it can be sent."""
    wrong_types = _type_problems(req, _SONG_TYPES)
    if wrong_types:
        return wrong_types
    problems: list[Problem | None] = []
    model = rules.rules_for(req.model)
    if model is None:
        known = ", ".join(r.name for r in rules.MODELS)
        problems.append(Problem("model", f"Unknown model “{req.model}”. Choose one of: {known}."))

    if not req.custom_mode:
        if not req.prompt.strip():
            problems.append(Problem("prompt", "Describe the song you want.", required=True))
        problems.append(_too_long("prompt", "The description", req.prompt, rules.SIMPLE_PROMPT_MAX))
        return [p for p in problems if p]

    if not req.title.strip():
        problems.append(Problem("title", "A title is required in custom mode.", required=True))
    problems.append(_too_long("title", "The title", req.title, rules.TITLE_MAX))
    if not req.style.strip():
        problems.append(
            Problem("style", "Add at least one style tag in custom mode.", required=True)
        )
    if model:
        problems.append(_too_long("style", "The style", req.style, model.style_max, model.label))
    if not req.instrumental and not req.prompt.strip():
        problems.append(
            Problem("prompt", "Lyrics are required unless the song is instrumental.", required=True)
        )
    if model:
        problems.append(
            _too_long(
                "prompt", "The lyrics", req.prompt, model.lyrics_max, model.label, plural=True
            )
        )
    problems.append(
        _too_long("negative_tags", "The exclude list", req.negative_tags, rules.NEGATIVE_TAGS_MAX)
    )
    if req.vocal_gender is not None and req.vocal_gender not in rules.VOCAL_GENDERS:
        problems.append(Problem("vocal_gender", "Vocal gender must be m, f or unset."))
    problems.append(_check_weight("style_weight", "Style weight", req.style_weight))
    problems.append(_check_weight("weirdness_constraint", "Weirdness", req.weirdness))
    problems.append(_check_weight("audio_weight", "Audio weight", req.audio_weight))
    problems.extend(_persona_problems(req, model))
    return [p for p in problems if p]


def _persona_problems(req: SongRequest, model: rules.ModelRules | None) -> list[Problem]:
    if not req.persona_id:
        if req.persona_model:
            return [Problem("persona_model", "A persona model needs a persona.")]
        return []
    out = []
    if not _PERSONA_ID.match(req.persona_id):
        out.append(Problem("persona_id", "That persona id does not look valid."))
    if req.persona_model is not None and req.persona_model not in rules.PERSONA_MODELS:
        out.append(Problem("persona_model", "Use style_persona or voice_persona."))
    if model and not model.persona:
        out.append(Problem("persona_id", f"{model.label} cannot use a persona; choose V5."))
    elif model and req.persona_model == "voice_persona" and not model.voice_persona:
        out.append(
            Problem("persona_model", f"A voice persona needs a V5-family model, not {model.label}.")
        )
    return out


def validate_persona(req: PersonaRequest) -> list[Problem]:
    """Every problem with a persona request that can be known before sending."""
    wrong_types = _type_problems(req, _PERSONA_TYPES)
    if wrong_types:
        return wrong_types
    problems: list[Problem | None] = []
    if not req.source_task_id.startswith("task-unified-"):
        problems.append(Problem("source_task_id", "The source must be a finished song task."))
    if not _RESULT_ID.match(req.result_id or ""):
        problems.append(Problem("result_id", "Choose the take the persona comes from."))
    if not req.name.strip():
        problems.append(Problem("name", "Give the persona a name.", required=True))
    problems.append(_too_long("name", "The name", req.name, rules.PERSONA_NAME_MAX))
    if not req.description.strip():
        problems.append(
            Problem("description", "Describe the persona's voice and style.", required=True)
        )
    problems.append(
        _too_long("description", "The description", req.description, rules.PERSONA_DESCRIPTION_MAX)
    )
    if req.source_model and not rules.can_source_persona(req.source_model):
        problems.append(Problem("source_task_id", "Personas need a take from V4 or later."))
    problems.extend(_vocal_window_problems(req.vocal_start, req.vocal_end))
    return [p for p in problems if p]


def _vocal_window_problems(start: float | None, end: float | None) -> list[Problem]:
    if start is None and end is None:
        return []
    if start is None or end is None:
        field = "vocal_start" if start is None else "vocal_end"
        return [Problem(field, "Give both the start and the end of the vocal window.")]
    for field, value in (("vocal_start", start), ("vocal_end", end)):
        if not _is_number(value) or not math.isfinite(value):
            return [Problem(field, "The vocal window needs a number of seconds.")]
    if start < 0:
        return [Problem("vocal_start", "The vocal window cannot start before 0 s.")]
    length = end - start
    if not rules.VOCAL_WINDOW_MIN <= length <= rules.VOCAL_WINDOW_MAX:
        return [
            Problem(
                "vocal_end",
                f"The vocal window is {length:g} s; it must be 10–30 s long.",
            )
        ]
    return []
