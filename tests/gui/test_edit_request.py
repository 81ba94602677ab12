"""A job's "Edit the request" action (offered where the API refused or failed a song) opens its
request in a new draft of its own; the open draft keeps its words."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QListWidget, QPlainTextEdit

from sunodesk.core.models import SongRequest
from tests.gui.feature_helpers import call, settle, ui, until
from tests.gui.studio_fixture import studio_factory_fixture  # noqa: F401

SENT = SongRequest(
    title="Harbour Lights",
    prompt="[Verse]\nLights on the water\n[Chorus]\nHome again",
    style="indie folk, warm",
    custom_mode=True,
)


def test_edit_request_opens_the_jobs_request_in_a_new_draft(studio_factory, qtbot):
    h = studio_factory()
    lyrics = h.find(QPlainTextEdit, "lyricsEditor")
    ui(h, qtbot.keyClicks, lyrics, "my own words")
    settle(h)
    job = call(h, h.studio.jobs.submit(SENT))
    before = h.studio.hub.current_draft()

    ui(h, h.studio.edit_request, job)
    until(h, lambda: h.studio.hub.current_draft() != before, timeout=5, what="a new draft")

    assert h.find(QLineEdit, "titleEdit").text() == "Harbour Lights"
    assert lyrics.toPlainText() == SENT.prompt
    assert h.studio.hub.current_draft().album == "Harbour Lights"
    drafts = h.find(QListWidget, "draftsView")
    assert drafts.count() == 2
    store = h.studio.session.store
    assert store.drafts.get(before.draft_id).request.prompt == "my own words"
    settle(h)
