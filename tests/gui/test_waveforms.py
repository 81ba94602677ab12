"""Waveforms of real sandbox takes: decoded by QAudioDecoder in a thread that is not the GUI
thread, cached on disk so a restart reads them without decoding, handed out through the hub,
and a damaged file is no waveform (and no retry loop), not a crash."""

from __future__ import annotations

import os

import pytest

from sunodesk.sandbox.audio import make_song_mp3
from sunodesk.store.waveforms import WaveformCache, cache_dir
from sunodesk.ui.hub import Hub
from sunodesk.ui.player.waveform_service import WaveformService


@pytest.fixture
def service(qapp, tmp_path):
    made: list[WaveformService] = []

    def build() -> WaveformService:
        svc = WaveformService()
        svc.set_data_dir(tmp_path / "data")
        made.append(svc)
        return svc

    yield build
    for svc in made:
        svc.shutdown()
        svc.deleteLater()


def test_decoded_in_a_process_of_its_own_then_read_from_the_cache(qtbot, service, tmp_path):
    song = tmp_path / "song.mp3"
    song.write_bytes(make_song_mp3("wave", 30.0))
    first = service()
    with qtbot.waitSignal(first.ready, timeout=15_000) as ready:
        assert first.peaks("r1", str(song)) is None  # never computed while asked
    assert ready.args == ["r1"]
    peaks = first.peaks("r1")
    assert peaks is not None and len(peaks) == 600
    assert max(peaks) > 100 and len(set(peaks)) > 20  # a song, not silence or one level
    assert first.decodes == 1
    assert first.decode_pid is not None and first.decode_pid != os.getpid()  # not the window's
    assert WaveformCache(cache_dir(tmp_path / "data")).read("r1") == peaks
    first.shutdown()

    again = service()  # the next run of the app
    song.unlink()  # the cache answers without the file
    with qtbot.waitSignal(again.ready, timeout=5000):
        assert again.peaks("r1", str(song)) is None
    assert again.peaks("r1") == peaks
    assert again.decodes == 0 and again.cache_reads == 1


def test_a_damaged_file_is_no_waveform_and_not_retried(qtbot, service, tmp_path):
    junk = tmp_path / "junk.mp3"
    junk.write_bytes(b"<html>not audio</html>" * 400)
    svc = service()
    good = tmp_path / "good.mp3"
    good.write_bytes(make_song_mp3("ok", 5.0))
    assert svc.peaks("bad", str(junk)) is None
    with qtbot.waitSignal(svc.ready, timeout=15_000) as ready:
        svc.peaks("good", str(good))  # queued behind the damaged one: it still comes
    assert ready.args == ["good"]
    qtbot.waitUntil(lambda: not svc.busy(), timeout=5000)
    assert svc.peaks("bad", str(junk)) is None and not svc.busy()  # remembered, not queued
    assert svc.peaks("missing", str(tmp_path / "nope.mp3")) is None
    qtbot.waitUntil(lambda: not svc.busy(), timeout=5000)
    assert svc.decodes == 1


def test_the_hub_hands_out_waveforms(qtbot, service, tmp_path):
    class _Window:  # the hub only keeps it
        pass

    hub = Hub(_Window())  # type: ignore[arg-type]
    assert hub.waveform("r1") is None  # no player: no waveforms
    svc = service()
    hub.provide_waveforms(svc)
    assert hub.waveform("r1") is None  # not cached, and no file to decode yet
    qtbot.waitUntil(lambda: not svc.busy(), timeout=5000)
    assert hub.waveform("r1") is None and not svc.busy()  # not asked again for nothing
    song = tmp_path / "s.mp3"
    song.write_bytes(make_song_mp3("hub", 5.0))
    with qtbot.waitSignal(hub.waveformReady, timeout=15_000) as ready:
        assert hub.waveform("r1", str(song)) is None
    assert ready.args == ["r1"]
    assert hub.waveform("r1") == svc.peaks("r1")
    hub.deleteLater()


def test_one_low_priority_process_serves_every_take_of_a_session(qtbot, service, tmp_path):
    """Starting Python and Qt Multimedia costs ~0.25 s of CPU: paid once, not once per take;
    and the decoder runs below the window's priority, so a waveform never takes its CPU."""
    svc = service()
    songs = []
    for n in range(3):
        song = tmp_path / f"s{n}.mp3"
        song.write_bytes(make_song_mp3(f"take {n}", 4.0 + n))
        songs.append(song)
    ready: list[str] = []
    svc.ready.connect(ready.append)
    for n, song in enumerate(songs):
        assert svc.peaks(f"r{n}", str(song)) is None
    qtbot.waitUntil(lambda: len(ready) == 3, timeout=20_000)
    assert sorted(ready) == ["r0", "r1", "r2"] and svc.decodes == 3
    decoder = svc._decoder
    assert decoder is not None and decoder.started == 1
    pid = svc.decode_pid
    assert pid is not None and pid != os.getpid()
    own = os.getpriority(os.PRIO_PROCESS, 0)
    assert os.getpriority(os.PRIO_PROCESS, pid) == min(19, own + 10)
    for n in range(3):  # each written to the cache by the child itself
        assert WaveformCache(cache_dir(tmp_path / "data")).read(f"r{n}") == svc.peaks(f"r{n}")


