"""Rules decided once in core: the job-state groupings, the next action for a job."""

from dataclasses import replace

import pytest

from sunodesk.core import jobstate
from sunodesk.core.errors import Action
from sunodesk.core.formatting import format_length
from sunodesk.core.jobstate import JobState as S
from sunodesk.core.jobstate import next_action
from sunodesk.core.models import Job, SongRequest
from sunodesk.core.payload import normalise, song_body

JOB = Job(id=1, kind="song", state=S.QUEUED, request_json="{}")


def test_groupings_partition_the_states():
    assert set(S) == jobstate.ACTIVE | jobstate.FINISHED
    assert not jobstate.ACTIVE & jobstate.FINISHED
    assert {S.DONE} == jobstate.FINISHED - jobstate.FAILURES
    assert jobstate.GENERATING | jobstate.FILING <= jobstate.ACTIVE
    assert all(state.finished == (state in jobstate.FINISHED) for state in S)


@pytest.mark.parametrize(
    ("state", "code", "action"),
    [
        (S.UNKNOWN, "unknown", Action.SUBMIT_AGAIN),
        (S.EXPIRED, "expired", Action.RETRY_DOWNLOAD),
        (S.DOWNLOADING, "download", Action.RETRY_DOWNLOAD),
        (S.TAGGING, "download", Action.RETRY_DOWNLOAD),
        (S.DOWNLOADING, None, None),
        (S.FAILED, "poll_timeout", Action.CHECK_AGAIN),
        (S.FAILED, "content_policy_violation", Action.EDIT_REQUEST),  # the request is kept
        (S.REJECTED, "auth", Action.OPEN_SETTINGS),
        (S.REJECTED, "credits", Action.CHECK_BALANCE),  # Settings cannot add credits
        (S.REJECTED, "network", Action.TRY_AGAIN),  # refused before sending: nothing sent
        (S.REJECTED, "rate", Action.TRY_AGAIN),
        (S.REJECTED, "server", Action.TRY_AGAIN),
        (S.REJECTED, "invalid", Action.EDIT_REQUEST),
        (S.REJECTED, "access", Action.EDIT_REQUEST),
        (S.DONE, None, None),
        ("unknown", None, Action.SUBMIT_AGAIN),  # a plain string still works
    ],
)
def test_next_action(state, code, action):
    assert next_action(replace(JOB, state=state, error_code=code)) == action


def test_a_failed_persona_offers_no_edit():
    persona = replace(JOB, kind="persona", state=S.FAILED, error_code="content_policy_violation")
    assert next_action(persona) is None


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (179.6, "3:00"),  # rounded, not truncated (the CLI and the jobs list used to say 2:59)
        (179.4, "2:59"),
        (59.5, "1:00"),
        (59.49, "0:59"),
        (0, "0:00"),
        (0.4, "0:00"),
        (None, ""),
        (-3, "0:00"),
        (float("nan"), "0:00"),
        (3599.6, "1:00:00"),
        (3700, "1:01:40"),
        (36000, "10:00:00"),
    ],
)
def test_format_length(seconds, text):
    assert format_length(seconds) == text


FULL = SongRequest(
    model="suno-v5-beta",
    prompt="[Verse]\nla la",
    title="T",
    style="pop",
    negative_tags="metal",
    vocal_gender="m",
    style_weight=0.5,
    weirdness=0.3,
    audio_weight=0.7,
    persona_id="p-1",
    persona_model="voice_persona",
    persona_name="Nova",
    album="A",
)


def test_normalise_keeps_a_custom_request_as_it_is():
    assert normalise(FULL) is FULL


def test_normalise_instrumental_drops_lyrics_and_voice():
    got = normalise(replace(FULL, instrumental=True))
    assert got == replace(FULL, instrumental=True, prompt="", vocal_gender=None)
    assert "prompt" not in song_body(got) and "vocal_gender" not in song_body(got)
    assert song_body(replace(FULL, instrumental=True)) == song_body(got)


def test_normalise_simple_mode_keeps_only_what_simple_mode_sends():
    simple = replace(FULL, custom_mode=False, prompt="a calm song", instrumental=True)
    assert normalise(simple) == SongRequest(
        model="suno-v5-beta", custom_mode=False, prompt="a calm song", instrumental=True, album="A"
    )
    assert song_body(simple) == {
        "model": "suno-v5-beta",
        "custom_mode": False,
        "instrumental": True,
        "prompt": "a calm song",
    }
