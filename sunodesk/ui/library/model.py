"""The library's table model: every track loaded once, sorted and filtered in memory.

The takes of one generation stay together: sorting orders the generations (by the column's
value of their first take, or their best for favourite and rating) and keeps each one's takes
in filing order beneath it, marked A, B … The view asks only for the rows it paints, so ten
thousand tracks cost one list, and a search keystroke is one pass over it with a set of ids.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QDateTime,
    QLocale,
    QMimeData,
    QModelIndex,
    QObject,
    Qt,
    QUrl,
    Signal,
)
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from sunodesk.core import rules
from sunodesk.core.formatting import format_length as duration_text
from sunodesk.core.models import Track
from sunodesk.ui.common import icons

COLUMNS = ("cover", "title", "style", "model", "persona", "duration", "date", "favourite", "rating")
TrackRole = Qt.ItemDataRole.UserRole + 1
GroupStartRole = Qt.ItemDataRole.UserRole + 2  # True on the first visible take of a generation
TakeRole = Qt.ItemDataRole.UserRole + 3  # "A", "B" … for takes of a generation, else ""


def group_of(track: Track) -> tuple[int, str]:
    """Takes of one job form a generation; an imported track is its own."""
    return (track.job_id, "") if track.job_id is not None else (-1, track.result_id)


def model_label(model: str) -> str:
    """ "V5" for "suno-v5-beta"; an unknown name as it is."""
    found = rules.rules_for(model) if model else None
    return found.label if found else model


def short_date(when: float, now: float | None = None, locale: QLocale | None = None) -> str:
    """ "Today 19:52", "Yesterday 08:10", or "12 Nov 2026": in the person's locale (the time in
    its short format, the month's name in its language)."""
    locale = locale or QLocale()
    moment = QDateTime.fromSecsSinceEpoch(int(when))
    today = QDateTime.fromSecsSinceEpoch(int(time.time() if now is None else now)).date()
    clock = locale.toString(moment.time(), QLocale.FormatType.ShortFormat)
    if moment.date() == today:
        return QCoreApplication.translate("LibraryModel", "Today {time}").format(time=clock)
    if moment.date() == today.addDays(-1):
        return QCoreApplication.translate("LibraryModel", "Yesterday {time}").format(time=clock)
    return locale.toString(moment.date(), "d MMM yyyy")


RATING_STARS = 5


def stars_text(rating: int) -> str:
    rating = max(0, min(RATING_STARS, rating))
    return "★" * rating + "☆" * (RATING_STARS - rating)


@dataclass(frozen=True)
class Filter:
    """What the library shows: a search (the ids it matched, None for no search) and filters."""

    ids: frozenset[str] | None = None
    favourites: bool = False
    model: str | None = None
    persona: str | None = None
    since: float | None = None  # created at or after (epoch seconds)

    def apply(self, tracks: list[Track]) -> list[Track]:
        """The tracks this filter keeps, in order (one tight pass per active condition)."""
        if self.ids is not None:
            ids = self.ids
            tracks = [t for t in tracks if t.result_id in ids]
        if self.favourites:
            tracks = [t for t in tracks if t.favourite]
        if self.model is not None:
            tracks = [t for t in tracks if t.model == self.model]
        if self.persona is not None:
            tracks = [t for t in tracks if t.persona_id == self.persona]
        if self.since is not None:
            tracks = [t for t in tracks if t.created_at >= self.since]
        return tracks

    def accepts(self, t: Track) -> bool:
        return ((self.ids is None or t.result_id in self.ids)
                and (not self.favourites or t.favourite)
                and (self.model is None or t.model == self.model)
                and (self.persona is None or t.persona_id == self.persona)
                and (self.since is None or t.created_at >= self.since))  # fmt: skip