def test_a_decoder_that_dies_under_a_take_gets_it_once_more_then_fails_it(qtbot, service, tmp_path):
    """A child can die before it read the request (then the take deserves another go) or on
    the file itself (then a file that kills the decoder must not be tried forever)."""
    svc = service()
    first, second = tmp_path / "a.mp3", tmp_path / "b.mp3"
    first.write_bytes(make_song_mp3("a", 30.0))
    second.write_bytes(make_song_mp3("b", 4.0))
    ready: list[str] = []
    svc.ready.connect(ready.append)
    svc.peaks("a", str(first))
    decoder = svc._decoder
    assert decoder is not None
    # it dies under "a" twice, each time while starting (Python and Qt take ~0.25 s to load)
    qtbot.waitUntil(lambda: decoder.decode_pid is not None, timeout=10_000)
    first_pid = decoder.decode_pid
    os.kill(first_pid, 9)
    qtbot.waitUntil(lambda: decoder.decode_pid not in (None, first_pid), timeout=10_000)
    assert decoder.started == 2  # "a" got another go, in a new child
    os.kill(decoder.decode_pid, 9)
    qtbot.waitUntil(lambda: not svc.busy(), timeout=10_000)
    assert ready == [] and svc.peaks("a") is None  # failed after its second go, not retried
    assert decoder.started == 2
    with qtbot.waitSignal(svc.ready, timeout=20_000):
        svc.peaks("b", str(second))
    assert ready == ["b"] and decoder.started == 3


def test_a_decoder_that_cannot_start_fails_every_take_at_once(
    qtbot, service, tmp_path, monkeypatch
):
    from sunodesk.ui.player import waveform_service

    monkeypatch.setattr(
        waveform_service, "decoder_command", lambda: (str(tmp_path / "no-such-program"), [])
    )
    svc = service()
    for n in range(30):  # many queued: none may recurse into the next start
        song = tmp_path / f"c{n}.mp3"
        song.write_bytes(b"ID3")
        svc.peaks(f"c{n}", str(song))
    qtbot.waitUntil(lambda: not svc.busy(), timeout=10_000)
    decoder = svc._decoder
    assert decoder is not None and decoder.started == 1 and decoder._cannot_start
    assert all(svc.peaks(f"c{n}") is None for n in range(30))


def test_shutting_down_with_a_child_still_leaving_is_quiet(qtbot, service, tmp_path):
    svc = service()
    song = tmp_path / "long.mp3"
    song.write_bytes(make_song_mp3("long", 60.0))
    svc.peaks("long", str(song))
    decoder = svc._decoder
    assert decoder is not None
    qtbot.waitUntil(lambda: decoder.decode_pid is not None, timeout=10_000)
    pid = decoder.decode_pid
    decoder._timed_out()  # as if it hung: killed, and on its way out
    assert decoder._leaving
    svc.shutdown()  # at once: the window closes
    qtbot.wait(200)  # its finished() must not reach the deleted decoder (pytest-qt would fail)
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # and it is gone, not left behind


def test_the_decoder_process_answers_each_request_line_and_refuses_junk(tmp_path):
    """The protocol, against the real child: one answer line per request, in order."""
    import json
    import subprocess
    import sys

    song = tmp_path / "ok.mp3"
    song.write_bytes(make_song_mp3("ok", 3.0))
    folder = tmp_path / "cache"
    lines = [
        json.dumps([str(song), str(folder), "r-ok"]),
        "not json",
        json.dumps([str(tmp_path / "nothing.mp3"), "", "r-none"]),
        json.dumps({"path": str(song)}),
        json.dumps([str(song), "", ""]),  # no cache folder: answered, nothing kept
    ]
    done = subprocess.run(
        [sys.executable, "-m", "sunodesk", "--decode-waveforms"],
        input=("\n".join(lines) + "\n").encode(),
        capture_output=True,
        timeout=60,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
    )
    assert done.returncode == 0
    answers = [a for a in done.stdout.decode().splitlines() if a.startswith("peaks ")]
    assert len(answers) == 5
    ok = bytes.fromhex(answers[0][6:])
    assert len(ok) == 600 and max(ok) > 100
    assert answers[1:4] == ["peaks -", "peaks -", "peaks -"]
    assert answers[4] == answers[0]
    assert WaveformCache(folder).read("r-ok") == ok
    assert sorted(p.name for p in folder.iterdir()) == [WaveformCache(folder).path_for("r-ok").name]


def test_an_idle_decoder_leaves_and_a_request_as_it_leaves_starts_a_new_one(
    qtbot, service, tmp_path
):
    svc = service()
    songs = []
    for n in range(3):
        song = tmp_path / f"i{n}.mp3"
        song.write_bytes(make_song_mp3(f"idle {n}", 3.0))
        songs.append(song)
    with qtbot.waitSignal(svc.ready, timeout=20_000):
        svc.peaks("i0", str(songs[0]))
    decoder = svc._decoder
    assert decoder is not None and decoder._process is not None
    first_pid = decoder.decode_pid
    decoder._idle.setInterval(50)  # instead of 20 s
    decoder._idle.start()
    qtbot.waitUntil(lambda: decoder._process is None, timeout=5000)  # it let go
    with qtbot.waitSignal(svc.ready, timeout=20_000):  # the old child is on its way out
        svc.peaks("i1", str(songs[1]))
    assert decoder.started == 2 and decoder.decode_pid != first_pid
    decoder._retire()  # and a request in the very same moment as the retiring
    with qtbot.waitSignal(svc.ready, timeout=20_000) as ready:
        svc.peaks("i2", str(songs[2]))
    assert ready.args == ["i2"] and decoder.started == 3
