"""Request bodies, style tags and lyrics sections."""

from sunodesk.core import lyrics, payload, styles
from sunodesk.core.models import PersonaRequest, SongRequest


def test_simple_mode_sends_only_what_it_may():
    body = payload.song_body(
        SongRequest(
            custom_mode=False,
            prompt="summer song",
            title="x",
            style="pop",
            style_weight=0.5,
            persona_id="p",
        )
    )
    assert body == {
        "model": "suno-v5-beta",
        "custom_mode": False,
        "instrumental": False,
        "prompt": "summer song",
    }


def test_custom_mode_omits_auto_weights_and_rounds_to_one_decimal():
    body = payload.song_body(
        SongRequest(
            model="suno-v4", title="T", style="pop", prompt="la", weirdness=0.66, negative_tags=""
        )
    )
    assert body["model"] == "suno-v4-beta"
    assert body["weirdness_constraint"] == 0.7
    assert "style_weight" not in body and "audio_weight" not in body
    assert "negative_tags" not in body and "persona_id" not in body


def test_persona_fields_only_with_a_persona():
    body = payload.song_body(
        SongRequest(title="T", style="pop", prompt="la", persona_id="abc", persona_name="Ann")
    )
    assert body["persona_id"] == "abc" and body["persona_model"] == "style_persona"
    assert "persona_name" not in body


def test_persona_body():
    body = payload.persona_body(
        PersonaRequest(
            "task-unified-1-a", "r1", "Ann", "alto", vocal_start=3, vocal_end=20, source_model="x"
        )
    )
    assert body["model"] == "suno-persona"
    assert body["model_params"] == {
        "source_task_id": "task-unified-1-a",
        "result_id": "r1",
        "name": "Ann",
        "description": "alto",
        "vocal_start": 3.0,
        "vocal_end": 20.0,
    }


def test_style_tags_parse_and_join():
    assert styles.parse_tags(" pop,  Synth  wave,POP ,, ") == ["pop", "Synth wave"]
    assert styles.join_tags(["a", "b", "A"]) == "a, b"
    tags, added = styles.add_tag(["Pop"], "pop")
    assert not added and tags == ["Pop"]
    assert styles.genre_of("lo-fi, chill") == "lo-fi"


LYRICS = "intro line\n[Verse]\none\ntwo (ooh)\n\n[Chorus]\n\n[Bridge]\nthree ["


def test_sections_and_counts():
    sections = lyrics.parse_sections(LYRICS)
    assert [s.name for s in sections] == ["", "Verse", "Chorus", "Bridge"]
    assert sections[1].sung_lines == ("one", "two (ooh)")
    assert lyrics.count_lines(LYRICS) == 4


def test_issues_find_unclosed_brackets_and_empty_sections():
    messages = [i.message for i in lyrics.find_issues(LYRICS)]
    assert any("[Chorus]" in m and "no lines" in m for m in messages)
    assert any("Unclosed bracket on line 9" in m for m in messages)
    assert lyrics.find_issues("[Verse]\nfine (yes)") == []
