"""The Style/Voice picker follows the persona combo and the mode: enabled exactly when a
persona is chosen in custom mode, whatever order things happen in."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox

from sunodesk.core.models import Persona
from sunodesk.ui.studio.form import StudioForm

PERSONAS = [Persona("p-1", "Aurora", "warm alto", "t-1", "r-1", 0.0)]


def test_picker_stays_in_step_with_the_persona_and_the_mode(qtbot):
    form = StudioForm()
    qtbot.addWidget(form)
    persona = form.findChild(QComboBox, "personaCombo")
    picker = form.findChild(QComboBox, "personaModelCombo")
    custom = form.findChild(QCheckBox, "customModeToggle") or form.customModeToggle
    assert form.customModeToggle.isChecked()
    form.set_personas(PERSONAS)
    assert not picker.isEnabled()  # "No persona"
    persona.setCurrentIndex(persona.findData("p-1"))
    assert picker.isEnabled()  # chosen: no need to toggle Custom mode
    persona.setCurrentIndex(0)
    assert not picker.isEnabled()
    persona.setCurrentIndex(1)
    custom.setChecked(False)
    assert not picker.isEnabled()
    custom.setChecked(True)
    assert picker.isEnabled()
    form.set_personas([])  # the persona went away: back to "No persona", picker off
    assert persona.currentData() is None and not picker.isEnabled()
