"""Fuzzing the edges with Hypothesis: the string cleaner, safe file names, request validation
and payload building. Each defect the fuzzing found is pinned with an @example."""

from __future__ import annotations

import dataclasses
import math
import os
import tempfile
import unicodedata
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from sunodesk.core import rules
from sunodesk.core.models import PersonaRequest, SongRequest
from sunodesk.core.payload import song_body
from sunodesk.core.untrusted import LINE_MAX, clean_line
from sunodesk.core.validation import validate_persona, validate_song
from sunodesk.store.files import MAX_NAME_BYTES, safe_filename, unique_path

FUZZ = settings(max_examples=150, deadline=None)
BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


# -- the string cleaner ----------------------------------------------------------------------


@FUZZ
@given(st.text(), st.integers(min_value=0, max_value=LINE_MAX * 2))
@example("a\ud800b", LINE_MAX)  # a lone surrogate (JSON "\ud800") cannot be stored in SQLite
@example("evil\u200fgpj.mp3", LINE_MAX)  # a right-to-left mark can disguise a name
@example("x\u2028y\u2029z", LINE_MAX)
def test_clean_line_has_no_controls_and_is_idempotent(text, limit):
    out = clean_line(text, limit)
    assert len(out) <= limit
    assert not any(unicodedata.category(c) in ("Cc", "Cs") for c in out)
    assert not BIDI & set(out)
    assert out == out.strip() and "  " not in out
    assert clean_line(out, limit) == out
    out.encode("utf-8")  # storable as it is


@FUZZ
@given(st.text(st.characters(codec="utf-8"), max_size=300))
def test_clean_line_keeps_printable_text(text):
    printable = "".join(c for c in text if c.isprintable() and c not in BIDI)
    expected = " ".join(printable.split())[:LINE_MAX].strip()
    assert clean_line(printable) == expected


@given(st.one_of(st.none(), st.integers(), st.binary(), st.lists(st.text())))
def test_clean_line_of_anything_else_is_empty(value):
    assert clean_line(value) == ""


# -- safe file names -------------------------------------------------------------------------

WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"} | {
    f"{p}{n}" for p in ("COM", "LPT") for n in [*"123456789", "¹", "²", "³"]
}
titles = st.text() | st.sampled_from(
    ["CON", "nul.txt", "..", ".", "/..", "../../etc/passwd", "a/b\\c", " . ", "COM1 ", "Lpt9.x"]
)


@FUZZ
@given(titles, st.integers(min_value=1, max_value=120))
@example("CON", 3)  # truncating "CON_" back to the cap made it reserved again
@example("COM¹", 80)  # Windows treats COM¹-COM³ and LPT¹-LPT³ as devices too
@example("CONIN$", 80)
@example("\ud800", 80)
def test_safe_filename_for_any_title(title, max_len):
    name = safe_filename(title, ".mp3", max_len=max_len)
    stem = name[: -len(".mp3")]
    assert name.endswith(".mp3") and stem
    assert not set(name) & set('/\\:*?"<>|\x00')
    assert not name.startswith(".") and not stem.endswith((".", " "))
    assert stem.split(".")[0].rstrip(" ").upper() not in WINDOWS_RESERVED
    assert len(stem) <= max_len and len(stem.encode("utf-8")) <= MAX_NAME_BYTES
    assert not any(unicodedata.category(c) in ("Cc", "Cs") for c in name)
    with tempfile.TemporaryDirectory() as folder:
        library = Path(folder).resolve()
        target = unique_path(library, name)
        assert target.resolve().parent == library
        target.write_bytes(b"")  # the file system accepts it
        assert os.listdir(library) == [name]


# -- request validation and payload building -------------------------------------------------

anything = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**6), max_value=10**6)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
    | st.lists(st.integers(), max_size=2)
    | st.dictionaries(st.text(max_size=3), st.integers(), max_size=2)
)
weights = st.none() | st.floats(min_value=-1, max_value=2) | st.floats() | anything
song_fields = {f.name for f in dataclasses.fields(SongRequest)}
persona_fields = {f.name for f in dataclasses.fields(PersonaRequest)}
# a Problem names a request field by its API name
API_NAMES = {"weirdness": "weirdness_constraint"}


