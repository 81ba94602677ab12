"""Export and import of drafts (small JSON files) and style presets, for the drafts feature.

Import reads at most a little more than the size cap, validates with core (which refuses a
hostile or broken file as a whole, or leaves out the fields it cannot take) and only then
creates a *new* draft: an import never overwrites anything, and a refused file changes nothing.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMenu

from sunodesk.core.drafts import (
    MAX_FILE_BYTES,
    ImportRefused,
    ImportResult,
    Preset,
    draft_request,
    export_draft,
    parse_export,
)
from sunodesk.store import files
from sunodesk.ui.common.tasks import off_thread, spawn


def _read_capped(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(MAX_FILE_BYTES + 1)


class DraftsTools(QObject):
    def __init__(self, feature) -> None:
        super().__init__(feature)
        self.feature = feature
        self.presets: list[Preset] = []
        self.name_dialog: QInputDialog | None = None
        panel = feature.panel
        self.menu = QMenu(panel)
        self.menu.setObjectName("presetsMenu")
        self.menu.aboutToShow.connect(self._fill_menu)
        panel.presetsButton.setMenu(self.menu)
        panel.exportButton.clicked.connect(lambda: spawn(self.export_current()))
        panel.importButton.clicked.connect(lambda: spawn(self.import_file()))
        self._fill_menu()

    @property
    def window(self):
        return self.feature.hub.window

    @property
    def store(self):
        session = self.feature.session
        return session.store if session is not None else None

    async def attach(self) -> None:
        await self.refresh_presets()

    # -- export / import -----------------------------------------------------------------------

    async def export_current(self, path: str | None = None) -> Path | None:
        draft = self.feature.current
        if draft is None:
            return None
        if path is None:
            suggested = str(Path.home() / files.safe_filename(draft.name, ".json"))
            path, _filter = QFileDialog.getSaveFileName(
                self.window,
                self.tr("Export draft"),
                suggested,
                self.tr("sunodesk drafts (*.json);;All files (*)"),
            )
            if not path:
                return None
        text = export_draft(draft.name, draft_request(self.window.form.request()))
        try:
            await off_thread(files.atomic_write_text, path, text)
        except OSError as exc:
            self.feature.panel.show_notice(
                self.tr("Could not export: {why}").format(why=exc.strerror or exc), error=True
            )
            return None
        self.feature.panel.show_notice(
            self.tr("Exported “{name}” to {path}.").format(name=draft.name, path=path)
        )
        return Path(path)

    async def import_file(self, path: str | None = None) -> ImportResult | None:
        if self.store is None:
            return None
        if path is None:
            path, _filter = QFileDialog.getOpenFileName(
                self.window,
                self.tr("Import draft"),
                str(Path.home()),
                self.tr("sunodesk drafts (*.json);;All files (*)"),
            )
            if not path:
                return None
        name = Path(path).name
        try:
            raw = await off_thread(_read_capped, path)
            result = parse_export(raw)
        except ImportRefused as exc:
            return self._refused(name, str(exc))
        except OSError as exc:
            return self._refused(name, str(exc.strerror or exc))
        feature = self.feature
        await feature.save_now()
        draft = await off_thread(self.store.drafts.create, result.name, result.request.to_json())
        await feature.switch_to(draft.id)
        text = self.tr("Imported “{name}” as a new draft.").format(name=result.name)
        if result.skipped:
            text += "\n" + self.tr("Not taken:") + "\n• " + "\n• ".join(result.skipped)
        feature.panel.show_notice(text, error=bool(result.skipped))
        self.window.show_message(text.split("\n")[0])
        return result

    def _refused(self, name: str, why: str) -> None:
        text = self.tr("Could not import {file}: {why}").format(file=name, why=why)
        self.feature.panel.show_notice(text, error=True)
        self.window.show_message(text)
        return None

    # -- presets -------------------------------------------------------------------------------

    async def refresh_presets(self) -> list[Preset]:
        if self.store is not None:
            self.presets = await off_thread(self.store.presets.all)
        self._fill_menu()
        return self.presets

    def _fill_menu(self) -> None:
        menu = self.menu
        menu.clear()
        save = menu.addAction(self.tr("Save current sound as preset…"))
        save.setObjectName("savePresetAction")
        save.setToolTip(self.tr("Styles, exclude tags, weights and model."))
        save.triggered.connect(self.ask_preset_name)
        if not self.presets:
            empty = menu.addAction(self.tr("No presets yet"))
            empty.setEnabled(False)
            return
        menu.addSection(self.tr("Apply to this draft"))
        for preset in self.presets:
            action = menu.addAction(preset.name)
            action.setToolTip(preset.style)
            action.triggered.connect(lambda _c=False, p=preset: self.apply_preset(p))
        remove = menu.addMenu(self.tr("Delete preset"))
        for preset in self.presets:
            action = remove.addAction(preset.name)
            action.triggered.connect(lambda _c=False, p=preset: spawn(self.delete_preset(p)))

    def ask_preset_name(self) -> None:
        dialog = QInputDialog(self.window)
        dialog.setObjectName("presetNameDialog")
        dialog.setWindowTitle(self.tr("Save preset"))
        dialog.setLabelText(
            self.tr("Name for the current styles, exclude tags, weights and model:")
        )
        dialog.textValueSelected.connect(lambda name: spawn(self.save_preset(name)))
        dialog.finished.connect(dialog.deleteLater)
        self.name_dialog = dialog
        dialog.open()

    async def save_preset(self, name: str) -> Preset | None:
        if self.store is None or not name.strip():
            return None
        preset = Preset.from_request(name, self.window.form.request())
        saved = await off_thread(self.store.presets.save, preset)
        await self.refresh_presets()
        self.window.show_message(self.tr("Preset “{name}” saved.").format(name=saved.name))
        return saved

    def apply_preset(self, preset: Preset) -> None:
        form = self.window.form
        form.load(preset.apply(form.request()))
        self.feature._on_form_changed()
        self.window.show_message(self.tr("Preset “{name}” applied.").format(name=preset.name))

    async def delete_preset(self, preset: Preset) -> None:
        if self.store is not None:
            await off_thread(self.store.presets.delete, preset.name)
            await self.refresh_presets()
