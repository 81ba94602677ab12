"""core.drafts: the export file round-trips; hostile files are refused or trimmed, never trusted."""

from __future__ import annotations

import json

import pytest

from sunodesk.core.drafts import (
    MAX_FILE_BYTES,
    Preset,
    export_draft,
    parse_export,
)
from sunodesk.core.drafts import ImportRefused as Refused
from sunodesk.core.models import SongRequest

FULL = SongRequest(
    model="suno-v4.5plus-beta",
    prompt="[Verse]\nWeiß & ünïcødé ✨\n\n[Chorus]\nla la",
    title="Neon / Dreamers",
    style="synth pop, upbeat",
    negative_tags="metal",
    vocal_gender="f",
    style_weight=0.7,
    weirdness=0.3,
    audio_weight=None,
    persona_id="p_123",
    persona_model="style_persona",
    persona_name="Velvet",
)


def doc(**over) -> bytes:
    base = json.loads(export_draft("My Album", FULL))
    base.update(over)
    return json.dumps(base).encode()


def test_round_trip_exact():
    for request in (
        FULL,
        SongRequest(),
        SongRequest(custom_mode=False, prompt="rainy jazz", instrumental=True),
    ):
        result = parse_export(export_draft("Sketch № 5", request).encode())
        assert result.request == request
        assert result.name == "Sketch № 5"
        assert result.skipped == ()


def test_export_has_lyrics_and_settings_only(monkeypatch):
    monkeypatch.setenv("SUNODESK_API_KEY", "sk-secret-abc")
    text = export_draft("n", SongRequest(prompt="x", album="ignored album"))
    data = json.loads(text)
    assert set(data) == {"format", "version", "name", "lyrics", "settings"}
    assert "sk-secret" not in text and "album" not in text and "key" not in text.lower()


@pytest.mark.parametrize(
    "raw, needle",
    [
        (b"", "not valid JSON"),
        (b"{not json", "not valid JSON"),
        (b"\xff\xfe\x00garbage\x80", "not UTF-8"),
        (b"[1, 2, 3]", "not a sunodesk draft"),
        (b'"just a string"', "not a sunodesk draft"),
        (json.dumps({"format": "something-else", "version": 1}).encode(), "not a sunodesk draft"),
        (json.dumps({"format": "sunodesk-draft"}).encode(), "no version"),
        (json.dumps({"format": "sunodesk-draft", "version": "1"}).encode(), "no version"),
        (json.dumps({"format": "sunodesk-draft", "version": True}).encode(), "no version"),
        (json.dumps({"format": "sunodesk-draft", "version": 99}).encode(), "version 99"),
        (b"[" * 100_000 + b"]" * 100_000, "nested far too deeply"),
        (
            b'{"format": "sunodesk-draft", "version": 1, "settings": '
            + b'{"a":' * 50
            + b"1"
            + b"}" * 51,
            "nested far too deeply",
        ),
        (b"x" * (MAX_FILE_BYTES + 1), "at most 256 KB"),
        (doc(lyrics="a" * (10 * 1024 * 1024)), "at most 256 KB"),
        (
            json.dumps(
                {"format": "sunodesk-draft", "version": 1, "lyrics": 5, "settings": []}
            ).encode(),
            "no lyrics or settings",
        ),
    ],
)
def test_hostile_files_are_refused(raw, needle):
    with pytest.raises(Refused) as info:
        parse_export(raw)
    assert needle in str(info.value)
    assert "Nothing was imported" in str(info.value)


def test_wrong_types_and_oversize_fields_are_left_out_and_named():
    raw = json.dumps(
        {
            "format": "sunodesk-draft",
            "version": 1,
            "name": "../../etc/passwd\x07\n",
            "lyrics": "fine lyrics",
            "settings": {
                "model": "suno-v99",
                "custom_mode": "yes",
                "title": ["nested", {"junk": 1}],
                "style": "s" * 5000,
                "negative_tags": 7,
                "instrumental": False,
                "vocal_gender": "x",
                "style_weight": 7,
                "weirdness": "0.5",
                "audio_weight": 0.45,
                "persona_id": "../../../x",
                "persona_model": "style_persona",
                "evil": {"a": [1]},
            },
            "api_key": "sk-stolen",
        }
    ).encode()
    result = parse_export(raw)
    req = result.request
    assert req.prompt == "fine lyrics" and req.instrumental is False
    assert req.audio_weight == 0.5 or req.audio_weight == 0.4  # rounded to one decimal
    assert req.model == SongRequest().model and req.custom_mode is True
    assert req.title == "" and req.style == "" and req.negative_tags == ""
    assert req.persona_id is None and req.persona_model is None
    assert result.name == "../../etc/passwd"  # plain text: never used as a path
    text = " ".join(result.skipped)
    for needle in (
        "Unknown model",
        "custom_mode",
        "title",
        "4,000",
        "negative_tags",
        "vocal_gender",
        "style_weight",
        "weirdness",
        "persona_id",
        "evil",
        "api_key",
        "name was shortened",
    ):
        assert needle in text, needle


def test_lone_surrogates_and_nul_are_left_out():
    raw = (
        b'{"format": "sunodesk-draft", "version": 1, "lyrics": "ok",'
        b' "settings": {"title": "\\ud800bad", "style": "a\\u0000b"}}'
    )
    result = parse_export(raw)
    assert result.request.title == "" and result.request.style == ""
    assert any("broken characters" in s for s in result.skipped)
    assert any("NUL" in s for s in result.skipped)


def test_preset_from_request_applies_sound_only():
    preset = Preset.from_request("Dark", FULL)
    target = SongRequest(prompt="other lyrics", title="Other")
    applied = preset.apply(target)
    assert applied.prompt == "other lyrics" and applied.title == "Other"
    assert (
        applied.style,
        applied.negative_tags,
        applied.model,
        applied.style_weight,
        applied.weirdness,
    ) == ("synth pop, upbeat", "metal", "suno-v4.5plus-beta", 0.7, 0.3)
    again = Preset.from_json("Dark", preset.to_json())
    assert again == preset
    assert Preset.from_json("x", "{broken") == Preset("x")
    assert Preset.from_json("x", '{"style": 5, "weirdness": 9}') == Preset("x")
