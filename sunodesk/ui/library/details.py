"""The details of the selected track: cover, title, the exact request it came from, the full
lyrics, and "Reuse these settings" (which hands that request to the studio form)."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sunodesk.core.models import SongRequest, Track
from sunodesk.ui.common.cover_cache import placeholder
from sunodesk.ui.library.model import duration_text, model_label, stars_text

COVER = 132


def _weight(value: float | None, auto: str) -> str:
    return auto if value is None else f"{value:.1f}"


class TrackDetails(QWidget):
    reuseRequested = Signal(object)  # SongRequest
    playRequested = Signal(object)  # Track
    editRequested = Signal(object)  # Track

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trackDetails")
        self._track: Track | None = None
        self._request: SongRequest | None = None

        self.cover = QLabel(self)
        self.cover.setObjectName("detailsCover")
        self.cover.setFixedSize(COVER, COVER)
        self.cover.setPixmap(placeholder(COVER))
        self.titleLabel = QLabel(self)
        self.titleLabel.setObjectName("detailsTitle")
        self.titleLabel.setWordWrap(True)
        self.titleLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.titleLabel.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.titleLabel.setFont(font)
        self.metaLabel = QLabel(self)
        self.metaLabel.setObjectName("detailsMeta")
        self.metaLabel.setWordWrap(True)
        self.metaLabel.setStyleSheet("color: palette(placeholder-text);")
        self.fileLabel = QLabel(self)
        self.fileLabel.setObjectName("detailsFileState")
        self.fileLabel.setWordWrap(True)
        self.fileLabel.setStyleSheet("color: #b42318;")
        self.fileLabel.hide()
        self.markLabel = QLabel(self)
        self.markLabel.setObjectName("detailsRating")
        self.markLabel.setAccessibleName(self.tr("Rating and favourite"))

        self.request = QFormLayout()
        self.request.setContentsMargins(0, 0, 0, 0)
        self.request.setHorizontalSpacing(10)
        self.request.setVerticalSpacing(2)
        self._values: dict[str, QLabel] = {}
        for key, label in (
            ("model", self.tr("Model")),
            ("style", self.tr("Styles")),
            ("exclude", self.tr("Exclude")),
            ("weights", self.tr("Weights")),
            ("persona", self.tr("Persona")),
            ("voice", self.tr("Voice")),
        ):
            value = QLabel(self)
            value.setObjectName(f"detailsRequest_{key}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._values[key] = value
            self.request.addRow(label, value)

        self.reuseButton = QPushButton(self.tr("Reuse these settings"), self)
        self.reuseButton.setObjectName("reuseSettingsButton")
        self.reuseButton.setToolTip(self.tr("Load this request into the studio form"))
        self.reuseButton.clicked.connect(self._reuse)
        self.playButton = QPushButton(self.tr("Play"), self)
        self.playButton.setObjectName("detailsPlayButton")
        self.playButton.clicked.connect(
            lambda: self._track and self.playRequested.emit(self._track)
        )
        self.editButton = QPushButton(self.tr("Edit tags…"), self)
        self.editButton.setObjectName("detailsEditButton")
        self.editButton.clicked.connect(
            lambda: self._track and self.editRequested.emit(self._track)
        )

        self.lyrics = QPlainTextEdit(self)
        self.lyrics.setObjectName("detailsLyrics")
        self.lyrics.setAccessibleName(self.tr("Lyrics"))
        self.lyrics.setReadOnly(True)
        self.lyricsPlaceholder = self.tr("No lyrics (instrumental or not recorded).")

        head_text = QVBoxLayout()
        head_text.addWidget(self.titleLabel)
        head_text.addWidget(self.metaLabel)
        head_text.addWidget(self.markLabel)
        head_text.addWidget(self.fileLabel)
        head_text.addLayout(self.request)
        head_text.addStretch(1)
        head = QHBoxLayout()
        head.addWidget(self.cover, 0, Qt.AlignmentFlag.AlignTop)
        head.addLayout(head_text, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.playButton)
        buttons.addWidget(self.editButton)
        buttons.addStretch(1)
        buttons.addWidget(self.reuseButton)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(head)
        layout.addLayout(buttons)
        layout.addWidget(self.lyrics, 1)
        self.show_track(None)

    @property
    def track(self) -> Track | None:
        return self._track

    def show_track(
        self, track: Track | None, lyrics: str = "", cover: QImage | None = None, persona: str = ""
    ) -> None:
        self._track = track
        self._request = track.song_request if track else None
        for widget in (self.reuseButton, self.playButton, self.editButton):
            widget.setEnabled(track is not None)
        self.reuseButton.setEnabled(self._request is not None)
        self.cover.setPixmap(QPixmap.fromImage(cover) if cover is not None else placeholder(COVER))
        if track is None:
            self.titleLabel.setText(self.tr("No track selected"))
            self.metaLabel.setText(self.tr("Pick a track to see its request and lyrics."))
            self.fileLabel.hide()
            self.markLabel.hide()
            self.lyrics.setPlaceholderText("")  # nothing is said about lyrics nobody asked for
            self.lyrics.setPlainText("")
            self.lyrics.hide()
            for row in range(self.request.rowCount()):
                self.request.setRowVisible(row, False)
            return
        for row in range(self.request.rowCount()):
            self.request.setRowVisible(row, True)
        self.titleLabel.setText(track.title or self.tr("Untitled"))
        meta = [
            track.artist,
            track.album,
            duration_text(track.duration),
            time.strftime("%Y-%m-%d %H:%M", time.localtime(track.created_at)),
        ]
        if track.imported:
            meta.append(self.tr("imported"))
        self.metaLabel.setText(" · ".join(m for m in meta if m))
        self.metaLabel.setToolTip(track.path or "")
        states = {
            "missing": self.tr("The file is missing. Rescan to find it if it was moved."),
            "changed": self.tr("The file was replaced or cannot be read."),
        }
        self.fileLabel.setText(states.get(track.file_state, ""))
        self.fileLabel.setVisible(track.file_state in states)
        self.lyrics.setPlaceholderText(self.lyricsPlaceholder)
        self.lyrics.setPlainText(lyrics)
        self.lyrics.show()
        marks = [
            stars_text(track.rating) + "  " + self.tr("{n} of 5").format(n=track.rating)
            if track.rating
            else self.tr("Not rated")
        ]
        if track.favourite:
            marks.append(self.tr("Favourite"))
        self.markLabel.setText(" · ".join(marks))
        self.markLabel.show()
        self._fill_request(track, persona)

    def _fill_request(self, track: Track, persona: str) -> None:
        req = self._request
        auto = self.tr("Auto")
        if req is None:
            self._values["model"].setText(model_label(track.model) if track.model else "")
            self._values["style"].setText(track.style)
            for key in ("exclude", "weights", "persona", "voice"):
                self._values[key].setText("")
            self._values["exclude"].setText(self.tr("(the request is not known)"))
            return
        mode = "" if req.custom_mode else self.tr(" · simple mode")
        self._values["model"].setText(model_label(req.model) + mode)
        self._values["style"].setText(req.style if req.custom_mode else req.prompt)
        self._values["exclude"].setText(req.negative_tags or "—")
        self._values["weights"].setText(
            self.tr("style {s} · weirdness {w} · audio {a}").format(
                s=_weight(req.style_weight, auto),
                w=_weight(req.weirdness, auto),
                a=_weight(req.audio_weight, auto),
            )
        )
        name = req.persona_name or persona or (req.persona_id or "")
        kind = {"voice_persona": self.tr("voice"), "style_persona": self.tr("style")}.get(
            req.persona_model or "", ""
        )
        self._values["persona"].setText(f"{name} ({kind})" if name and kind else name or "—")
        voice = {"m": self.tr("male"), "f": self.tr("female")}.get(req.vocal_gender or "", auto)
        self._values["voice"].setText(self.tr("instrumental") if req.instrumental else voice)

    def _reuse(self) -> None:
        if self._request is not None:
            self.reuseRequested.emit(self._request)
