"""Every exchange has an overall deadline and every download a minimum throughput.

A stand-in that trickles one byte every (scaled) 5 s used to keep a request open for as long as
it liked: requests' timeout is per read, and each byte resets it.
"""

from __future__ import annotations

import io

import pytest

from sunodesk.api import errors
from sunodesk.core.models import SongRequest
from tests.hostile.conftest import within
from tests.hostile.server import GENERATE, Trickle, mp3

EVERY = 0.05  # "one byte every 5 s" at a scale a test can wait for
GUARD = 20.0  # far beyond any scaled budget; only a missing deadline gets near it
SONG = SongRequest(title="Slow", style="pop", prompt="[Verse]\nla la la")


@pytest.mark.parametrize("headers_too", [False, True])
def test_a_trickling_task_reply_runs_out_of_time(hostile, client, headers_too):
    task_id = hostile.new_task_id()
    hostile.on(
        "GET",
        "/v1/tasks/.*",
        Trickle(hostile.task_body(task_id), every=EVERY, headers_too=headers_too),
    )
    _, error, elapsed = within(GUARD, lambda: client.get_task(task_id))
    assert isinstance(error, errors.NetworkError), error
    assert "in time" in error.message
    assert elapsed < client.limits.exchange + 1.0


def test_a_trickling_submit_answer_is_outcome_unknown_and_sent_once(hostile, client):
    hostile.on("POST", GENERATE, Trickle(hostile.task_body("task-unified-1-x"), every=EVERY))
    _, error, _ = within(GUARD, lambda: client.submit_song(SONG))
    assert isinstance(error, errors.NetworkError) and error.maybe_sent is True
    assert hostile.count("POST", GENERATE) == 1


def test_a_trickling_download_falls_below_the_minimum_throughput(hostile, client):
    hostile.on("GET", "/media/.*", Trickle(mp3("slow"), every=EVERY, content_type="audio/mpeg"))
    out = io.BytesIO()
    _, error, elapsed = within(
        GUARD, lambda: client.download(hostile.base_url + "/media/a.mp3", out)
    )
    assert isinstance(error, errors.DownloadError) and not isinstance(error, errors.MediaExpired)
    assert "too slow" in error.message
    limits = client.limits
    assert elapsed < limits.download_grace + 2 * limits.download_window + 1.0


def test_a_download_whose_headers_trickle_runs_out_of_time(hostile, client):
    hostile.on("GET", "/media/.*", Trickle(mp3("slow"), every=EVERY, headers_too=True))
    _, error, _ = within(
        GUARD, lambda: client.download(hostile.base_url + "/media/a.mp3", io.BytesIO())
    )
    assert isinstance(error, errors.DownloadError), error


def test_a_whole_download_still_arrives(hostile, client):
    out = io.BytesIO()
    size = client.download(hostile.base_url + "/media/t/1.mp3", out)
    assert size == len(mp3("/media/t/1.mp3")) == len(out.getvalue())
