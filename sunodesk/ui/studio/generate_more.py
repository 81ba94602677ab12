"""Generate more: send the same request N times, or sweep one slider across chosen values,
each as its own job, with the total cost shown before anything is sent."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from sunodesk.core.models import SongRequest

SWEEP_FIELDS = (
    ("style_weight", "Style weight"),
    ("weirdness", "Weirdness"),
    ("audio_weight", "Audio weight"),
)
SWEEP_VALUES = tuple(round(v / 10, 1) for v in range(1, 11))
MAX_REPEAT = 5


class GenerateMoreDialog(QDialog):
    def __init__(
        self,
        base: SongRequest,
        cost_each: float | None,
        parallel: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("generateMoreDialog")
        self.setWindowTitle(self.tr("Generate more"))
        self._base = base
        self._cost_each = cost_each
        tr = self.tr

        self.repeatRadio = QRadioButton(tr("Send the same song"), self)
        self.repeatRadio.setObjectName("repeatRadio")
        self.repeatSpin = QSpinBox(self)
        self.repeatSpin.setObjectName("repeatSpin")
        self.repeatSpin.setRange(1, MAX_REPEAT)
        self.repeatSpin.setValue(2)
        self.repeatSpin.setSuffix(tr(" times"))
        self.sweepRadio = QRadioButton(tr("Sweep one slider across values"), self)
        self.sweepRadio.setObjectName("sweepRadio")
        self.sweepFieldCombo = QComboBox(self)
        self.sweepFieldCombo.setObjectName("sweepFieldCombo")
        for field, label in SWEEP_FIELDS:
            self.sweepFieldCombo.addItem(tr(label), field)
        self.valueChecks: list[QCheckBox] = []
        grid = QGridLayout()
        for index, value in enumerate(SWEEP_VALUES):
            check = QCheckBox(f"{value:.1f}", self)
            check.setObjectName(f"sweepValue{int(value * 10):02d}")
            check.setChecked(value in (0.3, 0.6, 0.9))
            check.toggled.connect(self._update)
            self.valueChecks.append(check)
            grid.addWidget(check, index // 5, index % 5)
        group = QButtonGroup(self)
        group.addButton(self.repeatRadio)
        group.addButton(self.sweepRadio)
        self.repeatRadio.setChecked(True)

        self.summary = QLabel(self)
        self.summary.setObjectName("generateMoreCost")
        self.summary.setWordWrap(True)
        self.parallelNote = QLabel(
            tr("At most {n} run at once (Settings); the rest wait their turn.").format(n=parallel),
            self,
        )
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.sendButton = self.buttons.addButton(
            tr("Generate"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.sendButton.setObjectName("generateMoreSend")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        repeat_row = QHBoxLayout()
        repeat_row.addWidget(self.repeatRadio)
        repeat_row.addWidget(self.repeatSpin)
        repeat_row.addStretch(1)
        sweep_row = QHBoxLayout()
        sweep_row.addWidget(self.sweepRadio)
        sweep_row.addWidget(self.sweepFieldCombo)
        sweep_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(repeat_row)
        layout.addLayout(sweep_row)
        layout.addLayout(grid)
        layout.addWidget(self.summary)
        layout.addWidget(self.parallelNote)
        layout.addWidget(self.buttons)
        for signal in (
            self.repeatSpin.valueChanged,
            self.repeatRadio.toggled,
            self.sweepFieldCombo.currentIndexChanged,
        ):
            signal.connect(self._update)
        self._update()

    def requests(self) -> list[SongRequest]:
        """One request per job to send."""
        if self.repeatRadio.isChecked():
            return [self._base] * self.repeatSpin.value()
        field = self.sweepFieldCombo.currentData()
        return [
            replace(self._base, **{field: value})
            for value, check in zip(SWEEP_VALUES, self.valueChecks, strict=True)
            if check.isChecked()
        ]

    def _update(self, *_args) -> None:
        sweeping = self.sweepRadio.isChecked()
        self.repeatSpin.setEnabled(not sweeping)
        self.sweepFieldCombo.setEnabled(sweeping)
        for check in self.valueChecks:
            check.setEnabled(sweeping)
        count = len(self.requests())
        if self._cost_each is None:
            cost = self.tr("the cost shows after your first song with this model")
        else:
            cost = self.tr("about {n} credits in all").format(n=f"{count * self._cost_each:g}")
        self.summary.setText(
            self.tr("{count} songs, each two takes — {cost}.").format(count=count, cost=cost)
        )
        self.sendButton.setEnabled(count > 0)
