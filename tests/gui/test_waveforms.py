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
