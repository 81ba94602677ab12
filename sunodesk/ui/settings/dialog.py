"""Settings: API key (keyring, masked, with a Test button), base URL, library folder, artist
name, ID3 version, parallel jobs and the theme. Saving goes through the store; the key never
shows. Choosing a theme applies it at once; Cancel puts the previous one back."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from sunodesk.core.endpoints import DEFAULT_BASE_URL, api_key_problem, base_url_problem
from sunodesk.store.settings import Settings
from sunodesk.ui.common import theme
from sunodesk.ui.common.tasks import spawn


@dataclass(frozen=True)
class SettingsResult:
    settings: Settings
    api_key: str | None  # None: unchanged
    sandbox: bool | None = None  # the Sandbox / Live choice; None: as before


class SettingsDialog(QDialog):
    def __init__(
        self,
        settings: Settings,
        key_note: str,
        parent: QWidget | None = None,
        tester=None,
        log_file: Path | None = None,
        sandbox: bool = False,
        remover=None,
    ) -> None:
        """``tester(base_url, key)`` is a coroutine returning a sentence about the key;
        ``log_file`` is shown read-only (copyable) with a button that opens its folder;
        ``sandbox`` is the current mode; ``remover()`` (a coroutine returning a sentence)
        forgets the stored key, None when there is none."""
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Settings"))
        self.setMinimumWidth(560)  # room for a key, a URL and a sentence about each
        self._settings = settings
        self._tester = tester
        self._remover = remover
        tr = self.tr

        self.keyEdit = QLineEdit(self)
        self.keyEdit.setObjectName("apiKeyEdit")
        self.keyEdit.setAccessibleName(tr("API key"))
        self.keyEdit.setEchoMode(QLineEdit.EchoMode.Password)
        self.keyEdit.setPlaceholderText(tr("Paste your Evolink key (sk-…)"))
        self.testButton = QPushButton(tr("Test"), self)
        self.testButton.setObjectName("testKeyButton")
        self.testButton.clicked.connect(self._test)
        key_row = QHBoxLayout()
        key_row.addWidget(self.keyEdit, 1)
        key_row.addWidget(self.testButton)
        self.removeKeyButton = QPushButton(tr("Remove key"), self)
        self.removeKeyButton.setObjectName("removeKeyButton")
        self.removeKeyButton.setToolTip(tr("Forget the stored key and go back to the Sandbox."))
        self.removeKeyButton.setEnabled(remover is not None)
        self.removeKeyButton.clicked.connect(self._remove_key)
        key_row.addWidget(self.removeKeyButton)
        self.modeCombo = QComboBox(self)
        self.modeCombo.setObjectName("sandboxLiveCombo")
        self.modeCombo.setAccessibleName(tr("Sandbox or live"))
        self.modeCombo.addItem(tr("Sandbox: simulated songs, free"), True)
        self.modeCombo.addItem(tr("Live: real songs with your key"), False)
        self.modeCombo.setCurrentIndex(0 if sandbox else 1)
        # a newly pasted key means "make real songs"
        self.keyEdit.textEdited.connect(lambda text: text and self.modeCombo.setCurrentIndex(1))
        self.modeNote = QLabel(
            tr("Sandbox songs, drafts and personas are kept apart and come back when you switch."),
            self,
        )
        self.modeNote.setObjectName("sandboxLiveNote")
        self.modeNote.setWordWrap(True)
        self.keyNote = QLabel(key_note, self)
        self.keyNote.setObjectName("apiKeyNote")
        self.keyNote.setWordWrap(True)

        self.keyError = self._error_label("apiKeyError")
        self.baseUrlEdit = QLineEdit(settings.base_url or "", self)
        self.baseUrlEdit.setObjectName("baseUrlEdit")
        self.baseUrlEdit.setPlaceholderText(DEFAULT_BASE_URL)
        self.baseUrlError = self._error_label("baseUrlError")
        self.libraryEdit = QLineEdit(settings.library_dir or "", self)
        self.libraryEdit.setObjectName("libraryEdit")
        self.libraryEdit.setPlaceholderText(tr("Default: inside the data folder"))
        browse = QPushButton(tr("Browse…"), self)
        browse.clicked.connect(self._browse)
        library_row = QHBoxLayout()
        library_row.addWidget(self.libraryEdit, 1)
        library_row.addWidget(browse)
        self.artistEdit = QLineEdit(settings.artist_name, self)
        self.artistEdit.setObjectName("artistEdit")
        self.id3Combo = QComboBox(self)
        self.id3Combo.setObjectName("id3Combo")
        self.id3Combo.addItem(tr("ID3v2.4 (recommended)"), 4)
        self.id3Combo.addItem(tr("ID3v2.3 (older players)"), 3)
        self.id3Combo.setCurrentIndex(0 if settings.id3_version == 4 else 1)
        self.parallelSpin = QSpinBox(self)
        self.parallelSpin.setObjectName("parallelSpin")
        self.parallelSpin.setRange(1, 8)
        self.parallelSpin.setValue(settings.parallel_jobs)
        self.parallelSpin.setToolTip(tr("How many generations may run at once."))
        self.themeCombo = QComboBox(self)
        self.themeCombo.setObjectName("themeCombo")
        self.themeCombo.setAccessibleName(tr("Theme"))
        for label, value in (
            (tr("System (follow the desktop)"), "system"),
            (tr("Light"), "light"),
            (tr("Dark"), "dark"),
        ):
            self.themeCombo.addItem(label, value)
        self.themeCombo.setCurrentIndex(max(0, self.themeCombo.findData(settings.theme)))
        self._theme_before = settings.theme
        self.themeCombo.currentIndexChanged.connect(self._preview_theme)

        # a message about a field goes once the person edits that field again
        self.keyEdit.textChanged.connect(lambda _t: self._clear_error(self.keyError))
        self.baseUrlEdit.textChanged.connect(lambda _t: self._clear_error(self.baseUrlError))
        self.baseUrlEdit.setAccessibleName(tr("Base URL"))

        form = QFormLayout(self)
        form.addRow(tr("Mode"), self.modeCombo)
        form.addRow("", self.modeNote)
        form.addRow(tr("API key"), key_row)
        form.addRow("", self.keyError)
        form.addRow("", self.keyNote)
        form.addRow(tr("Base URL"), self.baseUrlEdit)
        form.addRow("", self.baseUrlError)
        form.addRow(tr("Library folder"), library_row)
        form.addRow(tr("Artist name"), self.artistEdit)
        form.addRow(tr("Tags"), self.id3Combo)
        form.addRow(tr("Parallel jobs"), self.parallelSpin)
        form.addRow(tr("T&heme"), self.themeCombo)
        if log_file is not None:
            form.addRow(tr("Log file"), self._log_row(log_file))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _log_row(self, log_file: Path) -> QHBoxLayout:
        self.logFileEdit = QLineEdit(str(log_file), self)
        self.logFileEdit.setObjectName("logFileEdit")
        self.logFileEdit.setAccessibleName(self.tr("Log file"))
        self.logFileEdit.setReadOnly(True)  # selectable and copyable, for a bug report
        self.logFileEdit.setToolTip(self.tr("Set SUNODESK_DEBUG=1 for full detail."))
        folder = QPushButton(self.tr("Open folder"), self)
        folder.setObjectName("openLogFolderButton")
        folder.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_file.parent)))
        )
        row = QHBoxLayout()
        row.addWidget(self.logFileEdit, 1)
        row.addWidget(folder)
        return row

    def _error_label(self, name: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setProperty("role", "fieldError")
        label.setWordWrap(True)
        label.hide()
        return label

    @staticmethod
    def _clear_error(label: QLabel) -> None:
        label.clear()
        label.hide()

    def problems(self) -> dict[str, str]:
        """What would make the new settings unusable, by field (nothing is saved then)."""
        found = {}
        key = self.keyEdit.text().strip()
        if key and (problem := api_key_problem(key)):
            found["api_key"] = self.tr(problem)
        base = self.baseUrlEdit.text().strip()
        if base and (problem := base_url_problem(base)):
            found["base_url"] = self.tr(problem)
        return found

    def accept(self) -> None:
        problems = self.problems()
        for field, label in (("api_key", self.keyError), ("base_url", self.baseUrlError)):
            label.setText(problems.get(field, ""))
            label.setVisible(field in problems)
        if not problems:
            super().accept()
        else:
            self.adjustSize()  # grow to show the messages whole

    def _preview_theme(self) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            theme.apply_theme(app, self.themeCombo.currentData())

    def reject(self) -> None:
        if self.themeCombo.currentData() != self._theme_before:
            app = QApplication.instance()
            if isinstance(app, QApplication):
                theme.apply_theme(app, self._theme_before)
        super().reject()

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Library folder"), self.libraryEdit.text() or str(Path.home())
        )
        if folder:
            self.libraryEdit.setText(folder)

    def _test(self) -> None:
        if self._tester is None:
            return
        self.testButton.setEnabled(False)
        self.keyNote.setText(self.tr("Testing…"))

        async def run() -> None:
            try:
                sentence = await self._tester(
                    self.baseUrlEdit.text().strip() or None, self.keyEdit.text().strip() or None
                )
            finally:
                self.testButton.setEnabled(True)
            self.keyNote.setText(sentence)

        spawn(run())

    def _remove_key(self) -> None:
        if self._remover is None:
            return
        self.removeKeyButton.setEnabled(False)

        async def run() -> None:
            sentence = await self._remover()
            self.keyEdit.clear()
            self.modeCombo.setCurrentIndex(0)
            self.keyNote.setText(sentence)

        spawn(run())

    def result_value(self) -> SettingsResult:
        base = self.baseUrlEdit.text().strip() or None
        settings = self._settings.with_changes(
            base_url=base,
            library_dir=self.libraryEdit.text().strip() or None,
            artist_name=self.artistEdit.text().strip() or "Suno",
            id3_version=self.id3Combo.currentData(),
            parallel_jobs=self.parallelSpin.value(),
            theme=self.themeCombo.currentData(),
        )
        return SettingsResult(
            settings, self.keyEdit.text().strip() or None, bool(self.modeCombo.currentData())
        )
