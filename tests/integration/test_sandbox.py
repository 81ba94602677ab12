"""The sandbox over real HTTP on 127.0.0.1: the Evolink contract, validation, auth, credits,
task life, media, personas, persistence and every fault switch. No mocks."""

from __future__ import annotations

import io
import json
import re
import signal
import subprocess
import sys
import threading
import time
import zlib
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from mutagen.mp3 import MP3

from sunodesk.core import rules
from sunodesk.sandbox import SandboxServer

GEN = "/v1/audios/generations"
CUSTOM = {
    "model": "suno-v5-beta",
    "custom_mode": True,
    "instrumental": False,
    "title": "Neon Dreamers",
    "style": "electronic pop, synth wave, 128bpm",
    "prompt": "[Verse]\nlights on the water\n[Chorus]\nwe are neon dreamers",
}
SIMPLE = {"model": "suno-v5-beta", "custom_mode": False, "instrumental": False,
          "prompt": "A cheerful summer pop song about road trips"}  # fmt: skip
TASK_ID = re.compile(r"^task-unified-\d{10}-[a-z0-9]{8}$")


@pytest.fixture(scope="module")
def sandbox():
    with SandboxServer(speed=1000, song_seconds=6) as server:
        yield server


@pytest.fixture(autouse=True)
def _clean(request):
    if "sandbox" in request.fixturenames:
        sb = request.getfixturevalue("sandbox")
        sb.faults.reset()
        sb.stats.reset()
        sb.state.reset(credits=500.0)


def session(key: str = "test-key") -> requests.Session:
    s = requests.Session()
    s.headers["Authorization"] = f"Bearer {key}"
    return s


@pytest.fixture
def api():
    with session() as s:
        yield s


def submit(api, sb, body=None, **extra):
    return api.post(sb.base_url + GEN, json={**(body or CUSTOM), **extra}, timeout=10)


def poll(api, sb, task_id):
    return api.get(f"{sb.base_url}/v1/tasks/{task_id}", timeout=10)


def wait(api, sb, task_id, statuses=("completed", "failed"), deadline=5.0):
    end = time.monotonic() + deadline
    while True:
        body = poll(api, sb, task_id).json()
        if body["status"] in statuses or time.monotonic() > end:
            return body
        time.sleep(0.01)


def completed_song(api, sb, body=None):
    task = submit(api, sb, body).json()
    done = wait(api, sb, task["id"])
    assert done["status"] == "completed"
    return done


def assert_error(response, status, code, type_, param=None):
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code
    assert error["type"] == type_
    assert error["message"]
    if param is not None:
        assert error["param"] == param
    return error


