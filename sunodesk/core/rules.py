"""The one table of per-model rules.

Evolink changes these (see shared/evolink-api.md, sections 2.1 and 2.2), so every limit the
validator, the sandbox and the UI use is read from here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ModelRules:
    """What one Suno model accepts."""

    name: str  # the current (-beta) name we send
    label: str  # what a person sees
    lyrics_max: int
    style_max: int
    persona: bool  # accepts persona_id with persona_model="style_persona"
    voice_persona: bool  # accepts persona_model="voice_persona"
    max_minutes: int
    aliases: tuple[str, ...] = ()
    duration: bool = False  # accepts a `duration` in custom mode (2026-07-29 revision on)


TITLE_MAX = 80
# What a song typically reserves (Evolink's documented example: 10 credits for music, the same
# for every model); shown before this machine has seen a real reservation for the model.
TYPICAL_SONG_CREDITS = 10.0
NEGATIVE_TAGS_MAX = 200
SIMPLE_PROMPT_MAX = 500
WEIGHT_MIN = 0.1  # 0 means "unset" on the published API: we omit instead of sending 0
WEIGHT_MAX = 1.0
PERSONA_MODEL = "suno-persona"
PERSONA_MODELS = ("style_persona", "voice_persona")
VOCAL_GENDERS = ("m", "f")
DURATION_MIN = 10  # seconds, for models with `duration`
DURATION_MAX = 360
VOCAL_WINDOW_MIN = 10.0
VOCAL_WINDOW_MAX = 30.0
PERSONA_NAME_MAX = 80
PERSONA_DESCRIPTION_MAX = 1000

# V5 first: the default a person should meet.
MODELS: tuple[ModelRules, ...] = (
    ModelRules("suno-v5-beta", "V5", 5000, 1000, True, True, 8, ("suno-v5",)),
    ModelRules("suno-v5.5-beta", "V5.5", 5000, 1000, True, True, 8, ("suno-v5.5",), True),
    ModelRules("suno-v4.5plus-beta", "V4.5+", 5000, 1000, True, False, 8, ("suno-v4.5plus",)),
    ModelRules("suno-v4.5all-beta", "V4.5 All", 5000, 1000, True, False, 8, ("suno-v4.5all",)),
    ModelRules("suno-v4.5-beta", "V4.5", 5000, 1000, True, False, 8, ("suno-v4.5",)),
    ModelRules("suno-v4-beta", "V4", 3000, 200, True, False, 4, ("suno-v4",)),
)
DEFAULT_MODEL = MODELS[0].name

_BY_NAME: dict[str, ModelRules] = {}
for _rules in MODELS:
    _BY_NAME[_rules.name] = _rules
    for _alias in _rules.aliases:
        _BY_NAME[_alias] = _rules


def rules_for(model: str) -> ModelRules | None:
    """Rules for a model given by its current or legacy name; None when unknown."""
    return _BY_NAME.get(model.strip().lower())


def canonical_model(model: str) -> str:
    """The -beta name for a current or legacy model name; unknown names come back unchanged."""
    rules = rules_for(model)
    return rules.name if rules else model


def model_names() -> list[str]:
    """Every accepted model name, current and legacy."""
    return list(_BY_NAME)


def can_source_persona(model: str) -> bool:
    """Persona sources must be suno-v4 or later: every song model in the table qualifies."""
    return rules_for(model) is not None
