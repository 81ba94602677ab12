"""Fuzzing the task-body parser: whatever JSON a server sends, the answer is a snapshot with a
finite progress in 0..100, or one of the client's typed errors (never anything else)."""

from __future__ import annotations

import json
import math
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from sunodesk.api import errors
from sunodesk.api.client import decode_json
from sunodesk.api.parsing import parse_task

UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
FUZZ = settings(max_examples=200, deadline=None)

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | st.sampled_from(["nan", "inf", "-inf", "1e999", "100", "-1", "\x00", "completed"])
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=25,
)
# the numbers a hostile server sends, weighted in for the numeric fields
numbers = (
    st.floats(allow_nan=True, allow_infinity=True)
    | st.integers()
    | st.sampled_from(["nan", "NaN", "inf", "-inf", "1e999", "-5", "101", "12.5", "", "1" * 400])
)
statuses = st.sampled_from(["pending", "processing", "completed", "failed", "cancelled", "", "WAT"])
take = st.fixed_dictionaries(
    {},
    optional={
        "result_id": json_values | st.text(max_size=12),
        "id": json_values,
        "audio_url": json_values | st.just("https://media.example/a.mp3"),
        "stream_audio_url": json_values | st.just("http://media.example/s.mp3"),
        "image_url": json_values,
        "title": json_values | st.text(max_size=12) | st.just("a\x00b\x1b[2J\u202e\r\n"),
        "tags": json_values,
        "duration": numbers | json_values,
    },
)
task_like = st.fixed_dictionaries(
    {"id": st.text(min_size=1, max_size=30) | json_values},
    optional={
        "status": statuses | statuses | statuses | json_values,
        "progress": numbers | json_values,
        "code": json_values,
        "model": json_values | st.sampled_from(["suno-v5", "suno-v4.5-beta"]),
        "created": numbers | json_values,
        "task_info": st.fixed_dictionaries({}, optional={"estimated_time": numbers | json_values})
        | json_values,
        "usage": st.fixed_dictionaries({}, optional={"credits_reserved": numbers | json_values})
        | json_values,
        "error": st.fixed_dictionaries({}, optional={"code": json_values, "message": json_values})
        | json_values,
        "result_data": st.lists(take | json_values, max_size=3)
        | st.fixed_dictionaries({}, optional={"songs": st.lists(take, max_size=3)})
        | st.fixed_dictionaries({}, optional={"persona_id": json_values})
        | json_values,
        "results": st.lists(json_values | st.just("https://media.example/r.mp3"), max_size=3)
        | json_values,
    },
)


def check(body: object) -> None:
    try:
        snap = parse_task(body)
    except errors.ApiError:
        return
    assert isinstance(snap.progress, int) and 0 <= snap.progress <= 100
    for number in (snap.estimated_time, snap.credits_reserved):
        assert number is None or math.isfinite(number)
    for take in snap.takes:
        assert isinstance(take.result_id, str) and take.result_id
        assert take.duration is None or (math.isfinite(take.duration) and take.duration >= 0)
        for text in (take.result_id, take.title, take.tags):
            assert not UNSAFE.search(text), repr(text)


def check_wire(raw: bytes) -> None:
    try:
        body = decode_json(raw)
    except errors.ApiError:
        return
    check(body)


@FUZZ
@given(json_values)
def test_any_json_value_parses_or_is_a_typed_error(body):
    check(body)


@FUZZ
@given(task_like)
def test_task_shaped_bodies_parse_or_are_typed_errors(body):
    check(body)


@FUZZ
@given(json_values)
def test_what_the_wire_carries_parses_the_same(body):
    """Through the client's own decoder (NaN and Infinity literals included)."""
    check_wire(json.dumps(body).encode("utf-8"))


@FUZZ
@given(st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_any_bytes_decode_or_are_malformed(raw):
    check_wire(raw)


def test_ids_made_from_a_control_character_task_id_are_clean():
    # found by the fuzzer: the flat-results fallback built "\x1f-1" from the raw task id
    body = {"id": "\x1f", "status": "completed", "results": ["https://media.example/r.mp3"]}
    (take,) = parse_task(body).takes
    assert take.result_id == "task-1"
