"""The studio window end to end: the form, Generate, the jobs panel and the takes, driven by
widget names against the sandbox over 127.0.0.1 (qasync loop, offscreen platform).

Waits that need asyncio progress go through ``run_until`` (the engine only advances while the
qasync loop runs). ``qtbot.waitUntil`` is used only with a bare MainWindow (no Studio): it
processes Qt events outside the asyncio loop, where a pending task would run without a
running loop.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSlider,
    QSplitter,
    QTableView,
    QTabWidget,
    QWidget,
)

from sunodesk.core.models import SongRequest
from sunodesk.core.repeats import RepeatGuard
from sunodesk.store.store import open_store
from sunodesk.ui.studio.form import ERROR_LABELS
from sunodesk.ui.window import MainWindow
from tests.conftest import make_engine
from tests.gui.studio_fixture import (
    StudioHarness,
    studio_factory_fixture,  # noqa: F401  (the fixture)
)

LYRICS = "[Verse]\nDriving down the coast tonight\n[Chorus]\nNeon dreams (neon dreams)"
TERMINAL = ("done", "failed", "rejected", "expired", "unknown")


# -- typing like a person ----------------------------------------------------------------------


def find(window: QWidget, cls, name: str):
    widget = window.findChild(cls, name)
    assert widget is not None, f"no {cls.__name__} named {name!r}"
    return widget


def type_lines(qtbot, edit: QPlainTextEdit, text: str) -> None:
    for i, line in enumerate(text.split("\n")):
        if i:
            qtbot.keyClick(edit, Qt.Key.Key_Return)
        qtbot.keyClicks(edit, line)


def paste(qtbot, widget: QWidget, text: str) -> None:
    QApplication.clipboard().setText(text)
    qtbot.keyClick(widget, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def close_completer(line: QLineEdit) -> None:
    completer = line.completer()
    if completer is not None and completer.popup().isVisible():
        completer.popup().hide()  # so Enter reaches the input


def add_chip(qtbot, line: QLineEdit, tag: str) -> None:
    qtbot.keyClicks(line, tag)
    close_completer(line)
    qtbot.keyClick(line, Qt.Key.Key_Return)


def fill_valid(qtbot, window: QWidget, title: str = "Neon Dreamers") -> None:
    qtbot.keyClicks(find(window, QLineEdit, "titleEdit"), title)
    type_lines(qtbot, find(window, QPlainTextEdit, "lyricsEditor"), LYRICS)
    add_chip(qtbot, find(window, QLineEdit, "styleInput"), "synth pop")


def click(qtbot, button: QPushButton) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def double_click(qtbot, button: QPushButton) -> None:
    """What a real double click delivers: press, release, double-click press, release.

    (qtbot.mouseDClick alone sends only the MouseButtonDblClick event, which a QPushButton
    never turns into a click, so it would prove nothing here.)
    """
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.mouseDClick(button, Qt.MouseButton.LeftButton)
    qtbot.mouseRelease(button, Qt.MouseButton.LeftButton)


def error_label(window: QWidget, field: str) -> QLabel:
    return find(window, QLabel, ERROR_LABELS[field])


def visible_errors(window: QWidget) -> dict[str, str]:
    return {
        field: error_label(window, field).text()
        for field in ERROR_LABELS
        if error_label(window, field).isVisible()
    }


# -- 1. the golden path -----------------------------------------------------------------------


def test_golden_path_form_to_two_tagged_takes(studio_factory, sandbox, qtbot):
    h: StudioHarness = studio_factory()
    w = h.window
    qtbot.keyClicks(h.find(QLineEdit, "titleEdit"), "Neon Dreamers")
    type_lines(qtbot, h.find(QPlainTextEdit, "lyricsEditor"), LYRICS)
    assert h.find(QPlainTextEdit, "lyricsEditor").toPlainText() == LYRICS

    style = h.find(QLineEdit, "styleInput")
    add_chip(qtbot, style, "synth pop")
    add_chip(qtbot, style, "upbeat")
    qtbot.keyClicks(style, "lofi,")  # a comma makes a chip too
    close_completer(style)
    chips = h.find(QWidget, "styleChips")
    assert chips.text() == "synth pop, upbeat, lofi" and style.text() == ""
    qtbot.keyClick(style, Qt.Key.Key_Backspace)  # on the empty input: drops the last chip
    assert chips.text() == "synth pop, upbeat"

    add_chip(qtbot, h.find(QLineEdit, "excludeInput"), "metal")

    weirdness = h.find(QSlider, "weirdnessSlider")
    for _ in range(3):
        qtbot.keyClick(weirdness, Qt.Key.Key_Right)
    assert weirdness.value() == 3
    assert h.find(QLabel, "weirdnessSliderValue").text() == "0.3"
    assert h.find(QSlider, "styleWeightSlider").value() == 0
    assert h.find(QLabel, "styleWeightSliderValue").text() == "Auto"

    combo = h.find(QComboBox, "modelCombo")
    while combo.currentText() != "V4.5+":
        before = combo.currentIndex()
        qtbot.keyClick(combo, Qt.Key.Key_Down)
        assert combo.currentIndex() != before, "modelCombo did not move with the arrow key"
    assert combo.currentData() == "suno-v4.5plus-beta"

    # the 120 ms validation debounce, with the loop running
    h.run_until(
        lambda: w.form.problems == [] and h.find(QPushButton, "generateButton").isEnabled(),
        timeout=5,
        what="a valid form",
    )
    assert visible_errors(w) == {}
    click(qtbot, h.find(QPushButton, "generateButton"))

    job = h.wait_job_state(*TERMINAL, timeout=30)
    assert job.state == "done", (job.state, job.error_message)
    library = h.find(QTableView, "libraryView")
    h.run_until(
        lambda: library.model().rowCount() == 2, timeout=10, what="two takes in the library"
    )
    assert "Done" in h.state_texts()[0]

    sent = sandbox.state.get(job.task_id)["request"]
    assert sent["title"] == "Neon Dreamers"
    assert sent["prompt"] == LYRICS
    assert sent["style"] == "synth pop, upbeat"
    assert sent["negative_tags"] == "metal"
    assert sent["weirdness_constraint"] == 0.3
    assert "style_weight" not in sent and "audio_weight" not in sent
    assert sent["model"] == "suno-v4.5plus-beta" and sent["custom_mode"] is True

    from sunodesk.ui.library.model import TrackRole

    paths = [Path(library.model().index(row, 0).data(TrackRole).path) for row in range(2)]
    assert all(p.is_file() and p.stat().st_size > 10_000 for p in paths), paths
    assert all(p.name.startswith("Neon Dreamers") for p in paths)
    assert sandbox.stats.snapshot()["submits"]["song"] == 1

    credits = h.find(QLabel, "creditsLabel")
    h.run_until(
        lambda: "490" in credits.text(), timeout=10, what=f"490 credits (label: {credits.text()!r})"
    )


def test_cost_estimate_shows_from_the_start_then_the_real_one(studio_factory, qtbot):
    h = studio_factory()
    cost = h.find(QLabel, "costLabel")
    h.run_until(lambda: cost.text() == "≈ 10 credits", timeout=5, what="the typical cost")
    assert "typically" in cost.toolTip()  # nothing known yet for V5: said to be a guess
    fill_valid(qtbot, h.window)
    button = h.find(QPushButton, "generateButton")
    h.run_until(button.isEnabled, timeout=5)
    click(qtbot, button)
    assert h.wait_job_state(*TERMINAL, timeout=30).state == "done"
    h.run_until(lambda: "last song" in cost.toolTip(), timeout=5, what="the real cost")
    assert cost.text() == "≈ 10 credits"


# -- 2. no double submits ---------------------------------------------------------------------


def test_double_click_submits_once(studio_factory, sandbox, qtbot):
    h = studio_factory()
    fill_valid(qtbot, h.window)
    button = h.find(QPushButton, "generateButton")
    h.run_until(lambda: button.isEnabled(), timeout=5, what="Generate enabled")

    double_click(qtbot, button)
    job = h.wait_job_state(*TERMINAL, timeout=30)
    assert job.state == "done"
    h.run_until(lambda: button.isEnabled(), timeout=5, what="Generate enabled again")
    assert len(h.jobs()) == 1
    assert sandbox.stats.snapshot()["submits"]["song"] == 1

    # two quick clicks (no loop turn in between) are one request too (the window of "send
    # the same song again?" has passed: that question is tested in test_one_press)
    h.studio.repeats = RepeatGuard(0.0)
    click(qtbot, button)
    click(qtbot, button)
    h.run_until(
        lambda: len(h.jobs()) >= 2 and h.jobs()[0].state in TERMINAL,
        timeout=30,
        what="the second job to finish",
    )
    h.run(h.studio.session.engine.wait_all())
    h.run_until(lambda: h.jobs()[0].state == "done", timeout=5)
    assert len(h.jobs()) == 2
    assert sandbox.stats.snapshot()["submits"]["song"] == 2


# -- 3. validation next to each field ---------------------------------------------------------


@pytest.fixture
def form_window(qtbot, tmp_path):
    """A bare window (no Studio, no loop): the form and Generate's enabled state are its own."""
    window = MainWindow(settings_path=tmp_path / "window.ini")
    qtbot.addWidget(window)
    with qtbot.waitExposed(window):
        window.show()
    return window


