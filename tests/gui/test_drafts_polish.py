"""What an hour with the drafts found: the list re-sorted on every click, names that stopped
following the title (two drafts both "Salt on the Window"), "Reuse these settings" opening a
new draft without a word, "1 generations", and takes called by file name instead of A/B."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QPushButton

from tests.gui.feature_helpers import call, press, settle, ui, until, wait_done
from tests.gui.library_helpers import SONGS, generate
from tests.gui.studio_fixture import studio_factory_fixture  # noqa: F401
from tests.gui.test_drafts_feature import drafts_of, names
from tests.gui.test_studio_window import fill_valid


def test_auto_names_are_unique_and_follow_until_renamed():
    from sunodesk.core.drafts import auto_name, follows_title, unique_name

    assert unique_name("Salt", ["Salt", "Salt 2"]) == "Salt 3"
    assert unique_name("Salt", ["Other"]) == "Salt"
    assert auto_name("", ["Untitled draft"]) == "Untitled draft 2"
    assert follows_title("Untitled draft", "")
    assert follows_title("Untitled draft 3", "")
    assert follows_title("Salt on the", "Salt on the")
    assert follows_title("Salt on the 2", "Salt on the")
    assert not follows_title("Summer drafts", "Salt on the")


def test_clicking_drafts_keeps_their_order_and_the_selection(studio_factory, qtbot):
    h = studio_factory()
    view = h.find(QListWidget, "draftsView")
    for _ in range(2):
        press(h, h.find(QPushButton, "newDraftButton"))
    order = names(h)
    assert len(order) == 3
    for row in (2, 0, 1, 2):
        ui(h, view.setCurrentRow, row)
        assert names(h) == order  # a click opens the draft; it does not move it
        assert view.currentRow() == row
    settle(h)


def test_an_unnamed_draft_follows_the_title_and_never_copies_a_name(studio_factory, qtbot):
    h = studio_factory()
    feature = drafts_of(h)
    title = h.find(QLineEdit, "titleEdit")
    ui(h, qtbot.keyClicks, title, "Salt on")
    call(h, feature.save_now())
    ui(h, qtbot.keyClicks, title, " the Window")
    call(h, feature.save_now())
    assert names(h) == ["Salt on the Window"]  # followed the title as it was typed
    press(h, h.find(QPushButton, "newDraftButton"))
    ui(h, qtbot.keyClicks, h.find(QLineEdit, "titleEdit"), "Salt on the Window")
    call(h, feature.save_now())
    assert sorted(names(h)) == ["Salt on the Window", "Salt on the Window 2"]
    settle(h)


def test_reuse_these_settings_says_it_opened_a_new_draft(studio_factory, qtbot):
    h = studio_factory()
    generate(h, SONGS[:1])
    messages: list[str] = []
    h.window.statusBar().messageChanged.connect(messages.append)
    from tests.gui.library_helpers import feature as library

    library(h).panel.select_row(0)
    until(h, lambda: library(h).panel.details.track is not None, timeout=5, what="details")
    press(h, h.find(QPushButton, "reuseSettingsButton"))
    settle(h)
    assert any(m == "Opened in a new draft: “Neon Coastline”." for m in messages), messages
    settle(h)


def test_history_counts_in_english_and_takes_are_a_and_b(studio_factory, sandbox, qtbot):
    h = studio_factory()
    ui(h, fill_valid, qtbot, h.window, "Tide")
    button = h.find(QPushButton, "generateButton")
    until(h, button.isEnabled, timeout=5)
    press(h, button)
    wait_done(h)
    history = h.find(QListWidget, "draftHistory")
    takes = h.find(QListWidget, "snapshotTakes")
    until(h, lambda: history.count() == 1 and takes.count() == 2, timeout=10, what="snapshot")
    title = drafts_of(h).panel.historyTitle.text()
    assert "(1 generation)" in title, title
    assert history.item(0).text().endswith("· 2 takes")
    texts = lambda: [takes.item(i).text() for i in range(takes.count())]  # noqa: E731
    until(h, lambda: texts() == ["A · Tide", "B · Tide"], timeout=10, what=f"A/B ({texts()})")
    assert h.find(QLabel, "draftsNotice") is not None
    settle(h)
