"""Personas in the window, against the sandbox over 127.0.0.1: create one from a take through
the dialog, see it listed, generate with it (artist and SUNO_PERSONA_ID in the tags), refuse a
second persona from the same take without sending, edit and remove it locally."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QMessageBox, QPushButton, QTableView

from sunodesk.store import tags
from sunodesk.ui.common import tasks
from sunodesk.ui.personas.feature import PersonasFeature
from sunodesk.ui.personas.panel import DESCRIPTION, NAME, SOURCE
from tests.gui.feature_helpers import call, press, settle, ui, until, wait_done
from tests.gui.studio_fixture import (
    StudioHarness,
    studio_factory_fixture,  # noqa: F401
)
from tests.gui.test_studio_window import TERMINAL, fill_valid


def feature(h: StudioHarness, cls):
    return next(f for f in h.studio.features if isinstance(f, cls))


def generate_song(h: StudioHarness, qtbot, title: str = "Neon Dreamers"):
    ui(h, fill_valid, qtbot, h.window, title)
    button = h.find(QPushButton, "generateButton")
    until(h, button.isEnabled, timeout=5, what="Generate enabled")
    press(h, button)
    job = wait_done(h)
    assert job.state == "done", job.error_message
    settle(h)
    return job


def open_dialog(h: StudioHarness, personas: PersonasFeature, result_id: str | None = None):
    old = personas.dialog
    personas.open_create_dialog(result_id)
    until(
        h,
        lambda: (
            personas.dialog is not None
            and personas.dialog is not old
            and personas.dialog.isVisible()
        ),
        timeout=5,
        what="the Create persona dialog",
    )
    return personas.dialog


def test_persona_from_a_take_then_a_song_with_it(studio_factory, sandbox, qtbot):
    h = studio_factory()
    personas = feature(h, PersonasFeature)
    view = h.find(QTableView, "personasView")
    job = generate_song(h, qtbot)
    takes = h.studio.session.store.tracks.for_job(job.id)
    source = takes[0]

    # the dialog from the Personas tab's button, take picked in its combo
    press(h, h.find(QPushButton, "createPersonaButton"))
    until(h, lambda: personas.dialog is not None and personas.dialog.isVisible(), timeout=5)
    dialog = personas.dialog
    assert dialog.sourceCombo.count() == 2  # the two finished takes
    combo = dialog.sourceCombo
    combo.setCurrentIndex(combo.findData(source.result_id))
    assert not dialog.createButton.isEnabled()  # no name, no description yet
    ui(h, qtbot.keyClicks, dialog.nameEdit, "Velvet Ada")
    ui(h, qtbot.keyClicks, dialog.descriptionEdit, "smoky alto, laid-back phrasing")
    # a 5 s vocal window breaks the 10–30 s rule: said before anything is sent
    ui(h, dialog.windowCheck.click)
    dialog.startSpin.setValue(10.0)
    dialog.endSpin.setValue(15.0)
    until(h, lambda: "10–30 s" in dialog.problemsLabel.text(), timeout=5)
    assert not dialog.createButton.isEnabled()
    dialog.endSpin.setValue(25.0)
    until(h, dialog.createButton.isEnabled, timeout=5, what="Create enabled")
    assert dialog.request().vocal_start == 10.0 and dialog.request().vocal_end == 25.0
    # the library's player exists, so the window can also come from its playhead
    assert not dialog.startFromPlayhead.isHidden()
    press(h, dialog.createButton)

    until(h, lambda: view.model().rowCount() == 1, timeout=30, what="the persona listed")
    model = view.model()
    assert model.index(0, NAME).data() == "Velvet Ada"
    assert model.index(0, DESCRIPTION).data() == "smoky alto, laid-back phrasing"
    assert model.index(0, SOURCE).data() == source.title
    persona = h.studio.session.store.personas.for_result(source.result_id)
    assert persona is not None and persona.name == "Velvet Ada"
    assert sandbox.stats.snapshot()["submits"]["persona"] == 1
    persona_job = next(j for j in h.jobs() if j.kind == "persona")
    sent = sandbox.state.get(persona_job.task_id)["params"]
    assert (sent["vocal_start"], sent["vocal_end"]) == (10.0, 25.0)

    # personaCombo was refreshed; "Use in studio" selects it
    persona_combo = h.find(QComboBox, "personaCombo")
    assert persona_combo.findData(persona.persona_id) > 0
    view.selectRow(0)
    press(h, h.find(QPushButton, "usePersonaButton"))
    assert persona_combo.currentData() == persona.persona_id

    # generate with it: the persona's name is the artist, its id in SUNO_PERSONA_ID
    button = h.find(QPushButton, "generateButton")
    until(h, button.isEnabled, timeout=5)
    press(h, button)
    until(
        h,
        lambda: len(h.jobs()) >= 3 and h.jobs()[0].kind == "song" and h.jobs()[0].state in TERMINAL,
        timeout=30,
        what="the persona song done",
    )
    song = h.jobs()[0]
    assert song.state == "done", song.error_message
    made = h.studio.session.store.tracks.for_job(song.id)
    assert len(made) == 2
    for track in made:
        tagged = tags.read_tags(Path(track.path))
        assert tagged.persona_id == persona.persona_id
        assert tagged.artist == "Velvet Ada"
    assert sandbox.state.get(song.task_id)["request"]["persona_id"] == persona.persona_id
    until(h, lambda: model.index(0, 4).data() == 2, timeout=10, what="usage count 2")

    # a second persona from the same take: refused, nothing sent
    before = sandbox.stats.snapshot()["submits"]["persona"]
    dialog = open_dialog(h, personas, source.result_id)
    ui(h, qtbot.keyClicks, dialog.nameEdit, "Second")
    ui(h, qtbot.keyClicks, dialog.descriptionEdit, "again")
    until(h, lambda: "already made the persona" in dialog.problemsLabel.text(), timeout=5)
    assert "Velvet Ada" in dialog.problemsLabel.text()
    assert not dialog.createButton.isEnabled()
    press(h, dialog.createButton)  # disabled: nothing happens
    # even a request forced past the dialog is refused by the engine, unsent
    assert call(h, personas.create(dialog.request())) is None
    assert "only one" in h.window.statusBar().currentMessage()
    dialog.reject()
    assert sandbox.stats.snapshot()["submits"]["persona"] == before
    settle(h)


def test_local_edits_play_and_remove(studio_factory, sandbox, qtbot):
    h = studio_factory()
    personas = feature(h, PersonasFeature)
    store = h.studio.session.store
    job = generate_song(h, qtbot)
    source = store.tracks.for_job(job.id)[1]
    store.personas.add("p_local", "Ada", "warm", source.task_id, source.result_id)
    call(h, personas.refresh())
    view = h.find(QTableView, "personasView")
    model = view.model()
    assert model.rowCount() == 1

    # rename and re-describe in place
    assert model.setData(model.index(0, NAME), "Ada Lovelace")
    call(h, tasks.drain())
    assert store.personas.get("p_local").name == "Ada Lovelace"
    assert model.setData(model.index(0, DESCRIPTION), "bright soprano")
    call(h, tasks.drain())
    assert model.index(0, DESCRIPTION).data() == "bright soprano"
    assert h.find(QComboBox, "personaCombo").findText("Ada Lovelace") > 0

    # click the source take: the studio's play hook gets it
    played = []
    h.studio.hub.play_take = lambda result_id, path="": played.append(result_id)
    rect = view.visualRect(model.index(0, SOURCE))
    ui(h, qtbot.mouseClick, view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert played == [source.result_id]

    # remove: the confirmation says the server copy stays
    view.selectRow(0)
    press(h, h.find(QPushButton, "removePersonaButton"))
    box: QMessageBox = personas.confirm
    assert box is not None and box.isVisible()
    assert "cannot be deleted" in box.informativeText()
    press(h, box.findChild(QPushButton, "removePersonaYes"))
    until(h, lambda: model.rowCount() == 0, timeout=5, what="the persona removed")
    assert store.personas.get("p_local") is None
    assert h.find(QComboBox, "personaCombo").count() == 1  # only "No persona"
    settle(h)