def wait_problem(qtbot, window, field: str, needle: str) -> None:
    label = error_label(window, field)
    qtbot.waitUntil(lambda: label.isVisible() and needle in label.text(), timeout=2000)
    button = find(window, QPushButton, "generateButton")
    reason = find(window, QLabel, "generateReason")
    assert not button.isEnabled()
    assert needle in reason.text(), (reason.text(), label.text())


def wait_valid(qtbot, window) -> None:
    button = find(window, QPushButton, "generateButton")
    qtbot.waitUntil(button.isEnabled, timeout=2000)
    assert visible_errors(window) == {}
    assert find(window, QLabel, "generateReason").text() == ""


def pick_model(qtbot, window, label: str) -> None:
    combo = find(window, QComboBox, "modelCombo")
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(combo.count()):
        if combo.currentText() == label:
            return
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentText() == label


def test_blank_form_shows_no_message_until_touched(qtbot, form_window):
    w = form_window
    button = find(w, QPushButton, "generateButton")
    w.form.validate()  # as the debounce would: still nothing shown next to any field
    assert visible_errors(w) == {}
    assert button.isEnabled()  # pressing it is how a person asks what is missing
    assert find(w, QLabel, "generateReason").text() == ""

    title = find(w, QLineEdit, "titleEdit")
    qtbot.keyClicks(title, "ab")
    qtbot.keyClick(title, Qt.Key.Key_Backspace)
    qtbot.keyClick(title, Qt.Key.Key_Backspace)
    qtbot.waitUntil(lambda: error_label(w, "title").isVisible(), timeout=2000)
    assert "title is required" in error_label(w, "title").text()
    assert set(visible_errors(w)) == {"title"}  # untouched fields stay quiet


