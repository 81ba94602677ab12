"""Paints one generation of the songs list, like a music app's row, and handles its clicks.

A row: a square cover, the title in a larger weight with the model and age on the right, the
styles muted under it; then, by kind, its takes (one line each: play, letter, length,
favourite, rating and a slot where a waveform strip is drawn when peaks are known), or the
live progress of a generation in flight (a pulsing cover, a thin bar, "Generating · 42 % ·
~1:10 left"), or a failure (a stripe and an icon in the error colour, its sentence and its
one action as a button).

Everything is read from the model's roles; geometry is one function (``layout``) shared by
painting, clicking and the tests, so what is drawn is what is clicked. Colours come from the
palette (and ui.common.theme for the error colour), icons from ui.common.icons.
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
from sunodesk.core.models import Job, Track
from sunodesk.ui.common import icons, theme
from sunodesk.ui.songs.model import (
    ActionRole,
    JobRole,
    KindRole,
    MetaRole,
    PeaksRole,
    PlayingRole,
    ProgressRole,
    RowKind,
    StatusRole,
    StylesRole,
    TakesRole,
)

COVER = 48
PAD = 12  # around the row's content
GAP = 8  # between related things
TAKE_LINE = 32  # one take: a 24 px play button with room around it
BUTTON = 24
STAR = 14
LETTERS = "ABCDEFGH"


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


def fonts(base: QFont) -> tuple[QFont, QFont, QFont]:
    """The row's three sizes: title (larger, demibold), body, metadata (smaller)."""
    size = base.pointSizeF() if base.pointSizeF() > 0 else 10.0
    title = QFont(base)
    title.setPointSizeF(size * 1.2)
    title.setWeight(QFont.Weight.DemiBold)
    meta = QFont(base)
    meta.setPointSizeF(size * 0.92)
    return title, QFont(base), meta


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
    title, body, meta = (QFontMetrics(f).height() for f in fonts(base))
    head = PAD + title + 2 + meta + GAP
    if kind == RowKind.DONE and takes:
        content = takes * TAKE_LINE
    elif kind == RowKind.FAILED:
        content = 2 * body + (GAP + 28 if action else 0)
    else:
        content = 6 + GAP + meta
    return max(PAD + COVER + PAD, head + content + PAD)


