"""The player bar under the window: what is playing (cover, title, lyrics on demand), transport,
seek on the take's waveform with time labels, A/B between takes, and volume. It renders the
PlayerService's signals (and the WaveformService's peaks) and forwards clicks to it; it holds
no media state of its own."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QSize, Qt
from PySide6.QtGui import QImage, QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSizePolicy,
    QSlider,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from sunodesk.core.formatting import format_length as duration_text
from sunodesk.core.models import Track
from sunodesk.ui.common import icons, theme
from sunodesk.ui.common.cover_cache import placeholder
from sunodesk.ui.player.service import PlayerService
from sunodesk.ui.player.sliders import JumpSlider, WaveformSlider
from sunodesk.ui.player.waveform_service import WaveformService

COVER = 60


def _button(parent: QWidget, name: str, tip: str, icon=None, text: str = "") -> QToolButton:
    button = QToolButton(parent)
    button.setObjectName(name)
    button.setAccessibleName(tip)
    button.setToolTip(tip)
    if icon is not None:
        button.setIcon(icon)
    if text:
        button.setText(text)
    button.setAutoRaise(True)
    button.setIconSize(QSize(20, 20))
    button.setMinimumSize(32, 32)
    return button


class ElidedLabel(QLabel):
    """A one-line label that ends in "…" when it does not fit (its tooltip has it all)."""

    def shown_text(self) -> str:
        """What fits: the text, or its start and "…"."""
        width = self.contentsRect().width()
        return self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, width)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        rect = self.contentsRect()
        text = self.shown_text()
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(rect, int(self.alignment() | Qt.AlignmentFlag.AlignVCenter), text)
        painter.end()

    def minimumSizeHint(self) -> QSize:
        return QSize(0, super().minimumSizeHint().height())


class PlayerBar(QFrame):
    cover_size = COVER  # the size of the now-playing cover to ask for

    def __init__(
        self,
        service: PlayerService,
        parent: QWidget | None = None,
        waveforms: WaveformService | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("playerBar")
        self.setAccessibleName(self.tr("Player"))
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.service = service
        self.waveforms = waveforms
        self._seeking = False
        self._play_icon = icons.icon("play")
        self._pause_icon = icons.icon("pause")

        self.lyrics = QPlainTextEdit(self)
        self.lyrics.setObjectName("playerLyrics")
        self.lyrics.setAccessibleName(self.tr("Lyrics of what is playing"))
        self.lyrics.setReadOnly(True)
        self.lyrics.setMaximumHeight(180)
        self.lyrics.hide()

        self.cover = QLabel(self)
        self.cover.setObjectName("playerCover")
        self.cover.setFixedSize(COVER, COVER)
        self.cover.setPixmap(placeholder(COVER))
        self.titleLabel = ElidedLabel(self.tr("Nothing playing"), self)
        self.titleLabel.setObjectName("playerTitle")
        theme.set_text_level(self.titleLabel, "title")
        self.subtitleLabel = ElidedLabel(self.tr("Double-click a track in the Library"), self)
        self.subtitleLabel.setObjectName("playerSubtitle")
        theme.set_text_level(self.subtitleLabel, "meta")
        for label in (self.titleLabel, self.subtitleLabel):
            label.setMinimumWidth(120)  # the whole bar fits 800 px (1600 px at scale 2)
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        now = QVBoxLayout()
        now.setSpacing(2)
        now.addStretch(1)
        now.addWidget(self.titleLabel)
        now.addWidget(self.subtitleLabel)
        now.addStretch(1)

        self.prevButton = _button(
            self,
            "playerPrevButton",
            self.tr("Previous"),
            icons.icon("previous"),
        )
        self.playButton = _button(self, "playerPlayButton", self.tr("Play"), self._play_icon)
        self.playButton.setIconSize(QSize(28, 28))
        self.playButton.setMinimumSize(44, 44)
        self.nextButton = _button(self, "playerNextButton", self.tr("Next"), icons.icon("next"))
        self.abButton = _button(
            self,
            "playerAbButton",
            self.tr("A/B: switch to the other take of this generation at the same position"),
            text=self.tr("A/B"),
        )
        self.abButton.setEnabled(False)

        self.elapsedLabel = QLabel("0:00", self)
        self.elapsedLabel.setObjectName("playerElapsed")
        self.totalLabel = QLabel("0:00", self)
        self.totalLabel.setObjectName("playerTotal")
        self.seekSlider = WaveformSlider(self)
        self.seekSlider.setObjectName("playerSeekSlider")
        self.seekSlider.setAccessibleName(self.tr("Position"))
        self.seekSlider.setToolTip(self.tr("Click or drag to jump there; ← and → move 5 s"))
        self.seekSlider.setRange(0, 0)
        self.seekSlider.setSingleStep(5000)
        self.seekSlider.setPageStep(15000)
        self.seekSlider.setMinimumWidth(120)
        for time_label in (self.elapsedLabel, self.totalLabel):
            time_label.setMinimumWidth(time_label.fontMetrics().horizontalAdvance("00:00"))
            time_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.volumeIcon = QLabel(self)
        self.volumeIcon.setObjectName("playerVolumeIcon")
        self._paint_volume_icon()
        self.volumeSlider = JumpSlider(Qt.Orientation.Horizontal, self)
        self.volumeSlider.setObjectName("playerVolumeSlider")
        self.volumeSlider.setAccessibleName(self.tr("Volume"))
        self.volumeSlider.setRange(0, 100)
        self.volumeSlider.setFixedWidth(80)
        self.volumeSlider.setValue(service.volume)
        self.volumeSlider.setToolTip(self.tr("Volume: {n}%").format(n=service.volume))
        self.lyricsButton = _button(
            self, "playerLyricsButton", self.tr("Show the lyrics"), text=self.tr("Lyrics")
        )
        self.lyricsButton.setCheckable(True)

        row = QHBoxLayout()
        row.setContentsMargins(theme.SPACE, theme.SPACE, theme.SPACE, theme.SPACE)
        row.setSpacing(6)
        row.addWidget(self.cover)
        row.addSpacing(4)
        row.addLayout(now, 2)
        for widget in (self.prevButton, self.playButton, self.nextButton, self.abButton):
            row.addWidget(widget)
        row.addSpacing(8)
        row.addWidget(self.elapsedLabel)
        row.addWidget(self.seekSlider, 5)
        row.addWidget(self.totalLabel)
        row.addSpacing(8)
        row.addWidget(self.volumeIcon)
        row.addWidget(self.volumeSlider)
        row.addWidget(self.lyricsButton)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.lyrics)
        layout.addLayout(row)

        self.playButton.clicked.connect(service.toggle)
        self.prevButton.clicked.connect(service.previous)
        self.nextButton.clicked.connect(service.next)
        self.abButton.clicked.connect(service.switch_take)
        self.volumeSlider.valueChanged.connect(self._volume_moved)
        self.seekSlider.sliderPressed.connect(self._seek_started)
        self.seekSlider.sliderReleased.connect(self._seek_finished)
        self.seekSlider.sliderMoved.connect(self._seek_moved)
        self.seekSlider.actionTriggered.connect(self._seek_action)
        self.lyricsButton.toggled.connect(self.lyrics.setVisible)
        service.playingChanged.connect(self._playing)
        service.positionChanged.connect(self._position)
        service.durationChanged.connect(self._duration)
        service.trackChanged.connect(self._show_waveform)
        if waveforms is not None:
            waveforms.ready.connect(self._waveform_ready)

    # -- rendering ---------------------------------------------------------------------------

    def _paint_volume_icon(self) -> None:
        self.volumeIcon.setPixmap(icons.pixmap("volume", 18, dpr=self.devicePixelRatioF()))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:  # a theme change: draw it in the new text
            self._paint_volume_icon()
        super().changeEvent(event)

    def _playing(self, playing: bool) -> None:
        self.playButton.setIcon(self._pause_icon if playing else self._play_icon)
        tip = self.tr("Pause (Space)") if playing else self.tr("Play (Space)")
        self.playButton.setToolTip(tip)
        self.playButton.setAccessibleName(self.tr("Pause") if playing else self.tr("Play"))

    def _position(self, ms: int) -> None:
        if self._seeking:
            return  # the label shows the time under the handle while it is dragged
        self.seekSlider.blockSignals(True)
        self.seekSlider.setValue(int(ms))
        self.seekSlider.blockSignals(False)
        self.elapsedLabel.setText(duration_text(ms / 1000))

    def _duration(self, ms: int) -> None:
        self.seekSlider.setRange(0, max(0, int(ms)))
        self.totalLabel.setText(duration_text(ms / 1000))

    def _show_waveform(self, track: Track | None) -> None:
        peaks = None
        if track is not None and self.waveforms is not None:
            peaks = self.waveforms.peaks(track.result_id, track.path, urgent=True)
        self.seekSlider.set_peaks(peaks)

    def _waveform_ready(self, result_id: str) -> None:
        track = self.service.track
        if track is not None and track.result_id == result_id and self.waveforms is not None:
            self.seekSlider.set_peaks(self.waveforms.peaks(result_id))

    def show_track(self, track: Track | None, take: str = "") -> None:
        """What is playing; ``take`` is its letter when its generation has several takes."""
        self.abButton.setEnabled(bool(self.service.alternatives()))
        if track is None:
            self.titleLabel.setText(self.tr("Nothing playing"))
            self.subtitleLabel.setText(
                self.service.output_problem(short=True)
                or self.tr("Double-click a track in the Library")
            )
            self.subtitleLabel.setToolTip(self.service.output_problem())
            self.cover.setPixmap(placeholder(COVER))
            self.lyrics.setPlainText("")
            return
        title = track.title or self.tr("Untitled")
        if take:
            title = self.tr("{title} · take {letter}").format(title=title, letter=take)
        self.titleLabel.setText(title)
        self.titleLabel.setToolTip(title)
        parts = [track.artist, track.album, track.style]
        self.subtitleLabel.setText(" · ".join(p for p in parts if p))
        self.subtitleLabel.setToolTip(track.style)

    def set_now_playing(self, cover: QImage | None, lyrics: str) -> None:
        """The cover and lyrics of what is playing (read off the GUI thread by the caller)."""
        self.cover.setPixmap(QPixmap.fromImage(cover) if cover is not None else placeholder(COVER))
        self.lyrics.setPlainText(lyrics or self.tr("(no lyrics)"))

    # -- forwarding --------------------------------------------------------------------------

    def _volume_moved(self, value: int) -> None:
        self.service.set_volume(value)
        self.volumeSlider.setToolTip(self.tr("Volume: {n}%").format(n=value))

    def _seek_started(self) -> None:
        self._seeking = True

    def _seek_finished(self) -> None:
        self._seeking = False
        QToolTip.hideText()
        self.service.seek(self.seekSlider.value())
        self.elapsedLabel.setText(duration_text(self.seekSlider.value() / 1000))

    def _seek_moved(self, value: int) -> None:
        text = duration_text(value / 1000)
        self.elapsedLabel.setText(text)
        slider = self.seekSlider
        where = slider.mapToGlobal(QPoint(round(slider.x_of(value)), -slider.height() // 2))
        QToolTip.showText(where, text, slider)

    def _seek_action(self, action: int) -> None:
        if action != QSlider.SliderAction.SliderMove.value:  # clicks on the groove, keys
            self.service.seek(self.seekSlider.sliderPosition())
