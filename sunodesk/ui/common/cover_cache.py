"""Cover thumbnails for the library's rows, read from the files' tags off the GUI thread.

The model asks for a row's thumbnail as the view paints it; a miss returns a placeholder and
queues the file, and the queue is read in one worker call per batch. A bounded LRU keeps
memory flat however many rows are scrolled past.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap

from sunodesk.core.models import Track
from sunodesk.ui.common import icons
from sunodesk.ui.common.tasks import spawn

Loader = Callable[[list[str], int], Awaitable[dict[str, QImage | None]]]
BATCH = 24


def placeholder(size: int, seed: str = "") -> QPixmap:
    """A calm square with the set's music icon, tinted per generation so takes read as a pair."""
    hue = (sum(map(ord, seed)) * 47) % 360 if seed else 220
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor.fromHsl(hue, 60, 90))
    note = icons.render("music", QColor.fromHsl(hue, 80, 200), round(size * 0.5))
    painter = QPainter(pixmap)
    painter.drawPixmap((size - note.width()) // 2, (size - note.height()) // 2, note)
    painter.end()
    return pixmap


class CoverCache(QObject):
    loaded = Signal(set)  # result ids whose thumbnail arrived

    def __init__(self, size: int = 36, capacity: int = 600, parent: QObject | None = None):
        super().__init__(parent)
        self.size = size
        self.capacity = capacity
        self.loader: Loader | None = None
        self._cache: OrderedDict[str, QPixmap | None] = OrderedDict()  # path -> thumbnail
        self._queued: dict[str, set[str]] = {}  # path -> result ids waiting for it
        self._loading: set[str] = set()
        self._placeholders: dict[int, QPixmap] = {}
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self._flush)

    def clear(self) -> None:
        self._cache.clear()
        self._queued.clear()

    def forget(self, path: str | None) -> None:
        """Read this file's cover again next time (its tags were edited)."""
        if path:
            self._cache.pop(path, None)

    def get(self, track: Track) -> QPixmap:
        path = track.path
        if path and path in self._cache:
            self._cache.move_to_end(path)
            thumb = self._cache[path]
            if thumb is not None:
                return thumb
        elif path and self.loader is not None:
            self._queued.setdefault(path, set()).add(track.result_id)
            if not self._timer.isActive():
                self._timer.start()
        return self._placeholder(track.job_id if track.job_id is not None else 0)

    def _placeholder(self, job_id: int) -> QPixmap:
        key = job_id % 12
        if key not in self._placeholders:
            self._placeholders[key] = placeholder(self.size, str(key * 7919))
        return self._placeholders[key]

    def _flush(self) -> None:
        if not self._queued or self.loader is None:
            return
        paths = [p for p in self._queued if p not in self._loading][:BATCH]
        waiting = {p: self._queued.pop(p) for p in paths}
        self._loading.update(paths)
        spawn(self._load(waiting))

    async def _load(self, waiting: dict[str, set[str]]) -> None:
        loader = self.loader
        try:
            images = await loader(list(waiting), self.size) if loader else {}
        except Exception:  # no worker now (closing): these rows ask again when painted
            images = {}
        finally:
            self._loading.difference_update(waiting)
        done: set[str] = set()
        for path, image in images.items():
            self._cache[path] = QPixmap.fromImage(image) if image is not None else None
            done |= waiting.get(path, set())
        while len(self._cache) > self.capacity:
            self._cache.popitem(last=False)
        if done:
            self.loaded.emit(done)
        if self._queued:
            self._timer.start()
