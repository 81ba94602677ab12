"""The player service with a real QMediaPlayer on the offscreen platform and real MP3 files:
playing advances, A/B keeps the position, next/previous walk the list, the volume is
remembered, and a missing file is a message rather than a crash."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from sunodesk.core.models import Track
from sunodesk.ui.player.service import PlayerService
from tests.unit.mp3_factory import make_mp3


def _track(path: Path | None, rid: str, job_id: int = 1, title: str = "Song") -> Track:
    return Track(
        result_id=rid,
        job_id=job_id,
        task_id="t",
        title=title,
        path=str(path) if path else None,
        state="done",
        duration=8.0,
    )


@pytest.fixture
def songs(tmp_path):
    a = make_mp3(tmp_path / "a.mp3", seconds=8.0, freq=440)
    b = make_mp3(tmp_path / "b.mp3", seconds=8.0, freq=660)
    c = make_mp3(tmp_path / "c.mp3", seconds=8.0, freq=550)
    return [_track(a, "ra", 1, "Alpha"), _track(b, "rb", 1, "Alpha"), _track(c, "rc", 2, "Cee")]


@pytest.fixture
def service(qapp, tmp_path):
    settings = QSettings(str(tmp_path / "player.ini"), QSettings.Format.IniFormat)
    svc = PlayerService(settings)
    yield svc
    svc.stop()
    svc.deleteLater()


def test_plays_and_position_advances(qtbot, service, songs):
    with qtbot.waitSignal(service.playingChanged, timeout=5000):
        service.play(songs[0])
    qtbot.waitUntil(lambda: service.position > 600, timeout=5000)
    assert service.playing and service.track == songs[0]
    with qtbot.waitSignal(service.playingChanged, timeout=3000):
        service.toggle()
    assert not service.playing


def test_ab_switches_take_at_the_same_position(qtbot, service, songs):
    service.set_siblings(lambda t: [s for s in songs if s.job_id == t.job_id])
    service.play(songs[0])
    # played to there, not sought: the switch used to lose a position the take had played to
    qtbot.waitUntil(lambda: service.position > 2500, timeout=6000)
    before = service.position
    other = service.switch_take()
    assert other == songs[1] and service.track == songs[1]
    assert service.player.source().toLocalFile() == songs[1].path
    # what the new take reports once it plays (right after the switch, the old position is
    # still what the player says): near where A was, never back at 0:00
    heard: list[int] = []
    qtbot.waitUntil(lambda: service.playing, timeout=5000)
    qtbot.wait(300)
    service.positionChanged.connect(heard.append)
    qtbot.waitUntil(lambda: len(heard) >= 3, timeout=3000)
    assert min(heard) >= before - 300, heard
    assert max(heard) <= before + 2000, heard  # a little further: it kept playing
    assert [t.result_id for t in service.alternatives()] == ["ra"]


def test_next_previous_walk_the_current_list(qtbot, service, songs):
    shown = [songs[2], songs[0]]
    service.set_queue(lambda: shown)
    service.play(songs[2])
    assert service.next() and service.track == songs[0]
    assert not service.next()  # the end of the list
    assert service.previous() and service.track == songs[2]


def test_volume_is_remembered(qapp, tmp_path):
    settings = QSettings(str(tmp_path / "v.ini"), QSettings.Format.IniFormat)
    first = PlayerService(settings)
    first.set_volume(35)
    settings.sync()
    second = PlayerService(QSettings(str(tmp_path / "v.ini"), QSettings.Format.IniFormat))
    assert second.volume == 35 and 0 < second.output.volume() < 0.35
    first.deleteLater()
    second.deleteLater()


def test_a_missing_file_is_a_message(qtbot, service, tmp_path):
    gone = _track(tmp_path / "gone.mp3", "rx", title="Lost")
    with qtbot.waitSignal(service.failed, timeout=5000) as blocker:
        service.play(gone)
    assert "Lost" in blocker.args[0] and "missing" in blocker.args[0]
    assert not service.playing
    junk = tmp_path / "junk.mp3"
    junk.write_bytes(b"<html>not audio</html>" * 50)
    with qtbot.waitSignal(service.failed, timeout=5000):
        service.play(_track(junk, "rj", title="Junk"))
    with qtbot.waitSignal(service.failed, timeout=2000) as blocker:
        service.play(_track(None, "rn", title="Pending"))
    assert "Pending" in blocker.args[0]


def test_the_players_waiting_calls_never_run_from_python_holding_the_gil(qtbot, service, songs):
    """play, pause, seek, stop and setSource wait on FFmpeg's threads, which may need the GIL
    (a deadlock seen in the suite): the service reaches them only through its signals wired
    to the player's C++ slots, so Python-level calls of those methods never happen."""
    called: list[str] = []
    for name in ("play", "pause", "stop", "setSource", "setPosition"):
        # shadowing the bound methods: only a call made from Python would land here
        setattr(service.player, name, lambda *_a, name=name: called.append(name))
    with qtbot.waitSignal(service.playingChanged, timeout=5000):
        service.play(songs[0])
    qtbot.waitUntil(lambda: service.position > 200, timeout=5000)
    service.seek(1000)
    service.toggle()
    qtbot.waitUntil(lambda: not service.playing, timeout=5000)
    service.stop()
    assert called == []
    assert service.player.source().isEmpty() and service.track is None  # and they happened
