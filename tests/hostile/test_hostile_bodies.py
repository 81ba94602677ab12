"""Hostile task bodies are ridden out as typed errors or clamped values, never a crash."""

from __future__ import annotations

import json
import math

import pytest

from sunodesk.api import errors
from tests.hostile.server import GENERATE, Redirect, Reply

TASK = "/v1/tasks/.*"


def raw_task(progress: str, **extra: str) -> str:
    fields = "".join(f', "{k}": {v}' for k, v in extra.items())
    return f'{{"id": "task-unified-1-a", "status": "processing", "progress": {progress}{fields}}}'


@pytest.mark.parametrize(
    ("progress", "expected"),
    [
        ("NaN", 0),
        ('"nan"', 0),
        ("Infinity", 100),
        ('"inf"', 100),
        ("-Infinity", 0),
        ("1e999", 100),
        ("-5", 0),
        ("1" * 5000, 100),  # more digits than Python turns into an int by default
        ("12.7", 12),
    ],
)
def test_progress_is_clamped_to_0_100(hostile, client, progress, expected):
    hostile.on("GET", TASK, Reply(raw_task(progress)))
    snap = client.get_task("task-unified-1-a")
    assert snap.progress == expected


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-3", "1e308", '"soon"'])
def test_odd_numbers_elsewhere_become_nothing(hostile, client, value):
    body = raw_task(
        "10",
        created=value,
        task_info=f'{{"estimated_time": {value}}}',
        usage=f'{{"credits_reserved": {value}}}',
    )
    hostile.on("GET", TASK, Reply(body))
    snap = client.get_task("task-unified-1-a")
    estimate, credits = snap.estimated_time, snap.credits_reserved
    assert estimate is None or (math.isfinite(estimate) and 0 < estimate <= 3600)
    assert credits is None or (math.isfinite(credits) and credits >= 0)
    assert snap.created is None or 0 < snap.created < 10**11


def test_a_deeply_nested_answer_is_malformed(hostile, client):
    hostile.on("GET", TASK, Reply("[" * 100_000 + "]" * 100_000))
    with pytest.raises(errors.MalformedResponse):
        client.get_task("task-unified-1-a")


def test_a_deeply_nested_field_is_malformed(hostile, client):
    hostile.on("GET", TASK, Reply('{"id": "task-unified-1-a", "result_data": ' + "[" * 100_000))
    with pytest.raises(errors.MalformedResponse):
        client.get_task("task-unified-1-a")


def test_a_huge_answer_is_malformed(hostile, client):
    body = {"id": "task-unified-1-a", "status": "processing", "junk": "x" * (5 * 1024 * 1024)}
    hostile.on("GET", TASK, Reply(body))
    with pytest.raises(errors.MalformedResponse) as caught:
        client.get_task("task-unified-1-a")
    assert "large" in caught.value.message


def test_a_huge_answer_without_a_length_is_malformed(hostile, client):
    body = json.dumps({"id": "task-unified-1-a", "junk": "x" * (5 * 1024 * 1024)})
    hostile.on("GET", TASK, Reply(body, headers={"Content-Length": ""}))
    with pytest.raises(errors.MalformedResponse):
        client.get_task("task-unified-1-a")


def test_a_huge_submit_answer_is_outcome_unknown(hostile, client):
    from tests.hostile.test_deadlines import SONG

    body = {"id": "task-unified-1-a", "status": "pending", "junk": "x" * (5 * 1024 * 1024)}
    hostile.on("POST", GENERATE, Reply(body))
    with pytest.raises(errors.MalformedResponse) as caught:
        client.submit_song(SONG)
    assert caught.value.maybe_sent is True
    assert hostile.count("POST", GENERATE) == 1


@pytest.mark.parametrize("status", [418, 299, 600, 999, 102])
def test_status_codes_outside_the_docs_are_typed_errors(hostile, client, status):
    hostile.on("GET", TASK, Reply({"whatever": True}, status=status))
    with pytest.raises(errors.ApiError) as caught:
        client.get_task("task-unified-1-a")
    assert caught.value.status in (status, None)


def test_control_characters_in_ids_are_sent_back_encoded(hostile, client):
    task_id = "task-unified-1-\x00\x07/../x y"
    snap_body = {"id": task_id, "status": "processing", "progress": 5}
    hostile.on("GET", TASK, Reply(snap_body))
    snap = client.get_task(task_id)
    assert snap.progress == 5
    assert [r.path for r in hostile.requests] == ["/v1/tasks/task-unified-1-%00%07%2F..%2Fx%20y"]


def test_a_redirected_post_is_not_sent_again(hostile, client):
    from tests.hostile.test_deadlines import SONG

    hostile.on("POST", GENERATE, Redirect(location=GENERATE, status=307))
    with pytest.raises(errors.ApiError) as caught:
        client.submit_song(SONG)
    assert caught.value.maybe_sent is True  # the server may have made the task first
    assert isinstance(caught.value, (errors.NetworkError, errors.MalformedResponse))
    assert hostile.count("POST") == 1


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_no_redirect_turns_one_post_into_two(hostile, client, status):
    from tests.hostile.test_deadlines import SONG

    hostile.on("POST", GENERATE, Redirect(location="/elsewhere", status=status))
    with pytest.raises(errors.ApiError):
        client.submit_song(SONG)
    assert hostile.count("POST") == 1 and hostile.count("GET") == 0


def test_a_poll_redirect_to_another_host_gets_no_key(hostile, client):
    from tests.hostile.server import HostileServer

    with HostileServer() as other:
        elsewhere = other.base_url.replace("127.0.0.1", "localhost")
        hostile.on("GET", TASK, Redirect(location=elsewhere + "/v1/tasks/x", status=302))
        with pytest.raises(errors.ApiError):
            client.get_task("task-unified-1-a")
        assert all("Authorization" not in r.headers for r in other.requests)


def test_a_poll_redirect_on_the_same_host_is_followed(hostile, client):
    hostile.on("GET", "/v1/tasks/task-unified-1-a", Redirect(location="/v1/tasks/task-unified-1-b"))
    snap = client.get_task("task-unified-1-a")
    assert snap.id == "task-unified-1-b"


def test_a_redirect_loop_ends(hostile, client):
    hostile.on("GET", TASK, Redirect(location="/v1/tasks/task-unified-1-a", status=302))
    with pytest.raises(errors.ApiError):
        client.get_task("task-unified-1-a")
    assert hostile.count("GET") <= 10