def test_generate_attempt_reveals_every_required_message(qtbot, form_window):
    w = form_window
    # the button is disabled on a blank form, so the attempt is the Ctrl+Enter shortcut
    qtbot.keyClick(
        find(w, QLineEdit, "titleEdit"), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
    )
    qtbot.waitUntil(lambda: set(visible_errors(w)) >= {"title", "style", "prompt"}, timeout=2000)
    assert "Lyrics are required" in error_label(w, "prompt").text()


def test_clicking_disabled_generate_on_blank_form_reveals_messages(qtbot, form_window):
    """A mouse user's Generate attempt on a blank form should reveal the required messages."""
    w = form_window
    button = find(w, QPushButton, "generateButton")
    click(qtbot, button)
    qtbot.wait(200)
    assert set(visible_errors(w)) >= {"title", "style", "prompt"}


def test_title_over_80(qtbot, form_window):
    w = form_window
    fill_valid(qtbot, w)
    wait_valid(qtbot, w)
    qtbot.keyClicks(find(w, QLineEdit, "titleEdit"), "x" * (81 - len("Neon Dreamers")))
    wait_problem(qtbot, w, "title", "The title is 81 characters long; the limit is 80.")
    qtbot.keyClick(find(w, QLineEdit, "titleEdit"), Qt.Key.Key_Backspace)
    wait_valid(qtbot, w)


