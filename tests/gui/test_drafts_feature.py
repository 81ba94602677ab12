"""Drafts in the window (real SQLite, sandbox over 127.0.0.1): autosave while typing, new /
rename / duplicate / delete with undo, the history of sent requests with its takes and reopen,
the album tag, Ctrl+S, reopening the last draft at start, presets, export and import."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from sunodesk.core.drafts import parse_export
from sunodesk.store import tags
from sunodesk.ui.drafts.feature import DraftsFeature
from tests.gui.feature_helpers import call, press, settle, ui, until, wait_done
from tests.gui.studio_fixture import (
    StudioHarness,
    studio_factory_fixture,  # noqa: F401
)
from tests.gui.test_studio_window import LYRICS, fill_valid, type_lines


def drafts_of(h: StudioHarness) -> DraftsFeature:
    return next(f for f in h.studio.features if isinstance(f, DraftsFeature))


def saved_prompt(h: StudioHarness) -> str:
    feature = drafts_of(h)
    return feature.repo.get(feature.current.id).request.prompt


def names(h: StudioHarness) -> list[str]:
    view = h.find(QListWidget, "draftsView")
    return [view.item(i).text() for i in range(view.count())]


def test_autosave_while_typing_and_ctrl_s(studio_factory, qtbot):
    h = studio_factory()
    feature = drafts_of(h)
    assert (
        names(h) == ["Untitled draft"]
        and h.studio.hub.current_draft().draft_id == feature.current.id
    )
    lyrics = h.find(QPlainTextEdit, "lyricsEditor")
    ui(h, qtbot.keyClicks, lyrics, "first line")
    until(h, lambda: saved_prompt(h) == "first line", timeout=5, what="the autosave")
    settle(h)
    # Ctrl+S writes at once (no debounce)
    ui(h, qtbot.keyClicks, lyrics, " more")
    assert feature._timer.isActive()
    ui(h, qtbot.keyClick, lyrics, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    settle(h)
    assert saved_prompt(h) == "first line more"
    assert "saved" in h.window.statusBar().currentMessage()
    settle(h)


def test_new_rename_duplicate_delete_undo(studio_factory, qtbot):
    h = studio_factory()
    feature = drafts_of(h)
    view = h.find(QListWidget, "draftsView")
    lyrics = h.find(QPlainTextEdit, "lyricsEditor")
    ui(h, qtbot.keyClicks, lyrics, "song one")
    settle(h)
    # rename in place: the name is also the album
    view.currentItem().setText("Summer Sketches")
    settle(h)
    assert feature.current.name == "Summer Sketches" == h.studio.hub.current_draft().album

    press(h, h.find(QPushButton, "newDraftButton"))
    assert lyrics.toPlainText() == "" and names(h)[0] == "Untitled draft"
    ui(h, qtbot.keyClicks, lyrics, "song two")
    settle(h)
    # switching back brings the first text; the second was saved on the way out
    first = next(i for i in range(view.count()) if view.item(i).text() == "Summer Sketches")
    view.setCurrentRow(first)
    settle(h)
    assert lyrics.toPlainText() == "song one"
    assert sorted(names(h)) == ["Summer Sketches", "Untitled draft"]

    press(h, h.find(QPushButton, "duplicateDraftButton"))
    assert feature.current.name == "Summer Sketches copy" and lyrics.toPlainText() == "song one"

    press(h, h.find(QPushButton, "deleteDraftButton"))
    assert "Summer Sketches copy" not in names(h)
    assert not h.find(QWidget, "draftUndoBar").isHidden()
    assert h.find(QLabel, "draftUndoLabel").text() == "Deleted “Summer Sketches copy”."
    press(h, h.find(QPushButton, "undoDeleteButton"))
    assert feature.current.name == "Summer Sketches copy"
    assert sorted(names(h)) == ["Summer Sketches", "Summer Sketches copy", "Untitled draft"]


def test_generation_snapshots_album_and_reopen(studio_factory, sandbox, qtbot):
    h = studio_factory()
    feature = drafts_of(h)
    h.find(QListWidget, "draftsView").currentItem().setText("Coastline")
    settle(h)
    ui(h, fill_valid, qtbot, h.window, "Tide")
    button = h.find(QPushButton, "generateButton")
    until(h, button.isEnabled, timeout=5)
    press(h, button)
    job = wait_done(h)
    assert job.state == "done"
    history = h.find(QListWidget, "draftHistory")
    until(
        h,
        lambda: history.count() == 1 and h.find(QListWidget, "snapshotTakes").count() == 2,
        timeout=10,
        what="the snapshot with its two takes",
    )
    [snap] = feature.repo.snapshots(feature.current.id)
    assert snap.job_id == job.id and snap.request.album == "Coastline"
    assert snap.request.prompt == LYRICS and snap.request.title == "Tide"
    for _rid, path in snap.takes:
        assert tags.read_tags(Path(path)).album == "Coastline"

    # edit, then reopen the exact request that was sent; Undo brings the edit back
    lyrics = h.find(QPlainTextEdit, "lyricsEditor")
    lyrics.selectAll()
    ui(h, qtbot.keyClicks, lyrics, "rewritten")
    settle(h)
    history.setCurrentRow(0)
    press(h, h.find(QPushButton, "openSnapshotButton"))
    assert lyrics.toPlainText() == LYRICS
    until(h, lambda: saved_prompt(h) == LYRICS, timeout=5)
    settle(h)
    press(h, h.find(QPushButton, "undoDeleteButton"))
    assert lyrics.toPlainText() == "rewritten" and saved_prompt(h) == "rewritten"
    # takes play through the window's hook
    played = []
    h.studio.hub.play_take = lambda result_id, path="": played.append(result_id)
    takes = h.find(QListWidget, "snapshotTakes")
    takes.itemActivated.emit(takes.item(0))
    assert played == [snap.takes[0][0]]
    settle(h)


def test_last_draft_reopens_at_start(studio_factory, qtbot):
    h = studio_factory(name="keep")
    ui(h, qtbot.keyClicks, h.find(QPlainTextEdit, "lyricsEditor"), "kept words")
    until(h, lambda: saved_prompt(h) == "kept words", timeout=5)
    press(h, h.find(QPushButton, "newDraftButton"))
    ui(h, qtbot.keyClicks, h.find(QPlainTextEdit, "lyricsEditor"), "the newest")
    settle(h)
    h.close()
    again = studio_factory(name="keep")
    assert again.find(QPlainTextEdit, "lyricsEditor").toPlainText() == "the newest"
    assert len(names(again)) == 2
    settle(again)


def test_presets_save_and_apply(studio_factory, qtbot):
    h = studio_factory()
    feature = drafts_of(h)
    form = h.window.form
    ui(h, type_lines, qtbot, h.find(QPlainTextEdit, "lyricsEditor"), "la")
    form.styleChips.set_tags(["darkwave", "cold synth"])
    form.excludeChips.set_tags(["country"])
    form.weirdnessSlider.set_value(0.6)
    call(h, feature.tools.save_preset("Night"))
    assert [a.text() for a in feature.tools.menu.actions() if a.text() == "Night"] == ["Night"]
    call(h, feature.new_draft())
    assert form.request().style == ""
    [action] = [a for a in feature.tools.menu.actions() if a.text() == "Night"]
    action.trigger()
    req = form.request()
    assert (req.style, req.negative_tags, req.weirdness) == ("darkwave, cold synth", "country", 0.6)
    until(
        h,
        lambda: feature.repo.get(feature.current.id).request.style == req.style,
        timeout=5,
        what="the preset saved into the draft",
    )
    settle(h)


def test_export_import_round_trip_and_hostile_files(studio_factory, qtbot, tmp_path, monkeypatch):
    h = studio_factory()
    feature = drafts_of(h)
    form = h.window.form
    ui(h, fill_valid, qtbot, h.window, "Round Trip")
    form.weirdnessSlider.set_value(0.3)
    h.find(QListWidget, "draftsView").currentItem().setText("Exported Album")
    settle(h)
    out = tmp_path / "out.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    press(h, h.find(QPushButton, "exportDraftButton"))
    assert out.is_file() and "Exported" in h.find(QLabel, "draftsNotice").text()
    call(h, feature.save_now())
    original = feature.repo.get(feature.current.id)
    assert original.request.prompt == LYRICS and original.request.weirdness == 0.3
    assert "sk-test" not in out.read_text()  # the key never leaves

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(out), ""))
    press(h, h.find(QPushButton, "importDraftButton"))
    imported = feature.current
    assert imported.id != original.id
    assert imported.name == original.name and imported.request == original.request
    assert imported.request_json == original.request_json
    assert parse_export(out.read_bytes()).skipped == ()

    before = [(d.id, d.name, d.request_json) for d in feature.repo.all(include_deleted=True)]
    hostile = {
        "corrupt.json": b'{"format": "sunodesk-draft", "version": 1, "lyrics": "cut',
        "bomb.json": b"[" * 50_000 + b"]" * 50_000,
        "huge.json": json.dumps(
            {"format": "sunodesk-draft", "version": 1, "lyrics": "x" * (10 * 1024 * 1024)}
        ).encode(),
        "binary.json": bytes(range(256)) * 4,
        "future.json": json.dumps({"format": "sunodesk-draft", "version": 7}).encode(),
        "junk.json": json.dumps(
            {
                "format": "sunodesk-draft",
                "version": 1,
                "lyrics": {"../../etc/passwd": [[[]]]},
                "settings": "rm -rf",
            }
        ).encode(),
    }
    notice = h.find(QLabel, "draftsNotice")
    for name, data in hostile.items():
        path = tmp_path / name
        path.write_bytes(data)
        assert call(h, feature.tools.import_file(str(path))) is None
        assert notice.text().startswith(f"Could not import {name}:"), notice.text()
        assert "Nothing was imported" in notice.text()
        assert notice.property("role") == "fieldError"
    assert [
        (d.id, d.name, d.request_json) for d in feature.repo.all(include_deleted=True)
    ] == before
    assert feature.current.id == imported.id
    settle(h)


def test_an_unnamed_draft_takes_the_songs_title(studio_factory, qtbot):
    from PySide6.QtWidgets import QLineEdit

    h = studio_factory()
    feature = drafts_of(h)
    ui(h, qtbot.keyClicks, h.find(QLineEdit, "titleEdit"), "Coast Road")
    until(h, lambda: names(h) == ["Coast Road"], timeout=5, what="the draft to take the title")
    assert h.studio.hub.current_draft().album == "Coast Road"
    call(h, feature.rename(feature.current.id, "Summer drafts"))  # a chosen name stays
    ui(h, qtbot.keyClicks, h.find(QLineEdit, "titleEdit"), " II")
    call(h, feature.save_now())
    assert names(h) == ["Summer drafts"]
    settle(h)
