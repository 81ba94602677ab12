"""Every validation rule of design.md has a test, with the field it names."""

import pytest

from sunodesk.core import rules
from sunodesk.core.models import PersonaRequest, SongRequest
from sunodesk.core.validation import validate_persona, validate_song

GOOD = SongRequest(title="Neon", style="pop", prompt="[Verse]\nla la")


def fields(req):
    return {p.field for p in validate_song(req)}


def test_a_good_custom_request_has_no_problems():
    assert validate_song(GOOD) == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 81}, "title"),
        ({"style": "  "}, "style"),
        ({"prompt": ""}, "prompt"),
        ({"negative_tags": "x" * 201}, "negative_tags"),
        ({"vocal_gender": "x"}, "vocal_gender"),
        ({"style_weight": 1.5}, "style_weight"),
        ({"style_weight": 0.0}, "style_weight"),
        ({"weirdness": -0.1}, "weirdness_constraint"),
        ({"audio_weight": float("nan")}, "audio_weight"),
        ({"model": "suno-v3"}, "model"),
        ({"persona_model": "voice_persona"}, "persona_model"),
        ({"persona_id": "bad id!"}, "persona_id"),
        ({"persona_id": "abc", "persona_model": "other"}, "persona_model"),
    ],
)
def test_each_rule_names_its_field(change, field):
    req = SongRequest(**{**GOOD.__dict__, **change})
    assert field in fields(req)


@pytest.mark.parametrize(
    ("model", "lyrics_max", "style_max"),
    [
        ("suno-v4-beta", 3000, 200),
        ("suno-v4", 3000, 200),
        ("suno-v5-beta", 5000, 1000),
        ("suno-v4.5plus", 5000, 1000),
    ],
)
def test_limits_follow_the_model(model, lyrics_max, style_max):
    ok = SongRequest(model=model, title="t", style="s" * style_max, prompt="l" * lyrics_max)
    assert validate_song(ok) == []
    assert fields(SongRequest(model=model, title="t", style="s" * (style_max + 1), prompt="l")) == {
        "style"
    }
    assert fields(
        SongRequest(model=model, title="t", style="s", prompt="l" * (lyrics_max + 1))
    ) == {"prompt"}


def test_instrumental_needs_no_lyrics():
    assert validate_song(SongRequest(title="t", style="s", instrumental=True)) == []


def test_simple_mode_needs_a_description_within_500():
    assert fields(SongRequest(custom_mode=False, prompt="")) == {"prompt"}
    assert fields(SongRequest(custom_mode=False, prompt="x" * 501)) == {"prompt"}
    assert validate_song(SongRequest(custom_mode=False, prompt="a happy song")) == []


def test_voice_persona_only_on_v5_family():
    base = {
        **GOOD.__dict__,
        "persona_id": "5c57d49ef834110496fae5aa14fec441",
        "persona_model": "voice_persona",
    }
    assert validate_song(SongRequest(**base)) == []
    assert validate_song(SongRequest(**{**base, "model": "suno-v5.5-beta"})) == []
    assert fields(SongRequest(**{**base, "model": "suno-v4.5-beta"})) == {"persona_model"}
    style = {**base, "model": "suno-v4.5-beta", "persona_model": "style_persona"}
    assert validate_song(SongRequest(**style)) == []


def test_messages_are_plain_sentences_with_numbers():
    (problem,) = validate_song(SongRequest(**{**GOOD.__dict__, "title": "x" * 90}))
    assert "90" in problem.message and "80" in problem.message


PERSONA = PersonaRequest("task-unified-1-abcdefgh", "555f4ea2-cfef", "Ann", "warm alto")


def test_persona_rules():
    assert validate_persona(PERSONA) == []
    bad = PersonaRequest("nope", "", "", "", vocal_start=5, vocal_end=None)
    assert {p.field for p in validate_persona(bad)} == {
        "source_task_id",
        "result_id",
        "name",
        "description",
        "vocal_end",
    }


@pytest.mark.parametrize(
    ("start", "end", "ok"),
    [(0, 10, True), (5, 35, True), (0, 9.9, False), (0, 31, False), (-1, 15, False)],
)
def test_vocal_window_is_10_to_30_seconds(start, end, ok):
    req = PersonaRequest(**{**PERSONA.__dict__, "vocal_start": start, "vocal_end": end})
    assert (validate_persona(req) == []) is ok


def test_legacy_and_beta_names_map_to_one_rule():
    assert rules.canonical_model("suno-v4.5all") == "suno-v4.5all-beta"
    assert rules.rules_for("SUNO-V5") is rules.rules_for("suno-v5-beta")
    assert rules.MODELS[0].name == "suno-v5-beta"


def test_the_lyrics_are_long_and_the_model_says_what_it_allows():
    (problem,) = validate_song(SongRequest(**{**GOOD.__dict__, "prompt": "x" * 6000}))
    assert problem.message == "The lyrics are 6,000 characters long; V5 allows 5,000."