def layout(rect: QRect, index: QModelIndex, base: QFont) -> RowLayout:
    title_f, body_f, meta_f = fonts(base)
    th, mh = QFontMetrics(title_f).height(), QFontMetrics(meta_f).height()
    left = rect.left() + PAD
    cover = QRect(left, rect.top() + PAD, COVER, COVER)
    text_left = cover.right() + 1 + PAD
    right = rect.right() - PAD
    meta_text = index.data(MetaRole) or ""
    meta_w = QFontMetrics(meta_f).horizontalAdvance(meta_text) + 2
    top = rect.top() + PAD
    title = QRect(text_left, top, max(0, right - text_left - meta_w - GAP), th)
    meta = QRect(right - meta_w, top + (th - mh) // 2, meta_w, mh)
    styles = QRect(text_left, title.bottom() + 3, max(0, right - text_left), mh)
    body = QRect(text_left, styles.bottom() + 1 + GAP, max(0, right - text_left), 0)
    body.setBottom(rect.bottom() - PAD)
    out = RowLayout(cover, title, meta, styles, body)
    kind = index.data(KindRole)
    if kind == RowKind.DONE:
        takes: list[Track] = index.data(TakesRole) or []
        for n, take in enumerate(takes):
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
    elif kind == RowKind.FAILED:
        action = index.data(ActionRole)
        if action:
            width = QFontMetrics(body_f).horizontalAdvance(action[1]) + 32
            button = QRect(text_left, rect.bottom() - PAD - 28 + 1, width, 28)
            out.targets.append(Target("action", button, action=action[0]))
    return out


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

    def draw_icon(self, painter: QPainter, name: str, rect: QRect, colour: QColor) -> None:
        """An icon of the set in ``rect``; without one, a plain shape in ``colour``."""
        if name not in self._icons:
            self._icons[name] = _icon(name)
        found = self._icons[name]
        if found is not None:
            found.paint(painter, rect)
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

    def forget_icons(self) -> None:
        """The palette changed: draw the icons again in its colours."""
        self._icons.clear()

    # -- size --------------------------------------------------------------------------------

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        takes = index.data(TakesRole) or []
        kind, action = index.data(KindRole), index.data(ActionRole) is not None
        return QSize(200, row_height(kind, len(takes), option.font, action))

    # -- paint -------------------------------------------------------------------------------

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        widget = option.widget
        style = widget.style() if widget else QApplication.style()
        palette = option.palette
        # A tint of the accent for the selected row (and a lighter one under the pointer),
        # not the style's solid highlight: the row's own colours (the error red, the accent
        # of the playing take and of the progress) must stay readable on it.
        tint = QColor(palette.color(QPalette.ColorRole.Highlight))
        if option.state & QStyle.StateFlag.State_Selected:
            tint.setAlpha(48)
            painter.fillRect(option.rect, tint)
        elif option.state & QStyle.StateFlag.State_MouseOver:
            tint.setAlpha(20)
            painter.fillRect(option.rect, tint)
        text_colour = palette.color(QPalette.ColorRole.Text)
        muted_colour = muted(palette)
        kind = index.data(KindRole)
        job: Job = index.data(JobRole)
        takes: list[Track] = index.data(TakesRole) or []
        geo = layout(option.rect, index, option.font)
        title_f, body_f, meta_f = fonts(option.font)
        error = QColor(theme.error_colour(palette))

        # a thin separator under the row, and a stripe for a failure
        line = QColor(muted_colour)
        line.setAlpha(40)
        painter.setPen(line)
        r = option.rect
        painter.drawLine(r.left() + PAD, r.bottom(), r.right() - PAD, r.bottom())
        if kind == RowKind.FAILED:
            painter.fillRect(QRect(r.left(), r.top() + 4, 4, r.height() - 8), error)

        self._paint_cover(painter, geo.cover, kind, job, takes, palette)

        painter.setFont(title_f)
        painter.setPen(text_colour)
        title = index.data(Qt.ItemDataRole.DisplayRole) or ""
        painter.drawText(geo.title, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         QFontMetrics(title_f).elidedText(title, Qt.TextElideMode.ElideRight,
                                                          geo.title.width()))  # fmt: skip
        painter.setFont(meta_f)
        painter.setPen(muted_colour)
        painter.drawText(geo.meta, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                         index.data(MetaRole) or "")  # fmt: skip
        styles = index.data(StylesRole) or ""
        painter.drawText(geo.styles, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         QFontMetrics(meta_f).elidedText(styles, Qt.TextElideMode.ElideRight,
                                                         geo.styles.width()))  # fmt: skip

        if kind == RowKind.DONE:
            self._paint_takes(painter, geo, index, takes, text_colour, muted_colour, body_f,
                              meta_f, palette)  # fmt: skip
        elif kind == RowKind.ACTIVE:
            self._paint_progress(painter, geo, index, muted_colour, meta_f, palette)
        else:
            self._paint_failure(painter, geo, index, error, body_f, option, style)
        painter.restore()

    def _paint_cover(self, painter, rect, kind, job, takes, palette) -> None:
        path = QPainterPath()
        path.addRoundedRect(QRectF(rect), 6, 6)
        painter.save()
        painter.setClipPath(path)
        pixmap = self.cover(takes[0]) if takes else None
        if isinstance(pixmap, QPixmap) and not pixmap.isNull():
            painter.drawPixmap(rect, pixmap)
        else:
            hue = (job.id * 47) % 360 if job else 220
            base = palette.color(QPalette.ColorRole.Base)
            light = 70 if theme.is_dark(palette) else 215
            colour = QColor.fromHsl(hue, 70, light)
            if kind == RowKind.ACTIVE:  # a calm pulse: something is happening here
                phase = (math.sin(time.monotonic() * 3.0) + 1) / 2
                colour = QColor.fromHsl(hue, 70, int(light + (base.lightness() - light) * 0.5
                                                      * phase))  # fmt: skip
            elif kind == RowKind.FAILED:
                colour = palette.color(QPalette.ColorRole.AlternateBase)
            painter.fillRect(rect, colour)
            if kind == RowKind.FAILED:
                error = QColor(theme.error_colour(palette))
                self.draw_icon(painter, "error", rect.adjusted(10, 10, -10, -10), error)
            else:
                note = QColor.fromHsl(hue, 80, 200 if theme.is_dark(palette) else 110)
                side = int(rect.height() * 0.5)
                pixmap = icons.render("music", note, side)
                painter.drawPixmap(
                    rect.center().x() - side // 2, rect.center().y() - side // 2, pixmap
                )
        painter.restore()

    def _paint_takes(self, painter, geo, index, takes, text_colour, muted_colour, body_f,
                     meta_f, palette) -> None:  # fmt: skip
        playing = index.data(PlayingRole)
        peaks_list = index.data(PeaksRole) or []
        accent = palette.color(QPalette.ColorRole.Highlight)
        for n, (take, (play, text, wave)) in enumerate(zip(takes, geo.take_lines, strict=False)):
            is_playing = take.result_id == playing
            circle = QColor(accent if is_playing else muted_colour)
            circle.setAlpha(255 if is_playing else 60)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(circle)
            painter.drawEllipse(play)
            glyph = palette.color(QPalette.ColorRole.HighlightedText) if is_playing else text_colour
            self.draw_icon(painter, "pause" if is_playing else "play",
                           play.adjusted(6, 6, -6, -6), glyph)  # fmt: skip
            painter.setFont(body_f)
            painter.setPen(accent if is_playing else text_colour)
            letter = LETTERS[n] if n < len(LETTERS) else str(n + 1)
            painter.drawText(text, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             f"{letter}  ")  # fmt: skip
            painter.setFont(meta_f)
            painter.setPen(muted_colour)
            painter.drawText(text.adjusted(QFontMetrics(body_f).horizontalAdvance("W  "), 0, 0, 0),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             format_length(take.duration))  # fmt: skip
            for target in geo.targets:
                if target.result_id != take.result_id:
                    continue
                if target.kind == "favourite":
                    self._heart(painter, target.rect, take.favourite, muted_colour, palette)
                elif target.kind == "star":
                    self._star(painter, target.rect, target.value <= take.rating, muted_colour,
                               text_colour)  # fmt: skip
            peaks = peaks_list[n] if n < len(peaks_list) else None
            if peaks:
                self._wave(painter, wave, peaks, muted_colour)

    def _wave(self, painter, rect: QRect, peaks: list[float], colour: QColor) -> None:
        """The slot for a take's waveform: bars from its peaks (0..1), when a part knows them."""
        if rect.width() < 8:
            return
        painter.save()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        bars = max(1, rect.width() // 3)
        mid = rect.center().y()
        for b in range(bars):
            value = max(0.0, min(1.0, float(peaks[int(b * len(peaks) / bars)])))
            h = max(1.0, value * rect.height())
            painter.drawRect(QRectF(rect.left() + b * 3, mid - h / 2, 2, h))
        painter.restore()

    def _heart(self, painter, rect: QRect, on: bool, off_colour: QColor, palette) -> None:
        r = QRectF(rect).adjusted(5, 6, -5, -5)
        path = QPainterPath()
        cx, top, w, h = r.center().x(), r.top(), r.width(), r.height()
        path.moveTo(cx, r.bottom())
        path.cubicTo(r.left() - w * 0.05, top + h * 0.55, r.left() + w * 0.05, top - h * 0.2,
                     cx, top + h * 0.25)  # fmt: skip
        path.cubicTo(r.right() - w * 0.05, top - h * 0.2, r.right() + w * 0.05, top + h * 0.55,
                     cx, r.bottom())  # fmt: skip
        painter.save()
        colour = QColor(theme.error_colour(palette)) if on else off_colour
        painter.setPen(colour)
        painter.setBrush(colour if on else Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        painter.restore()

    def _star(self, painter, rect: QRect, on: bool, off: QColor, on_colour: QColor) -> None:
        c = QRectF(rect).center()
        outer, inner = STAR / 2, STAR / 4.6
        points = [
            QPointF(c.x() + (outer if k % 2 == 0 else inner) * math.sin(k * math.pi / 5),
                    c.y() - (outer if k % 2 == 0 else inner) * math.cos(k * math.pi / 5))
            for k in range(10)
        ]  # fmt: skip
        painter.save()
        painter.setPen(on_colour if on else off)
        painter.setBrush(on_colour if on else Qt.BrushStyle.NoBrush)
        painter.drawPolygon(QPolygonF(points))
        painter.restore()

    def _paint_progress(self, painter, geo, index, muted_colour, meta_f, palette) -> None:
        body = geo.body
        track = QRect(body.left(), body.top(), min(body.width(), 360), 6)
        groove = QColor(muted_colour)
        groove.setAlpha(50)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(groove)
        painter.drawRoundedRect(track, 3, 3)
        progress = max(0, min(100, int(index.data(ProgressRole) or 0)))
        if progress:
            done = QRect(track)
            done.setWidth(max(6, track.width() * progress // 100))
            painter.setBrush(palette.color(QPalette.ColorRole.Highlight))
            painter.drawRoundedRect(done, 3, 3)
        painter.setFont(meta_f)
        painter.setPen(muted_colour)
        status = QRect(body.left(), track.bottom() + GAP, body.width(),
                       QFontMetrics(meta_f).height())  # fmt: skip
        painter.drawText(status, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         index.data(StatusRole) or "")  # fmt: skip

    def _paint_failure(self, painter, geo, index, error, body_f, option, style) -> None:
        body = geo.body
        painter.setFont(body_f)
        painter.setPen(error)
        sentence = index.data(StatusRole) or ""
        fm = QFontMetrics(body_f)
        text_rect = QRect(body.left(), body.top(), body.width(), 2 * fm.height())
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
            button.text = (index.data(ActionRole) or ("", ""))[1]
            button.palette = option.palette
            button.fontMetrics = fm
            button.state = QStyle.StateFlag.State_Enabled | QStyle.StateFlag.State_Raised
            if option.state & QStyle.StateFlag.State_MouseOver:
                button.state |= QStyle.StateFlag.State_MouseOver
            painter.save()
            painter.setFont(body_f)
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
        takes: list[Track] = index.data(TakesRole) or []
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
            self.actionRequested.emit(index.data(JobRole), target.action)
