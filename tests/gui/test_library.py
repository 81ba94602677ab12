"""The Library tab against the sandbox: it fills as takes are filed, groups the takes of a
generation, searches titles, styles and lyrics, sorts by any column, filters, shows the exact
request and reuses it, marks favourites, plays on double-click, and drags files out."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QPushButton, QToolButton

from sunodesk.ui.library.model import COLUMNS, GroupStartRole
from tests.gui.library_helpers import (
    SONGS,
    feature,
    generate,
    rows,
    search,
    settle,
    titles,
    view,
)
from tests.gui.studio_fixture import studio_factory_fixture  # noqa: F401


def _type(qtbot, h, text: str) -> None:
    box = search(h)
    box.clear()
    qtbot.keyClicks(box, text)


def test_library_fills_live_and_groups_takes(studio_factory, qtbot):
    h = studio_factory()
    assert rows(h) == []
    tracks = generate(h)
    assert len(tracks) == 6 and all(t.path and t.state == "done" for t in tracks)
    # the takes of one generation sit together, first take first, a rule above each group
    jobs = [t.job_id for t in tracks]
    assert jobs[0::2] == jobs[1::2] and len(set(jobs)) == 3  # each pair adjacent
    firsts = [t.created_at for t in tracks[0::2]]
    assert firsts == sorted(firsts, reverse=True)  # newest generation first
    model = view(h).model()
    starts = [model.index(r, 0).data(GroupStartRole) for r in range(6)]
    assert starts == [True, False, True, False, True, False]
    assert [model.take_letter(t.result_id) for t in tracks] == ["A", "B"] * 3
    # the exact request is kept with every take
    stored = h.studio.session.store.tracks.get(tracks[0].result_id)
    assert stored.song_request == next(r for r in SONGS if r.title == tracks[0].title)
    raw = h.studio.session.store.db.query_one(
        "SELECT request_json FROM tracks WHERE result_id = ?", (tracks[0].result_id,)
    )
    assert raw[0] == stored.request_json  # filed with the take, not borrowed from the job


def test_search_sort_and_filter(studio_factory, qtbot):
    h = studio_factory()
    generate(h)
    box = search(h)
    _type(qtbot, h, "lante")  # title
    h.run_until(lambda: set(titles(h)) == {"Paper Lanterns"}, what="title search")
    _type(qtbot, h, "chillhop")  # style
    h.run_until(lambda: set(titles(h)) == {"Low Tide"}, what="style search")
    _type(qtbot, h, "RAIN IN the")  # lyrics, any case, every word
    h.run_until(lambda: set(titles(h)) == {"Low Tide"}, what="lyrics search")
    _type(qtbot, h, "zzzz")
    h.run_until(lambda: titles(h) == [], what="no match")
    box.clear()
    h.run_until(lambda: len(titles(h)) == 6, what="cleared search")

    # sort by title both ways; takes stay paired
    v = view(h)
    v.sortByColumn(COLUMNS.index("title"), Qt.SortOrder.AscendingOrder)
    assert titles(h) == ["Low Tide"] * 2 + ["Neon Coastline"] * 2 + ["Paper Lanterns"] * 2
    v.sortByColumn(COLUMNS.index("title"), Qt.SortOrder.DescendingOrder)
    assert titles(h) == ["Paper Lanterns"] * 2 + ["Neon Coastline"] * 2 + ["Low Tide"] * 2
    for column in COLUMNS:  # every column sorts
        v.sortByColumn(COLUMNS.index(column), Qt.SortOrder.AscendingOrder)
        assert len(titles(h)) == 6

    # filter by model
    models = h.find(QComboBox, "libraryModelFilter")
    models.setCurrentIndex(models.findData("suno-v4.5plus-beta"))
    assert set(titles(h)) == {"Paper Lanterns"}
    models.setCurrentIndex(0)
    # favourites: click the heart of one take
    v.sortByColumn(COLUMNS.index("title"), Qt.SortOrder.AscendingOrder)
    heart = v.model().index(2, COLUMNS.index("favourite"))
    qtbot.mouseClick(v.viewport(), Qt.MouseButton.LeftButton, pos=v.visualRect(heart).center())
    h.run_until(lambda: rows(h)[2].favourite, what="favourite saved")
    h.find(QToolButton, "libraryFavouritesFilter").click()
    assert [t.title for t in rows(h)] == ["Neon Coastline"]
    assert h.studio.session.store.tracks.get(rows(h)[0].result_id).favourite
    h.find(QToolButton, "libraryFavouritesFilter").click()
    # date: everything was made today
    dates = h.find(QComboBox, "libraryDateFilter")
    dates.setCurrentIndex(1)
    assert len(titles(h)) == 6
    # search and filters combine
    _type(qtbot, h, "neon")
    h.find(QToolButton, "libraryFavouritesFilter").click()
    h.run_until(lambda: titles(h) == ["Neon Coastline"], what="search + favourites")
    settle(h)


def test_details_show_the_request_and_reuse_it(studio_factory, qtbot):
    h = studio_factory()
    generate(h, SONGS[1:2])
    v = view(h)
    panel = feature(h).panel
    panel.select_row(1)
    details = panel.details
    h.run_until(lambda: details.track is not None, what="details")
    assert details.titleLabel.text() == "Paper Lanterns"
    values = {k: w.text() for k, w in details._values.items()}
    assert values["model"] == "V4.5+" and values["style"] == "indie folk, warm"
    assert values["exclude"] == "metal" and "0.7" in values["weights"]
    assert "Lanterns float" in details.lyrics.toPlainText()
    form = h.window.form
    form.titleEdit.setText("something else")
    h.find(QPushButton, "reuseSettingsButton").click()
    settle(h)
    assert form.request().title == "Paper Lanterns"
    assert form.request().model == "suno-v4.5plus-beta"
    assert form.request().style_weight == 0.7 and "Lanterns float" in form.request().prompt
    assert v.selectionModel().selectedRows()
    settle(h)


def test_double_click_plays_and_space_toggles(studio_factory, qtbot):
    h = studio_factory()
    generate(h, SONGS[:1])
    v = view(h)
    f = feature(h)
    rect = v.visualRect(v.model().index(0, COLUMNS.index("title")))
    # what a real double click delivers: a click, then the double-click press
    qtbot.mouseClick(v.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(v.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    h.run_until(lambda: f.player.playing and f.player.position > 300, what="playing")
    assert f.player.track.result_id == rows(h)[0].result_id
    assert "take A" in f.bar.titleLabel.text()
    h.run_until(lambda: f.bar.lyrics.toPlainText().startswith("[Verse]"), what="lyrics")
    # Space in the search box types a space; elsewhere it pauses
    box = search(h)
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)
    assert box.text() == " " and f.player.playing
    v.setFocus()
    qtbot.keyClick(v, Qt.Key.Key_Space)
    h.run_until(lambda: not f.player.playing, what="paused by Space")
    # A/B from the bar: the other take of the generation
    f.bar.abButton.click()
    assert f.player.track.result_id == rows(h)[1].result_id
    assert "take B" in f.bar.titleLabel.text()
    settle(h)


def test_drag_out_carries_file_urls(studio_factory):
    h = studio_factory()
    tracks = generate(h, SONGS[:1])
    model = view(h).model()
    mime = model.mimeData([model.index(0, 1), model.index(0, 2), model.index(1, 1)])
    assert [u.toLocalFile() for u in mime.urls()] == [t.path for t in tracks]
    assert model.supportedDragActions() == Qt.DropAction.CopyAction
    assert bool(model.flags(model.index(0, 1)) & Qt.ItemFlag.ItemIsDragEnabled)
