"""The library's Qt adapter: every database, tag and file call of the library and the player
runs here, off the GUI thread, and changes come back as signals carrying frozen Tracks."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QSize, Qt, Signal
from PySide6.QtGui import QImage, QImageReader

from sunodesk.core.models import Persona, Track
from sunodesk.engine.session import Session
from sunodesk.store import library_files, tags, track_edit
from sunodesk.ui.common.tasks import off_thread


@dataclass(frozen=True)
class TrackDetail:
    """What the details pane and the player show for one track."""

    track: Track
    lyrics: str
    cover: QImage | None


def scaled_cover(data: bytes | None, size: int) -> QImage | None:
    """Cover bytes as a square image of ``size`` px (QImage is safe in worker threads).

    PySide holds the GIL through every QImage call, so a worker decoding a cover holds up the
    GUI thread as long as the decode lasts: the reader is asked for the small size up front,
    which JPEG decodes at a fraction of the work (a 1,024 px photo in about a quarter of the
    time of decoding it whole and scaling it down).
    """
    if not data:
        return None
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    whole = reader.size()
    if whole.width() > size and whole.height() > size:
        scale = max(size / whole.width(), size / whole.height())  # fills the square
        reader.setScaledSize(
            QSize(max(size, round(whole.width() * scale)), max(size, round(whole.height() * scale)))
        )
    image = reader.read()
    if image.isNull():
        return None
    if image.width() != size or image.height() != size:
        image = image.scaled(
            size,
            size,
            Qt.AspectRatioMode.KeepAspectRatioByExpanding,
            Qt.TransformationMode.SmoothTransformation,
        )
    return image.copy(0, 0, size, size)


def _thumbnails(paths: list[str], size: int) -> dict[str, QImage | None]:
    return {path: scaled_cover(tags.read_cover(path), size) for path in paths}


class LibraryBridge(QObject):
    tracksChanged = Signal(list)  # list[Track]: added or updated
    tracksRemoved = Signal(list)  # list[str]: result ids
    textsChanged = Signal(list)  # list[(result id, search text)] after titles or lyrics changed

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.repo = session.store.tracks

    @property
    def library_dir(self) -> Path:
        return self.session.engine.options.library_dir

    async def load(self) -> tuple[list[Track], list[Persona]]:
        def read() -> tuple[list[Track], list[Persona]]:
            return self.repo.library(), self.session.store.personas.all()

        return await off_thread(read)

    async def personas(self) -> list[Persona]:
        return await off_thread(self.session.store.personas.all)

    async def search_texts(self, result_ids: list[str] | None = None) -> list[tuple[str, str]]:
        return await off_thread(self.repo.search_texts, result_ids)

    async def matching_ids(self, text: str) -> set[str]:
        return await off_thread(self.repo.matching_ids, text, "done")

    async def detail(self, result_id: str, cover_size: int) -> TrackDetail | None:
        def read() -> TrackDetail | None:
            track = self.repo.get(result_id)
            if track is None:
                return None
            cover = tags.read_cover(track.path) if track.path else None
            return TrackDetail(
                track, self.repo.lyrics(result_id) or "", scaled_cover(cover, cover_size)
            )

        return await off_thread(read)

    async def thumbnails(self, paths: list[str], size: int) -> dict[str, QImage | None]:
        return await off_thread(_thumbnails, paths, size)

    async def read_tags(self, path: str) -> tags.TagSet:
        return await off_thread(tags.read_tags, path)

    async def read_bytes(self, path: str) -> bytes:
        return await off_thread(Path(path).read_bytes)

    async def read_cover_file(self, path: str) -> bytes:
        """An image for a cover; raises OSError (tags.TagValueError) with a plain reason for a
        file that is too large (checked before reading) or not an image."""
        return await off_thread(tags.read_cover_file, path)

    async def _changed(self, fn, *args, texts: bool = False) -> Track | None:
        def run():
            track = fn(*args)
            pairs = self.repo.search_texts([track.result_id]) if texts and track else []
            return track, pairs

        track, pairs = await off_thread(run)
        if pairs:
            self.textsChanged.emit(pairs)
        if track is not None:
            self.tracksChanged.emit([track])
        return track

    async def _with_texts(self, fn, *args):
        """Run ``fn`` off the GUI thread, then read the search texts of what it changed."""

        def run():
            report = fn(*args)
            ids = [
                t.result_id
                for t in getattr(report, "updated", None) or getattr(report, "added", [])
                if t is not None
            ]
            return report, self.repo.search_texts(ids) if ids else []

        report, pairs = await off_thread(run)
        if pairs:
            self.textsChanged.emit(pairs)
        return report

    async def set_favourite(self, result_id: str, favourite: bool) -> Track | None:
        return await self._changed(self.repo.set_favourite, result_id, favourite)

    async def set_rating(self, result_id: str, rating: int) -> Track | None:
        return await self._changed(self.repo.set_rating, result_id, rating)

    async def save_tags(self, track: Track, changes: dict[str, object]) -> Track | None:
        """Write the changed fields into the file (read back and verified), then the database
        (store.track_edit, shared with `sunodesk edit`).

        Raises tags.TagWriteError, OSError or LookupError with a plain reason."""

        def write() -> Track | None:
            return track_edit.edit_track(self.repo, track.result_id, changes).track

        return await self._changed(write, texts=True)

    async def rescan(self) -> library_files.RescanReport:
        report = await self._with_texts(library_files.rescan, self.repo, self.library_dir)
        if report.updated:
            self.tracksChanged.emit([t for t in report.updated if t is not None])
        return report

    async def import_files(self, paths: list[str]) -> library_files.ImportReport:
        report = await self._with_texts(
            library_files.import_files, self.repo, [Path(p) for p in paths], self.library_dir
        )
        if report.added:
            self.tracksChanged.emit(report.added)
        return report

    async def export(self, paths: list[str], folder: str) -> library_files.FileReport:
        return await off_thread(library_files.export_files, paths, Path(folder))

    async def delete(self, result_ids: list[str]) -> library_files.FileReport:
        report = await off_thread(library_files.delete_to_trash, self.repo, result_ids)
        if report.done:
            self.tracksRemoved.emit(report.done)
        return report
