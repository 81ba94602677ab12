"""What can be done to tracks in the library: the context menu, the Library menu, and the file
actions behind them (reveal, copy path, export, move to the trash, import, rescan, tags).

Dialogs ask on the GUI thread; every disk, tag and database step runs through the bridge.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QFileDialog, QMenu, QMessageBox, QWidget

from sunodesk.core.models import Track
from sunodesk.ui.common.tasks import spawn
from sunodesk.ui.library.tag_editor import TagEditorDialog

log = logging.getLogger(__name__)


def tr(text: str) -> str:
    return QCoreApplication.translate("LibraryActions", text)


def confirm_trash(parent: QWidget, tracks: list[Track]) -> bool:
    """Ask before moving files to the trash (tests replace this)."""
    if len(tracks) == 1:
        text = tr("Move “{title}” to the trash?").format(title=tracks[0].title)
    else:
        text = tr("Move {n} tracks to the trash?").format(n=len(tracks))
    answer = QMessageBox.question(
        parent, tr("Move to trash"),
        text + "\n\n" + tr("The files go to the system trash, where they can be restored; "
                           "they leave the library."),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel)  # fmt: skip
    return answer == QMessageBox.StandardButton.Yes


def _reasons(failed: list[tuple[str, str]]) -> str:
    shown = "; ".join(f"{name}: {why}" for name, why in failed[:3])
    return shown + (tr(" (and {n} more)").format(n=len(failed) - 3) if len(failed) > 3 else "")


class LibraryActions(QObject):
    """Owns the actions; ``feature`` supplies the panel, the bridge, the player and messages."""

    def __init__(self, feature) -> None:
        super().__init__(feature)
        self.feature = feature
        panel = feature.panel
        self.importAction = QAction(tr("Import MP3 files…"), self)
        self.importAction.setObjectName("libraryImportAction")
        self.importAction.setShortcut(QKeySequence("Ctrl+I"))
        self.importAction.triggered.connect(self.ask_import)
        self.rescanAction = QAction(tr("Rescan the library folder"), self)
        self.rescanAction.setObjectName("libraryRescanAction")
        self.rescanAction.setShortcut(QKeySequence.StandardKey.Refresh)
        self.rescanAction.triggered.connect(lambda: self._run(self.rescan()))
        self.exportAction = QAction(tr("Export selected to a folder…"), self)
        self.exportAction.triggered.connect(self.ask_export)
        self.revealLibraryAction = QAction(tr("Open the library folder"), self)
        self.revealLibraryAction.triggered.connect(self.reveal_library)
        menu = QMenu(panel)
        menu.addActions([self.importAction, self.rescanAction, self.exportAction])
        menu.addSeparator()
        menu.addAction(self.revealLibraryAction)
        panel.menuButton.setMenu(menu)
        QShortcut(
            QKeySequence.StandardKey.Delete,
            panel.view,
            activated=lambda: self.trash(panel.selected_tracks()),
        )
        QShortcut(
            QKeySequence.StandardKey.Copy,
            panel.view,
            activated=lambda: self.copy_paths(panel.selected_tracks()),
        )

    def _run(self, coro) -> None:
        """Run an action off the GUI thread; a failure becomes one sentence, never silence."""

        async def guarded() -> None:
            try:
                await coro
            except Exception as exc:
                log.error("library action failed: %s", exc)
                self._say(tr("That did not work: {reason}").format(reason=exc))

        spawn(guarded())

    @property
    def bridge(self):
        return self.feature.bridge

    def _say(self, text: str) -> None:
        self.feature.say(text)

    # -- context menu ------------------------------------------------------------------------

    def context_menu(self, tracks: list[Track]) -> QMenu:
        menu = QMenu(self.feature.panel)
        menu.setObjectName("libraryContextMenu")
        if not tracks:
            menu.addAction(self.importAction)
            menu.addAction(self.rescanAction)
            return menu
        one = tracks[0]
        play = menu.addAction(tr("Play"), lambda: self.feature.play(one))
        menu.setDefaultAction(play)
        if len(self.feature.panel.model.siblings(one)) > 1:
            menu.addAction(tr("Play the other take (A/B)"), lambda: self.feature.play_other(one))
        menu.addSeparator()
        favourite = not all(t.favourite for t in tracks)
        menu.addAction(
            tr("Mark as favourite") if favourite else tr("Unmark favourite"),
            lambda: self._run(self.feature.set_favourite(tracks, favourite)),
        )
        rate = menu.addMenu(tr("Rating"))
        for stars in range(6):
            label = "★" * stars + "☆" * (5 - stars) if stars else tr("No rating")
            rate.addAction(label, lambda s=stars: self._run(self.feature.set_rating(tracks, s)))
        edit = menu.addAction(tr("Edit tags…"), lambda: self.edit_tags(one))
        edit.setEnabled(len(tracks) == 1 and bool(one.path))
        if one.song_request is not None or one.job_id is not None:
            menu.addAction(tr("Reuse these settings"), lambda: self._run(self.feature.reuse(one)))
        hub = self.feature.hub
        if hub.can_create_personas and one.task_id and not one.imported:
            persona = menu.addAction(
                tr("Create persona…"), lambda: hub.create_persona(one.result_id)
            )
            persona.setEnabled(len(tracks) == 1)
        menu.addSeparator()
        menu.addAction(tr("Show in file manager"), lambda: self.reveal(one))
        menu.addAction(tr("Copy path"), lambda: self.copy_paths(tracks))
        menu.addAction(tr("Export to a folder…"), lambda: self.ask_export(tracks))
        menu.addSeparator()
        menu.addAction(tr("Move to trash…"), lambda: self.trash(tracks))
        return menu

    # -- files -------------------------------------------------------------------------------

    def reveal(self, track: Track) -> None:
        if track.path:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(track.path).parent)))

    def reveal_library(self) -> None:
        if self.bridge is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.bridge.library_dir)))

    def copy_paths(self, tracks: list[Track]) -> None:
        paths = [t.path for t in tracks if t.path]
        if paths:
            QApplication.clipboard().setText("\n".join(paths))
            self._say(tr("Copied {n} path(s).").format(n=len(paths)))

    def ask_export(self, tracks: list[Track] | None = None) -> None:
        tracks = tracks if tracks is not None else self.feature.panel.selected_tracks()
        if not tracks:
            self._say(tr("Select the tracks to export first."))
            return
        folder = QFileDialog.getExistingDirectory(self.feature.panel, tr("Export to folder"))
        if folder:
            self._run(self.export(tracks, folder))

    async def export(self, tracks: list[Track], folder: str) -> list[str]:
        if self.bridge is None:
            return []
        report = await self.bridge.export([t.path for t in tracks if t.path], folder)
        if report.failed:
            self._say(
                tr("Exported {n}; could not copy {m}: {why}").format(
                    n=len(report.done), m=len(report.failed), why=_reasons(report.failed)
                )
            )
        else:
            self._say(
                tr("Exported {n} track(s) to {folder}.").format(n=len(report.done), folder=folder)
            )
        return report.done

    def trash(self, tracks: list[Track]) -> None:
        if tracks and self.bridge is not None and confirm_trash(self.feature.panel, tracks):
            self._run(self.delete(tracks))

    async def delete(self, tracks: list[Track]) -> list[str]:
        playing = self.feature.player.track
        if playing is not None and playing.result_id in {t.result_id for t in tracks}:
            self.feature.player.stop()  # let go of the file first
        report = await self.bridge.delete([t.result_id for t in tracks])
        if report.failed:
            self._say(
                tr("Could not move {m} file(s) to the trash: {why}").format(
                    m=len(report.failed), why=_reasons(report.failed)
                )
            )
        else:
            self._say(tr("Moved {n} track(s) to the trash.").format(n=len(report.done)))
        return report.done

    def ask_import(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self.feature.panel, tr("Import MP3 files"), "", tr("MP3 audio (*.mp3)")
        )
        if paths:
            self._run(self.import_paths(paths))

    async def import_paths(self, paths: list[str]):
        if self.bridge is None:
            return None
        report = await self.bridge.import_files(paths)
        text = tr("Imported {n} track(s).").format(n=len(report.added))
        if report.skipped:
            text += " " + tr("Skipped {m}: {why}").format(
                m=len(report.skipped), why=_reasons(report.skipped)
            )
        self._say(text)
        return report

    async def rescan(self):
        if self.bridge is None:
            return None
        self._say(tr("Rescanning the library…"))
        report = await self.bridge.rescan()
        parts = [
            tr("{n} renamed").format(n=len(report.renamed)),
            tr("{n} missing").format(n=len(report.missing)),
            tr("{n} re-tagged").format(n=len(report.retagged)),
            tr("{n} changed").format(n=len(report.changed)),
            tr("{n} added").format(n=len(report.adopted)),
        ]
        text = tr("Rescan finished: {parts}.").format(parts=", ".join(parts))
        if report.unreadable:
            text += " " + tr("Not added yet: {why}").format(why=_reasons(report.unreadable))
        self._say(text)
        return report

    # -- tags --------------------------------------------------------------------------------

    def edit_tags(self, track: Track) -> TagEditorDialog | None:
        if self.bridge is None or not track.path:
            return None
        dialog = TagEditorDialog(track, self.bridge, self.feature.hub.window)
        dialog.saveRequested.connect(lambda t, changes: self._run(self.save_tags(t, changes)))
        dialog.finished.connect(dialog.deleteLater)
        dialog.start()
        return dialog

    async def save_tags(self, track: Track, changes: dict) -> Track | None:
        try:
            updated = await self.bridge.save_tags(track, changes)
        except (OSError, ValueError, LookupError) as exc:
            self._say(tr("The tags could not be saved: {why}").format(why=exc))
            return None
        self.feature.covers.forget(track.path)
        self._say(tr("Tags saved to {name}.").format(name=Path(track.path).name))
        return updated
