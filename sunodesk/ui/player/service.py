"""The player service: one QMediaPlayer and its audio output, the queue it walks, and A/B.

Widgets only render its signals and forward clicks to its slots. The queue is whatever the
library shows (filtered and sorted) at the moment next or previous is asked for; A/B swaps to
another take of the same generation at the same position. A missing or unreadable file is
reported through ``failed`` with a plain sentence, never raised. With no audio device at all,
``outputProblem`` carries the sentence that says so (and "" once one appears).

QMediaPlayer's play, pause, stop, setSource and setPosition wait on Qt Multimedia's FFmpeg
threads, and PySide calls them holding the GIL; one of those threads, tearing down a renderer,
can need the GIL itself (to ask a Python-made object whether Python overrides one of its
virtuals), and the two then wait for each other for ever (seen in the tests, on a loaded
machine). So the service never calls those methods from Python: it emits a signal of its own
wired straight to the player's C++ slot, and PySide lets go of the GIL while it emits. The
call is still immediate, in order, on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QSettings, QUrl, Signal
from PySide6.QtMultimedia import QAudio, QAudioOutput, QMediaDevices, QMediaPlayer

from sunodesk.core.models import Track

VOLUME_KEY = "player/volume"
RESTART_AFTER_MS = 3000  # "previous" restarts the song when it has played longer than this
Status = QMediaPlayer.MediaStatus


class PlayerService(QObject):
    # wired to the player's own slots, so the calls run with the GIL let go (see above)
    _play = Signal()
    _pause = Signal()
    _stop = Signal()
    _set_source = Signal(QUrl)
    _set_position = Signal("qlonglong")

    trackChanged = Signal(object)  # Track or None
    playingChanged = Signal(bool)
    positionChanged = Signal("qlonglong")  # ms
    durationChanged = Signal("qlonglong")  # ms
    volumeChanged = Signal(int)  # 0-100
    failed = Signal(str)  # a plain sentence
    outputProblem = Signal(str)  # "" when there is an audio output

    def __init__(
        self,
        settings: QSettings | None = None,
        parent: QObject | None = None,
        outputs: Callable[[], list] | None = None,
    ):
        super().__init__(parent)
        self._outputs = outputs  # injectable: a test cannot unplug the machine's sound card
        self._devices = QMediaDevices(self)
        self._devices.audioOutputsChanged.connect(
            lambda: self.outputProblem.emit(self.output_problem())
        )
        self._settings = settings
        self.player = QMediaPlayer(self)
        self.output = QAudioOutput(self)
        self.player.setAudioOutput(self.output)
        self._play.connect(self.player.play)
        self._pause.connect(self.player.pause)
        self._stop.connect(self.player.stop)
        self._set_source.connect(self.player.setSource)
        self._set_position.connect(self.player.setPosition)
        self._track: Track | None = None
        self._pending_seek: int | None = None
        self._queue: Callable[[], list[Track]] = list
        self._siblings: Callable[[Track], list[Track]] = lambda t: [t]
        self._volume = 80
        if settings is not None:
            try:
                self._volume = max(0, min(100, int(settings.value(VOLUME_KEY, 80))))
            except (TypeError, ValueError):
                self._volume = 80
        self._apply_volume()
        self.player.positionChanged.connect(self.positionChanged)
        self.player.durationChanged.connect(self.durationChanged)
        self.player.playbackStateChanged.connect(self._on_state)
        self.player.mediaStatusChanged.connect(self._on_status)
        self.player.errorOccurred.connect(self._on_error)

    def output_problem(self, short: bool = False) -> str:
        """The sentence for a machine with no audio output (``short``: for the player's idle
        line, the whole one in its tooltip and the status bar), else ""."""
        if (self._outputs or QMediaDevices.audioOutputs)():
            return ""
        if short:
            return self.tr("No audio output found")
        return self.tr("No audio output found; songs still download and can be played elsewhere.")

    # -- wiring ------------------------------------------------------------------------------

    def set_queue(self, provider: Callable[[], list[Track]]) -> None:
        """Where next/previous walk: called each time, so it follows the current list."""
        self._queue = provider

    def set_siblings(self, provider: Callable[[Track], list[Track]]) -> None:
        """The takes of a track's generation (for A/B), in filing order."""
        self._siblings = provider

    # -- state -------------------------------------------------------------------------------

    @property
    def track(self) -> Track | None:
        return self._track

    @property
    def playing(self) -> bool:
        return self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState

    @property
    def position(self) -> int:
        return self.player.position()

    @property
    def volume(self) -> int:
        return self._volume

    def alternatives(self) -> list[Track]:
        """The other takes of what is playing."""
        if self._track is None:
            return []
        return [t for t in self._siblings(self._track) if t.result_id != self._track.result_id]

    # -- actions -----------------------------------------------------------------------------

    def play(self, track: Track, position_ms: int = 0) -> None:
        """Play ``track`` from ``position_ms``."""
        self._track = track
        self.trackChanged.emit(track)
        if not track.path:
            self._fail(self.tr("“{title}” has no file yet.").format(title=track.title))
            return
        # The seek waits for the new file to load. It is set after setSource: while switching,
        # the old file reports "loaded" from inside setSource as it is let go, and a seek
        # taken then is lost (A/B restarted the other take from 0:00).
        self._pending_seek = None
        self._set_source.emit(QUrl.fromLocalFile(track.path))
        self._pending_seek = position_ms or None
        if self._pending_seek and self.player.mediaStatus() in (Status.LoadedMedia,
                                                                Status.BufferedMedia):  # fmt: skip
            self._on_status(self.player.mediaStatus())  # loaded at once: seek now
        self._play.emit()

    def toggle(self) -> None:
        if self.playing:
            self._pause.emit()
        elif self._track is not None:
            if self.player.mediaStatus() in (Status.NoMedia, Status.InvalidMedia):
                self.play(self._track)
            else:
                self._play.emit()
        else:
            queue = self._queue()
            if queue:
                self.play(queue[0])

    def pause(self) -> None:
        self._pause.emit()

    def stop(self) -> None:
        self._stop.emit()
        self._set_source.emit(QUrl())
        self._track = None
        self.trackChanged.emit(None)

    def seek(self, position_ms: int) -> None:
        self._set_position.emit(max(0, int(position_ms)))

    def skip(self, delta_ms: int) -> None:
        """Move by ``delta_ms`` (back when negative), within the take."""
        if self._track is None:
            return
        end = self.player.duration()
        target = self.player.position() + int(delta_ms)
        self.seek(min(target, end) if end > 0 else target)

    def set_volume(self, volume: int) -> None:
        self._volume = max(0, min(100, int(volume)))
        self._apply_volume()
        if self._settings is not None:
            self._settings.setValue(VOLUME_KEY, self._volume)
        self.volumeChanged.emit(self._volume)

    def _apply_volume(self) -> None:
        linear = QAudio.convertVolume(
            self._volume / 100,
            QAudio.VolumeScale.LogarithmicVolumeScale,
            QAudio.VolumeScale.LinearVolumeScale,
        )
        self.output.setVolume(linear)

    def _step(self, delta: int) -> Track | None:
        queue = self._queue()
        if not queue:
            return None
        ids = [t.result_id for t in queue]
        if self._track is None or self._track.result_id not in ids:
            return queue[0] if delta > 0 else queue[-1]
        index = ids.index(self._track.result_id) + delta
        return queue[index] if 0 <= index < len(queue) else None

    def next(self) -> bool:
        track = self._step(+1)
        if track is not None:
            self.play(track)
        return track is not None

    def previous(self) -> bool:
        if self._track is not None and self.player.position() > RESTART_AFTER_MS:
            self.seek(0)
            return True
        track = self._step(-1)
        if track is not None:
            self.play(track)
        return track is not None

    def switch_take(self) -> Track | None:
        """A/B: the next take of this generation, from the same position."""
        if self._track is None:
            return None
        takes = self._siblings(self._track)
        ids = [t.result_id for t in takes]
        if len(takes) < 2 or self._track.result_id not in ids:
            return None
        other = takes[(ids.index(self._track.result_id) + 1) % len(takes)]
        was_playing = self.playing
        self.play(other, self.player.position())
        if not was_playing:
            self._pause.emit()
        return other

    # -- media events ------------------------------------------------------------------------

    def _on_state(self, state: QMediaPlayer.PlaybackState) -> None:
        self.playingChanged.emit(state == QMediaPlayer.PlaybackState.PlayingState)

    def _on_status(self, status: QMediaPlayer.MediaStatus) -> None:
        if status in (Status.LoadedMedia, Status.BufferedMedia) and self._pending_seek:
            position, self._pending_seek = self._pending_seek, None
            self._set_position.emit(position)
        elif status == Status.EndOfMedia:
            if not self.next():
                self.playingChanged.emit(False)
        elif status == Status.InvalidMedia:
            self._fail(
                self.tr("“{title}” cannot be played: the file is damaged or not audio.").format(
                    title=self._title()
                )
            )

    def _on_error(self, error: QMediaPlayer.Error, detail: str) -> None:
        if error == QMediaPlayer.Error.NoError:
            return
        if error == QMediaPlayer.Error.ResourceError:
            sentence = self.tr(
                "“{title}” cannot be played: the file is missing or unreadable. "
                "Rescan the library to find moved files."
            )
        else:
            sentence = self.tr("“{title}” cannot be played ({detail}).")
        self._fail(sentence.format(title=self._title(), detail=detail))

    def _title(self) -> str:
        return (self._track.title if self._track else "") or self.tr("This track")

    def _fail(self, sentence: str) -> None:
        self._pending_seek = None
        self._stop.emit()
        self.failed.emit(sentence)
