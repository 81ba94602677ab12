"""The studio form: every choice of one song request, validated as you type.

The form builds a frozen SongRequest from its widgets, runs core validation on it (pure and
fast, debounced) and shows each message next to its field. It never sends anything itself:
the window asks it for ``request()`` when Generate is pressed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from sunodesk.core import rules
from sunodesk.core.models import Persona, Problem, SongRequest
from sunodesk.core.payload import normalise
from sunodesk.core.validation import validate_song
from sunodesk.ui.common import theme
from sunodesk.ui.common.naming import named
from sunodesk.ui.studio.chips import ChipsInput
from sunodesk.ui.studio.lyrics_editor import LyricsEditor
from sunodesk.ui.studio.weight_slider import WeightSlider

# API field -> the objectName of the label that shows its message
ERROR_LABELS = {
    "model": "modelError",
    "title": "titleError",
    "prompt": "promptError",
    "style": "styleError",
    "negative_tags": "negative_tagsError",
    "vocal_gender": "vocal_genderError",
    "style_weight": "style_weightError",
    "weirdness_constraint": "weirdness_constraintError",
    "audio_weight": "audio_weightError",
    "persona_id": "persona_idError",
    "persona_model": "persona_modelError",
}


class StudioForm(QWidget):
    changed = Signal()  # the request (or its validity) changed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._problems: list[Problem] = []
        self._personas: list[Persona] = []
        self._touched: set[str] = set()  # fields edited since the form was (re)loaded
        self._reveal_all = False  # after a Generate attempt every message shows
        self._errors: dict[str, QLabel] = {}
        self._headers: list[QLabel] = []
        self._validate_timer = QTimer(self, singleShot=True, interval=120)
        self._validate_timer.timeout.connect(self.validate)
        self._build()
        self._apply_mode()
        self.validate()

    # -- construction ------------------------------------------------------------------------

    def _error_label(self, field: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(ERROR_LABELS[field])
        label.setWordWrap(True)
        label.setProperty("role", "fieldError")
        label.hide()
        self._errors[field] = label
        return label

    def _with_error(self, widget: QWidget, *fields: str) -> QWidget:
        box = QWidget(self)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(widget)
        for field in fields:
            layout.addWidget(self._error_label(field))
        return box

    def _section_header(self, name: str, text: str, first: bool = False) -> QLabel:
        """A group's header in the type scale's header size, with room above it."""
        label = named(QLabel(text, self), name, text)
        label.setTextFormat(Qt.TextFormat.PlainText)  # "&" is text here, not a mnemonic
        theme.set_text_level(label, "header")
        label.setProperty("role", "sectionHeader")
        label.setContentsMargins(0, 0 if first else theme.SPACE, 0, 0)
        self._headers.append(label)
        return label

    def _build(self) -> None:
        tr = self.tr
        self.modelCombo = named(QComboBox(self), "modelCombo", tr("Model"))
        for model in rules.MODELS:
            self.modelCombo.addItem(model.label, model.name)
            index = self.modelCombo.count() - 1
            tip = tr(
                "{label}: lyrics up to {lyrics} characters, styles up to {style}, "
                "songs up to {minutes} minutes{voice}."
            ).format(
                label=model.label,
                lyrics=f"{model.lyrics_max:,}",
                style=f"{model.style_max:,}",
                minutes=model.max_minutes,
                voice=tr("; voice personas") if model.voice_persona else "",
            )
            self.modelCombo.setItemData(index, tip, Qt.ItemDataRole.ToolTipRole)
        self.customModeToggle = named(
            QCheckBox(tr("Custom mode"), self), "customModeToggle", tr("Custom mode")
        )
        self.customModeToggle.setChecked(True)
        self.customModeToggle.setToolTip(
            tr(
                "Custom mode: you write the title, lyrics and "
                "styles. Off: describe the song in a sentence."
            )
        )
        self.instrumentalCheck = named(
            QCheckBox(tr("Instrumental"), self), "instrumentalCheck", tr("Instrumental")
        )
        top = QHBoxLayout()
        top.addWidget(self.modelCombo)
        top.addWidget(self.customModeToggle)
        top.addWidget(self.instrumentalCheck)
        top.addStretch(1)

        self.titleEdit = named(QLineEdit(self), "titleEdit", tr("Title"))
        self.titleEdit.setPlaceholderText(tr("Song title"))
        self.titleEdit.setMaxLength(rules.TITLE_MAX * 2)  # over-long text gets a message

        self.simplePromptEdit = named(
            QPlainTextEdit(self), "simplePromptEdit", tr("Song description")
        )
        self.simplePromptEdit.setPlaceholderText(
            tr("Describe the song: genre, mood, what it is about…")
        )
        self.lyrics = LyricsEditor(self)
        self.textStack = QStackedWidget(self)
        self.textStack.addWidget(self.lyrics)
        self.textStack.addWidget(self.simplePromptEdit)
        # the lyrics take the height that is left, so the whole form fits without scrolling
        # on a 1280 x 800 window; below that minimum the scroll area scrolls
        self.textStack.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        self.textStack.setMinimumHeight(120)

        self.styleChips = ChipsInput(
            "styleChips", "styleInput", tr("Add a style, press Enter"), 1000, self
        )
        self.excludeChips = ChipsInput(
            "excludeChips", "excludeInput", tr("Styles to avoid"), rules.NEGATIVE_TAGS_MAX, self
        )
        self.styleWeightSlider = WeightSlider(
            "styleWeightSlider",
            tr("Style weight"),
            tr("How closely the song follows your styles. Auto lets the model decide."),
            self,
        )
        self.weirdnessSlider = WeightSlider(
            "weirdnessSlider",
            tr("Weirdness"),
            tr("Higher is more experimental and surprising. Auto lets the model decide."),
            self,
        )
        self.audioWeightSlider = WeightSlider(
            "audioWeightSlider",
            tr("Audio weight"),
            tr("How much weight audio features get. Auto lets the model decide."),
            self,
        )

        self.vocalGenderCombo = named(QComboBox(self), "vocalGenderCombo", tr("Vocal gender"))
        for label, value in ((tr("Any"), None), (tr("Male"), "m"), (tr("Female"), "f")):
            self.vocalGenderCombo.addItem(label, value)
        self.vocalGenderCombo.setToolTip(tr("Raises the chance of that voice; not a promise."))
        self.personaCombo = named(QComboBox(self), "personaCombo", tr("Persona"))
        self.personaModelCombo = named(QComboBox(self), "personaModelCombo", tr("Persona emphasis"))
        self.personaModelCombo.addItem(tr("Style"), "style_persona")
        self.personaModelCombo.addItem(tr("Voice"), "voice_persona")
        persona_row = QHBoxLayout()
        persona_row.addWidget(self.personaCombo, 1)
        persona_row.addWidget(self.personaModelCombo)
        persona_box = QWidget(self)
        persona_box.setLayout(persona_row)
        persona_row.setContentsMargins(0, 0, 0, 0)
        self.set_personas([])

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        # in a narrow window (scale 2 on a small screen) a field goes under its label
        # instead of the form scrolling sideways
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setHorizontalSpacing(theme.GROUP)
        form.setVerticalSpacing(theme.SPACE)
        form.addRow(self._with_error(QWidget(self), "model"))
        form.addRow(self._section_header("songHeader", tr("Song"), first=True))
        form.addRow(tr("&Title"), self._with_error(self.titleEdit, "title"))
        form.addRow(tr("&Lyrics"), self._with_error(self.textStack, "prompt"))
        form.addRow(self._section_header("styleHeader", tr("Style")))
        form.addRow(tr("&Styles"), self._with_error(self.styleChips, "style"))
        form.addRow(tr("E&xclude"), self._with_error(self.excludeChips, "negative_tags"))
        form.addRow(tr("Style weight"), self._with_error(self.styleWeightSlider, "style_weight"))
        form.addRow(tr("Weirdness"), self._with_error(self.weirdnessSlider, "weirdness_constraint"))
        form.addRow(tr("Audio weight"), self._with_error(self.audioWeightSlider, "audio_weight"))
        form.addRow(self._section_header("voiceHeader", tr("Voice & persona")))
        form.addRow(tr("&Voice"), self._with_error(self.vocalGenderCombo, "vocal_gender"))
        form.addRow(tr("&Persona"), self._with_error(persona_box, "persona_id", "persona_model"))
        self.textLabel = form.labelForField(self.textStack.parentWidget())

        outer = QVBoxLayout(self)
        outer.setContentsMargins(theme.SPACE, theme.SPACE, theme.GROUP, theme.SPACE)
        outer.setSpacing(theme.SPACE)
        top.setSpacing(theme.GROUP)
        outer.addLayout(top)
        outer.addLayout(form)

        touches = (
            (self.titleEdit.textChanged, "title"),
            (self.simplePromptEdit.textChanged, "simple_prompt"),  # the "prompt" of simple mode
            (self.lyrics.textChanged, "prompt"),
            (self.styleChips.changed, "style"),
            (self.excludeChips.changed, "negative_tags"),
            (self.styleWeightSlider.changed, "style_weight"),
            (self.weirdnessSlider.changed, "weirdness_constraint"),
            (self.audioWeightSlider.changed, "audio_weight"),
            (self.vocalGenderCombo.currentIndexChanged, "vocal_gender"),
            (self.personaCombo.currentIndexChanged, "persona_id"),
            (self.personaModelCombo.currentIndexChanged, "persona_model"),
        )
        for signal, field in touches:
            signal.connect(lambda *_a, f=field: self._touch(f))
        self._custom_widgets = (
            self.titleEdit,
            self.styleChips,
            self.excludeChips,
            self.styleWeightSlider,
            self.weirdnessSlider,
            self.audioWeightSlider,
            self.vocalGenderCombo,
            self.personaCombo,
            self.personaModelCombo,
        )
        self._own_tips = {
            t: t.toolTip() for w in self._custom_widgets for t in self._tip_targets(w)
        }
        self.modelCombo.currentIndexChanged.connect(self._apply_mode)
        self.customModeToggle.toggled.connect(self._apply_mode)
        # a Generate pressed on the other mode's form says nothing about this one
        self.customModeToggle.toggled.connect(lambda _on: setattr(self, "_reveal_all", False))
        self.instrumentalCheck.toggled.connect(self._apply_mode)
        self.personaCombo.currentIndexChanged.connect(self._sync_persona_picker)

    # -- state -------------------------------------------------------------------------------

    def set_personas(self, personas: list[Persona]) -> None:
        """Fill personaCombo; keep the current choice when it still exists."""
        current = self.personaCombo.currentData()
        self._personas = list(personas)
        self.personaCombo.blockSignals(True)
        self.personaCombo.clear()
        self.personaCombo.addItem(self.tr("No persona"), None)
        for persona in personas:
            self.personaCombo.addItem(persona.name, persona.persona_id)
        index = self.personaCombo.findData(current)
        self.personaCombo.setCurrentIndex(max(0, index))
        self.personaCombo.blockSignals(False)
        self._sync_persona_picker()
        if not personas:
            self.personaCombo.setToolTip(
                self.tr(
                    "No personas yet. Make one from a take you like: right-click it in the "
                    "Library and choose Create persona…, or use the Personas tab."
                )
            )
        else:
            self.personaCombo.setToolTip(self.tr("Reuse a voice and style you liked."))
        if hasattr(self, "_own_tips"):
            self._own_tips[self.personaCombo] = self.personaCombo.toolTip()
            self._apply_mode()

    def model_rules(self) -> rules.ModelRules:
        return rules.rules_for(self.modelCombo.currentData()) or rules.MODELS[0]

    def _apply_mode(self) -> None:
        """Enable what the chosen mode and model use; say why the rest is off."""
        model = self.model_rules()
        custom = self.customModeToggle.isChecked()
        instrumental = self.instrumentalCheck.isChecked()
        self.lyrics.set_limit(model.lyrics_max)
        self.styleChips.set_limit(model.style_max)
        self.textStack.setCurrentWidget(self.lyrics if custom else self.simplePromptEdit)
        if self.textLabel is not None:
            self.textLabel.setText(self.tr("&Lyrics") if custom else self.tr("&Description"))
        custom_only = self.tr("Used in custom mode only.")
        for widget in self._custom_widgets:
            widget.setEnabled(custom)
            for target in self._tip_targets(widget):  # the inner widget is what a hover hits
                target.setToolTip(self._own_tips[target] if custom else custom_only)
        self.lyrics.setEnabled(custom and not instrumental)
        self.lyrics.setToolTip(
            self.tr("Instrumental songs have no lyrics.") if instrumental else ""
        )
        if custom and instrumental:
            self.vocalGenderCombo.setEnabled(False)
        voice_ok = model.voice_persona
        self._sync_persona_picker()
        voice_item = self.personaModelCombo.model().item(1)
        voice_item.setEnabled(voice_ok)
        voice_item.setToolTip("" if voice_ok else self.tr("Voice personas need a V5 model."))
        if not voice_ok and self.personaModelCombo.currentIndex() == 1:
            self.personaModelCombo.setCurrentIndex(0)
        self._schedule()

    def _sync_persona_picker(self) -> None:
        """Style/Voice means something only with a persona chosen, in custom mode."""
        has_persona = self.personaCombo.currentData() is not None
        self.personaModelCombo.setEnabled(self.customModeToggle.isChecked() and has_persona)

    @staticmethod
    def _tip_targets(widget: QWidget) -> list[QWidget]:
        inner = [getattr(widget, name, None) for name in ("input", "slider")]
        return [widget, *(w for w in inner if isinstance(w, QWidget))]

    def _schedule(self) -> None:
        self._validate_timer.start()

    def _touch(self, field: str) -> None:
        self._touched.add(field)
        self._schedule()

    def reveal_all(self) -> list[Problem]:
        """Show every message, e.g. after Generate was pressed on an incomplete form."""
        self._reveal_all = True
        return self.validate()

    # -- the request -------------------------------------------------------------------------

    def request(self, album: str = "") -> SongRequest:
        """The frozen request the widgets describe right now."""
        custom = self.customModeToggle.isChecked()
        persona_id = self.personaCombo.currentData() if custom else None
        persona = next((p for p in self._personas if p.persona_id == persona_id), None)
        if not custom:
            return SongRequest(
                model=self.modelCombo.currentData(),
                custom_mode=False,
                prompt=self.simplePromptEdit.toPlainText(),
                instrumental=self.instrumentalCheck.isChecked(),
                album=album,
            )
        request = SongRequest(
            model=self.modelCombo.currentData(),
            custom_mode=True,
            prompt=self.lyrics.text(),
            title=self.titleEdit.text(),
            style=self.styleChips.text(),
            negative_tags=self.excludeChips.text(),
            instrumental=self.instrumentalCheck.isChecked(),
            vocal_gender=self.vocalGenderCombo.currentData(),
            style_weight=self.styleWeightSlider.value(),
            weirdness=self.weirdnessSlider.value(),
            audio_weight=self.audioWeightSlider.value(),
            persona_id=persona_id,
            persona_model=self.personaModelCombo.currentData() if persona_id else None,
            persona_name=persona.name if persona else None,
            album=album,
        )
        return normalise(request)  # an instrumental drops the lyrics and the vocal gender

    def load(self, request: SongRequest) -> None:
        """Put a request back into the widgets (reuse settings, drafts)."""
        index = self.modelCombo.findData(rules.canonical_model(request.model))
        self.modelCombo.setCurrentIndex(max(0, index))
        self.customModeToggle.setChecked(request.custom_mode)
        self.instrumentalCheck.setChecked(request.instrumental)
        if request.custom_mode:
            self.lyrics.setText(request.prompt)
        else:
            self.simplePromptEdit.setPlainText(request.prompt)
        self.titleEdit.setText(request.title)
        from sunodesk.core.styles import parse_tags

        self.styleChips.set_tags(parse_tags(request.style))
        self.excludeChips.set_tags(parse_tags(request.negative_tags))
        self.styleWeightSlider.set_value(request.style_weight)
        self.weirdnessSlider.set_value(request.weirdness)
        self.audioWeightSlider.set_value(request.audio_weight)
        self.vocalGenderCombo.setCurrentIndex(
            max(0, self.vocalGenderCombo.findData(request.vocal_gender))
        )
        self.personaCombo.setCurrentIndex(max(0, self.personaCombo.findData(request.persona_id)))
        self.personaModelCombo.setCurrentIndex(
            max(0, self.personaModelCombo.findData(request.persona_model))
        )
        self._touched.clear()
        self._reveal_all = False
        self.validate()

    @property
    def problems(self) -> list[Problem]:
        return list(self._problems)

    @property
    def shown_problems(self) -> list[Problem]:
        """The problems whose messages are on screen (a hidden "required" is not one yet)."""
        return [p for p in self._problems if self._is_shown(p)]

    def _is_shown(self, problem: Problem) -> bool:
        # "X is required" waits until the person has been to X; a broken rule shows at once.
        # Simple mode's description is its own field: lyrics typed in custom mode do not count.
        field = problem.field
        if field == "prompt" and not self.customModeToggle.isChecked():
            field = "simple_prompt"
        return not problem.required or self._reveal_all or field in self._touched

    def validate(self) -> list[Problem]:
        """Run core validation now and show each message next to its field."""
        self._validate_timer.stop()
        self._problems = validate_song(self.request())
        by_field: dict[str, list[str]] = {}
        for problem in self.shown_problems:
            by_field.setdefault(problem.field, []).append(problem.message)
        for field, label in self._errors.items():
            messages = by_field.get(field)
            label.setText("\n".join(messages or ()))
            label.setVisible(bool(messages))
        self.changed.emit()
        return self.problems

    def show_problems(self, problems: list[Problem]) -> None:
        """Show messages that came from elsewhere (e.g. the API's 400) next to their fields."""
        for problem in problems:
            label = self._errors.get(problem.field)
            if label is not None:
                label.setText(problem.message)
                label.show()
