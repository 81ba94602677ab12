"""The Library tab: search and filters over a table of every track, and the selected track's
details beneath it. It holds widgets and in-memory state only; the feature does the I/O."""

from __future__ import annotations

import time
from dataclasses import replace

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from sunodesk.core.models import Track
from sunodesk.ui.common import icons
from sunodesk.ui.library.details import TrackDetails
from sunodesk.ui.library.model import (
    COLUMNS,
    Filter,
    GroupStartRole,
    LibraryModel,
    TakeRole,
    model_label,
    short_date,
    stars_text,
)

ROW_HEIGHT = 40
COVER_COLUMN = COLUMNS.index("cover")
DAY = 86400.0


class GroupDelegate(QStyledItemDelegate):
    """Draws a rule above the first take of each generation, so takes read as one group."""

    def initStyleOption(self, option, index: QModelIndex) -> None:
        super().initStyleOption(option, index)
        if index.column() != COVER_COLUMN:  # marks (playing, favourite) at icon size, not cover
            option.decorationSize = QSize(16, 16)

    def paint(self, painter, option, index: QModelIndex) -> None:
        super().paint(painter, option, index)
        if index.column() == COVER_COLUMN:
            self._paint_take(painter, option, index.data(TakeRole))
        if index.row() > 0 and index.data(GroupStartRole):
            painter.save()
            colour = option.palette.color(option.palette.ColorRole.Mid)
            painter.setPen(QPen(colour, 1))
            painter.drawLine(option.rect.topLeft(), option.rect.topRight())
            painter.restore()

    @staticmethod
    def _paint_take(painter, option, letter: str | None) -> None:
        """The take's letter as a small badge on its cover."""
        if not letter:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        badge = QRect(option.rect.right() - 17, option.rect.bottom() - 16, 15, 14)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(0, 0, 0, 170))
        painter.drawRoundedRect(badge, 3, 3)
        font = QFont(option.font)
        font.setPixelSize(10)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor("white"))
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, letter)
        painter.restore()


