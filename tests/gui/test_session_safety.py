"""What a review of the window found, kept fixed: Settings rebuilds keep the open draft and the
sandbox, nothing overwrites a draft's words, a bad saved key never stops the app starting,
one press of a job's action sends one request, and closing the window saves what was typed."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

from sunodesk.core.models import SongRequest
from sunodesk.engine.session import sandbox_dir
from sunodesk.store.store import open_store
from sunodesk.ui.common.tasks import spawn
from sunodesk.ui.drafts.feature import DraftsFeature
from sunodesk.ui.library.feature import LibraryFeature
from sunodesk.ui.settings.dialog import SettingsDialog, SettingsResult
from tests.gui.feature_helpers import call, settle, ui

ROOT = Path(__file__).resolve().parents[2]


def feature(h, kind):
    return next(f for f in h.studio.features if isinstance(f, kind))


def rebuild(h, key: str | None = None) -> None:
    """What saving the Settings dialog with a change the session was built with does."""
    session = h.studio.session
    changed = session.settings.with_changes(parallel_jobs=session.settings.parallel_jobs % 8 + 1)
    call(h, h.studio.settings_flow.apply(session.data_dir, SettingsResult(changed, key)))


def test_saving_only_a_theme_keeps_the_session_and_what_plays(studio_factory):
    """Found in a user's half hour: saving Settings with only the theme changed (or nothing)
    closed and reopened the session, which stopped the music."""
    h = studio_factory(sandbox_mode=True)
    session = h.studio.session
    stopped: list[bool] = []
    player = h.studio.hub.player
    assert player is not None
    player.trackChanged.connect(lambda track: stopped.append(track is None))
    for settings in (session.settings.with_changes(theme="dark"), session.settings):
        call(h, h.studio.settings_flow.apply(session.data_dir, SettingsResult(settings, None)))
        assert h.studio.session is session  # not closed and opened again
        assert h.studio.session.settings == settings  # and the next dialog shows it
    assert stopped == []  # the player was never stopped
    rebuild(h)  # a change the engine was built with still opens a new session
    assert h.studio.session is not session and h.studio.session.sandbox_mode
    settle(h)


def test_a_settings_rebuild_keeps_the_open_draft_and_the_sandbox(studio_factory):
    h = studio_factory(sandbox_mode=True)
    drafts = feature(h, DraftsFeature)
    ui(h, h.window.form.titleEdit.setText, "Alpha")
    call(h, drafts.save_now())
    before = [d.id for d in h.studio.session.store.drafts.all()]
    current = drafts.current.id
    rebuild(h)
    assert h.studio.session.sandbox_mode  # a sandbox the person asked for stays one
    assert [d.id for d in h.studio.session.store.drafts.all()] == before
    assert drafts.current.id == current
    settle(h)


def test_reuse_settings_never_overwrites_the_open_draft(studio_factory):
    h = studio_factory()
    drafts, library = feature(h, DraftsFeature), feature(h, LibraryFeature)
    ui(h, h.window.form.lyrics.setText, "[Verse]\nmy precious unsent lyrics")
    call(h, drafts.save_now())
    kept = drafts.current.id
    ui(h, library.load_request, SongRequest(title="Other", style="rock", prompt="[Verse]\nx"))
    h.run_until(lambda: drafts.current is not None and drafts.current.id != kept, timeout=5)
    settle(h)
    assert "precious" in h.studio.session.store.drafts.get(kept).request.prompt
    assert h.window.form.titleEdit.text() == "Other" and drafts.current.name == "Other"


def test_keystrokes_during_a_draft_switch_stay_in_their_draft(studio_factory):
    h = studio_factory()
    drafts = feature(h, DraftsFeature)
    ui(h, h.window.form.titleEdit.setText, "Draft A")
    call(h, drafts.save_now())
    a = drafts.current.id
    b = call(h, drafts.new_draft()).id
    call(h, drafts.switch_to(a))

    async def type_while_switching() -> None:
        switching = spawn(drafts.switch_to(b))
        await asyncio.sleep(0)  # the switch has saved A and waits for the store
        h.window.form.titleEdit.setText("Draft A plus late keystrokes")
        await switching

    h.run(type_while_switching())
    settle(h)
    assert h.studio.session.store.drafts.get(a).request.title == "Draft A plus late keystrokes"


def test_the_settings_dialog_refuses_an_unusable_key_or_url(qtbot, tmp_path):
    from sunodesk.store.settings import Settings

    dialog = SettingsDialog(Settings(), "", None)
    qtbot.addWidget(dialog)
    dialog.keyEdit.setText("sk-abc\u2019def")  # a curly quote came along with the paste
    dialog.baseUrlEdit.setText("http://api.example.com")
    dialog.accept()
    assert dialog.result() != SettingsDialog.DialogCode.Accepted
    assert "paste it again" in dialog.keyError.text() and dialog.keyError.isVisibleTo(dialog)
    assert "https://" in dialog.baseUrlError.text()
    dialog.keyEdit.setText("sk-good-0123456789")
    dialog.baseUrlEdit.setText("")
    dialog.accept()
    assert dialog.result() == SettingsDialog.DialogCode.Accepted


def test_a_saved_key_that_cannot_be_used_starts_the_sandbox_and_says_so(
    studio_factory, monkeypatch
):
    monkeypatch.setenv("SUNODESK_API_KEY", "sk-abc\u2019def")
    h = studio_factory(key=False, base_url=None, start=False)
    monkeypatch.setenv("SUNODESK_API_KEY", "sk-abc\u2019def")
    h.start()
    assert h.studio.session.sandbox_mode
    assert "could not be used" in h.window.banner.text() and h.window.banner.isVisibleTo(h.window)
    settle(h)


def test_one_press_of_submit_again_is_one_request(studio_factory, sandbox):
    from tests.gui.test_studio_window import fill_valid

    h = studio_factory()
    fill_valid(h.qtbot, h.window)
    sandbox.faults.set("drop_connection", True, times=1)
    h.run_until(h.window.generateButton.isEnabled, timeout=5)
    ui(h, h.window.generateButton.click)
    h.wait_job_state("unknown")
    panel = h.window.jobsPanel
    ui(h, panel.view.selectRow, 0)
    assert panel.actionButton.text() == "Submit again"
    sandbox.faults.set("latency", 0.3, times=1)
    ui(h, panel.actionButton.click)
    shown_again = []

    async def watch() -> None:
        for _ in range(40):  # while the re-send is on the wire, the button stays away
            await asyncio.sleep(0.005)
            shown_again.append(panel.actionButton.isVisible())

    h.run(watch())
    assert not any(shown_again)
    h.wait_job_state("done", timeout=20)
    assert sandbox.stats.snapshot()["submits"]["song"] == 2
    settle(h)


def test_closing_the_window_right_after_typing_keeps_every_word(tmp_path):
    data_dir = tmp_path / "closed"
    data_dir.mkdir()
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        PYTHONPATH=str(ROOT),
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
    )
    env.pop("SUNODESK_API_KEY", None)
    lines = ["[Chorus]", "the last line typed before closing"]
    done = subprocess.run(
        [sys.executable, str(ROOT / "tests/gui/quit_typing_app.py"), str(data_dir), *lines],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0 and "run returned 0" in done.stdout, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    with open_store(sandbox_dir(data_dir)) as store:
        saved = store.drafts.latest().request.prompt
    assert saved == "\n".join(lines)


def test_credit_refreshes_fold_into_one_follow_up(studio_factory, sandbox):
    h = studio_factory()
    account = h.studio.account
    h.run_until(lambda: not account._asking, timeout=5)
    before = sandbox.stats.snapshot()["credits_requests"]
    for _ in range(10):  # e.g. ten jobs finishing together
        account.request_refresh()
    h.run_until(lambda: not account._asking, timeout=5)
    assert 1 <= sandbox.stats.snapshot()["credits_requests"] - before <= 2
    assert h.window.creditsLabel.text() == "Credits: 500"
    settle(h)


def test_settings_has_a_keyboard_shortcut_on_every_platform(qtbot, tmp_path):
    from PySide6.QtGui import QKeySequence

    from sunodesk.ui.window import MainWindow

    window = MainWindow(settings_path=tmp_path / "window.ini")
    qtbot.addWidget(window)
    action = next(
        a
        for a in window.menuBar().actions()[0].menu().actions()
        if a.text().replace("&", "").startswith("Settings")
    )
    assert action.shortcuts() and not action.shortcuts()[0].isEmpty()
    with qtbot.waitSignal(window.settingsRequested, timeout=1000):
        action.trigger()
    assert QKeySequence("Ctrl+,") in action.shortcuts() or QKeySequence.keyBindings(
        QKeySequence.StandardKey.Preferences
    )


def test_a_balance_that_cannot_be_read_shows_as_unknown(studio_factory, sandbox):
    h = studio_factory()
    h.run_until(lambda: h.window.creditsLabel.text() == "Credits: 500", timeout=5)
    sandbox.faults.set("credits_status", 500)
    h.studio.account.request_refresh()
    h.run_until(
        lambda: h.window.creditsLabel.text() == "Credits: —",
        timeout=5,
        what="the stale balance to be replaced",
    )
    sandbox.faults.reset()
    settle(h)
