"""Paints one generation of the songs list, like a music app's row, and handles its clicks.

A row: a square cover, the title in a larger weight with the model and age on the right, the
styles muted under it; then, by kind, its takes (one line each: play, letter, length,
favourite, rating and a slot where a waveform strip is drawn when peaks are known), or the
live progress of a generation in flight (a pulsing cover, a thin bar, "Generating · 42% ·
~1:10 left"), or a failure (a stripe and an icon in the error colour, its sentence and its
one action as a button).

Everything is read from one role of the model (a SongRow, made once per change of the row);
geometry is one function (``layout``) shared by painting, clicking and the tests, so what is
drawn is what is clicked. Colours come from the palette (and ui.common.theme for the error
colour), icons from ui.common.icons. A row is painted on the GUI thread at every change and
at every pulse of a cover in flight, so what does not change between paints is kept: the
fonts and their heights per base font, the colours per palette, and each take's waveform strip
as a pixmap.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QEvent, QModelIndex, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QIcon,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPixmap,
    QPolygonF,
)
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionButton,
    QStyleOptionViewItem,
)

from sunodesk.core.formatting import format_length
from sunodesk.core.models import Track
from sunodesk.ui.common import icons, theme
from sunodesk.ui.songs.model import PeaksRole, RowKind, RowRole, ShapeRole, SongRow

COVER = 48
PAD = 12  # around the row's content
GAP = 8  # between related things
TAKE_LINE = 32  # one take: a 24 px play button with room around it
BUTTON = 24
STAR = 14
LETTERS = "ABCDEFGH"
MIN_ROW_WIDTH = 120  # a row is as wide as the list; never wider than a narrow pane


def _icon(name: str) -> QIcon | None:
    """The app's icon set's icon (drawn in the palette's colour), or None while the set has
    no such icon: then the row draws a plain shape in the palette's colour itself."""
    try:
        return icons.icon(name)
    except (FileNotFoundError, OSError):
        return None


def muted(palette: QPalette) -> QColor:
    """Secondary text: the palette's placeholder colour, kept readable on the base."""
    text, base = palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base)
    mix = 0.62  # of the text colour: about 4.5:1 on white and on a dark base
    return QColor(
        round(text.red() * mix + base.red() * (1 - mix)),
        round(text.green() * mix + base.green() * (1 - mix)),
        round(text.blue() * mix + base.blue() * (1 - mix)),
    )


@dataclass(frozen=True)
class Type:
    """The row's three sizes and what is measured of them, for one base font."""

    title: QFont  # larger, demibold
    body: QFont
    meta: QFont  # smaller
    title_h: int
    body_h: int
    meta_h: int
    title_m: QFontMetrics
    body_m: QFontMetrics
    meta_m: QFontMetrics
    letter_w: int  # "W  ": the room of a take's letter


_types: dict[str, Type] = {}


def type_for(base: QFont) -> Type:
    """The row's fonts for this base font (made once per font: painting asks at every row)."""
    key = base.key()
    found = _types.get(key)
    if found is None:
        size = base.pointSizeF() if base.pointSizeF() > 0 else 10.0
        title = QFont(base)
        title.setPointSizeF(size * 1.2)
        title.setWeight(QFont.Weight.DemiBold)
        body, meta = QFont(base), QFont(base)
        meta.setPointSizeF(size * 0.92)
        tm, bm, mm = QFontMetrics(title), QFontMetrics(body), QFontMetrics(meta)
        found = Type(title, body, meta, tm.height(), bm.height(), mm.height(), tm, bm, mm,
                     bm.horizontalAdvance("W  "))  # fmt: skip
        if len(_types) > 16:
            _types.clear()
        _types[key] = found
    return found


def fonts(base: QFont) -> tuple[QFont, QFont, QFont]:
    """The row's three sizes: title (larger, demibold), body, metadata (smaller)."""
    t = type_for(base)
    return t.title, t.body, t.meta


@dataclass
class Target:
    """Something clickable in a row."""

    kind: str  # "play", "favourite", "star", "action"
    rect: QRect
    result_id: str = ""
    value: int = 0  # the star's number
    action: str = ""


