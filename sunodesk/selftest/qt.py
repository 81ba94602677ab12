"""The Qt half of `sunodesk --self-test`: the icon renders, and one second of a song plays.

Playback criterion (verified on a headless Linux box with no sound card and no PulseAudio
server): Qt Multimedia's FFmpeg backend still plays with no audio device, clocking the
position from the decoded stream. So the check is: the media loads (LoadedMedia is seen; the
buffering statuses that follow are not checked), no error is raised, the duration matches the
file's to within one second, and the position advances by at least 500 ms within 10 s of wall
time. It stops after one second of playback (or at that time limit). A real device, when there
is one, is used the same way, at volume 0.

Only this module imports Qt, and only inside its functions; ``sunodesk.selftest`` imports it
when the Qt checks start, so the thresholds it shares live in ``selftest.common``.
"""

from __future__ import annotations

import os
import sys

from sunodesk.selftest.common import MIN_ADVANCE_MS, PLAY_MS, PLAY_TIMEOUT_MS, Failed


def _app():
    # The self-test never shows a window; offscreen works with no display at all.
    # (An empty value counts as unset: Qt would then try xcb and abort with no display.)
    if not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtGui import QGuiApplication

    return QGuiApplication.instance() or QGuiApplication(sys.argv[:1])


def check_icon() -> None:
    """The app icon renders through QtSvg (the bundle must ship it)."""
    from importlib import resources

    from PySide6.QtCore import QByteArray
    from PySide6.QtGui import QColor, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    data = resources.files("sunodesk.resources").joinpath("icons/sunodesk.svg").read_bytes()
    renderer = QSvgRenderer(QByteArray(data))
    if not renderer.isValid():
        raise Failed("QtSvg could not read the app icon")
    image = QImage(64, 64, QImage.Format.Format_ARGB32)
    image.fill(QColor(0, 0, 0, 0))
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    if image.pixelColor(32, 32).alpha() == 0:
        raise Failed("the app icon rendered empty")


def play_one_second(path: str) -> str:
    from PySide6.QtCore import QEventLoop, QTimer, QUrl
    from PySide6.QtMultimedia import QAudioOutput, QMediaDevices, QMediaPlayer

    from sunodesk.store.tags import probe_mp3

    expected_ms = probe_mp3(path).duration * 1000
    player = QMediaPlayer()
    if not player.isAvailable():  # the FFmpeg backend plugin did not load
        raise Failed("Qt Multimedia has no playback backend (is the FFmpeg plugin missing?)")
    output = QAudioOutput()
    output.setVolume(0.0)  # a self-test should not make noise on a real device
    player.setAudioOutput(output)
    loop = QEventLoop()
    errors: list[str] = []
    statuses: list[QMediaPlayer.MediaStatus] = []

    def on_error(_error: QMediaPlayer.Error, text: str) -> None:
        errors.append(text or "unknown")
        loop.quit()

    def on_position(position: int) -> None:
        if position >= PLAY_MS:
            loop.quit()

    player.errorOccurred.connect(on_error)
    player.mediaStatusChanged.connect(statuses.append)
    player.positionChanged.connect(on_position)
    QTimer.singleShot(PLAY_TIMEOUT_MS, loop.quit)
    player.setSource(QUrl.fromLocalFile(path))
    player.play()
    loop.exec()
    position, duration, state = player.position(), player.duration(), player.playbackState()
    player.stop()
    player.setSource(QUrl())
    if errors:
        raise Failed(f"QMediaPlayer could not play the song: {errors[0]}")
    if QMediaPlayer.MediaStatus.LoadedMedia not in statuses:
        raise Failed(f"QMediaPlayer never loaded the song (statuses {statuses})")
    if abs(duration - expected_ms) > 1000:
        raise Failed(f"QMediaPlayer says the song lasts {duration} ms, the file {expected_ms:.0f}")
    if position < MIN_ADVANCE_MS:
        raise Failed(
            f"playback did not advance: {position} ms after "
            f"{PLAY_TIMEOUT_MS / 1000:g} s ({state.name})"
        )
    device = "no audio device" if QMediaDevices.defaultAudioOutput().isNull() else "audio out"
    return f"played {position / 1000:.1f} s of {duration / 1000:.0f} s ({device})"


def check_qt(path: str) -> str:
    _app()
    check_icon()
    return play_one_second(path)
