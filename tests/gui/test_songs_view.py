"""The songs list beside the form (songsView): a Generate press appears there at once as a
placeholder that becomes its two takes in place; a take plays with one click in the window's
real player; a failure shows its sentence and its action inline, and pressing the action
does it. Against the test sandbox, driven by objectName and real mouse clicks."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtMultimedia import QMediaPlayer
from PySide6.QtWidgets import QApplication, QLabel, QListView, QPushButton, QTableView, QTabWidget

from sunodesk.ui.songs.delegate import Target, layout
from sunodesk.ui.songs.model import (
    ActionRole,
    JobRole,
    KindRole,
    PeaksRole,
    PlayingRole,
    RowKind,
    StatusRole,
    TakesRole,
)
from tests.gui.feature_helpers import settle
from tests.gui.studio_fixture import StudioHarness, studio_factory_fixture  # noqa: F401
from tests.gui.test_studio_window import _settled, click, fill_valid


def songs(h: StudioHarness) -> QListView:
    return h.find(QListView, "songsView")


def target(h: StudioHarness, row: int, kind: str, n: int = 0) -> tuple[Target, QPoint]:
    """The n-th clickable target of this kind in a row, and where it is in the viewport."""
    view = songs(h)
    index = view.model().index(row, 0)
    geo = layout(view.visualRect(index), index, view.font())
    found = [t for t in geo.targets if t.kind == kind]
    assert len(found) > n, f"row {row} has no {kind} target {n}: {geo.targets}"
    return found[n], found[n].rect.center()


def press_generate(h: StudioHarness, qtbot, look: bool = False) -> None:
    fill_valid(qtbot, h.window)
    if look:  # the person is looking at the window (the style completer took the focus)
        h.window.activateWindow()
        qtbot.waitUntil(h.window.isActiveWindow, timeout=3000)
    button = h.find(QPushButton, "generateButton")
    h.run_until(button.isEnabled, timeout=5, what="Generate enabled")
    click(qtbot, button)


def test_songs_list_is_the_default_pane_and_says_what_to_do_when_empty(studio_factory):
    h = studio_factory()
    tabs = h.find(QTabWidget, "sideTabs")
    view = songs(h)
    assert tabs.currentIndex() == 0 and tabs.widget(0).isAncestorOf(view)
    assert view.accessibleName() == "Songs"
    assert [tabs.tabText(i) for i in range(tabs.count())][-1] == "Details"
    assert tabs.widget(tabs.count() - 1).isAncestorOf(h.find(QTableView, "jobsView"))
    assert not view.isVisible()  # nothing yet: the sentence shows instead
    label = h.find(QLabel, "songsEmpty")
    assert label.isVisible() and "press Generate" in label.text()


def test_generate_shows_a_placeholder_that_becomes_its_two_takes(studio_factory, qtbot):
    h = studio_factory()
    view = songs(h)
    model = view.model()
    seen: list[tuple[int, str]] = []  # (rows, kind of row 0) at every change the view saw

    def record(*_args) -> None:
        if model.rowCount():
            seen.append((model.rowCount(), model.index(0, 0).data(KindRole)))

    model.rowsInserted.connect(record)
    model.dataChanged.connect(record)
    press_generate(h, qtbot, look=True)
    h.run_until(
        lambda: model.rowCount() == 1 and model.index(0, 0).data(KindRole) == RowKind.DONE,
        timeout=30,
        what=f"the takes in place (seen {seen[-3:]})",
    )
    settle(h)
    assert seen[0] == (1, RowKind.ACTIVE), seen[:3]  # the placeholder, at once
    assert {rows for rows, _kind in seen} == {1}  # one entry all along: the takes came in place
    index = model.index(0, 0)
    takes = index.data(TakesRole)
    assert [t.title for t in takes] == ["Neon Dreamers", "Neon Dreamers"]
    assert all(t.path for t in takes)
    assert index.data(JobRole).state == "done"
    assert view.isVisible() and view.visualRect(index).height() >= 48 + 2 * 24
    # the status bar offers to play them (the window has focus in the harness)
    notice = h.find(QPushButton, "noticeButton")
    assert notice.isVisible() and notice.text() == "Play"
    assert "2 takes ready" in h.find(QLabel, "noticeLabel").text()
    assert h.window.statusBar().currentMessage() == ""  # nothing painted under the notice
    click(qtbot, notice)
    player = h.studio.hub.player
    h.run_until(lambda: player.track is not None, timeout=5, what="the notice's Play")
    assert player.track.result_id == takes[0].result_id
    player.stop()
    # the Library tab counts the takes that arrived while it was not looked at
    tabs = h.find(QTabWidget, "sideTabs")
    library = next(i for i in range(tabs.count()) if tabs.tabText(i).startswith("Library"))
    assert tabs.tabText(library) == "Library (2)"
    tabs.setCurrentIndex(library)
    assert tabs.tabText(library) == "Library"


def test_a_take_plays_with_one_click(studio_factory, qtbot):
    h = studio_factory()
    view = songs(h)
    model = view.model()
    press_generate(h, qtbot)
    h.run_until(lambda: model.rowCount() and model.index(0, 0).data(KindRole) == RowKind.DONE,
                timeout=30, what="the takes")  # fmt: skip
    settle(h)
    take_b = model.index(0, 0).data(TakesRole)[1]
    player = h.studio.hub.player.player
    _t, where = target(h, 0, "play", 1)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=where)
    h.run_until(
        lambda: player.playbackState() == QMediaPlayer.PlaybackState.PlayingState,
        timeout=10,
        what="the player playing",
    )
    assert player.source().toLocalFile() == take_b.path
    assert model.index(0, 0).data(PlayingRole) == take_b.result_id  # drawn as playing
    # its button again pauses it
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=where)
    h.run_until(
        lambda: player.playbackState() == QMediaPlayer.PlaybackState.PausedState,
        timeout=5,
        what="the take paused",
    )
    assert model.index(0, 0).data(PlayingRole) is None
    # a double click on the entry plays take A
    take_a = model.index(0, 0).data(TakesRole)[0]
    rect = view.visualRect(model.index(0, 0))
    qtbot.mouseDClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=rect.topRight() + QPoint(-40, 20)
    )
    h.run_until(lambda: player.source().toLocalFile() == take_a.path, timeout=5, what="take A")
    h.studio.hub.player.stop()


def test_a_failed_generation_shows_its_sentence_inline(studio_factory, sandbox, qtbot):
    h = studio_factory()
    sandbox.faults.set("fail_tasks", "content_policy_violation")
    press_generate(h, qtbot)
    h.run_until(_settled(h, "failed"), timeout=30, what="the job failed")
    settle(h)
    index = songs(h).model().index(0, 0)
    assert index.data(KindRole) == RowKind.FAILED
    assert "content policy" in index.data(StatusRole)
    assert songs(h).model().rowCount() == 1


def test_a_refused_key_offers_open_settings_and_it_opens(studio_factory, sandbox, qtbot):
    h = studio_factory()
    sandbox.faults.set("submit_status", 401)
    press_generate(h, qtbot)
    h.run_until(_settled(h, "rejected"), timeout=30, what="the job refused")
    settle(h)
    view = songs(h)
    index = view.model().index(0, 0)
    assert index.data(KindRole) == RowKind.FAILED
    assert "The API key was refused" in index.data(StatusRole)
    assert index.data(ActionRole) == ("open_settings", "Open Settings")
    _t, where = target(h, 0, "action")
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=where)

    def dialog():
        return next(
            (w for w in QApplication.topLevelWidgets() if w.objectName() == "settingsDialog"),
            None,
        )

    h.run_until(lambda: dialog() is not None and dialog().isVisible(), timeout=10,
                what="the Settings dialog")  # fmt: skip
    dialog().reject()
    assert index.data(ActionRole) is None  # one press, one action


def test_retry_download_from_the_list_files_the_takes(studio_factory, sandbox, qtbot):
    h = studio_factory()
    sandbox.faults.set("expire_media", True, times=1)
    press_generate(h, qtbot)
    h.run_until(_settled(h, "expired"), timeout=30, what="the links expired")
    settle(h)
    view = songs(h)
    model = view.model()
    assert model.index(0, 0).data(ActionRole) == ("retry_download", "Retry download")
    _t, where = target(h, 0, "action")
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=where)
    h.run_until(
        lambda: (
            model.index(0, 0).data(KindRole) == RowKind.DONE
            and len(model.index(0, 0).data(TakesRole)) == 2
        ),
        timeout=30,
        what="the takes after Retry download",
    )
    assert model.rowCount() == 1
    assert sandbox.stats.snapshot()["submits"]["song"] == 1  # nothing generated twice


def test_a_waveform_part_can_hand_the_rows_its_peaks(studio_factory, qtbot):
    h = studio_factory()
    model = songs(h).model()
    press_generate(h, qtbot)
    h.run_until(lambda: model.rowCount() and model.index(0, 0).data(KindRole) == RowKind.DONE,
                timeout=30, what="the takes")  # fmt: skip
    settle(h)
    assert model.index(0, 0).data(PeaksRole) == [None, None]  # no waveform part: none
    takes = model.index(0, 0).data(TakesRole)
    h.studio.hub.provide_peaks(lambda rid: [0.5, 1.0] if rid == takes[0].result_id else None)
    assert model.index(0, 0).data(PeaksRole) == [[0.5, 1.0], None]


def test_rows_follow_the_one_rule_of_next_action(qapp):
    """A stalled download is a failure row with Retry download; a refused key Open Settings;
    a running one is in flight with its time left; ages read like a music app's."""
    from dataclasses import replace

    from sunodesk.core.models import Job
    from sunodesk.ui.songs.model import SongsModel, age_text

    base = Job(id=1, kind="song", state="running", request_json='{"title": "T"}', progress=40,
               created_at=1000.0, submitted_at=1000.0, estimated_time=90.0)  # fmt: skip
    model = SongsModel()
    model.clock = lambda: 1030.0
    model.set_jobs([
        replace(base, id=3, state="downloading", error_code="download",
                error_message="The download did not complete."),
        replace(base, id=2, state="rejected", error_code="auth", error_message="Refused."),
        base,
        replace(base, id=4, kind="persona"),  # not a song: not listed
    ])  # fmt: skip
    rows = [model.index(r, 0) for r in range(model.rowCount())]
    assert [i.data(JobRole).id for i in rows] == [3, 2, 1]
    assert [i.data(KindRole) for i in rows] == [RowKind.FAILED, RowKind.FAILED, RowKind.ACTIVE]
    assert rows[0].data(ActionRole) == ("retry_download", "Retry download")
    assert rows[1].data(ActionRole) == ("open_settings", "Open Settings")
    assert rows[2].data(StatusRole) == "Generating · 40% · ~1:00 left"
    assert rows[2].data(ActionRole) is None
    model.mark_pressed(rows[1].data(JobRole))
    assert rows[1].data(ActionRole) is None  # pressed once: hidden until the row moves on
    assert [age_text(s) for s in (10, 120, 7200, 86400 * 3)] == [
        "just now", "2 min ago", "2 h ago", "3 days ago"
    ]  # fmt: skip


