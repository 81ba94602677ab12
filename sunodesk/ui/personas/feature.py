"""The personas feature: the Personas tab, the Create-persona dialog, and keeping the studio's
personaCombo in step with the store.

It offers the hub ``create_persona(result_id=None)``, which opens the dialog (the library's
"Create persona…"). Through the hub it plays a persona's source take (``hub.play_take``: the
window's player, else the desktop's) and reads the playhead for the vocal window
(``hub.playhead_seconds``; with no player the window is typed).
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox

from sunodesk.core.models import Persona, PersonaRequest, Track
from sunodesk.engine.engine import RequestInvalid
from sunodesk.ui.common.tasks import off_thread, spawn
from sunodesk.ui.hub import Hub
from sunodesk.ui.personas.dialog import CreatePersonaDialog
from sunodesk.ui.personas.panel import PersonaRow, PersonasPanel


class PersonasFeature(QObject):
    def __init__(self, hub: Hub) -> None:
        super().__init__(hub)
        self.hub = hub
        self.session = None
        self.dialog: CreatePersonaDialog | None = None
        self.confirm: QMessageBox | None = None
        self.panel = PersonasPanel(hub.window)
        self.panel.setObjectName("personasPanel")
        hub.window.add_side_tab(self.panel, self.tr("Personas"))
        self.panel.createRequested.connect(lambda: self.open_create_dialog())
        self.panel.useRequested.connect(self.use_in_studio)
        self.panel.removeRequested.connect(self.ask_remove)
        self.panel.playRequested.connect(self.play)
        self.panel.model.editRequested.connect(
            lambda pid, what, text: spawn(self.edit(pid, what, text))
        )
        hub.provide_personas(self)

    # -- session -------------------------------------------------------------------------------

    async def attach(self, session) -> None:
        self.session = session
        jobs = self.hub.jobs
        jobs.personaCreated.connect(self._on_created)
        jobs.trackFiled.connect(self._on_track)
        await self.refresh()

    async def detach(self) -> None:
        jobs = self.hub.jobs
        if jobs is not None:
            for signal, slot in (
                (jobs.personaCreated, self._on_created),
                (jobs.trackFiled, self._on_track),
            ):
                with contextlib.suppress(RuntimeError, TypeError):
                    signal.disconnect(slot)
        if self.dialog is not None:
            self.dialog.reject()
        self.session = None

    @property
    def store(self):
        return self.session.store if self.session is not None else None

    async def refresh(self) -> list[PersonaRow]:
        """Re-read every persona (with usage) into the tab and into personaCombo."""
        if self.store is None:
            return []
        rows = [PersonaRow(*r) for r in await off_thread(self.store.personas.list_with_usage)]
        if self.session is None:
            return rows
        self.panel.set_rows(rows)
        self.hub.window.form.set_personas([r.persona for r in rows])
        return rows

    def _on_created(self, persona: Persona | None) -> None:
        spawn(self.refresh())
        if persona is not None:
            self.hub.window.show_message(
                self.tr("Persona “{name}” is ready: choose it under Persona in the studio.").format(
                    name=persona.name
                )
            )

    def _on_track(self, track: Track | None) -> None:
        if track is not None and track.persona_id:
            spawn(self.refresh())  # its usage count changed

    # -- actions -------------------------------------------------------------------------------

    def use_in_studio(self, persona_id: str) -> None:
        form = self.hub.window.form
        index = form.personaCombo.findData(persona_id)
        if index < 0:
            return
        if not form.customModeToggle.isChecked():
            form.customModeToggle.setChecked(True)  # personas are a custom-mode setting
        form.personaCombo.setCurrentIndex(index)
        form.personaCombo.setFocus()
        self.hub.window.show_message(
            self.tr("Persona “{name}” selected in the studio.").format(
                name=form.personaCombo.currentText()
            )
        )

    async def edit(self, persona_id: str, what: str, text: str) -> None:
        if self.store is None:
            return
        repo = self.store.personas
        try:
            if what == "name":
                await off_thread(repo.rename, persona_id, text)
            else:
                await off_thread(repo.describe, persona_id, text)
        except ValueError:
            self.hub.window.show_message(self.tr("A persona needs a name."))
        await self.refresh()

    def ask_remove(self, row: PersonaRow) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Remove persona"),
            self.tr("Remove “{name}” from this list?").format(name=row.persona.name),
            QMessageBox.StandardButton.Cancel,
            self.hub.window,
        )
        box.setObjectName("removePersonaConfirm")
        box.setInformativeText(
            self.tr(
                "This only forgets it here. The copy on the server cannot be deleted (the API "
                "has no way to), songs made with it keep its name and id in their tags, and its "
                "source take still cannot make another persona."
            )
        )
        remove = box.addButton(self.tr("Remove from list"), QMessageBox.ButtonRole.AcceptRole)
        remove.setObjectName("removePersonaYes")
        box.buttonClicked.connect(
            lambda button: spawn(self.remove(row.persona)) if button is remove else None
        )
        self.confirm = box
        box.open()

    async def remove(self, persona: Persona) -> None:
        if self.store is None:
            return
        await off_thread(self.store.personas.remove, persona.persona_id)
        await self.refresh()
        self.hub.window.show_message(
            self.tr("“{name}” was removed from this list; the server's copy remains.").format(
                name=persona.name
            )
        )

    def play(self, row: PersonaRow) -> None:
        self.hub.play_take(row.persona.source_result_id, row.source_path)

    # -- create --------------------------------------------------------------------------------

    def open_create_dialog(self, result_id: str | None = None) -> None:
        spawn(self._open_dialog(result_id))

    async def _open_dialog(self, result_id: str | None) -> CreatePersonaDialog | None:
        if self.store is None:
            return None
        tracks, taken = await off_thread(self._sources, self.store)
        if self.dialog is not None:
            self.dialog.reject()
        playhead = self.hub.playhead_seconds if self.hub.has_playhead else None
        dialog = CreatePersonaDialog(tracks, taken, result_id, playhead, self.hub.window)
        dialog.accepted.connect(lambda: spawn(self.create(dialog.request())))
        dialog.finished.connect(lambda _r: self._forget_dialog(dialog))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _forget_dialog(self, dialog: CreatePersonaDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    @staticmethod
    def _sources(store) -> tuple[list[Track], dict[str, str]]:
        """Finished takes that came from a song task, and which of them are already taken."""
        tracks = [
            t
            for t in store.tracks.recent(None, 1000, "done")
            if t.task_id.startswith("task-unified-")
        ]
        taken = {}
        for track in tracks:
            persona = store.personas.for_result(track.result_id)
            if persona is not None:
                taken[track.result_id] = persona.name
            elif store.personas.is_taken(track.result_id):
                taken[track.result_id] = "…"
        return tracks, taken

    async def create(self, request: PersonaRequest):
        """Send a persona request through the engine (it checks the rules once more)."""
        if self.session is None:
            return None
        try:
            job = await self.session.engine.submit_persona(request)
        except RequestInvalid as exc:
            self.hub.window.show_message(
                self.tr("Persona not created: {why}").format(
                    why=" ".join(p.message for p in exc.problems)
                )
            )
            return None
        if self.hub.jobs is not None:
            self.hub.jobs.jobUpdated.emit(job)
        self.hub.window.show_message(
            self.tr("Creating persona “{name}”…").format(name=request.name)
        )
        return job
