"""The tag editor: title, artist, album, genre, lyrics and cover of one file.

The dialog only collects the changes; the library bridge writes them through the one tagging
module (which keeps every frame it does not own and reads the file back), then updates the
database. The current tags and a chosen cover image are read off the GUI thread.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sunodesk.core.models import Track
from sunodesk.ui.common.cover_cache import placeholder
from sunodesk.ui.common.tasks import spawn

COVER = 120
TEXT_FIELDS = ("title", "artist", "album", "genre")


class TagEditorDialog(QDialog):
    saveRequested = Signal(object, dict)  # Track, changed fields (TagSet names)

    def __init__(self, track: Track, bridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tagEditor")
        self.setWindowTitle(self.tr("Edit tags — {title}").format(title=track.title))
        self.track = track
        self.bridge = bridge
        self._loaded: dict[str, object] = {}
        self._cover: bytes | None = None
        self._cover_changed = False

        form = QFormLayout()
        self.edits: dict[str, QLineEdit] = {}
        labels = {
            "title": self.tr("Title"),
            "artist": self.tr("Artist"),
            "album": self.tr("Album"),
            "genre": self.tr("Genre"),
        }
        for name in TEXT_FIELDS:
            edit = QLineEdit(self)
            edit.setObjectName(f"tag_{name}")
            edit.setAccessibleName(labels[name])
            self.edits[name] = edit
            form.addRow(labels[name], edit)
        self.lyrics = QPlainTextEdit(self)
        self.lyrics.setObjectName("tag_lyrics")
        self.lyrics.setAccessibleName(self.tr("Lyrics"))
        form.addRow(self.tr("Lyrics"), self.lyrics)

        self.coverLabel = QLabel(self)
        self.coverLabel.setObjectName("tag_cover")
        self.coverLabel.setFixedSize(COVER, COVER)
        self.coverLabel.setPixmap(placeholder(COVER))
        choose = QPushButton(self.tr("Choose image…"), self)
        choose.setObjectName("tagChooseCover")
        choose.clicked.connect(self._choose_cover)
        remove = QPushButton(self.tr("Remove"), self)
        remove.setObjectName("tagRemoveCover")
        remove.clicked.connect(lambda: self.set_cover(None))
        cover_buttons = QVBoxLayout()
        cover_buttons.addWidget(choose)
        cover_buttons.addWidget(remove)
        cover_buttons.addStretch(1)
        cover_row = QHBoxLayout()
        cover_row.addWidget(self.coverLabel)
        cover_row.addLayout(cover_buttons)
        cover_row.addStretch(1)
        form.addRow(self.tr("Cover"), cover_row)

        self.status = QLabel(self.tr("Reading the file…"), self)
        self.status.setObjectName("tagStatus")
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.resize(520, 560)

    def start(self) -> None:
        """Show the dialog (window-modal) and read the file's tags into it."""
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.show()
        spawn(self._load())

    async def _load(self) -> None:
        try:
            current = await self.bridge.read_tags(self.track.path)
        except Exception as exc:  # TagWriteError or OSError: a plain reason
            self.status.setText(self.tr("The tags cannot be read: {reason}").format(reason=exc))
            return
        for name in TEXT_FIELDS:
            value = getattr(current, name)
            self._loaded[name] = value
            self.edits[name].setText(value)
        self._loaded["lyrics"] = current.lyrics
        self.lyrics.setPlainText(current.lyrics)
        self._cover = current.cover
        self._show_cover()
        self.status.setText("")
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(True)

    @property
    def loaded(self) -> bool:
        return bool(self._loaded)

    def _show_cover(self) -> None:
        image = QImage.fromData(self._cover) if self._cover else QImage()
        if image.isNull():
            self.coverLabel.setPixmap(placeholder(COVER))
        else:
            self.coverLabel.setPixmap(
                QPixmap.fromImage(image).scaled(
                    COVER,
                    COVER,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )

    def set_cover(self, data: bytes | None) -> None:
        if data is not None and QImage.fromData(data).isNull():
            self.status.setText(self.tr("That file is not an image."))
            return
        self._cover = data
        self._cover_changed = True
        self._show_cover()

    def _choose_cover(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose a cover image"),
            "",
            self.tr("Images (*.png *.jpg *.jpeg *.gif *.webp)"),
        )
        if path:
            spawn(self.load_cover_file(path))

    async def load_cover_file(self, path: str) -> None:
        try:
            self.set_cover(await self.bridge.read_cover_file(path))
        except OSError as exc:
            self.status.setText(
                self.tr("The image cannot be read: {reason}").format(reason=exc.strerror or exc)
            )

    def changes(self) -> dict[str, object]:
        """Only what the person changed (so nothing else in the file is touched)."""
        changed: dict[str, object] = {}
        for name in TEXT_FIELDS:
            value = self.edits[name].text().strip()
            if value != self._loaded.get(name, ""):
                changed[name] = value
        lyrics = self.lyrics.toPlainText()
        if lyrics != self._loaded.get("lyrics", ""):
            changed["lyrics"] = lyrics
        if self._cover_changed:
            changed["cover"] = self._cover
        return changed

    def _save(self) -> None:
        changes = self.changes()
        if changes:
            self.saveRequested.emit(self.track, changes)
        self.accept()
