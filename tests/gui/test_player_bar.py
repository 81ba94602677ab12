"""The player bar with a real QMediaPlayer (offscreen) and real sandbox MP3s: a click on the
seek bar or the volume jumps exactly there, dragging shows the time under the handle, the
seek bar draws the take's waveform, and the player's keys work where they should and never
while typing."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QLineEdit, QListWidget, QPlainTextEdit, QSlider, QToolButton

from sunodesk.core.formatting import format_length
from sunodesk.core.models import Track
from sunodesk.sandbox.audio import make_song_mp3
from sunodesk.ui.hub import Hub
from sunodesk.ui.player.bar import PlayerBar
from sunodesk.ui.player.feature import PlayerFeature
from sunodesk.ui.player.service import PlayerService
from sunodesk.ui.player.waveform_service import WaveformService
from sunodesk.ui.window import MainWindow

SECONDS = 40.0


def _take(folder: Path, rid: str, seed: str, job_id: int = 1) -> Track:
    path = folder / f"{rid}.mp3"
    path.write_bytes(make_song_mp3(seed, SECONDS))
    return Track(
        result_id=rid, job_id=job_id, task_id="t", title="Song " + rid, path=str(path),
        state="done", duration=SECONDS,
    )  # fmt: skip


@pytest.fixture
def takes(tmp_path):
    return [_take(tmp_path, "ra", "alpha"), _take(tmp_path, "rb", "beta")]


@pytest.fixture
def bar(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "player.ini"), QSettings.Format.IniFormat)
    service = PlayerService(settings)
    waveforms = WaveformService()
    waveforms.set_data_dir(tmp_path / "data")
    widget = PlayerBar(service, None, waveforms)
    qtbot.addWidget(widget)
    widget.resize(900, 60)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    service.stop()
    waveforms.shutdown()
    service.deleteLater()
    waveforms.deleteLater()


def _loaded(qtbot, bar: PlayerBar, track: Track) -> None:
    bar.service.play(track)
    qtbot.waitUntil(lambda: bar.seekSlider.maximum() > 30_000 and bar.service.playing, timeout=8000)


def _at(slider, fraction: float) -> QPoint:
    return QPoint(round(slider.width() * fraction), slider.height() // 2)


def test_a_click_on_the_seek_bar_jumps_there(qtbot, bar, takes):
    _loaded(qtbot, bar, takes[0])
    slider = bar.findChild(QSlider, "playerSeekSlider")
    duration = slider.maximum()
    target = 0.75 * duration
    qtbot.mouseClick(slider, Qt.MouseButton.LeftButton, pos=_at(slider, 0.75))
    qtbot.waitUntil(lambda: bar.service.position >= target - 1000, timeout=5000)
    assert abs(bar.service.position - target) <= 1000
    # and back again, to a point before where it plays
    qtbot.mouseClick(slider, Qt.MouseButton.LeftButton, pos=_at(slider, 0.2))
    qtbot.waitUntil(lambda: bar.service.position < target - 5000, timeout=5000)
    assert abs(bar.service.position - 0.2 * duration) <= 1000


def test_a_click_on_the_volume_jumps_there(qtbot, bar):
    slider = bar.findChild(QSlider, "playerVolumeSlider")
    assert slider.value() == 80
    qtbot.mouseClick(slider, Qt.MouseButton.LeftButton, pos=_at(slider, 0.25))
    assert abs(slider.value() - 25) <= 8
    assert bar.service.volume == slider.value()
    qtbot.mouseClick(slider, Qt.MouseButton.LeftButton, pos=_at(slider, 0.9))
    assert abs(slider.value() - 90) <= 8


def test_dragging_shows_the_time_under_the_handle(qtbot, bar, takes):
    _loaded(qtbot, bar, takes[0])
    slider = bar.findChild(QSlider, "playerSeekSlider")
    duration = slider.maximum()
    qtbot.mousePress(slider, Qt.MouseButton.LeftButton, pos=_at(slider, 0.1))
    qtbot.mouseMove(slider, _at(slider, 0.3))
    qtbot.mouseMove(slider, _at(slider, 0.6))
    assert slider.isSliderDown()
    assert abs(slider.sliderPosition() - 0.6 * duration) <= 1000
    assert bar.elapsedLabel.text() == format_length(slider.sliderPosition() / 1000)
    qtbot.wait(400)  # the player keeps playing near the start; the label stays with the drag
    assert bar.elapsedLabel.text() == format_length(slider.sliderPosition() / 1000)
    assert bar.service.position < 0.3 * duration
    qtbot.mouseRelease(slider, Qt.MouseButton.LeftButton, pos=_at(slider, 0.6))
    qtbot.waitUntil(lambda: bar.service.position >= 0.6 * duration - 1000, timeout=5000)


def test_the_seek_bar_draws_the_waveform_of_what_plays(qtbot, bar, takes):
    assert bar.seekSlider.peaks == b""
    bar.service.play(takes[0])
    qtbot.waitUntil(lambda: len(bar.seekSlider.peaks) == 600, timeout=10_000)
    assert bar.seekSlider.peaks == bar.waveforms.peaks("ra")
    image = bar.seekSlider.grab().toImage()
    assert image.width() > 0
    bar.service.stop()
    assert bar.seekSlider.peaks == b""


def test_a_long_title_is_elided_before_the_buttons(qtbot, bar, takes):
    long = Track(**{**takes[0].__dict__, "title": "A very long title " * 12})
    bar.show_track(long)
    bar.resize(700, 60)
    qtbot.wait(50)
    title = bar.titleLabel
    prev = bar.findChild(QToolButton, "playerPrevButton")
    assert title.geometry().right() < prev.geometry().left()
    shown = title.shown_text()
    assert shown.endswith("…") and long.title.startswith(shown[:-1].rstrip())
    assert title.fontMetrics().horizontalAdvance(shown) <= title.contentsRect().width()
    assert title.toolTip() == long.title


# -- keys ------------------------------------------------------------------------------------


@pytest.fixture
def window(qtbot, tmp_path, takes):
    win = MainWindow(tmp_path / "layout.ini")
    hub = Hub(win)
    feature = PlayerFeature(hub)
    takes_list = QListWidget()  # a list of takes of another part, as the library's
    takes_list.setObjectName("someTakesList")
    takes_list.addItems(["one", "two", "three"])
    win.add_side_tab(takes_list, "Takes")
    hub.add_transport_scope(takes_list)
    feature.player.set_siblings(lambda t: list(takes))
    qtbot.addWidget(win)
    win.resize(1100, 700)
    win.show()
    win.activateWindow()
    qtbot.waitActive(win)
    yield win, feature
    feature.player.stop()
    feature.waveforms.shutdown()


def test_keys_play_seek_and_switch_takes_but_not_while_typing(qtbot, window, takes):
    win, feature = window
    player, bar = feature.player, feature.bar
    player.play(takes[0])
    qtbot.waitUntil(lambda: player.playing and bar.seekSlider.maximum() > 30_000, timeout=8000)
    player.seek(10_000)
    qtbot.waitUntil(lambda: player.position >= 10_000, timeout=3000)

    lyrics = win.findChild(QPlainTextEdit, "lyricsEditor")
    lyrics.setFocus()
    qtbot.waitUntil(lyrics.hasFocus)
    qtbot.keyClicks(lyrics, "la la")
    qtbot.keyClick(lyrics, Qt.Key.Key_Left)
    assert lyrics.toPlainText() == "la la" and lyrics.textCursor().position() == 4
    assert player.playing  # a space in the lyrics is a space
    assert player.position < 14_000  # ← in the lyrics moved the cursor, not the song
    title = win.findChild(QLineEdit, "titleEdit")
    title.setFocus()
    qtbot.waitUntil(title.hasFocus)
    qtbot.keyClicks(title, "Night drive")
    qtbot.keyClick(title, Qt.Key.Key_Right)
    assert title.text() == "Night drive" and player.playing and player.position < 14_000

    listed = win.findChild(QListWidget, "someTakesList")
    win.sideTabs.setCurrentWidget(listed)
    listed.setFocus()
    qtbot.waitUntil(listed.hasFocus)
    before = player.position
    qtbot.keyClick(listed, Qt.Key.Key_Right)  # from a registered list of takes: seeks
    qtbot.waitUntil(lambda: player.position >= before + 4500, timeout=3000)

    play = bar.findChild(QToolButton, "playerPlayButton")
    play.setFocus()
    qtbot.waitUntil(play.hasFocus)
    before = player.position
    qtbot.keyClick(play, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: player.position >= before + 4500, timeout=3000)
    assert player.position <= before + 6000
    before = player.position
    qtbot.keyClick(play, Qt.Key.Key_Left)
    qtbot.waitUntil(lambda: player.position <= before - 4000, timeout=3000)

    volume = bar.findChild(QSlider, "playerVolumeSlider")
    volume.setFocus()
    qtbot.waitUntil(volume.hasFocus)
    level, before = volume.value(), player.position
    qtbot.keyClick(volume, Qt.Key.Key_Left)
    assert volume.value() == level - 1  # the volume keeps its arrows
    assert player.position >= before - 500

    play.setFocus()
    qtbot.waitUntil(play.hasFocus)
    with qtbot.waitSignal(player.playingChanged, timeout=3000):
        qtbot.keyClick(play, Qt.Key.Key_Space)
    assert not player.playing
    lyrics.setFocus()
    qtbot.waitUntil(lyrics.hasFocus)
    qtbot.keyClick(lyrics, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)  # A/B
    assert player.track is not None and player.track.result_id == "rb"
    assert lyrics.toPlainText() == "la la"  # and an ambiguous Ctrl+B would have run neither


def test_the_ab_button_switches_at_the_same_position_as_its_key(qtbot, window, takes):
    """Found in a user's half hour: A/B restarted the other take from 0:00 (the old file
    reported "loaded" from inside setSource and took the pending seek with it); the button
    and Ctrl+B both keep the place, as the tooltip promises."""
    _win, feature = window
    service, bar = feature.player, feature.bar
    for take, press in ((takes[1], "button"), (takes[0], "key")):
        if service.track is None:
            service.play(takes[0])
        qtbot.waitUntil(lambda: service.playing and bar.seekSlider.maximum() > 30_000,
                        timeout=8000)  # fmt: skip
        start = service.position
        qtbot.waitUntil(lambda s=start: service.position >= s + 2500, timeout=6000)  # played
        bar.show_track(service.track)  # as the library does when a take starts
        assert bar.abButton.isEnabled()
        before = service.position
        if press == "button":
            qtbot.mouseClick(bar.abButton, Qt.MouseButton.LeftButton)
        else:
            feature.abShortcut.activated.emit()
        assert service.track == take, press
        heard: list[int] = []  # what the new take reports once it plays (see test_player)
        qtbot.waitUntil(lambda: service.playing, timeout=8000)
        qtbot.wait(300)
        service.positionChanged.connect(heard.append)
        qtbot.waitUntil(lambda h=heard: len(h) >= 3, timeout=3000)
        service.positionChanged.disconnect(heard.append)
        assert before - 500 <= min(heard) and max(heard) < before + 2500, (press, heard)