def test_a_row_is_made_once_per_change_and_again_when_its_waveform_arrives(qapp):
    """The delegate paints from one SongRow per row, kept between paints; a change of the row
    (an event, its takes, a waveform, the playing take) makes it anew."""
    from sunodesk.core.models import Job, Track
    from sunodesk.ui.songs.model import RowRole, SongsModel

    takes = {
        n: [Track(result_id=f"r{n}", job_id=n, task_id="t", title="T", path=f"/x/{n}.mp3")]
        for n in (7, 8)
    }
    model = SongsModel()
    model.takes_of_job = lambda job_id: takes.get(job_id, [])
    model.set_jobs([
        Job(id=n, kind="song", state="done", request_json='{"title": "T"}') for n in (8, 7)
    ])  # fmt: skip
    first = model.index(1, 0).data(RowRole)
    assert first.kind == RowKind.DONE and [t.result_id for t in first.takes] == ["r7"]
    assert model.index(1, 0).data(RowRole) is first  # kept, not made again
    model.index(0, 0).data(RowRole)
    changed: list[int] = []

    def record(top, bottom, *_roles) -> None:
        changed.extend(range(top.row(), bottom.row() + 1))

    model.dataChanged.connect(record)
    model.waveform_ready("someone-else")
    assert changed == [] and model.index(1, 0).data(RowRole) is first
    model.waveform_ready("r7")
    assert changed == [1] and model.index(1, 0).data(RowRole) is not first
    changed.clear()
    model.set_playing("r8")  # only the rows of the old and the new playing take
    assert changed == [0], changed
    model.set_playing("r7")
    assert sorted(changed) == [0, 0, 1], changed
    assert model.index(1, 0).data(RowRole).playing == "r7"


