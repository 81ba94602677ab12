"""Tolerant parsing of task bodies and both error envelopes (pure; no HTTP)."""

import pytest

from sunodesk.api import errors
from sunodesk.api.client import check_base_url
from sunodesk.api.parsing import parse_credits, parse_task
from sunodesk.core.models import TaskStatus

SONG = {
    "result_id": "r1",
    "audio_url": "https://m/x.mp3",
    "title": "A",
    "tags": "pop",
    "duration": 91.2,
    "image_url": "https://m/x.png",
    "extra": {"ignored": True},
}


def body(**kw):
    return {
        "id": "task-unified-1-abcd",
        "status": "completed",
        "progress": 100,
        "model": "suno-v5",
        **kw,
    }


@pytest.mark.parametrize(
    "shape",
    [
        {"result_data": [SONG]},
        {"result_data": {"songs": [SONG]}},
    ],
)
def test_result_data_as_list_or_songs(shape):
    snap = parse_task(body(**shape))
    assert snap.status is TaskStatus.COMPLETED and snap.model == "suno-v5-beta"
    (take,) = snap.takes
    assert (take.result_id, take.duration, take.image_url) == ("r1", 91.2, "https://m/x.png")


def test_results_fallback_ids_survive_new_links():
    a = parse_task(body(results=["https://m/a.mp3", "https://m/b.mp3"]))
    b = parse_task(body(results=["https://n/a.mp3?sig=2", "https://n/b.mp3?sig=2"]))
    assert [t.result_id for t in a.takes] == [t.result_id for t in b.takes]
    assert [t.result_id for t in a.takes] == ["task-unified-1-abcd-1", "task-unified-1-abcd-2"]


def test_persona_and_failure_and_unknown_status():
    assert (
        parse_task(body(model="suno-persona", result_data={"persona_id": "abc"})).persona_id
        == "abc"
    )
    failed = parse_task(
        body(
            status="failed",
            error={"code": "content_policy_violation", "message": "no", "type": "task_error"},
        )
    )
    assert failed.error_code == "content_policy_violation" and failed.takes == ()
    assert parse_task(body(status="text_success")).status is TaskStatus.PROCESSING


@pytest.mark.parametrize("bad", [None, [], {"status": "pending"}, "x"])
def test_unusable_bodies_raise_malformed(bad):
    with pytest.raises(errors.MalformedResponse):
        parse_task(bad)


def test_both_error_envelopes():
    new = errors.error_from_response(
        402, {"error": {"code": "insufficient_quota", "message": "top up", "type": "x"}}
    )
    old = errors.error_from_response(
        401, {"error": {"code": 401, "message": "bad key", "type": "permission_error"}}
    )
    assert isinstance(new, errors.CreditsError) and new.code == "insufficient_quota"
    assert isinstance(old, errors.AuthError) and old.code == "401"
    assert isinstance(errors.error_from_response(503, None), errors.ServerError)
    limited = errors.error_from_response(429, {}, retry_after=7)
    assert isinstance(limited, errors.RateLimited) and limited.retry_after == 7


def test_https_required_except_loopback():
    assert check_base_url("https://api.evolink.ai/") == "https://api.evolink.ai"
    assert check_base_url("http://127.0.0.1:8765") == "http://127.0.0.1:8765"
    assert check_base_url("http://[::1]:80") == "http://[::1]:80"
    for bad in ("http://api.evolink.ai", "ftp://x", "http://192.168.1.2"):
        with pytest.raises(errors.InsecureURL):
            check_base_url(bad)


def test_credits_body_token_first_then_account():
    token = {"remaining_credits": 12.5, "used_credits": 3, "unlimited_credits": False}
    both = parse_credits({"data": {"token": token, "user": {"remaining_credits": 90}}})
    assert (both.remaining, both.used, both.account_remaining) == (12.5, 3.0, 90.0)
    account_only = parse_credits({"data": {"user": {"remaining_credits": 7}}, "extra": 1})
    assert (account_only.remaining, account_only.used) == (7.0, None)
    for bad in ({}, {"data": []}, {"data": {"token": {"remaining_credits": "9"}}}, None):
        with pytest.raises(errors.MalformedResponse):
            parse_credits(bad)
