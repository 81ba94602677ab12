"""The window opens over broken files: a damaged settings file is set aside and said once in
the status bar, damaged job rows show as damaged, a damaged database is a sentence."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTableView

from sunodesk.core.models import SongRequest
from sunodesk.store.store import open_store

DAMAGED_REQUEST = "This job's stored request is damaged; it was left as it is."


def test_damaged_settings_and_job_rows_open_with_sentences(studio_factory, tmp_path):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "settings.json").write_text("[" * 200_000, encoding="utf-8")
    good = SongRequest(title="Good Song", style="pop", prompt="la la")
    with open_store(data_dir) as store:
        ok = store.jobs.create_job("song", good.to_json(), good.model)
        bad = store.jobs.create_job("song", good.to_json(), good.model)
        odd = store.jobs.create_job("song", good.to_json(), good.model)
    with closing(sqlite3.connect(data_dir / "sunodesk.db")) as conn, conn:
        conn.execute("UPDATE jobs SET state = 'done' WHERE id = ?", (ok.id,))
        conn.execute("UPDATE jobs SET request_json = '[[[' WHERE id = ?", (bad.id,))
        conn.execute("UPDATE jobs SET state = 'zombie' WHERE id = ?", (odd.id,))

    h = studio_factory()
    assert "damaged" in h.window.statusBar().currentMessage()
    assert list(data_dir.glob("settings.json.broken-*"))
    model = h.find(QTableView, "jobsView").model()
    texts = {}
    for row in range(model.rowCount()):
        job = h.jobs()[row]
        cells = [model.index(row, c).data(Qt.ItemDataRole.DisplayRole) for c in range(6)]
        for role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.DecorationRole):
            [model.index(row, c).data(role) for c in range(6)]  # none of them raises
        texts[job.id] = cells
    assert texts[bad.id][2] == "Damaged" and texts[bad.id][5] == DAMAGED_REQUEST
    assert texts[odd.id][2] == "Damaged" and "zombie" in texts[odd.id][5]
    assert texts[ok.id][0] == "Good Song" and texts[ok.id][2] != "Damaged"
    h.studio.edit_request(h.jobs()[[j.id for j in h.jobs()].index(bad.id)])  # no traceback


def test_damaged_database_is_a_sentence_in_the_window(studio_factory, tmp_path):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "sunodesk.db").write_bytes(os.urandom(32 * 1024))
    h = studio_factory()
    banner = h.window.banner
    assert isinstance(banner, QLabel) and banner.isVisible()
    assert "is damaged" in banner.text() and "left as it is" in banner.text()