def test_only_painted_rows_ask_for_their_waveforms(qapp, qtbot):
    """Sizes are asked for every row of a long history; waveforms (a decode each) only for the
    rows on screen, so opening the window never queues the whole history's decoding."""
    from sunodesk.core.models import Job, Track
    from sunodesk.ui.songs.panel import SongsPanel

    asked: set[str] = set()
    panel = SongsPanel()
    panel.model.takes_of_job = lambda job_id: [
        Track(result_id=f"r{job_id}-{k}", job_id=job_id, task_id="t", title="T",
              path=f"/x/{job_id}-{k}.mp3", state="done", duration=60.0)
        for k in range(2)
    ]  # fmt: skip
    panel.model.peaks = lambda rid, _path: asked.add(rid) or [0.5] * 600
    panel.model.set_jobs([
        Job(id=n, kind="song", state="done", request_json='{"title": "T"}', takes_total=2)
        for n in range(300, 0, -1)
    ])  # fmt: skip
    panel.resize(560, 500)
    panel.show()
    last = panel.model.index(299, 0)
    qtbot.waitUntil(lambda: panel.view.visualRect(last).height() > 0)  # every row laid out
    panel.view.viewport().repaint()
    assert 0 < len(asked) <= 2 * 10, f"{len(asked)} takes asked for their waveform"
    panel.model.set_playing("r300-0")  # a play press re-asks nothing off screen either
    qapp.processEvents()
    assert len(asked) <= 2 * 10
    panel.close()