def plausible_song():
    return st.builds(
        SongRequest,
        model=st.sampled_from([*rules.model_names(), "suno-v9", ""]) | anything,
        custom_mode=st.booleans() | anything,
        prompt=st.text(max_size=60) | anything,
        title=st.text(max_size=90) | anything,
        style=st.text(max_size=40) | anything,
        negative_tags=st.text(max_size=20) | anything,
        instrumental=st.booleans() | anything,
        vocal_gender=st.sampled_from([None, "m", "f", "x"]) | anything,
        style_weight=weights,
        weirdness=weights,
        audio_weight=weights,
        persona_id=st.sampled_from([None, "", "p_123", "bad id!"]) | anything,
        persona_model=st.sampled_from([None, *rules.PERSONA_MODELS, "x"]) | anything,
        persona_name=st.none() | st.text(max_size=10) | anything,
        album=st.text(max_size=10) | anything,
    )


def known_fields(fields: set[str]) -> set[str]:
    return fields | {API_NAMES.get(f, f) for f in fields}


DOCUMENTED = {
    "model", "custom_mode", "instrumental", "prompt", "title", "style", "negative_tags",
    "vocal_gender", "style_weight", "weirdness_constraint", "audio_weight", "persona_id",
    "persona_model",
}  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(plausible_song())
@example(SongRequest(prompt=None))  # type: ignore[arg-type]  # raised AttributeError
@example(SongRequest(model=["suno-v5"]))  # type: ignore[arg-type]  # raised TypeError
@example(SongRequest(title="T", style="s", prompt="p", persona_id=7))  # type: ignore[arg-type]
@example(SongRequest(title="T", style="s", prompt="p", style_weight="0.5"))  # type: ignore[arg-type]
@example(SongRequest(title="T", style="s", prompt="p", custom_mode="no"))  # type: ignore[arg-type]
def test_any_song_request_validates_or_names_real_fields(request):
    problems = validate_song(request)  # never raises
    assert all(p.field in known_fields(song_fields) for p in problems), problems
    assert all(isinstance(p.message, str) and p.message for p in problems)
    if problems:
        return
    body = song_body(request)
    assert set(body) <= DOCUMENTED
    assert isinstance(body["model"], str) and rules.rules_for(body["model"]) is not None
    assert all(isinstance(body[k], bool) for k in ("custom_mode", "instrumental"))
    if not body["custom_mode"]:
        assert set(body) == {"model", "prompt", "instrumental", "custom_mode"}
    for key in ("style_weight", "weirdness_constraint", "audio_weight"):
        if key in body:
            value = body[key]
            assert isinstance(value, float) and math.isfinite(value)
            assert 0.1 <= value <= 1.0 and round(value, 1) == value
    for key in ("prompt", "title", "style", "negative_tags", "persona_id"):
        if key in body:
            assert isinstance(body[key], str)
    if "persona_id" in body:
        assert body["persona_model"] in rules.PERSONA_MODELS


@settings(max_examples=200, deadline=None)
@given(
    st.builds(
        PersonaRequest,
        source_task_id=st.sampled_from(["task-unified-1", "x"]) | anything,
        result_id=st.sampled_from(["r-1", ""]) | anything,
        name=st.text(max_size=90) | anything,
        description=st.text(max_size=20) | anything,
        vocal_start=weights | st.floats(min_value=0, max_value=100),
        vocal_end=weights | st.floats(min_value=0, max_value=100),
        style=st.text(max_size=10) | anything,
        source_model=st.sampled_from(["", "suno-v5-beta", "suno-v3"]) | anything,
    )
)
@example(PersonaRequest("task-unified-1", "r-1", None, "d"))  # type: ignore[arg-type]
@example(PersonaRequest("task-unified-1", "r-1", "n", "d", "10", 20.0))  # type: ignore[arg-type]
def test_any_persona_request_validates_or_names_real_fields(request):
    problems = validate_persona(request)
    assert all(p.field in persona_fields for p in problems), problems


# -- what an error envelope from the server says is cleaned like a task body -----------------


@FUZZ
@given(
    st.integers(min_value=400, max_value=599),
    st.dictionaries(
        st.sampled_from(["message", "msg", "code", "param", "type"]), anything | st.text()
    ),
    st.booleans(),
)
@example(400, {"message": "bad\x1b[31m\u202eevil\x00" + "x" * 5000, "code": "a\nb"}, True)
@example(429, {"message": "slow\ud800down", "param": "\x00p"}, False)
def test_error_envelopes_are_cleaned(status, envelope, nested):
    from sunodesk.api.errors import error_from_response

    error = error_from_response(status, {"error": envelope} if nested else envelope)
    for text in (error.message, error.code or "", error.param or ""):
        assert text == clean_line(text)  # one clean, capped line
    assert error.message and error.user_message().sentence
    sentence = error.user_message().sentence
    assert not any(unicodedata.category(c) in ("Cc", "Cs") for c in sentence)
    assert not BIDI & set(sentence)
