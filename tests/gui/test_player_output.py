"""No audio device: the player says so in its idle line (songs still download); with a device
it keeps its usual hint. The device list is injected (a test cannot unplug the sound card)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from sunodesk.ui.player.bar import PlayerBar
from sunodesk.ui.player.service import PlayerService

SENTENCE = "No audio output found; songs still download and can be played elsewhere."


def test_no_audio_output_is_said_in_the_player(qtbot):
    service = PlayerService(outputs=list)
    bar = PlayerBar(service)
    qtbot.addWidget(bar)
    assert service.output_problem() == SENTENCE
    bar.show_track(None)
    subtitle = bar.findChild(QLabel, "playerSubtitle")
    assert subtitle.text() == "No audio output found" and subtitle.toolTip() == SENTENCE


def test_with_an_output_the_usual_hint_stays(qtbot):
    service = PlayerService(outputs=lambda: ["a speaker"])
    bar = PlayerBar(service)
    qtbot.addWidget(bar)
    assert service.output_problem() == ""
    bar.show_track(None)
    assert "Double-click" in bar.findChild(QLabel, "playerSubtitle").text()


def test_the_window_says_it_at_start_when_there_is_no_output(studio_factory, monkeypatch):
    from PySide6.QtMultimedia import QMediaDevices

    monkeypatch.setattr(QMediaDevices, "audioOutputs", staticmethod(list))
    h = studio_factory(start=False)
    h.start()
    assert h.find(QLabel, "playerSubtitle").toolTip() == SENTENCE
    assert h.find(QLabel, "playerSubtitle").text() == "No audio output found"