def test_a_generating_rows_progress_is_drawn_in_the_accent_not_the_pale_selection(qapp):
    """Item views carry a soft tint of the accent as their Highlight (the calm selection);
    the progress of a generation in flight is drawn in the accent itself, as in light and
    dark screenshots it must read at a glance."""
    import json
    import time

    from PySide6.QtGui import QPalette

    from sunodesk.core.models import Job
    from sunodesk.ui.common.theme import apply_theme
    from sunodesk.ui.songs.panel import SongsPanel

    for theme in ("light", "dark"):
        apply_theme(qapp, theme)
        panel = SongsPanel()
        panel.model.set_jobs([
            Job(id=1, kind="song", state="running", request_json=json.dumps({"title": "X"}),
                progress=56, created_at=time.time())
        ])  # fmt: skip
        panel.resize(560, 300)
        panel.show()
        qapp.processEvents()
        index = panel.model.index(0, 0)
        geo = layout(panel.view.visualRect(index), index, panel.view.font())
        image = panel.view.viewport().grab().toImage()
        fill = image.pixelColor(geo.body.left() + 20, geo.body.top() + 3)
        accent = qapp.palette().color(QPalette.ColorGroup.Active, QPalette.ColorRole.Highlight)
        assert fill.name() == accent.name(), (theme, fill.name(), accent.name())
        panel.close()
    apply_theme(qapp, "system")


def test_the_details_tables_progress_is_drawn_in_the_accent_too(qapp):
    """Found in a user's half hour: finished jobs' bars in Details looked empty (the table's
    Highlight is the pale selection tint, and Fusion fills a bar with Highlight)."""
    import json

    from PySide6.QtGui import QColor, QPalette

    from sunodesk.core.models import Job
    from sunodesk.ui.common.theme import apply_theme
    from sunodesk.ui.jobs.model import COLUMNS
    from sunodesk.ui.jobs.panel import JobsPanel

    def distance(a: QColor, b: QColor) -> int:
        return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue())

    apply_theme(qapp, "light")
    panel = JobsPanel()
    panel.model.set_jobs([
        Job(id=1, kind="song", state="done", request_json=json.dumps({"title": "X"}),
            progress=100, takes_total=2, takes_done=2)
    ])  # fmt: skip
    panel.resize(700, 200)
    panel.show()
    panel.view.clearSelection()
    qapp.processEvents()
    rect = panel.view.visualRect(panel.model.index(0, COLUMNS.index("progress")))
    image = panel.view.viewport().grab().toImage()
    fill = image.pixelColor(rect.left() + 20, rect.center().y())
    accent = qapp.palette().color(QPalette.ColorGroup.Active, QPalette.ColorRole.Highlight)
    pale = panel.view.palette().color(QPalette.ColorRole.Highlight)
    assert distance(fill, accent) < distance(fill, pale), (fill.name(), accent.name(), pale.name())
    assert distance(fill, accent) < 120, (fill.name(), accent.name())
    panel.close()
    apply_theme(qapp, "system")


def test_a_narrow_row_keeps_its_title_and_lets_the_age_go(qapp):
    """Seen at scale 2 in a small window: the title was cut to "…" to make room for
    "V5 · 53 min ago"; a title is what a person reads first."""
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QFont

    from sunodesk.core.models import Job
    from sunodesk.ui.songs.delegate import type_for
    from sunodesk.ui.songs.model import SongsModel

    model = SongsModel()
    model.set_jobs([Job(id=1, kind="song", state="done", request_json='{"title": "Mid Save"}',
                        model="suno-v5-beta", created_at=1.0)])  # fmt: skip
    font = QFont()
    index = model.index(0, 0)
    wide = layout(QRect(0, 0, 560, 100), index, font)
    assert wide.meta.width() > 0 and wide.title.width() > 200
    narrow = layout(QRect(0, 0, 300, 100), index, font)
    assert narrow.meta.width() == 0
    assert narrow.title.width() >= type_for(font).title_m.horizontalAdvance("Mid Save")
