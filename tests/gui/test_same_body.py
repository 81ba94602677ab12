"""The window and `sunodesk generate` send the same body for the same request.

The same song is described once through the real StudioForm (widgets found by objectName)
and once through the real `sunodesk generate` argument parser, and the JSON bodies that
core.payload builds for the POST are compared byte for byte: a full custom request, an
instrumental one (no lyrics, no vocal gender) and a simple-mode one (model, prompt,
instrumental, custom_mode only).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPlainTextEdit, QSlider

from sunodesk.api import EvolinkClient
from sunodesk.cli.main import build_parser
from sunodesk.cli.request import song_request
from sunodesk.core.payload import song_body
from sunodesk.ui.studio.form import StudioForm
from tests.conftest import TEST_KEY
from tests.integration.cli_helpers import cli_env, sunodesk

LYRICS = "[Verse]\nNeon on the water\n[Chorus]\nWe are the night"
MODEL = "suno-v4.5plus-beta"


def find(form, cls, name):
    widget = form.findChild(cls, name)
    assert widget is not None, f"no {cls.__name__} named {name!r}"
    return widget


def add_chip(qtbot, line: QLineEdit, tag: str) -> None:
    qtbot.keyClicks(line, tag)
    completer = line.completer()
    if completer is not None:
        completer.popup().hide()
    qtbot.keyClick(line, Qt.Key.Key_Return)


def body(request) -> str:
    return json.dumps(song_body(request), sort_keys=True, ensure_ascii=False)


@pytest.fixture
def form(qtbot):
    widget = StudioForm()
    qtbot.addWidget(widget)
    combo = find(widget, QComboBox, "modelCombo")
    combo.setCurrentIndex(combo.findData(MODEL))
    return widget


def fill_custom(qtbot, form: StudioForm) -> None:
    qtbot.keyClicks(find(form, QLineEdit, "titleEdit"), "Neon Dreamers")
    find(form, QPlainTextEdit, "lyricsEditor").setPlainText(LYRICS)
    add_chip(qtbot, find(form, QLineEdit, "styleInput"), "synth pop")
    add_chip(qtbot, find(form, QLineEdit, "styleInput"), "upbeat")
    add_chip(qtbot, find(form, QLineEdit, "excludeInput"), "metal")
    gender = find(form, QComboBox, "vocalGenderCombo")
    gender.setCurrentIndex(gender.findData("f"))
    find(form, QSlider, "weirdnessSlider").setValue(3)
    find(form, QSlider, "audioWeightSlider").setValue(7)


def cli_options(tmp_path: Path, *options: str) -> list[str]:
    lyrics = tmp_path / "lyrics.txt"
    lyrics.write_text(LYRICS, encoding="utf-8")
    custom = [
        "--title",
        "Neon Dreamers",
        "--style",
        "synth pop, upbeat",
        "--exclude",
        "metal",
        "--lyrics-file",
        str(lyrics),
        "--vocal-gender",
        "f",
        "--weirdness",
        "0.3",
        "--audio-weight",
        "0.7",
    ]
    if "--simple" in options:  # the CLI refuses custom fields with --simple (exit 2)
        custom = []
    return ["generate", "--model", MODEL, *custom, *options]


def cli_request(tmp_path: Path, *options: str):
    args = build_parser().parse_args(cli_options(tmp_path, *options))
    return song_request(args, store=None)  # no --persona: the store is not consulted


def test_custom_request_same_body(qtbot, form, tmp_path):
    fill_custom(qtbot, form)
    sent = body(form.request())
    assert sent == body(cli_request(tmp_path))
    assert form.request() == cli_request(tmp_path)  # the stored request, too
    assert json.loads(sent)["prompt"] == LYRICS and json.loads(sent)["vocal_gender"] == "f"


def test_instrumental_request_same_body_without_lyrics_or_voice(qtbot, form, tmp_path):
    fill_custom(qtbot, form)
    qtbot.mouseClick(find(form, QCheckBox, "instrumentalCheck"), Qt.MouseButton.LeftButton)
    assert find(form, QCheckBox, "instrumentalCheck").isChecked()
    sent = body(form.request())
    assert sent == body(cli_request(tmp_path, "--instrumental"))
    assert form.request() == cli_request(tmp_path, "--instrumental")
    data = json.loads(sent)
    assert data["instrumental"] is True
    assert "prompt" not in data and "vocal_gender" not in data


@pytest.mark.parametrize("instrumental", [False, True])
def test_simple_request_same_body(qtbot, form, tmp_path, instrumental):
    fill_custom(qtbot, form)  # custom fields typed first must not leak into simple mode
    toggle = find(form, QCheckBox, "customModeToggle")
    qtbot.mouseClick(toggle, Qt.MouseButton.LeftButton)
    assert not toggle.isChecked()
    qtbot.keyClicks(find(form, QPlainTextEdit, "simplePromptEdit"), "a calm piano song")
    if instrumental:
        qtbot.mouseClick(find(form, QCheckBox, "instrumentalCheck"), Qt.MouseButton.LeftButton)
    options = ["--simple", "a calm piano song"] + (["--instrumental"] if instrumental else [])
    sent = body(form.request())
    assert sent == body(cli_request(tmp_path, *options))
    assert form.request() == cli_request(tmp_path, *options)
    assert json.loads(sent) == {
        "model": MODEL,
        "custom_mode": False,
        "instrumental": instrumental,
        "prompt": "a calm piano song",
    }


@pytest.mark.parametrize(
    ("mode", "options"),
    [
        ("custom", []),
        ("instrumental", ["--instrumental"]),
        ("simple", ["--simple", "a calm piano song"]),
    ],
)
def test_the_sandbox_receives_the_same_bytes_from_both(
    qtbot, form, tmp_path, sandbox, data_dir, mode, options
):
    """The form's request through the engine's HTTP client, and a real `sunodesk generate`
    process: the sandbox records both POST bodies, and they are identical."""
    fill_custom(qtbot, form)
    if mode == "instrumental":
        qtbot.mouseClick(find(form, QCheckBox, "instrumentalCheck"), Qt.MouseButton.LeftButton)
    elif mode == "simple":
        qtbot.mouseClick(find(form, QCheckBox, "customModeToggle"), Qt.MouseButton.LeftButton)
        qtbot.keyClicks(find(form, QPlainTextEdit, "simplePromptEdit"), "a calm piano song")
    client = EvolinkClient(sandbox.base_url, TEST_KEY)
    try:
        client.submit_song(form.request())
    finally:
        client.close()
    out = sunodesk(*cli_options(tmp_path, *options), env=cli_env(data_dir, sandbox.base_url))
    assert out.returncode == 0, out.stderr
    from_window, from_cli = sandbox.stats.bodies()
    assert from_window == from_cli
    sent = json.loads(from_cli)
    assert ("prompt" in sent) == (mode != "instrumental")
    assert ("title" in sent) == (mode != "simple")