class LibraryModel(QAbstractTableModel):
    filtered = Signal()  # the visible rows changed (search, filter or sort)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._groups: dict[tuple[int, str], list[Track]] = {}
        self._ordered: list[Track] = []  # every track, in sort order
        self._rows: list[Track] = []  # the visible ones
        self._letters: dict[str, str] = {}  # result id -> take letter
        self._filter = Filter()
        self._sort = (COLUMNS.index("date"), Qt.SortOrder.DescendingOrder)
        self._personas: dict[str, str] = {}
        self._playing: str | None = None
        self.decoration: Callable[[Track], object] = lambda _t: None  # the cover cache

    # -- data in -----------------------------------------------------------------------------

    def set_tracks(self, tracks: Iterable[Track]) -> None:
        self._groups = {}
        for track in tracks:
            self._groups.setdefault(group_of(track), []).append(track)
        for takes in self._groups.values():
            takes.sort(key=lambda t: t.id or 0)
        self._relabel()
        self._resort()

    def set_personas(self, names: dict[str, str]) -> None:
        self._personas = dict(names)
        self._emit_column("persona")

    def set_playing(self, result_id: str | None) -> None:
        """Mark what the player is playing (drawn bold with the accent "playing" icon)."""
        changed = {self._playing, result_id} - {None}
        self._playing = result_id
        for row, track in enumerate(self._rows):
            if track.result_id in changed:
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def take_letter(self, result_id: str) -> str:
        return self._letters.get(result_id, "")

    def persona_name(self, persona_id: str | None) -> str:
        return self._personas.get(persona_id or "", "") if persona_id else ""

    def upsert(self, tracks: Iterable[Track]) -> None:
        """Add new tracks or replace changed ones (a take filed, a tag edited, a rescan)."""
        regroup = False
        for track in tracks:
            takes = self._groups.setdefault(group_of(track), [])
            for i, old in enumerate(takes):
                if old.result_id == track.result_id:
                    takes[i] = track
                    break
            else:
                takes.append(track)
                takes.sort(key=lambda t: t.id or 0)
                regroup = True
        if regroup:
            self._relabel()
        self._resort()

    def remove(self, result_ids: Iterable[str]) -> None:
        gone = set(result_ids)
        for key in list(self._groups):
            takes = [t for t in self._groups[key] if t.result_id not in gone]
            if takes:
                self._groups[key] = takes
            else:
                del self._groups[key]
        self._relabel()
        self._resort()

    def set_filter(self, value: Filter) -> None:
        self._filter = value
        self._refilter()

    @property
    def current_filter(self) -> Filter:
        return self._filter

    # -- order and filter --------------------------------------------------------------------

    def _relabel(self) -> None:
        self._letters = {}
        for takes in self._groups.values():
            if len(takes) > 1:
                for i, track in enumerate(takes):
                    self._letters[track.result_id] = chr(ord("A") + i) if i < 26 else str(i + 1)

    def _key(self, column: str) -> Callable[[list[Track]], object]:
        first = {
            "cover": lambda t: t.created_at,
            "title": lambda t: t.title.casefold(),
            "style": lambda t: t.style.casefold(),
            "model": lambda t: t.model,
            "persona": lambda t: self.persona_name(t.persona_id).casefold(),
            "duration": lambda t: t.duration or 0.0,
            "date": lambda t: t.created_at,
        }
        if column == "favourite":
            return lambda g: (max(t.favourite for t in g), g[0].created_at)
        if column == "rating":
            return lambda g: (max(t.rating for t in g), g[0].created_at)
        one = first[column]
        return lambda g: (one(g[0]), g[0].created_at)

    def _resort(self) -> None:
        column, order = self._sort
        key = self._key(COLUMNS[column])
        groups = sorted(
            self._groups.values(), key=key, reverse=order == Qt.SortOrder.DescendingOrder
        )
        self._ordered = [t for g in groups for t in g]
        self._refilter()

    def _refilter(self) -> None:
        self.beginResetModel()
        self._rows = self._filter.apply(self._ordered)
        self.endResetModel()
        self.filtered.emit()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order)
        self._resort()

    # -- reading -----------------------------------------------------------------------------

    def tracks(self) -> list[Track]:
        """The visible tracks, in view order (the player's next/previous walk this)."""
        return list(self._rows)

    def all_count(self) -> int:
        return len(self._ordered)

    def track(self, row: int) -> Track | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, result_id: str) -> int:
        for row, track in enumerate(self._rows):
            if track.result_id == result_id:
                return row
        return -1

    def siblings(self, track: Track) -> list[Track]:
        """Every take of ``track``'s generation (filtered or not), in filing order."""
        return list(self._groups.get(group_of(track), [track]))

    def takes_of_job(self, job_id: int) -> list[Track]:
        """Every take one job filed, in filing order (A, B …)."""
        return list(self._groups.get((job_id, ""), []))

    def get(self, result_id: str) -> Track | None:
        for takes in self._groups.values():
            for track in takes:
                if track.result_id == result_id:
                    return track
        return None

    def models(self) -> list[str]:
        return sorted({t.model for t in self._ordered if t.model})

    def persona_ids(self) -> list[str]:
        return sorted({t.persona_id for t in self._ordered if t.persona_id})

    # -- Qt model ----------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                "cover": "", "title": self.tr("Title"),
                "style": self.tr("Styles"), "model": self.tr("Model"),
                "persona": self.tr("Persona"), "duration": self.tr("Length"),
                "date": self.tr("Date"), "favourite": "", "rating": self.tr("Rating"),
            }[COLUMNS[section]]  # fmt: skip
        if role == Qt.ItemDataRole.DecorationRole and COLUMNS[section] == "favourite":
            return icons.icon("heart", "muted")
        if role == Qt.ItemDataRole.ToolTipRole:
            return {
                "favourite": self.tr("Favourite"),
                "cover": self.tr("Cover; A, B … mark the takes of one generation"),
            }.get(COLUMNS[section])
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        track = self._rows[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(track, column)
        if role == TrackRole:
            return track
        if role == GroupStartRole:
            row = index.row()
            return row == 0 or group_of(self._rows[row - 1]) != group_of(track)
        if role == TakeRole:
            return self._letters.get(track.result_id, "")
        if role == Qt.ItemDataRole.FontRole and track.result_id == self._playing:
            font = QApplication.font()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.DecorationRole:
            if column == "cover":
                return self.decoration(track)
            if column == "favourite":
                if track.favourite:
                    return icons.icon("heart-filled", "accent")
                return icons.icon("heart", "muted")
            if column == "title" and track.result_id == self._playing:
                return icons.icon("playing", "accent")
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(track, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if track.file_state != "ok":
                return QColor("#b42318")
            if column in ("model", "date", "duration") or (column == "rating" and not track.rating):
                return QApplication.palette().color(
                    QPalette.ColorGroup.Active, QPalette.ColorRole.PlaceholderText
                )
        if role == Qt.ItemDataRole.TextAlignmentRole and column in ("duration", "favourite"):
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if column == "rating":
                return (
                    self.tr("Rated {n} of 5").format(n=track.rating)
                    if track.rating
                    else (self.tr("Not rated"))
                )
            if column == "favourite":
                return self.tr("Favourite") if track.favourite else self.tr("Not a favourite")
            return self._display(track, column) or column
        return None

    def _display(self, track: Track, column: str) -> str:
        if column == "title":
            title = track.title or self.tr("Untitled")
            return title
        if column == "style":
            return track.style
        if column == "model":
            return model_label(track.model)
        if column == "persona":
            return self.persona_name(track.persona_id)
        if column == "duration":
            return duration_text(track.duration)
        if column == "date":
            return short_date(track.created_at)
        if column == "rating":
            return stars_text(track.rating)  # empty stars too: a click on one rates
        return ""

    def _tooltip(self, track: Track, column: str) -> str | None:
        if track.file_state == "missing":
            return self.tr("The file is missing: {path}").format(path=track.path)
        if track.file_state == "changed":
            return self.tr("The file was replaced or cannot be read: {path}").format(
                path=track.path
            )
        if column == "favourite":
            return self.tr("Click to mark or unmark as a favourite")
        if column == "rating":
            return self.tr("Click a star, or press 0–5, to rate")
        if column in ("title", "style"):
            return self._display(track, column)
        if column == "date":
            return time.strftime("%Y-%m-%d %H:%M", time.localtime(track.created_at))
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
        )

    # -- drag out ----------------------------------------------------------------------------

    def mimeTypes(self) -> list[str]:
        return ["text/uri-list"]

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction

    def mimeData(self, indexes) -> QMimeData:
        rows = sorted({i.row() for i in indexes})
        paths = [self._rows[r].path for r in rows if self._rows[r].path]
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(p) for p in paths])
        mime.setText("\n".join(paths))
        return mime

    # -- helpers -----------------------------------------------------------------------------

    def _emit_column(self, name: str) -> None:
        if self._rows:
            col = COLUMNS.index(name)
            self.dataChanged.emit(self.index(0, col), self.index(len(self._rows) - 1, col))

    def refresh_covers(self, result_ids: set[str]) -> None:
        col = COLUMNS.index("cover")
        for row, track in enumerate(self._rows):
            if track.result_id in result_ids:
                index = self.index(row, col)
                self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])