def png_size(data: bytes) -> tuple[int, int]:
    """Check every chunk's CRC and the pixel data; return (width, height)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, size = 8, b"", None
    while pos < len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind, chunk = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        crc = int.from_bytes(data[pos + 8 + length : pos + 12 + length], "big")
        assert zlib.crc32(kind + chunk) == crc
        if kind == b"IHDR":
            size = (int.from_bytes(chunk[:4], "big"), int.from_bytes(chunk[4:8], "big"))
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    assert size is not None and kind == b"IEND"
    assert len(zlib.decompress(idat)) == size[1] * (1 + 3 * size[0])
    return size


# ----- submit, poll, credits -----------------------------------------------------------------


def test_submit_answers_the_documented_task_object(sandbox, api):
    r = submit(api, sandbox, model="suno-v4.5plus")  # a legacy name comes back as -beta
    assert r.status_code == 200
    body = r.json()
    assert TASK_ID.match(body["id"])
    assert abs(body["created"] - time.time()) < 5
    assert body == {
        "created": body["created"],
        "id": body["id"],
        "model": "suno-v4.5plus-beta",
        "object": "audio.generation.task",
        "progress": 0,
        "status": "pending",
        "task_info": {"can_cancel": True, "estimated_time": 1},
        "type": "audio",
        "usage": {"billing_rule": "per_call", "credits_reserved": 10, "user_group": "default"},
    }


def test_completed_song_has_two_takes_in_the_documented_shape(sandbox, api):
    done = completed_song(api, sandbox)
    assert done["progress"] == 100 and done["object"] == "audio.generation.task"
    assert done["task_info"] == {"can_cancel": False} and "error" not in done
    takes = done["result_data"]
    assert len(takes) == 2 and done["results"] == [t["audio_url"] for t in takes]
    assert takes[0]["result_id"] != takes[1]["result_id"]
    for take in takes:
        assert re.fullmatch(r"[0-9a-f-]{36}", take["result_id"])
        assert take["title"] == CUSTOM["title"] and take["tags"] == CUSTOM["style"]
        assert take["duration"] == pytest.approx(6, abs=0.1)
        for key in ("audio_url", "stream_audio_url", "image_url"):
            assert take[key].startswith(sandbox.base_url + "/media/")


def test_simple_mode_makes_up_a_title_and_tags(sandbox, api):
    take = completed_song(api, sandbox, SIMPLE)["result_data"][0]
    assert take["title"] and take["title"] != "Untitled Song"
    assert "pop" in take["tags"]


def test_task_moves_pending_processing_completed():
    with SandboxServer(speed=60, song_seconds=4) as sb, session() as api:  # a 2 s run
        task_id = submit(api, sb).json()["id"]
        seen, progress = [], []
        end = time.monotonic() + 6
        while time.monotonic() < end:
            body = poll(api, sb, task_id).json()
            if not seen or seen[-1] != body["status"]:
                seen.append(body["status"])
            progress.append(body["progress"])
            if body["status"] == "pending":
                assert body["progress"] == 0 and body["task_info"]["can_cancel"] is True
            if body["status"] == "completed":
                break
            time.sleep(0.05)
        assert seen == ["pending", "processing", "completed"]
        assert progress == sorted(progress) and progress[-1] == 100
        assert any(0 < p < 100 for p in progress)


def test_credits_go_down_and_run_out(api):
    with SandboxServer(speed=1000, song_seconds=6, credits=25.0) as sb:

        def credits():
            r = api.get(sb.base_url + "/v1/credits", timeout=5)
            assert r.status_code == 200 and r.json()["success"] is True
            return r.json()["data"]

        start = credits()
        assert start["token"] == {"remaining_credits": 25.0, "unlimited_credits": False,
                                  "used_credits": 0.0}  # fmt: skip
        done = completed_song(api, sb)
        assert credits()["token"]["remaining_credits"] == 15.0
        persona = api.post(sb.base_url + GEN, json=persona_body(done), timeout=5)
        assert persona.json()["usage"]["credits_reserved"] == 1
        assert credits()["token"]["remaining_credits"] == 14.0
        assert credits()["user"]["used_credits"] == 11.0
        submit(api, sb)
        assert_error(submit(api, sb), 402, "insufficient_quota", "insufficient_quota")
        assert credits()["token"]["remaining_credits"] == 4.0


# ----- validation ----------------------------------------------------------------------------


def long(n):
    return "x" * n


BAD = [
    ({"model": None}, "model"),
    ({"model": "suno-v3.5"}, "model"),
    ({"custom_mode": "yes"}, "custom_mode"),
    ({"instrumental": 1}, "instrumental"),
    ({"title": None}, "title"),
    ({"title": "  "}, "title"),
    ({"title": long(rules.TITLE_MAX + 1)}, "title"),
    ({"style": None}, "style"),
    ({"style": long(1001)}, "style"),
    ({"model": "suno-v4-beta", "style": long(201)}, "style"),
    ({"prompt": None}, "prompt"),
    ({"prompt": long(5001)}, "prompt"),
    ({"model": "suno-v4", "prompt": long(3001)}, "prompt"),
    ({"prompt": 12}, "prompt"),
    ({"negative_tags": long(rules.NEGATIVE_TAGS_MAX + 1)}, "negative_tags"),
    ({"vocal_gender": "x"}, "vocal_gender"),
    ({"style_weight": 1.5}, "style_weight"),
    ({"style_weight": "0.5"}, "style_weight"),
    ({"style_weight": True}, "style_weight"),
    ({"weirdness_constraint": -0.1}, "weirdness_constraint"),
    ({"audio_weight": 0.555}, "audio_weight"),
    ({"persona_id": "5c57d49ef834110496fae5aa14fec441", "persona_model": "x"}, "persona_model"),
    ({"persona_model": "style_persona"}, "persona_model"),
    (
        {
            "model": "suno-v4.5-beta",
            "persona_id": "5c57d49ef834110496fae5aa14fec441",
            "persona_model": "voice_persona",
        },
        "persona_model",
    ),
    ({"duration": 60}, "duration"),
    ({"model": "suno-v5.5-beta", "duration": 400}, "duration"),
    ({"model": "suno-v5.5-beta", "duration": 30.5}, "duration"),
    ({"callback_url": "http://example.com/hook"}, "callback_url"),
    ({"callback_url": "https://192.168.1.4/hook"}, "callback_url"),
]
SIMPLE_BAD = [
    ({"prompt": None}, "prompt"),
    ({"prompt": long(rules.SIMPLE_PROMPT_MAX + 1)}, "prompt"),
    *[
        ({field: value}, field)
        for field, value in (
            ("title", "T"),
            ("style", "pop"),
            ("negative_tags", "metal"),
            ("vocal_gender", "f"),
            ("style_weight", 0.5),
            ("weirdness_constraint", 0.5),
            ("audio_weight", 0.5),
            ("persona_id", "5c57d49ef834110496fae5aa14fec441"),
            ("persona_model", "style_persona"),
            ("duration", 30),
        )
    ],
]


@pytest.mark.parametrize(("change", "param"), BAD, ids=[f"custom-{p}-{i}" for i, (_, p) in
                                                         enumerate(BAD)])  # fmt: skip
def test_custom_mode_field_errors_name_the_field(sandbox, api, change, param):
    body = {k: v for k, v in {**CUSTOM, **change}.items() if v is not None}
    error = assert_error(
        api.post(sandbox.base_url + GEN, json=body, timeout=5),
        400, "invalid_request", "invalid_request_error", param,
    )  # fmt: skip
    assert param in error["message"]
    assert sandbox.stats.snapshot()["tasks_created"] == 0


@pytest.mark.parametrize(("change", "param"), SIMPLE_BAD, ids=[f"simple-{p}" for _, p in
                                                               SIMPLE_BAD])  # fmt: skip
def test_simple_mode_rejects_custom_only_fields(sandbox, api, change, param):
    body = {k: v for k, v in {**SIMPLE, **change}.items() if v is not None}
    error = assert_error(
        api.post(sandbox.base_url + GEN, json=body, timeout=5),
        400, "invalid_request", "invalid_request_error", param,
    )  # fmt: skip
    assert param in error["message"]


@pytest.mark.parametrize(
    "change",
    [
        {"instrumental": True, "prompt": None},
        {"model": "suno-v4", "style": long(200), "prompt": long(3000)},
        {"style": long(1000), "prompt": long(5000), "title": long(80)},
        {"style_weight": 0, "weirdness_constraint": 1, "audio_weight": 0.25},
        {"vocal_gender": "m", "negative_tags": long(200)},
        {"persona_id": "5c57d49ef834110496fae5aa14fec441", "persona_model": "voice_persona"},
        {
            "model": "suno-v4.5-beta",
            "persona_id": "5c57d49ef834110496fae5aa14fec441",
            "persona_model": "style_persona",
        },
        {"model": "suno-v5.5", "duration": 10},
        {"callback_url": "https://example.com/hook"},
        {"custom_mode": None, "instrumental": None, "title": None, "style": None},  # simple
    ],
)
def test_valid_bodies_are_accepted(sandbox, api, change):
    body = {k: v for k, v in {**CUSTOM, **change}.items() if v is not None}
    assert api.post(sandbox.base_url + GEN, json=body, timeout=5).status_code == 200


def test_v55_duration_sets_the_song_length(sandbox, api):
    done = completed_song(api, sandbox, {**CUSTOM, "model": "suno-v5.5-beta", "duration": 12})
    assert done["result_data"][0]["duration"] == pytest.approx(12, abs=0.1)


def test_body_must_be_a_json_object(sandbox, api):
    for raw in (b"not json", b"[1, 2]", b""):
        r = api.post(sandbox.base_url + GEN, data=raw, timeout=5,
                     headers={"Content-Type": "application/json"})  # fmt: skip
        assert_error(r, 400, "invalid_request", "invalid_request_error")


# ----- auth and task ids ---------------------------------------------------------------------


def test_missing_or_wrong_key_is_401(sandbox):
    for headers in ({}, {"Authorization": "Bearer "}, {"Authorization": "Basic abc"}):
        r = requests.post(sandbox.base_url + GEN, json=CUSTOM, headers=headers, timeout=5)
        assert_error(r, 401, "unauthorized", "authentication_error")
        r = requests.get(sandbox.base_url + "/v1/tasks/task-unified-1-abcdefgh", headers=headers,
                         timeout=5)  # fmt: skip
        assert_error(r, 401, "unauthorized", "authentication_error")
        r = requests.get(sandbox.base_url + "/v1/credits", headers=headers, timeout=5)
        assert_error(r, 401, 401, "authentication_error")  # the older shape: integer code
    assert sandbox.stats.snapshot()["tasks_created"] == 0


def test_configured_key_is_enforced_and_never_echoed():
    with SandboxServer(speed=1000, song_seconds=6, api_key="right") as sb:
        with session("wrong-secret") as bad:
            r = submit(bad, sb)
            assert_error(r, 401, "unauthorized", "authentication_error")
            assert "wrong-secret" not in r.text
        with session("right") as good:
            assert submit(good, sb).status_code == 200


def test_task_ids_are_checked(sandbox, api):
    assert_error(poll(api, sandbox, "abc"), 400, "invalid_task_id", "invalid_request_error",
                 "task_id")  # fmt: skip
    assert_error(poll(api, sandbox, "task-unified-1766319089-zzzzzzzz"), 404, "task_not_found",
                 "invalid_request_error")  # fmt: skip


# ----- media ---------------------------------------------------------------------------------


def test_takes_are_decodable_mp3s_and_covers_are_pngs(sandbox, api):
    takes = completed_song(api, sandbox)["result_data"]
    audios = []
    for take in takes:
        r = api.get(take["audio_url"], timeout=10)
        assert r.status_code == 200 and r.headers["Content-Type"] == "audio/mpeg"
        assert int(r.headers["Content-Length"]) == len(r.content)
        info = MP3(io.BytesIO(r.content)).info
        assert info.length == pytest.approx(take["duration"], abs=0.1)
        assert info.sample_rate in (32000, 44100) and info.channels == 1
        audios.append(r.content)
        stream = api.get(take["stream_audio_url"], stream=True, timeout=10)
        assert b"".join(stream.iter_content(4096)) == r.content
        image = api.get(take["image_url"], timeout=10)
        assert image.headers["Content-Type"] == "image/png"
        assert png_size(image.content) == (512, 512)
    assert audios[0] != audios[1]  # the two takes differ
    assert sandbox.stats.snapshot()["media_downloads"] == 6


def test_media_supports_ranges_and_head(sandbox, api):
    url = completed_song(api, sandbox)["result_data"][0]["audio_url"]
    whole = api.get(url, timeout=10).content
    part = api.get(url, headers={"Range": "bytes=100-199"}, timeout=10)
    assert part.status_code == 206 and part.content == whole[100:200]
    assert part.headers["Content-Range"] == f"bytes 100-199/{len(whole)}"
    assert api.get(url, headers={"Range": "bytes=-10"}, timeout=10).content == whole[-10:]
    assert api.get(url, headers={"Range": f"bytes={len(whole)}-"}, timeout=10).status_code == 416
    head = api.head(url, timeout=10)
    assert head.status_code == 200 and int(head.headers["Content-Length"]) == len(whole)


def test_media_of_unknown_or_unfinished_takes_is_404():
    with SandboxServer(speed=1, song_seconds=6) as sb, session() as api:
        task_id = submit(api, sb).json()["id"]
        result_id = sb.state.get(task_id)["takes"][0]["result_id"]
        assert api.get(f"{sb.base_url}/media/{task_id}/{result_id}.mp3", timeout=5).status_code \
            == 404  # fmt: skip
        assert api.get(f"{sb.base_url}/media/nothing.mp3", timeout=5).status_code == 404


def test_default_song_length_is_realistic(api):
    with SandboxServer(speed=1000) as sb:
        take = completed_song(api, sb)["result_data"][0]
        assert take["duration"] >= 120
        data = api.get(take["audio_url"], timeout=10).content
        assert MP3(io.BytesIO(data)).info.length >= 120


# ----- personas ------------------------------------------------------------------------------


def persona_body(done, take=0, **params):
    base = {"source_task_id": done["id"], "result_id": done["result_data"][take]["result_id"],
            "name": "Neon Voice", "description": "bright synth-pop female vocal"}  # fmt: skip
    base.update(params)
    return {"model": "suno-persona", "model_params": {k: v for k, v in base.items()
                                                      if v is not None}}  # fmt: skip


def test_persona_life_and_use(sandbox, api):
    done = completed_song(api, sandbox)
    r = api.post(sandbox.base_url + GEN, json=persona_body(done, vocal_start=5, vocal_end=25),
                 timeout=5)  # fmt: skip
    assert r.status_code == 200, r.text
    task = r.json()
    assert task["model"] == "suno-persona" and TASK_ID.match(task["id"])
    assert task["task_info"] == {"can_cancel": False, "estimated_time": 1}
    assert task["usage"]["credits_reserved"] == 1
    finished = wait(api, sandbox, task["id"])
    assert finished["status"] == "completed"
    persona_id = finished["result_data"]["persona_id"]
    assert re.fullmatch(r"[0-9a-f]{32}", persona_id)
    song = submit(api, sandbox, persona_id=persona_id, persona_model="voice_persona")
    assert song.status_code == 200
    assert sandbox.stats.snapshot()["submits"] == {"song": 2, "persona": 1}


def test_persona_source_rules(sandbox, api):
    def create(body):
        return api.post(sandbox.base_url + GEN, json=body, timeout=5)

    done = completed_song(api, sandbox)
    missing = "task-unified-1766319089-oqs9cue4"
    error = assert_error(create(persona_body(done, source_task_id=missing)), 400,
                         "invalid_request", "invalid_request_error")  # fmt: skip
    assert error["message"] == (
        f"Source task does not exist or does not belong to the current user: {missing}"
    )
    error = assert_error(
        create(persona_body(done, result_id="not-a-take")),
        400,
        "invalid_request",
        "invalid_request_error",
        "model_params.result_id",
    )
    assert "result_id" in error["message"]
    error = assert_error(create(persona_body(done, source_task_id=None)), 400,
                         "invalid_request", "invalid_request_error")  # fmt: skip
    assert error["message"] == "model_params.source_task_id is required"
    for field in ("result_id", "name", "description"):
        assert create(persona_body(done, **{field: None})).status_code == 400
    assert create({"model": "suno-persona"}).status_code == 400

    first = create(persona_body(done))
    assert first.status_code == 200
    error = assert_error(create(persona_body(done)), 400, "invalid_request",
                         "invalid_request_error", "model_params.result_id")  # fmt: skip
    assert "already" in error["message"]
    assert create(persona_body(done, take=1)).status_code == 200  # the other take is free

    persona_task = wait(api, sandbox, first.json()["id"])
    fake = {**done, "id": persona_task["id"]}
    assert "does not exist" in create(persona_body(fake)).json()["error"]["message"]


def test_persona_source_must_be_completed(api):
    with SandboxServer(speed=1, song_seconds=6) as sb:
        task_id = submit(api, sb).json()["id"]
        take = sb.state.get(task_id)["takes"][0]
        body = {"model": "suno-persona", "model_params": {
            "source_task_id": task_id, "result_id": take["result_id"],
            "name": "n", "description": "d"}}  # fmt: skip
        error = assert_error(api.post(sb.base_url + GEN, json=body, timeout=5), 400,
                             "invalid_request", "invalid_request_error")  # fmt: skip
        assert "not completed" in error["message"]


@pytest.mark.parametrize(
    ("start", "end", "param", "text"),
    [
        (5, None, "model_params.vocal_end", "together"),
        (None, 20, "model_params.vocal_start", "together"),
        (-1, 15, "model_params.vocal_start", ">= 0"),
        (20, 20, "model_params.vocal_end", "greater"),
        (0, 9.5, "model_params.vocal_end", "vocal_end - vocal_start must be between 10 and 30"),
        (0, 30.5, "model_params.vocal_end", "vocal_end - vocal_start must be between 10 and 30"),
        ("0", 20, "model_params.vocal_start", "number"),
    ],
)
def test_persona_vocal_window(sandbox, api, start, end, param, text):
    done = completed_song(api, sandbox)
    r = api.post(sandbox.base_url + GEN, timeout=5,
                 json=persona_body(done, vocal_start=start, vocal_end=end))  # fmt: skip
    error = assert_error(r, 400, "invalid_request", "invalid_request_error", param)
    assert text in error["message"]


@pytest.mark.parametrize(("start", "end"), [(0, 10), (12.5, 42.5)])
def test_persona_vocal_window_edges_are_accepted(sandbox, api, start, end):
    done = completed_song(api, sandbox)
    r = api.post(sandbox.base_url + GEN, timeout=5,
                 json=persona_body(done, vocal_start=start, vocal_end=end))  # fmt: skip
    assert r.status_code == 200, r.text


# ----- persistence ---------------------------------------------------------------------------


def test_restart_in_the_same_folder_continues_tasks(tmp_path, api):
    with SandboxServer(speed=1000, song_seconds=6, state_dir=tmp_path) as first:
        done = completed_song(api, first)
    with SandboxServer(speed=150, song_seconds=6, state_dir=tmp_path) as second:
        running = submit(api, second).json()["id"]
        old_port = second.port
    with SandboxServer(speed=150, song_seconds=6, state_dir=tmp_path) as third:
        assert third.port != old_port
        again = poll(api, third, done["id"]).json()
        assert again["status"] == "completed"
        assert [t["result_id"] for t in again["result_data"]] == \
            [t["result_id"] for t in done["result_data"]]  # fmt: skip
        audio_url = again["result_data"][0]["audio_url"]
        assert audio_url.startswith(third.base_url)  # rebuilt from the Host header
        data = api.get(audio_url, timeout=10).content
        first_copy = MP3(io.BytesIO(data)).info.length
        assert first_copy == pytest.approx(6, abs=0.1)
        assert poll(api, third, running).json()["status"] in ("pending", "processing")
        assert wait(api, third, running)["status"] == "completed"
        credits = api.get(third.base_url + "/v1/credits", timeout=5).json()
        assert credits["data"]["token"]["remaining_credits"] == 480.0
    assert [p.name for p in tmp_path.iterdir()] == ["sandbox-state.json"]  # no temp files left


# ----- faults --------------------------------------------------------------------------------

GEN_ERRORS = {400: ("invalid_request", "invalid_request_error"),
              401: ("unauthorized", "authentication_error"),
              402: ("insufficient_quota", "insufficient_quota"),
              403: ("model_access_denied", "invalid_request_error"),
              404: ("not_found", "invalid_request_error"),
              429: ("rate_limit_exceeded", "rate_limit_error"),
              500: ("internal_error", "api_error"),
              503: ("service_unavailable", "api_error")}  # fmt: skip
TASK_ERRORS = {400: ("invalid_task_id", "invalid_request_error"),
               401: ("unauthorized", "authentication_error"),
               402: ("quota_exceeded", "insufficient_quota"),
               403: ("permission_denied", "invalid_request_error"),
               404: ("task_not_found", "invalid_request_error"),
               429: ("rate_limit_exceeded", "evo_api_error"),
               500: ("internal_error", "api_error"),
               503: ("service_unavailable", "api_error")}  # fmt: skip
CREDIT_TYPES = {400: "invalid_request_error", 401: "authentication_error",
                402: "insufficient_quota_error", 403: "permission_error",
                404: "not_found_error", 429: "rate_limit_error", 500: "internal_server_error",
                503: "service_unavailable_error"}  # fmt: skip


@pytest.mark.parametrize("status", sorted(GEN_ERRORS))
def test_submit_status_fault(sandbox, api, status):
    sandbox.faults.set("submit_status", status, times=1)
    error = assert_error(submit(api, sandbox), status, *GEN_ERRORS[status])
    if status == 403:
        assert "suno-v5-beta" in error["message"]
    assert submit(api, sandbox).status_code == 200  # cleared itself
    assert sandbox.stats.snapshot()["tasks_created"] == 1


@pytest.mark.parametrize("status", sorted(TASK_ERRORS))
def test_poll_status_fault(sandbox, api, status):
    task_id = submit(api, sandbox).json()["id"]
    sandbox.faults.set("poll_status", status, times=2)
    assert_error(poll(api, sandbox, task_id), status, *TASK_ERRORS[status])
    assert_error(poll(api, sandbox, task_id), status, *TASK_ERRORS[status])
    assert poll(api, sandbox, task_id).status_code == 200


@pytest.mark.parametrize("status", sorted(CREDIT_TYPES))
def test_credits_status_fault(sandbox, api, status):
    sandbox.faults.set("credits_status", status)
    for _ in range(2):  # no times: stays on
        assert_error(api.get(sandbox.base_url + "/v1/credits", timeout=5), status, status,
                     CREDIT_TYPES[status])  # fmt: skip
    sandbox.faults.clear("credits_status")
    assert api.get(sandbox.base_url + "/v1/credits", timeout=5).status_code == 200


def test_latency_fault(sandbox, api):
    sandbox.faults.set("latency", 0.3, times=1)
    start = time.monotonic()
    assert api.get(sandbox.base_url + "/v1/credits", timeout=5).status_code == 200
    assert time.monotonic() - start >= 0.3
    start = time.monotonic()
    api.get(sandbox.base_url + "/v1/credits", timeout=5)
    assert time.monotonic() - start < 0.3


def test_fail_tasks_fault_fails_the_next_task_and_refunds(sandbox, api):
    sandbox.faults.set("fail_tasks", "content_policy_violation", times=1)
    failed = wait(api, sandbox, submit(api, sandbox).json()["id"])
    assert failed["status"] == "failed"
    assert failed["error"]["code"] == "content_policy_violation"
    assert failed["error"]["type"] == "task_error" and failed["error"]["message"]
    assert "results" not in failed and "result_data" not in failed
    assert completed_song(api, sandbox)["status"] == "completed"
    credits = api.get(sandbox.base_url + "/v1/credits", timeout=5).json()
    assert credits["data"]["token"]["remaining_credits"] == 490.0


def test_slow_download_fault(sandbox, api):
    url = completed_song(api, sandbox)["result_data"][0]["image_url"]
    size = len(api.get(url, timeout=5).content)
    sandbox.faults.set("slow_download", size * 2)  # about half a second
    start = time.monotonic()
    assert len(api.get(url, timeout=5).content) == size
    assert time.monotonic() - start >= 0.4


def test_truncate_download_fault(sandbox, api):
    url = completed_song(api, sandbox)["result_data"][0]["audio_url"]
    full = len(api.get(url, timeout=5).content)
    sandbox.faults.set("truncate_download", True, times=1)
    r = api.get(url, stream=True, timeout=5)
    assert int(r.headers["Content-Length"]) == full
    got = bytearray()
    with pytest.raises(requests.exceptions.RequestException):
        for chunk in r.iter_content(8192):
            got += chunk
    assert 0 < len(got) < full
    assert len(api.get(url, timeout=5).content) == full  # next one is whole


@pytest.mark.parametrize(("value", "status"), [(True, 403), (404, 404)])
def test_expire_media_fault(sandbox, api, value, status):
    takes = completed_song(api, sandbox)["result_data"]
    sandbox.faults.set("expire_media", value)
    assert api.get(takes[0]["audio_url"], timeout=5).status_code == status
    assert api.get(takes[0]["image_url"], timeout=5).status_code == status
    sandbox.faults.set("expire_media", False)
    assert api.get(takes[0]["audio_url"], timeout=5).status_code == 200


def test_malformed_json_fault(sandbox, api):
    sandbox.faults.set("malformed_json", True, times=1)
    r = submit(api, sandbox)
    assert r.status_code == 200
    with pytest.raises(ValueError):
        json.loads(r.text)
    assert sandbox.stats.snapshot()["tasks_created"] == 1  # the task exists all the same
    task_id = submit(api, sandbox).json()["id"]
    sandbox.faults.set("malformed_json", "poll")
    with pytest.raises(ValueError):
        json.loads(poll(api, sandbox, task_id).text)
    assert api.get(sandbox.base_url + "/v1/credits", timeout=5).json()["success"] is True
    sandbox.faults.set("malformed_json", "credits")
    with pytest.raises(ValueError):
        json.loads(api.get(sandbox.base_url + "/v1/credits", timeout=5).text)


def test_drop_connection_fault_creates_and_charges_but_never_answers(sandbox, api):
    sandbox.faults.set("drop_connection", True, times=1)
    with pytest.raises(requests.exceptions.ConnectionError):
        submit(api, sandbox)
    stats = sandbox.stats.snapshot()
    assert stats["submits"]["song"] == 1 and stats["tasks_created"] == 1
    credits = api.get(sandbox.base_url + "/v1/credits", timeout=5).json()
    assert credits["data"]["token"]["remaining_credits"] == 490.0
    assert submit(api, sandbox).status_code == 200


@pytest.mark.parametrize("shape", ["songs", "results_only"])
def test_result_shape_fault(sandbox, api, shape):
    task_id = submit(api, sandbox).json()["id"]
    wait(api, sandbox, task_id)
    sandbox.faults.set("result_shape", shape)
    body = poll(api, sandbox, task_id).json()
    assert len(body["results"]) == 2
    if shape == "songs":
        assert [s["audio_url"] for s in body["result_data"]["songs"]] == body["results"]
    else:
        assert "result_data" not in body


def test_faults_over_http(sandbox, api):
    control = sandbox.base_url + "/_sandbox/faults"
    r = requests.post(control, json={"submit_status": 429, "latency": 0.01, "times": 1},
                      timeout=5)  # fmt: skip
    assert r.status_code == 200 and r.json()["values"]["submit_status"] == 429
    assert_error(submit(api, sandbox), 429, "rate_limit_exceeded", "rate_limit_error")
    assert submit(api, sandbox).status_code == 200
    assert requests.post(control, json={"nonsense": 1}, timeout=5).status_code == 400
    assert requests.post(control, json={"submit_status": 418}, timeout=5).status_code == 400
    requests.post(control, json={"poll_status": 500}, timeout=5)
    task_id = submit(api, sandbox).json()["id"]
    poll(api, sandbox, task_id)
    poll(api, sandbox, task_id)
    stats = requests.get(sandbox.base_url + "/_sandbox/stats", timeout=5).json()
    assert stats["submits"] == {"song": 3, "persona": 0}
    assert stats["polls"] == {task_id: 2} and stats["tasks_created"] == 2
    assert requests.post(sandbox.base_url + "/_sandbox/reset", timeout=5).status_code == 200
    assert poll(api, sandbox, task_id).status_code == 200
    assert requests.get(sandbox.base_url + "/_sandbox/stats", timeout=5).json()["polls"] == \
        {task_id: 1}  # fmt: skip
    requests.post(sandbox.base_url + "/_sandbox/reset", json={"state": True}, timeout=5)
    assert poll(api, sandbox, task_id).status_code == 404


def test_unknown_routes_are_404(sandbox, api):
    assert api.get(sandbox.base_url + "/v1/nothing", timeout=5).status_code == 404
    assert api.post(sandbox.base_url + "/v1/tasks", json={}, timeout=5).status_code == 404
    assert api.get(sandbox.base_url + "/", timeout=5).status_code == 404


# ----- load and the command ------------------------------------------------------------------


def test_survives_20_pollers_and_40_downloads(sandbox, api):
    tasks = [submit(api, sandbox).json()["id"] for _ in range(20)]
    takes = [u for t in tasks[:3] for u in wait(api, sandbox, t)["results"]]
    urls = [takes[i % len(takes)] for i in range(40)]  # 6 new takes, 40 downloads at once
    local = threading.local()

    def client():
        if not hasattr(local, "s"):
            local.s = session()
        return local.s

    def poller(task_id):
        return all(client().get(f"{sandbox.base_url}/v1/tasks/{task_id}", timeout=10)
                   .status_code == 200 for _ in range(5))  # fmt: skip

    def download(url):
        r = client().get(url, stream=True, timeout=10)
        return r.status_code == 200 and len(b"".join(r.iter_content(16384))) == int(
            r.headers["Content-Length"]
        )

    with ThreadPoolExecutor(max_workers=60) as pool:
        jobs = [pool.submit(poller, t) for t in tasks] + [pool.submit(download, u) for u in urls]
        assert all(job.result(timeout=30) for job in jobs)
    assert sandbox.stats.snapshot()["media_downloads"] == 40


def test_module_command_serves_until_interrupted(tmp_path):
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sunodesk.sandbox",
            "--port",
            "0",
            "--speed",
            "100",
            "--state-dir",
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+", line).group(0)
        with session() as api:
            assert api.get(url + "/v1/credits", timeout=5).status_code == 200
    finally:
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=10)
    assert proc.returncode == 0 and err == ""