class LibraryPanel(QWidget):
    searchChanged = Signal(str)
    selectionChanged = Signal()
    activated = Signal(object)  # Track (double-click or Return)
    favouriteClicked = Signal(object)  # Track
    contextMenuRequested = Signal(object)  # global QPoint
    ratingRequested = Signal(object, int)  # list[Track], 0-5 stars

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("libraryPanel")
        self.model = LibraryModel(self)

        self.search = QLineEdit(self)
        self.search.setObjectName("librarySearch")
        self.search.setAccessibleName(self.tr("Search the library"))
        self.search.setPlaceholderText(self.tr("Search titles, styles and lyrics"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.searchChanged)
        self.favourites = QToolButton(self)
        self.favourites.setObjectName("libraryFavouritesFilter")
        self.favourites.setText(self.tr("Favourites"))
        self.favourites.setIcon(icons.icon("heart"))
        self.favourites.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.favourites.setAccessibleName(self.tr("Only favourites"))
        self.favourites.setCheckable(True)
        self.modelFilter = self._combo("libraryModelFilter", self.tr("Filter by model"))
        self.personaFilter = self._combo("libraryPersonaFilter", self.tr("Filter by persona"))
        self.dateFilter = self._combo("libraryDateFilter", self.tr("Filter by date"))
        for text, days in (
            (self.tr("Any time"), None),
            (self.tr("Today"), 0),
            (self.tr("Last 7 days"), 7),
            (self.tr("Last 30 days"), 30),
            (self.tr("Last 12 months"), 365),
        ):
            self.dateFilter.addItem(text, days)
        self.menuButton = QToolButton(self)
        self.menuButton.setObjectName("libraryMenuButton")
        self.menuButton.setText(self.tr("Library"))
        self.menuButton.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.countLabel = QLabel(self)
        self.countLabel.setObjectName("libraryCount")
        self.countLabel.setStyleSheet("color: palette(placeholder-text);")

        self.view = QTableView(self)
        self.view.setObjectName("libraryView")
        self.view.setAccessibleName(self.tr("Library"))
        self.view.setModel(self.model)
        self.view.setItemDelegate(GroupDelegate(self.view))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setDragEnabled(True)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.view.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        self.view.setIconSize(QSize(36, 36))
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.view.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # The title takes what is left; the other columns are as wide as what they show, from
        # the font (measuring every row would cost a pass over ten thousand tracks).
        fm = self.view.fontMetrics()
        pad = 14

        def fit(*samples: str) -> int:
            return max(fm.horizontalAdvance(s) for s in samples) + pad

        widths = {
            "cover": 44,
            "style": 90,  # a share of what is left: _fit_columns
            "model": fit(
                "V4.5+", self.model.headerData(COLUMNS.index("model"), Qt.Orientation.Horizontal)
            ),
            "persona": fit("M" * 8),
            "duration": fit("00:00", "Length"),
            "date": fit(short_date(time.time() - DAY), "30 Sep 2026"),
            "favourite": 28,
            "rating": fit(stars_text(5), "Rating"),
        }
        for name, width in widths.items():
            header.resizeSection(COLUMNS.index(name), width)
        header.setSectionResizeMode(COLUMNS.index("title"), QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COLUMNS.index("cover"), QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(COLUMNS.index("favourite"), QHeaderView.ResizeMode.Fixed)
        header.setMinimumSectionSize(24)
        header.setStretchLastSection(False)
        header.setSortIndicator(COLUMNS.index("date"), Qt.SortOrder.DescendingOrder)
        self.view.setSortingEnabled(True)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(
            lambda pos: self.contextMenuRequested.emit(self.view.viewport().mapToGlobal(pos))
        )
        self.view.activated.connect(self._activated)
        self.view.clicked.connect(self._clicked)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self.selectionChanged.emit())
        self.model.filtered.connect(self._update_count)

        self.emptyLabel = QLabel(self.view.viewport())
        self.emptyLabel.setObjectName("libraryEmptyMessage")
        self.emptyLabel.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.emptyLabel.setWordWrap(True)
        self.emptyLabel.setStyleSheet("color: palette(placeholder-text); padding: 24px;")
        self.emptyLabel.hide()
        self.view.viewport().installEventFilter(self)
        self.view.installEventFilter(self)
        self._press_x: int | None = None
        self.model.filtered.connect(self._update_empty)
        self.model.modelReset.connect(self._update_empty)
        self.model.rowsInserted.connect(self._update_empty)
        self.model.rowsRemoved.connect(self._update_empty)

        self.details = TrackDetails(self)

        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(self.favourites)
        filters.addWidget(self.modelFilter)
        filters.addWidget(self.personaFilter)
        filters.addWidget(self.dateFilter)
        filters.addStretch(1)
        filters.addWidget(self.countLabel)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.search, 1)
        top.addWidget(self.menuButton)
        upper = QWidget(self)
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(4, 4, 4, 0)
        upper_layout.addLayout(top)
        upper_layout.addLayout(filters)
        upper_layout.addWidget(self.view, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("librarySplitter")
        self.splitter.addWidget(upper)
        self.splitter.addWidget(self.details)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

        self.favourites.toggled.connect(self.apply_filters)
        for combo in (self.modelFilter, self.personaFilter, self.dateFilter):
            combo.currentIndexChanged.connect(self.apply_filters)
        self._update_count()

    def _combo(self, name: str, accessible: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.setAccessibleName(accessible)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        return combo

    # -- filters -----------------------------------------------------------------------------

    def set_choices(self, models: list[str], personas: list[tuple[str, str]]) -> None:
        """Fill the model and persona filters (keeping the current choice when it remains)."""
        for combo, everything, items in (
            (self.modelFilter, self.tr("All models"), [(model_label(m), m) for m in models]),
            (self.personaFilter, self.tr("All personas"), [(n, p) for p, n in personas]),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everything, None)
            for text, data in items:
                combo.addItem(text, data)
            index = combo.findData(current) if current is not None else 0
            combo.setCurrentIndex(max(0, index))
            combo.blockSignals(False)
        self.personaFilter.setVisible(len(personas) > 0)
        self.view.setColumnHidden(COLUMNS.index("persona"), not personas)

    def apply_filters(self, *_args) -> None:
        days = self.dateFilter.currentData()
        since = None
        if days is not None:
            start_of_today = time.mktime((*time.localtime()[:3], 0, 0, 0, 0, 0, -1))
            since = start_of_today - days * DAY
        current = self.model.current_filter
        self.set_filter(
            replace(
                current,
                favourites=self.favourites.isChecked(),
                model=self.modelFilter.currentData(),
                persona=self.personaFilter.currentData(),
                since=since,
            )
        )

    def set_filter(self, value: Filter) -> None:
        """Apply a filter, keeping the selection (by track) where it stays visible; the
        details follow when the selected track is filtered out."""
        kept = [t.result_id for t in self.selected_tracks()]
        current = self.current_track()
        self.model.set_filter(value)
        self.select_ids(kept, current.result_id if current else None)
        after = self.current_track()
        if (current and current.result_id) != (after and after.result_id):
            self.selectionChanged.emit()
        self._update_empty()

    def _update_empty(self, *_args) -> None:
        """Say why the table is empty rather than show an empty table."""
        if self.model.rowCount() > 0:
            self.emptyLabel.hide()
            return
        text = self.search.text().strip()
        if self.model.all_count() == 0:
            message = self.tr(
                "No songs yet. Generate one, or import MP3 files (Library menu, Ctrl+I)."
            )
        elif text:
            message = self.tr("No songs match “{text}”.").format(text=text)
        else:
            message = self.tr("No songs match these filters.")
        self.emptyLabel.setText(message)
        self.emptyLabel.setGeometry(self.view.viewport().rect())
        self.emptyLabel.show()
        self.emptyLabel.raise_()

    def eventFilter(self, watched, event) -> bool:
        kind = event.type()
        if watched is self.view.viewport():
            if kind == QEvent.Type.Resize:
                self.emptyLabel.setGeometry(self.view.viewport().rect())
                self._fit_columns()
            elif kind == QEvent.Type.MouseButtonPress:
                self._press_x = int(event.position().x())
        elif watched is self.view and kind == QEvent.Type.KeyPress:
            text = event.text()
            plain = event.modifiers() in (
                Qt.KeyboardModifier.NoModifier,
                Qt.KeyboardModifier.KeypadModifier,
            )
            if plain and len(text) == 1 and text in "012345":
                tracks = self.selected_tracks()
                if tracks:
                    self.ratingRequested.emit(tracks, int(text))
                    return True
        return super().eventFilter(watched, event)

    def _fit_columns(self) -> None:
        """The title stretches; the styles take a third of what the compact columns leave
        (their full list is in the details), so a title is not cut to "Night Bu…"."""
        header = self.view.horizontalHeader()
        title, style = COLUMNS.index("title"), COLUMNS.index("style")
        fixed = sum(
            header.sectionSize(i)
            for i in range(len(COLUMNS))
            if i not in (title, style) and not header.isSectionHidden(i)
        )
        left = self.view.viewport().width() - fixed
        header.resizeSection(style, max(70, min(260, left // 3)))

    def _star_at(self, index: QModelIndex) -> int | None:
        """Which star (1-5) the last press fell on in a rating cell."""
        if self._press_x is None:
            return None
        rect = self.view.visualRect(index)
        fm = self.view.fontMetrics()
        star = max(1, fm.horizontalAdvance("★"))
        margin = self.view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1
        offset = self._press_x - rect.left() - margin
        return max(1, min(5, offset // star + 1))

    def _update_count(self) -> None:
        shown, total = self.model.rowCount(), self.model.all_count()
        text = (
            self.tr("{n} tracks").format(n=f"{total:,}")
            if shown == total
            else self.tr("{shown} of {total} tracks").format(shown=f"{shown:,}", total=f"{total:,}")
        )
        self.countLabel.setText(text)

    # -- selection ---------------------------------------------------------------------------

    def selected_tracks(self) -> list[Track]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        return [t for t in (self.model.track(r) for r in rows) if t is not None]

    def current_track(self) -> Track | None:
        index = self.view.currentIndex()
        return self.model.track(index.row()) if index.isValid() else None

    def select_ids(self, result_ids: list[str], current: str | None = None) -> None:
        selection = self.view.selectionModel()
        if not result_ids:
            return
        wanted = set(result_ids)
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        selection.blockSignals(True)
        for row, track in enumerate(self.model.tracks()):
            if track.result_id in wanted:
                selection.select(self.model.index(row, 0), flags)
                if track.result_id == current:
                    selection.setCurrentIndex(
                        self.model.index(row, 1), QItemSelectionModel.SelectionFlag.NoUpdate
                    )
        selection.blockSignals(False)
        self.view.viewport().update()

    def select_row(self, row: int) -> None:
        index = self.model.index(row, 1)
        self.view.setCurrentIndex(index)
        self.view.selectionModel().select(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )

    def _activated(self, index: QModelIndex) -> None:
        track = self.model.track(index.row())
        if track is not None:
            self.activated.emit(track)

    def _clicked(self, index: QModelIndex) -> None:
        if COLUMNS[index.column()] == "favourite":
            track = self.model.track(index.row())
            if track is not None:
                self.favouriteClicked.emit(track)
        elif COLUMNS[index.column()] == "rating":
            track, star = self.model.track(index.row()), self._star_at(index)
            if track is not None and star is not None:
                # a click on the star it already has clears the rating
                self.ratingRequested.emit([track], 0 if star == track.rating else star)