@dataclass
class RowLayout:
    cover: QRect
    title: QRect
    meta: QRect
    styles: QRect
    body: QRect  # under the styles: takes, progress or the failure
    targets: list[Target] = field(default_factory=list)
    take_lines: list[tuple[QRect, QRect, QRect]] = field(default_factory=list)  # text, wave


def row_height(kind: RowKind, takes: int, base: QFont, action: bool = False) -> int:
    t = type_for(base)
    title, body, meta = t.title_h, t.body_h, t.meta_h
    head = PAD + title + 2 + meta + GAP
    if kind == RowKind.DONE and takes:
        content = takes * TAKE_LINE
    elif kind == RowKind.FAILED:
        content = 2 * body + (GAP + 28 if action else 0)
    else:
        content = 6 + GAP + meta
    return max(PAD + COVER + PAD, head + content + PAD)


def row_of(index: QModelIndex | SongRow) -> SongRow | None:
    return index if isinstance(index, SongRow) else index.data(RowRole)


def layout(rect: QRect, index: QModelIndex | SongRow, base: QFont) -> RowLayout:
    row = row_of(index)
    t = type_for(base)
    th, mh = t.title_h, t.meta_h
    left = rect.left() + PAD
    cover = QRect(left, rect.top() + PAD, COVER, COVER)
    text_left = cover.right() + 1 + PAD
    right = rect.right() - PAD
    meta_text = row.meta if row else ""
    meta_w = t.meta_m.horizontalAdvance(meta_text) + 2
    if right - text_left - meta_w - GAP < max(meta_w, 2 * t.title_h * 3):
        meta_w = 0  # a narrow row keeps its title readable; the model and age give way
    top = rect.top() + PAD
    title = QRect(text_left, top, max(0, right - text_left - meta_w - GAP), th)
    meta = QRect(right - meta_w, top + (th - mh) // 2, meta_w, mh)
    styles = QRect(text_left, title.bottom() + 3, max(0, right - text_left), mh)
    body = QRect(text_left, styles.bottom() + 1 + GAP, max(0, right - text_left), 0)
    body.setBottom(rect.bottom() - PAD)
    out = RowLayout(cover, title, meta, styles, body)
    if row is None:
        return out
    if row.kind == RowKind.DONE:
        for n, take in enumerate(row.takes):
            y = body.top() + n * TAKE_LINE + (TAKE_LINE - BUTTON) // 2
            play = QRect(text_left - 4, y, BUTTON, BUTTON)
            out.targets.append(Target("play", play, take.result_id))
            text = QRect(play.right() + 1 + 4, y, 76, BUTTON)
            heart = QRect(text.right() + 1 + 4, y, BUTTON, BUTTON)
            out.targets.append(Target("favourite", heart, take.result_id))
            star_left = heart.right() + 1 + 4
            for s in range(1, 6):
                star = QRect(star_left + (s - 1) * (STAR + 4), y + (BUTTON - STAR - 6) // 2,
                             STAR + 4, STAR + 6)  # fmt: skip
                out.targets.append(Target("star", star, take.result_id, value=s))
            wave_left = star_left + 5 * (STAR + 4) + GAP
            wave = QRect(wave_left, y + 4, max(0, right - wave_left), BUTTON - 8)
            out.take_lines.append((play, text, wave))
    elif row.kind == RowKind.FAILED:
        action = row.action
        if action:
            width = t.body_m.horizontalAdvance(action[1]) + 32
            button = QRect(text_left, rect.bottom() - PAD - 28 + 1, width, 28)
            out.targets.append(Target("action", button, action=action[0]))
    return out


STRIPS = 400  # waveform strips kept (about 6 KB each at 250 x 16 px)


@dataclass(frozen=True)
class Colours:
    """The palette's colours a row is painted in (worked out once per palette)."""

    text: QColor
    muted: QColor
    error: QColor
    accent: QColor
    on_accent: QColor
    dark: bool


def _star_shape() -> QPolygonF:
    outer, inner = STAR / 2, STAR / 4.6
    return QPolygonF([
        QPointF((outer if k % 2 == 0 else inner) * math.sin(k * math.pi / 5),
                -(outer if k % 2 == 0 else inner) * math.cos(k * math.pi / 5))
        for k in range(10)
    ])  # fmt: skip


_STAR = _star_shape()  # around (0, 0); moved to each star's centre


def wave_strip(peaks: list[float], width: int, height: int, colour: QColor,
               dpr: float = 1.0) -> QPixmap:  # fmt: skip
    """Bars from peaks (0..1), 2 px wide every 3 px, centred on the strip's middle."""
    pixmap = QPixmap(max(1, round(width * dpr)), max(1, round(height * dpr)))
    pixmap.setDevicePixelRatio(dpr)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    bars = max(1, width // 3)
    mid = height / 2
    rects = []
    for b in range(bars):
        value = max(0.0, min(1.0, float(peaks[int(b * len(peaks) / bars)])))
        h = max(1.0, value * height)
        rects.append(QRectF(b * 3, mid - h / 2, 2, h))
    painter.drawRects(rects)
    painter.end()
    return pixmap


class SongDelegate(QStyledItemDelegate):
    playRequested = Signal(str)  # result id
    favouriteRequested = Signal(str, bool)  # result id, favourite
    ratingRequested = Signal(str, int)  # result id, 0..5
    actionRequested = Signal(object, str)  # Job, action

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        # the cover cache: a take's thumbnail (QPixmap), or None for the placeholder
        self.cover: Callable[[Track], QPixmap | None] = lambda _track: None
        self._icons: dict[str, QIcon | None] = {}
        self._strips: dict[tuple, QPixmap] = {}  # waveform strips, oldest first
        self._colours: dict[tuple, Colours] = {}  # per palette and colour group

    def draw_icon(self, painter: QPainter, name: str, rect: QRect, colour: QColor) -> None:
        """An icon of the set in ``rect``, in ``colour``; without one, a plain shape."""
        if name not in self._icons:
            self._icons[name] = _icon(name)
        if self._icons[name] is not None:
            dpr = painter.device().devicePixelRatioF() if painter.device() else 1.0
            side = min(rect.width(), rect.height())
            pixmap = icons.render(name, colour, side, dpr=dpr)  # cached per colour and size
            painter.drawPixmap(rect.left() + (rect.width() - side) // 2,
                               rect.top() + (rect.height() - side) // 2, pixmap)  # fmt: skip
            return
        r = QRectF(rect)
        painter.save()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        if name == "play":
            w = r.width()
            painter.drawPolygon(QPolygonF([
                QPointF(r.left() + w * 0.22, r.top() + w * 0.1),
                QPointF(r.left() + w * 0.22, r.bottom() - w * 0.1),
                QPointF(r.right() - w * 0.05, r.center().y()),
            ]))  # fmt: skip
        elif name == "pause":
            bar = r.width() * 0.28
            painter.drawRect(QRectF(r.left() + bar * 0.4, r.top() + 1, bar, r.height() - 2))
            painter.drawRect(QRectF(r.right() - bar * 1.4, r.top() + 1, bar, r.height() - 2))
        elif name == "error":  # a ring with an exclamation mark
            pen_w = max(2.0, r.width() / 10)
            painter.setPen(QPen(colour, pen_w))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(r.adjusted(pen_w, pen_w, -pen_w, -pen_w))
            round_pen = QPen(colour, pen_w)
            round_pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(round_pen)
            c = r.center()
            painter.drawLine(QPointF(c.x(), r.top() + r.height() * 0.28),
                             QPointF(c.x(), c.y() + r.height() * 0.06))  # fmt: skip
            painter.drawPoint(QPointF(c.x(), r.bottom() - r.height() * 0.27))
        painter.restore()

    def forget_strips(self) -> None:
        """Other takes now (a new data folder): waveform strips are keyed by result id."""
        self._strips.clear()

    def _colours_for(self, palette: QPalette) -> Colours:
        # the accent is the application's (theme.accent): an item view's Highlight is a pale
        # tint of it, the calm selection
        accent = theme.accent()
        key = (palette.cacheKey(), palette.currentColorGroup(), accent.rgba())
        found = self._colours.get(key)
        if found is None:
            if len(self._colours) > 8:
                self._colours.clear()
            app = QApplication.instance()
            on_accent = (app.palette() if isinstance(app, QApplication) else palette).color(
                QPalette.ColorGroup.Active, QPalette.ColorRole.HighlightedText
            )
            found = Colours(text=palette.color(QPalette.ColorRole.Text), muted=muted(palette),
                            error=QColor(theme.error_colour(palette)), accent=accent,
                            on_accent=on_accent, dark=theme.is_dark(palette))  # fmt: skip
            self._colours[key] = found
        return found

    # -- size --------------------------------------------------------------------------------

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        shape = index.data(ShapeRole)  # every row is asked: not the whole SongRow
        if shape is None:
            return QSize(MIN_ROW_WIDTH, row_height(RowKind.ACTIVE, 0, option.font))
        kind, takes, action = shape
        return QSize(MIN_ROW_WIDTH, row_height(kind, takes, option.font, action))

    # -- paint -------------------------------------------------------------------------------

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        row = row_of(index)
        if row is None:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        widget = option.widget
        style = widget.style() if widget else QApplication.style()
        palette = option.palette
        c = self._colours_for(palette)
        # A tint of the accent for the selected row (and a lighter one under the pointer),
        # not the style's solid highlight: the row's own colours (the error red, the accent
        # of the playing take and of the progress) must stay readable on it.
        if option.state & QStyle.StateFlag.State_Selected:
            tint = QColor(c.accent)
            tint.setAlpha(30)  # about half the tables' selection: a row here is a card
            painter.fillRect(option.rect, tint)
        elif option.state & QStyle.StateFlag.State_MouseOver:
            tint = QColor(c.accent)
            tint.setAlpha(14)
            painter.fillRect(option.rect, tint)
        t = type_for(option.font)
        geo = layout(option.rect, row, option.font)

        # a thin separator under the row, and a stripe for a failure
        line = QColor(c.muted)
        line.setAlpha(40)
        painter.setPen(line)
        r = option.rect
        painter.drawLine(r.left() + PAD, r.bottom(), r.right() - PAD, r.bottom())
        if row.kind == RowKind.FAILED:
            painter.fillRect(QRect(r.left(), r.top() + 4, 4, r.height() - 8), c.error)

        self._paint_cover(painter, geo.cover, row, palette, c)

        left_v = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        painter.setFont(t.title)
        painter.setPen(c.text)
        painter.drawText(geo.title, left_v, t.title_m.elidedText(
            row.title, Qt.TextElideMode.ElideRight, geo.title.width()))  # fmt: skip
        painter.setFont(t.meta)
        painter.setPen(c.muted)
        if geo.meta.width() > 0:
            painter.drawText(geo.meta, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             row.meta)  # fmt: skip
        painter.drawText(geo.styles, left_v, t.meta_m.elidedText(
            row.styles, Qt.TextElideMode.ElideRight, geo.styles.width()))  # fmt: skip

        if row.kind == RowKind.DONE:
            self._paint_takes(painter, geo, row, t, c, lambda: index.data(PeaksRole) or [])
        elif row.kind == RowKind.ACTIVE:
            self._paint_progress(painter, geo, row, t, c)
        else:
            self._paint_failure(painter, geo, row, t, c, option, style)
        painter.restore()

    def _paint_cover(self, painter, rect: QRect, row: SongRow, palette, c: Colours) -> None:
        path = QPainterPath()
        path.addRoundedRect(QRectF(rect), 6, 6)
        painter.save()
        painter.setClipPath(path)
        pixmap = self.cover(row.takes[0]) if row.takes else None
        if isinstance(pixmap, QPixmap) and not pixmap.isNull():
            painter.drawPixmap(rect, pixmap)
        else:
            hue = (row.job.id * 47) % 360
            light = 70 if c.dark else 215
            colour = QColor.fromHsl(hue, 70, light)
            if row.kind == RowKind.ACTIVE:  # a calm pulse: something is happening here
                base = palette.color(QPalette.ColorRole.Base)
                phase = (math.sin(time.monotonic() * 3.0) + 1) / 2
                colour = QColor.fromHsl(hue, 70, int(light + (base.lightness() - light) * 0.5
                                                      * phase))  # fmt: skip
            elif row.kind == RowKind.FAILED:
                colour = palette.color(QPalette.ColorRole.AlternateBase)
            painter.fillRect(rect, colour)
            if row.kind == RowKind.FAILED:
                self.draw_icon(painter, "error", rect.adjusted(10, 10, -10, -10), c.error)
            else:
                note = QColor.fromHsl(hue, 80, 200 if c.dark else 110)
                side = int(rect.height() * 0.5)
                dpr = painter.device().devicePixelRatioF() if painter.device() else 1.0
                pixmap = icons.render("music", note, side, dpr=dpr)
                painter.drawPixmap(
                    rect.center().x() - side // 2, rect.center().y() - side // 2, pixmap
                )
        painter.restore()

    def _paint_takes(self, painter, geo: RowLayout, row: SongRow, t: Type, c: Colours,
                     peaks_of: Callable[[], list]) -> None:  # fmt: skip
        left_v = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        peaks_list: list | None = None  # asked for once, if a strip is missing
        for n, (take, (play, text, wave)) in enumerate(zip(row.takes, geo.take_lines,
                                                           strict=False)):  # fmt: skip
            is_playing = take.result_id == row.playing
            circle = QColor(c.accent if is_playing else c.muted)
            circle.setAlpha(255 if is_playing else 60)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(circle)
            painter.drawEllipse(play)
            self.draw_icon(painter, "pause" if is_playing else "play",
                           play.adjusted(6, 6, -6, -6),
                           c.on_accent if is_playing else c.text)  # fmt: skip
            painter.setFont(t.body)
            painter.setPen(c.accent if is_playing else c.text)
            letter = LETTERS[n] if n < len(LETTERS) else str(n + 1)
            painter.drawText(text, left_v, f"{letter}  ")
            painter.setFont(t.meta)
            painter.setPen(c.muted)
            painter.drawText(text.adjusted(t.letter_w, 0, 0, 0), left_v,
                             format_length(take.duration))  # fmt: skip
            for target in geo.targets:
                if target.result_id != take.result_id:
                    continue
                if target.kind == "favourite":
                    self._heart(painter, target.rect, take.favourite, c)
                elif target.kind == "star":
                    self._star(painter, target.rect, target.value <= take.rating, c)
            if wave.width() >= 8:
                peaks_list = self._wave(painter, wave, take.result_id, n, peaks_list, peaks_of,
                                        c.muted)  # fmt: skip

    def _wave(self, painter, rect: QRect, result_id: str, n: int, peaks_list: list | None,
              peaks_of: Callable[[], list], colour: QColor) -> list | None:  # fmt: skip
        """A take's waveform strip: bars from its peaks (0..1), drawn once into a pixmap per
        take, size and colour, then only copied. The peaks are asked for (which starts their
        computation) only when a strip is missing, so only rows that are painted ask."""
        dpr = painter.device().devicePixelRatioF() if painter.device() else 1.0
        key = (result_id, rect.width(), rect.height(), colour.rgba(), dpr)
        strip = self._strips.get(key)
        if strip is None:
            peaks_list = peaks_of() if peaks_list is None else peaks_list
            peaks = peaks_list[n] if n < len(peaks_list) else None
            if not peaks:
                return peaks_list  # not known yet: waveformReady draws the row again
            strip = wave_strip(peaks, rect.width(), rect.height(), colour, dpr)
            if len(self._strips) >= STRIPS:
                self._strips.pop(next(iter(self._strips)))
            self._strips[key] = strip
        painter.drawPixmap(rect.topLeft(), strip)
        return peaks_list

    def _heart(self, painter, rect: QRect, on: bool, c: Colours) -> None:
        r = QRectF(rect).adjusted(5, 6, -5, -5)
        path = QPainterPath()
        cx, top, w, h = r.center().x(), r.top(), r.width(), r.height()
        path.moveTo(cx, r.bottom())
        path.cubicTo(r.left() - w * 0.05, top + h * 0.55, r.left() + w * 0.05, top - h * 0.2,
                     cx, top + h * 0.25)  # fmt: skip
        path.cubicTo(r.right() - w * 0.05, top - h * 0.2, r.right() + w * 0.05, top + h * 0.55,
                     cx, r.bottom())  # fmt: skip
        painter.save()
        colour = c.accent if on else c.muted  # as the Library's favourite
        painter.setPen(colour)
        painter.setBrush(colour if on else Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        painter.restore()

    def _star(self, painter, rect: QRect, on: bool, c: Colours) -> None:
        centre = QRectF(rect).center()
        painter.save()
        painter.setPen(c.text if on else c.muted)
        painter.setBrush(c.text if on else Qt.BrushStyle.NoBrush)
        painter.drawPolygon(_STAR.translated(centre))
        painter.restore()

    def _paint_progress(self, painter, geo: RowLayout, row: SongRow, t: Type,
                        c: Colours) -> None:  # fmt: skip
        body = geo.body
        track = QRect(body.left(), body.top(), min(body.width(), 360), 6)
        groove = QColor(c.muted)
        groove.setAlpha(50)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(groove)
        painter.drawRoundedRect(track, 3, 3)
        progress = max(0, min(100, int(row.progress or 0)))
        if progress:
            done = QRect(track)
            done.setWidth(max(6, track.width() * progress // 100))
            painter.setBrush(c.accent)
            painter.drawRoundedRect(done, 3, 3)
        painter.setFont(t.meta)
        painter.setPen(c.muted)
        status = QRect(body.left(), track.bottom() + GAP, body.width(), t.meta_h)
        painter.drawText(status, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         row.status)  # fmt: skip

    def _paint_failure(self, painter, geo: RowLayout, row: SongRow, t: Type, c: Colours,
                       option, style) -> None:  # fmt: skip
        body = geo.body
        painter.setFont(t.body)
        painter.setPen(c.error)
        sentence = row.status
        fm = t.body_m
        text_rect = QRect(body.left(), body.top(), body.width(), 2 * t.body_h)
        flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
        if fm.boundingRect(text_rect, int(flags), sentence).height() > text_rect.height():
            # two lines at most here; the whole sentence is the row's tooltip
            sentence = fm.elidedText(sentence, Qt.TextElideMode.ElideRight, 2 * body.width() - 40)
        painter.drawText(text_rect, int(flags), sentence)
        for target in geo.targets:
            if target.kind != "action":
                continue
            button = QStyleOptionButton()
            button.rect = target.rect
            button.text = (row.action or ("", ""))[1]
            button.palette = option.palette
            button.fontMetrics = fm
            button.state = QStyle.StateFlag.State_Enabled | QStyle.StateFlag.State_Raised
            if option.state & QStyle.StateFlag.State_MouseOver:
                button.state |= QStyle.StateFlag.State_MouseOver
            painter.save()
            painter.setFont(t.body)
            style.drawControl(QStyle.ControlElement.CE_PushButton, button, painter, option.widget)
            painter.restore()

    # -- clicks ------------------------------------------------------------------------------

    def target_at(self, option: QStyleOptionViewItem, index: QModelIndex, pos) -> Target | None:
        for target in layout(option.rect, index, option.font).targets:
            if target.rect.contains(pos):
                return target
        return None

    def editorEvent(self, event, model, option, index) -> bool:
        if event.type() != QEvent.Type.MouseButtonRelease or not isinstance(event, QMouseEvent):
            return False
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        target = self.target_at(option, index, event.position().toPoint())
        if target is None:
            return False
        self.activate(target, index)
        return True

    def activate(self, target: Target, index: QModelIndex) -> None:
        row = row_of(index)
        takes = row.takes if row is not None else ()
        take = next((t for t in takes if t.result_id == target.result_id), None)
        if target.kind == "play":
            self.playRequested.emit(target.result_id)
        elif target.kind == "favourite" and take is not None:
            self.favouriteRequested.emit(target.result_id, not take.favourite)
        elif target.kind == "star" and take is not None:
            # pressing the star it already has clears the rating
            self.ratingRequested.emit(
                target.result_id, 0 if take.rating == target.value else target.value
            )
        elif target.kind == "action":
            self.actionRequested.emit(row.job if row is not None else None, target.action)
