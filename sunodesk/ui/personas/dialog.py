"""The "Create persona" dialog: a source take, a name, a description and an optional vocal
window, checked with core rules as you type so no credit is spent on a request the API (or the
one-persona-per-take rule) would refuse.

The dialog only builds a PersonaRequest; the personas feature sends it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sunodesk.core import rules
from sunodesk.core.models import PersonaRequest, Track
from sunodesk.core.validation import validate_persona
from sunodesk.ui.common.naming import named


class CreatePersonaDialog(QDialog):
    """Pick a take (or come with one), describe the persona, and press Create."""

    def __init__(
        self,
        tracks: list[Track],
        taken: dict[str, str],
        result_id: str | None = None,
        playhead: Callable[[str], float | None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("createPersonaDialog")
        self.setWindowTitle(self.tr("Create persona"))
        self.setMinimumWidth(460)
        self._tracks = {t.result_id: t for t in tracks}
        self._taken = dict(taken)  # result_id -> the persona (or job) that took it
        self._playhead = playhead
        tr = self.tr

        self.sourceCombo = named(QComboBox(self), "personaSourceCombo", tr("Source take"))
        for track in tracks:
            # the file's name tells the takes of one song apart ("… - take 2")
            label = Path(track.path).stem if track.path else (track.title or track.result_id)
            model = rules.rules_for(track.model)
            label += f"  ({model.label})" if model else ""
            self.sourceCombo.addItem(label, track.result_id)
        if result_id is not None:
            self.sourceCombo.setCurrentIndex(max(0, self.sourceCombo.findData(result_id)))
        self.nameEdit = named(QLineEdit(self), "personaNameEdit", tr("Persona name"))
        self.nameEdit.setPlaceholderText(tr("What to call this voice (the artist tag)"))
        self.descriptionEdit = named(
            QPlainTextEdit(self), "personaDescriptionEdit", tr("Persona description")
        )
        self.descriptionEdit.setPlaceholderText(
            tr("The voice and style, e.g. smoky alto, laid-back jazz phrasing")
        )
        self.descriptionEdit.setFixedHeight(80)

        self.windowCheck = named(
            QCheckBox(tr("Use only part of the take for the voice"), self),
            "personaWindowCheck",
            tr("Vocal window"),
        )
        self.startSpin = self._spin("personaVocalStart", tr("Vocal window start"))
        self.endSpin = self._spin("personaVocalEnd", tr("Vocal window end"))
        self.endSpin.setValue(rules.VOCAL_WINDOW_MIN + 10)
        window_row = QHBoxLayout()
        window_row.addWidget(self.startSpin)
        window_row.addWidget(QLabel("–", self))
        window_row.addWidget(self.endSpin)
        self.startFromPlayhead = QPushButton(tr("Start = playhead"), self)
        self.startFromPlayhead.setObjectName("personaStartFromPlayhead")
        self.endFromPlayhead = QPushButton(tr("End = playhead"), self)
        self.endFromPlayhead.setObjectName("personaEndFromPlayhead")
        for button, spin in (
            (self.startFromPlayhead, self.startSpin),
            (self.endFromPlayhead, self.endSpin),
        ):
            button.setVisible(playhead is not None)
            button.setToolTip(tr("Take the time from the player's current position."))
            button.clicked.connect(lambda _c=False, s=spin: self._from_playhead(s))
            window_row.addWidget(button)
        window_row.addStretch(1)
        self.windowBox = QWidget(self)
        self.windowBox.setLayout(window_row)
        window_row.setContentsMargins(0, 0, 0, 0)
        self.windowHint = QLabel(
            tr("The part of the take with the clearest vocals, 10–30 seconds long."), self
        )
        self.windowHint.setWordWrap(True)
        self.windowHint.setProperty("role", "hint")

        self.problemsLabel = QLabel(self)
        self.problemsLabel.setObjectName("personaProblems")
        self.problemsLabel.setProperty("role", "fieldError")
        self.problemsLabel.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.createButton = self.buttons.addButton(
            tr("Create persona"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.createButton.setObjectName("personaCreateButton")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow(tr("&Take"), self.sourceCombo)
        form.addRow(tr("&Name"), self.nameEdit)
        form.addRow(tr("&Description"), self.descriptionEdit)
        form.addRow(self.windowCheck)
        form.addRow(tr("Vocals (s)"), self.windowBox)
        form.addRow("", self.windowHint)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problemsLabel)
        layout.addWidget(self.buttons)

        self._timer = QTimer(self, singleShot=True, interval=80)
        self._timer.timeout.connect(self.check)
        for signal in (
            self.sourceCombo.currentIndexChanged,
            self.nameEdit.textChanged,
            self.descriptionEdit.textChanged,
            self.windowCheck.toggled,
            self.startSpin.valueChanged,
            self.endSpin.valueChanged,
        ):
            signal.connect(lambda *_a: self._timer.start())
        self.windowCheck.toggled.connect(self.windowBox.setEnabled)
        self.windowBox.setEnabled(False)
        self.check()

    def _spin(self, name: str, accessible: str) -> QDoubleSpinBox:
        spin = named(QDoubleSpinBox(self), name, accessible)
        spin.setRange(0.0, 60.0 * rules.MODELS[0].max_minutes)
        spin.setDecimals(1)
        spin.setSingleStep(0.5)
        spin.setSuffix(" s")
        return spin

    def _from_playhead(self, spin: QDoubleSpinBox) -> None:
        track = self.track()
        seconds = self._playhead(track.result_id) if self._playhead and track else None
        if seconds is None:
            self.show_problem(
                self.tr("Play this take in the player first, then set the window from where it is.")
            )
            return
        self.windowCheck.setChecked(True)
        spin.setValue(round(seconds, 1))

    # -- the request ---------------------------------------------------------------------------

    def track(self) -> Track | None:
        return self._tracks.get(self.sourceCombo.currentData())

    def request(self) -> PersonaRequest:
        track = self.track()
        window = self.windowCheck.isChecked()
        return PersonaRequest(
            source_task_id=track.task_id if track else "",
            result_id=track.result_id if track else "",
            name=self.nameEdit.text().strip(),
            description=self.descriptionEdit.toPlainText().strip(),
            vocal_start=self.startSpin.value() if window else None,
            vocal_end=self.endSpin.value() if window else None,
            style=track.style if track else "",
            source_model=track.model if track else "",
        )

    def problems(self) -> list[str]:
        """Every reason not to send, known before a credit is spent."""
        track = self.track()
        if track is None:
            return [
                self.tr(
                    "There is no finished take to make a persona from yet: generate a song first."
                )
            ]
        out = []
        owner = self._taken.get(track.result_id)
        if owner is not None:
            out.append(
                self.tr(
                    "This take already made the persona “{name}”; each take can "
                    "make only one. Pick another take."
                ).format(name=owner)
            )
        for problem in validate_persona(self.request()):
            if (
                problem.required
                and problem.field in ("name", "description")
                and not (
                    self.nameEdit.isModified()
                    or (
                        problem.field == "description"
                        and self.descriptionEdit.document().isModified()
                    )
                )
            ):
                continue  # untouched: the disabled button already says "not yet"
            out.append(problem.message)
        return out

    def check(self) -> list[str]:
        self._timer.stop()
        problems = self.problems()
        self.problemsLabel.setText("\n".join(problems))
        self.problemsLabel.setVisible(bool(problems))
        ready = not problems and not validate_persona(self.request())
        self.createButton.setEnabled(ready)
        return problems

    def accept(self) -> None:
        if self.check() or validate_persona(self.request()):
            return
        super().accept()

    def show_problem(self, text: str) -> None:
        self.problemsLabel.setText(text)
        self.problemsLabel.show()
