"""What an hour with the library found: titles cut short at 1280 px, a bare clock for a date,
ratings only from the context menu, details without rating or favourite, an empty search with
no word of why, details that kept a hidden track, and a lyrics sentence with nothing chosen."""

from __future__ import annotations

import time

from PySide6.QtCore import QDateTime, QLocale, Qt
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QTabWidget

from sunodesk.core.models import SongRequest
from sunodesk.ui.library.model import COLUMNS, short_date
from tests.gui.library_helpers import SONGS, feature, generate, rows, search, settle, view
from tests.gui.studio_fixture import studio_factory_fixture  # noqa: F401

LONG = SongRequest(
    title="Night Bus Home",
    style="lo-fi, chillhop, rainy night, mellow keys",
    prompt="[Verse]\nThe night bus hums along",
)


def _show_library(h) -> None:
    tabs = h.find(QTabWidget, "sideTabs")
    for i in range(tabs.count()):
        if tabs.tabText(i).startswith("Library"):
            tabs.setCurrentIndex(i)
    h.window.resize(1280, 800)
    h.window.show()


def test_the_title_column_shows_a_whole_title_at_1280_px(studio_factory, qtbot):
    h = studio_factory()
    generate(h, [LONG])
    _show_library(h)
    v = view(h)
    qtbot.waitUntil(lambda: v.isVisible(), timeout=2000)
    needed = v.fontMetrics().horizontalAdvance(LONG.title)
    title_width = v.columnWidth(COLUMNS.index("title"))
    assert title_width >= needed + 8, (title_width, needed)  # not "Night Bu…"
    assert title_width >= 1.5 * v.columnWidth(COLUMNS.index("style"))  # the title stretches
    settle(h)


def test_dates_say_today_yesterday_or_the_day_with_its_year():
    now = time.mktime((2026, 11, 14, 12, 0, 0, 0, 0, -1))
    locale = QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)
    clock = locale.toString(QDateTime.fromSecsSinceEpoch(int(now - 3600)).time(), "HH:mm")
    assert short_date(now - 3600, now, locale) == f"Today {clock}"
    assert short_date(now - 86400, now, locale).startswith("Yesterday ")
    assert short_date(now - 2 * 86400, now, locale) == "12 Nov 2026"
    assert short_date(now - 400 * 86400, now, locale).endswith("2025")
    german = QLocale(QLocale.Language.German, QLocale.Country.Germany)
    assert short_date(time.mktime((2026, 3, 2, 9, 0, 0, 0, 0, -1)), now, german) == "2 März 2026"


def test_keys_0_to_5_and_a_click_on_a_star_rate_the_selected_track(studio_factory, qtbot):
    h = studio_factory()
    generate(h, SONGS[:1])
    _show_library(h)
    v = view(h)
    panel = feature(h).panel
    panel.select_row(0)
    v.setFocus()
    qtbot.keyClick(v, Qt.Key.Key_4)
    h.run_until(lambda: rows(h)[0].rating == 4, what="rated 4 by key")
    assert h.studio.session.store.tracks.get(rows(h)[0].result_id).rating == 4
    qtbot.keyClick(v, Qt.Key.Key_0)
    h.run_until(lambda: rows(h)[0].rating == 0, what="rating cleared by 0")

    cell = v.model().index(1, COLUMNS.index("rating"))
    assert cell.data() == "☆☆☆☆☆"  # empty stars to click on
    rect = v.visualRect(cell)
    star = v.fontMetrics().horizontalAdvance("★")
    pos = rect.topLeft() + type(rect.topLeft())(4 + star * 2 + star // 2, rect.height() // 2)
    qtbot.mouseClick(v.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    h.run_until(lambda: rows(h)[1].rating == 3, what="rated 3 by a click on the third star")
    settle(h)


def test_details_show_rating_and_favourite(studio_factory, qtbot):
    h = studio_factory()
    generate(h, SONGS[:1])
    panel = feature(h).panel
    track = rows(h)[0]
    h.run(feature(h).set_rating([track], 4))
    h.run(feature(h).set_favourite([rows(h)[0]], True))
    settle(h)
    panel.select_row(0)
    details = panel.details
    h.run_until(lambda: details.track is not None, what="details")
    mark = h.find(QLabel, "detailsRating")
    h.run_until(lambda: "★★★★☆" in mark.text(), what=f"rating in details ({mark.text()!r})")
    assert "Favourite" in mark.text()
    settle(h)


def test_an_empty_search_says_so_and_clears_the_hidden_tracks_details(studio_factory, qtbot):
    h = studio_factory()
    generate(h, SONGS[:1])
    panel = feature(h).panel
    panel.select_row(0)
    details = panel.details
    h.run_until(lambda: details.track is not None, what="details")
    message = h.find(QLabel, "libraryEmptyMessage")
    assert message.isHidden()
    qtbot.keyClicks(search(h), "xyz")
    h.run_until(lambda: rows(h) == [], what="no match")
    assert not message.isHidden() and message.text() == "No songs match “xyz”."
    h.run_until(lambda: details.track is None, what="details cleared")
    assert h.find(QLabel, "detailsTitle").text() == "No track selected"
    search(h).clear()
    h.run_until(lambda: len(rows(h)) == 2, what="cleared search")
    assert message.isHidden()
    settle(h)


def test_nothing_selected_says_nothing_about_lyrics(studio_factory):
    h = studio_factory()
    lyrics = h.find(QPlainTextEdit, "detailsLyrics")
    assert "No lyrics" not in lyrics.placeholderText()
    assert h.find(QLabel, "detailsTitle").text() == "No track selected"
