"""The jobs table as a person reads it: failures look different, every refusal offers what can
be done about it, the progress has room, and finished work can be cleared from the list."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QTableView

from sunodesk.core import schedule
from sunodesk.core.repeats import RepeatGuard
from sunodesk.ui.jobs.model import COLUMNS
from tests.gui.studio_fixture import studio_factory_fixture  # noqa: F401  (the fixture)
from tests.gui.test_studio_window import _settled, click, fill_valid


def _generate(h, qtbot) -> None:
    fill_valid(qtbot, h.window)
    button = h.find(QPushButton, "generateButton")
    h.run_until(button.isEnabled, timeout=5, what="Generate enabled")
    click(qtbot, button)


def _state_cell(h, row: int = 0):
    return h.find(QTableView, "jobsView").model().index(row, COLUMNS.index("state"))


def test_a_refused_row_has_a_colour_and_an_icon_a_done_row_has_not(studio_factory, sandbox, qtbot):
    h = studio_factory()
    h.studio.repeats = RepeatGuard(0.0)  # these tests send one request twice on purpose
    h.show_details()  # the jobs table is the Details tab
    _generate(h, qtbot)
    h.run_until(_settled(h, "done"), timeout=30, what="the first song done")
    done_colour = _state_cell(h).data(Qt.ItemDataRole.ForegroundRole)
    assert _state_cell(h).data(Qt.ItemDataRole.DecorationRole) is None

    sandbox.faults.set("submit_status", 402)
    click(qtbot, h.find(QPushButton, "generateButton"))
    h.run_until(_settled(h, "rejected"), timeout=30, what="the second refused")
    refused = _state_cell(h, 0)
    assert refused.data(Qt.ItemDataRole.DisplayRole) == "Refused"
    brush = refused.data(Qt.ItemDataRole.ForegroundRole)
    assert brush is not None and brush != done_colour
    icon = refused.data(Qt.ItemDataRole.DecorationRole)
    assert icon is not None and not icon.isNull()


def test_a_refusal_that_sent_nothing_offers_try_again_and_sends_once(
    studio_factory, sandbox, qtbot
):
    h = studio_factory()
    h.studio.repeats = RepeatGuard(0.0)  # these tests send one request twice on purpose
    h.show_details()  # the jobs table is the Details tab
    # a 503 "no channel" on every automatic attempt: the engine gives up, nothing was made
    sandbox.faults.set("submit_status", 503, times=schedule.SUBMIT_RETRIES + 1)
    _generate(h, qtbot)
    h.run_until(_settled(h, "rejected"), timeout=40, what="refused after the retries")
    assert sandbox.stats.snapshot()["tasks_created"] == 0
    h.find(QTableView, "jobsView").selectRow(0)
    act = h.find(QPushButton, "jobActionButton")
    h.run_until(lambda: act.isVisibleTo(h.window), timeout=5, what="an action offered")
    assert act.text() == "Try again"
    click(qtbot, act)
    assert act.isHidden()  # one press, one request
    h.run_until(_settled(h, "done"), timeout=30, what="done after Try again")
    assert sandbox.stats.snapshot()["tasks_created"] == 1
    assert len(h.jobs()) == 1


def test_not_enough_credits_offers_check_balance_and_says_the_balance(
    studio_factory, sandbox, qtbot
):
    h = studio_factory()
    h.studio.repeats = RepeatGuard(0.0)  # these tests send one request twice on purpose
    h.show_details()  # the jobs table is the Details tab
    sandbox.faults.set("submit_status", 402)
    _generate(h, qtbot)
    h.run_until(_settled(h, "rejected"), timeout=30, what="refused for credits")
    h.find(QTableView, "jobsView").selectRow(0)
    act = h.find(QPushButton, "jobActionButton")
    detail = h.find(QLabel, "jobDetail")
    h.run_until(lambda: act.isVisibleTo(h.window), timeout=5, what="an action offered")
    assert act.text() == "Check balance"
    assert "Your balance now" not in detail.text()
    click(qtbot, act)
    h.run_until(
        lambda: "Your balance now: 500 credits." in detail.text(),
        timeout=10,
        what=f"the fresh balance (detail {detail.text()!r})",
    )
    assert act.isVisibleTo(h.window)  # asking again costs nothing


def test_progress_rows_have_room_for_the_bar_and_its_percentage(studio_factory):
    h = studio_factory(start=False)
    h.studio.repeats = RepeatGuard(0.0)  # these tests send one request twice on purpose
    h.show_details()  # the jobs table is the Details tab
    view = h.find(QTableView, "jobsView")
    assert view.verticalHeader().defaultSectionSize() >= view.fontMetrics().height() + 12
    assert view.columnWidth(COLUMNS.index("progress")) >= (
        view.fontMetrics().horizontalAdvance("100%") + 60
    )


def test_clear_finished_hides_finished_jobs_but_keeps_them_stored(studio_factory, qtbot):
    h = studio_factory()
    h.studio.repeats = RepeatGuard(0.0)  # these tests send one request twice on purpose
    h.show_details()  # the jobs table is the Details tab
    messages: list[str] = []
    h.window.statusBar().messageChanged.connect(messages.append)
    _generate(h, qtbot)
    h.run_until(_settled(h, "done"), timeout=30, what="done")
    assert len(h.jobs()) == 1
    click(qtbot, h.find(QPushButton, "jobsClearFinishedButton"))
    assert h.jobs() == []
    assert any("stay in the database" in m for m in messages), messages
    assert len(h.studio.session.store.jobs.list_jobs()) == 1