def test_lyrics_over_the_v4_limit(qtbot, form_window):
    w = form_window
    fill_valid(qtbot, w)
    pick_model(qtbot, w, "V4")
    wait_valid(qtbot, w)
    lyrics = find(w, QPlainTextEdit, "lyricsEditor")
    lyrics.moveCursor(lyrics.textCursor().MoveOperation.End)
    paste(qtbot, lyrics, "\n" + "la " * ((3001 - len(LYRICS)) // 3 + 1))
    assert len(lyrics.toPlainText()) > 3000
    wait_problem(qtbot, w, "prompt", "V4 allows 3,000")
    pick_model(qtbot, w, "V4.5")  # 5000 there: the message goes away
    wait_valid(qtbot, w)


def test_style_over_200_on_v4(qtbot, form_window):
    w = form_window
    fill_valid(qtbot, w)
    pick_model(qtbot, w, "V4")
    wait_valid(qtbot, w)
    style = find(w, QLineEdit, "styleInput")
    paste(qtbot, style, ", ".join(f"tag number {i:03d}" for i in range(14)) + ",")
    assert len(find(w, QWidget, "styleChips").text()) > 200
    wait_problem(qtbot, w, "style", "V4 allows 200")


def test_exclude_over_200(qtbot, form_window):
    w = form_window
    fill_valid(qtbot, w)
    wait_valid(qtbot, w)
    paste(
        qtbot,
        find(w, QLineEdit, "excludeInput"),
        ", ".join(f"avoid this {i:03d}" for i in range(16)) + ",",
    )
    wait_problem(qtbot, w, "negative_tags", "The exclude list is")


def test_simple_mode_description(qtbot, form_window):
    w = form_window
    toggle = find(w, QCheckBox, "customModeToggle")
    click(qtbot, toggle)
    assert not toggle.isChecked()
    prompt = find(w, QPlainTextEdit, "simplePromptEdit")
    assert prompt.isVisible()
    qtbot.keyClicks(prompt, "a")
    qtbot.keyClick(prompt, Qt.Key.Key_Backspace)  # touched, now empty
    wait_problem(qtbot, w, "prompt", "Describe the song you want.")
    qtbot.keyClicks(prompt, "a lazy jazz tune about rain")
    wait_valid(qtbot, w)
    paste(qtbot, prompt, " and more" * 60)
    wait_problem(qtbot, w, "prompt", "The description is")
    assert "the limit is 500" in error_label(w, "prompt").text()


def _custom_only_check(qtbot, w, widgets) -> None:
    assert all(find(w, cls, name).isEnabled() for cls, name in widgets)
    click(qtbot, find(w, QCheckBox, "customModeToggle"))
    for cls, name in widgets:
        widget = find(w, cls, name)
        assert not widget.isEnabled(), name
        # what a hover over this widget shows (Qt walks up only when it has no tooltip)
        tip, holder = widget.toolTip(), widget.parentWidget()
        while not tip and holder is not None:
            tip, holder = holder.toolTip(), holder.parentWidget()
        assert "custom mode only" in tip, (name, tip)
    click(qtbot, find(w, QCheckBox, "customModeToggle"))
    assert all(find(w, cls, name).isEnabled() for cls, name in widgets)


def test_simple_mode_disables_custom_only_widgets(qtbot, form_window):
    _custom_only_check(
        qtbot,
        form_window,
        [
            (QLineEdit, "titleEdit"),
            (QWidget, "styleChips"),
            (QWidget, "excludeChips"),
            (QComboBox, "vocalGenderCombo"),
            (QComboBox, "personaCombo"),
        ],
    )


def test_simple_mode_tooltip_on_the_named_inner_widgets(qtbot, form_window):
    _custom_only_check(
        qtbot,
        form_window,
        [
            (QLineEdit, "styleInput"),
            (QLineEdit, "excludeInput"),
            (QSlider, "styleWeightSlider"),
            (QSlider, "weirdnessSlider"),
            (QSlider, "audioWeightSlider"),
        ],
    )


def test_instrumental_disables_lyrics(qtbot, form_window):
    w = form_window
    fill_valid(qtbot, w)
    lyrics = find(w, QPlainTextEdit, "lyricsEditor")
    assert lyrics.isEnabled()
    click(qtbot, find(w, QCheckBox, "instrumentalCheck"))
    assert not lyrics.isEnabled()
    assert not find(w, QComboBox, "vocalGenderCombo").isEnabled()
    assert w.form.request().prompt == "" and w.form.request().vocal_gender is None
    wait_valid(qtbot, w)


def test_voice_persona_only_on_v5_models(qtbot, form_window):
    w = form_window
    emphasis = find(w, QComboBox, "personaModelCombo")
    voice = emphasis.model().item(1)
    assert emphasis.itemData(1) == "voice_persona"
    assert voice.isEnabled()  # V5 is the default
    pick_model(qtbot, w, "V4.5+")
    assert not voice.isEnabled()
    assert "V5" in voice.toolTip()
    pick_model(qtbot, w, "V5.5")
    assert voice.isEnabled()


# -- 4. every API error class, as the person sees it ------------------------------------------

ERROR_CASES = [
    # (fault, value, times, final state, sentence, action button text)
    ("submit_status", 401, None, "rejected", "The API key was refused", "Open Settings"),
    (
        "submit_status",
        402,
        None,
        "rejected",
        "Not enough credits. Current balance: 500",
        "Check balance",
    ),
    ("submit_status", 403, None, "rejected", "This key cannot use model", "Edit the request"),
    ("submit_status", 429, None, "rejected", "Busy", "Try again"),
    ("drop_connection", True, 1, "unknown", "Outcome unknown", "Submit again"),
    (
        "fail_tasks",
        "content_policy_violation",
        None,
        "failed",
        "content policy",
        "Edit the request",
    ),
    ("expire_media", True, None, "expired", "expired", "Retry download"),
    ("truncate_download", True, None, "downloading", "did not complete", "Retry download"),
]


def show_details(h: StudioHarness) -> None:
    tabs = h.find(QTabWidget, "sideTabs")
    view = h.find(QTableView, "jobsView")
    tabs.setCurrentIndex(next(i for i in range(tabs.count()) if tabs.widget(i).isAncestorOf(view)))


def _settled(h: StudioHarness, state: str):
    """The job reached `state` and the engine stopped driving it."""

    def check() -> bool:
        jobs = h.jobs()
        if not jobs or jobs[0].state != state or h.studio.session.engine._running:
            return False
        return state != "downloading" or bool(jobs[0].error_message)

    return check


@pytest.mark.parametrize(
    ("fault", "value", "times", "state", "sentence", "action"),
    ERROR_CASES,
    ids=[f"{c[0]}={c[1]}" for c in ERROR_CASES],
)
def test_api_errors_show_sentence_and_action(
    studio_factory, sandbox, qtbot, fault, value, times, state, sentence, action
):
    h = studio_factory()
    w = h.window
    messages: list[str] = []
    w.statusBar().messageChanged.connect(messages.append)
    sandbox.faults.set(fault, value, times=times)
    fill_valid(qtbot, w)
    button = h.find(QPushButton, "generateButton")
    h.run_until(button.isEnabled, timeout=5, what="Generate enabled")
    click(qtbot, button)
    h.run_until(
        _settled(h, state),
        timeout=40,
        what=f"state {state} (jobs: {[(j.state, j.error_message) for j in h.jobs()]})",
    )
    show_details(h)  # the jobs table is the Details tab beside the songs list
    h.find(QTableView, "jobsView").selectRow(0)
    detail = h.find(QLabel, "jobDetail")
    act = h.find(QPushButton, "jobActionButton")
    h.run_until(
        lambda: sentence in detail.text(),
        timeout=5,
        what=f"{sentence!r} in jobDetail (is {detail.text()!r})",
    )
    assert "Traceback" not in detail.text()
    if action is None:
        assert act.isHidden()
    else:
        assert act.isVisibleTo(w) and act.text() == action
    assert any(sentence.split(".")[0] in m for m in messages), messages  # also said aloud

    if fault == "submit_status" and value == 429:
        assert any("Busy, retrying in" in m for m in messages), messages
        assert sandbox.stats.snapshot()["tasks_created"] == 0
    if fault == "fail_tasks":  # the request is kept for editing
        assert h.find(QLineEdit, "titleEdit").text() == "Neon Dreamers"
        assert h.find(QPlainTextEdit, "lyricsEditor").toPlainText() == LYRICS
    if fault == "drop_connection":
        assert sandbox.stats.snapshot()["submits"]["song"] == 1  # never re-sent by itself
        click(qtbot, act)
        h.run_until(_settled(h, "done"), timeout=30, what="done after Submit again")
        assert sandbox.stats.snapshot()["submits"]["song"] == 2
        assert len(h.jobs()) == 1
    if fault == "truncate_download":
        sandbox.faults.reset()
        click(qtbot, act)
        h.run_until(_settled(h, "done"), timeout=30, what="done after Retry download")
        library = h.find(QTableView, "libraryView")
        h.run_until(lambda: library.model().rowCount() == 2, timeout=5)
        assert sandbox.stats.snapshot()["submits"]["song"] == 1


def test_expired_take_can_be_retried(studio_factory, sandbox, qtbot):
    """Retry download on an expired job fetches fresh links and files both takes."""
    h = studio_factory()
    sandbox.faults.set("expire_media", True, times=1)
    fill_valid(qtbot, h.window)
    button = h.find(QPushButton, "generateButton")
    h.run_until(button.isEnabled, timeout=5)
    click(qtbot, button)
    h.run_until(_settled(h, "expired"), timeout=30)
    h.find(QTableView, "jobsView").selectRow(0)
    act = h.find(QPushButton, "jobActionButton")
    assert act.text() == "Retry download"
    click(qtbot, act)
    h.run_until(
        _settled(h, "done"),
        timeout=30,
        what=f"done after retry ({[(j.state, j.error_message) for j in h.jobs()]})",
    )
    library = h.find(QTableView, "libraryView")
    h.run_until(lambda: library.model().rowCount() == 2, timeout=5)


# -- 5. the Sandbox badge and banner ----------------------------------------------------------


def _credit_digits(label: QLabel) -> bool:
    return any(ch.isdigit() for ch in label.text())


def test_no_key_starts_in_the_sandbox_and_says_how_to_add_one(studio_factory):
    h = studio_factory(key=False, sandbox_mode=False, base_url=None)
    assert h.studio.session.sandbox_mode
    assert h.find(QLabel, "sandboxBadge").isVisible()
    banner = h.find(QLabel, "sandboxBanner")
    assert banner.isVisible() and "Settings" in banner.text()
    credits = h.find(QLabel, "creditsLabel")
    h.run_until(lambda: _credit_digits(credits), timeout=10, what="credits shown")
    assert credits.text() == "Credits: 500"


def test_explicit_sandbox_with_no_key_still_says_how_to_add_one(studio_factory):
    h = studio_factory(key=False, sandbox_mode=True, base_url=None)
    assert h.find(QLabel, "sandboxBadge").isVisible()
    credits = h.find(QLabel, "creditsLabel")
    h.run_until(lambda: _credit_digits(credits), timeout=10, what="credits shown")
    banner = h.find(QLabel, "sandboxBanner")
    assert banner.isVisible() and "Settings" in banner.text()


def test_real_key_shows_no_sandbox_badge(studio_factory):
    h = studio_factory()
    assert not h.studio.session.sandbox_mode
    assert not h.find(QLabel, "sandboxBadge").isVisible()
    assert not h.find(QLabel, "sandboxBanner").isVisible()
    credits = h.find(QLabel, "creditsLabel")
    h.run_until(lambda: credits.text() == "Credits: 500", timeout=10, what="credits shown")


# -- 6. resume at start ------------------------------------------------------------------------


def test_unfinished_job_resumes_at_start(studio_factory, sandbox, qtbot):
    h = studio_factory(start=False)
    request = SongRequest(title="Left Running", style="synth pop", prompt=LYRICS)

    async def submit_only():
        with open_store(h.data_dir) as store:
            engine = make_engine(store, sandbox, h.data_dir / "Library")
            try:
                job = await engine.submit_song(request, until_submitted=True)
                return await engine.wait(job.id)
            finally:
                await engine.close()

    job = h.run(submit_only())
    assert job.state == "submitted" and job.task_id

    h.start()
    rows = h.jobs()
    assert [j.id for j in rows] == [job.id]
    assert h.state_texts()[0].endswith("(resumed)"), h.state_texts()
    assert "Resumed 1 unfinished job" in h.window.statusBar().currentMessage()

    done = h.wait_job_state(*TERMINAL, timeout=30)
    assert done.state == "done", done.error_message
    assert "resumed" not in h.state_texts()[0]
    library = h.find(QTableView, "libraryView")
    h.run_until(lambda: library.model().rowCount() == 2, timeout=10)
    assert sandbox.stats.snapshot()["submits"]["song"] == 1  # polled, never re-sent


# -- 7. layout memory --------------------------------------------------------------------------


def test_geometry_splitter_and_side_tab_are_remembered(qtbot, tmp_path):
    settings = tmp_path / "window.ini"
    first = MainWindow(settings_path=settings)
    qtbot.addWidget(first)
    with qtbot.waitExposed(first):
        first.show()
    # the minimum width (the 800 px offscreen screen less the frame), not the full height
    size = QSize(first.minimumWidth(), 700)
    first.resize(size)
    main = find(first, QSplitter, "mainSplitter")
    main.setSizes([350, 650])
    first.add_side_tab(QWidget(), "Library")
    first.sideTabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: first.size() == size, timeout=2000)
    main_sizes = main.sizes()
    assert main_sizes[0] < main_sizes[1]
    first.close()
    assert settings.is_file()

    second = MainWindow(settings_path=settings)
    qtbot.addWidget(second)
    with qtbot.waitExposed(second):
        second.show()
    assert second.size() == size
    qtbot.waitUntil(
        lambda: find(second, QSplitter, "mainSplitter").sizes() == main_sizes, timeout=2000
    )
    second.add_side_tab(QWidget(), "Library")
    second.restore_side_tab()
    assert second.sideTabs.currentIndex() == 1


def test_a_saved_geometry_larger_than_the_screen_reopens_on_it(qtbot, tmp_path):
    """Saved at another scale or on a bigger monitor: the status bar must not be off-screen."""
    settings = tmp_path / "window.ini"
    first = MainWindow(settings_path=settings)
    qtbot.addWidget(first)
    first.show()
    first.setGeometry(300, 200, 2400, 1600)  # larger than the 800 x 800 offscreen screen
    first.save_layout()
    first.close()

    second = MainWindow(settings_path=settings)
    qtbot.addWidget(second)
    with qtbot.waitExposed(second):
        second.show()
    available = second.screen().availableGeometry()
    assert available.contains(second.frameGeometry()), (second.frameGeometry(), available)


def test_the_window_has_a_minimum_size_that_fits_the_screen(qtbot, tmp_path):
    window = MainWindow(settings_path=tmp_path / "window.ini")
    qtbot.addWidget(window)
    window.show()
    window.resize(400, 300)  # where the player bar used to overlap itself
    available = window.screen().availableGeometry()
    assert window.width() >= min(960, available.width() - 8)
    assert window.height() >= min(640, available.height() - 40)
    assert available.contains(window.frameGeometry())
