"""Start the window: Qt application, asyncio on the Qt loop (qasync), the session, and the
controller that connects the form and the jobs panel to the engine through the bridges.

The window paints first; the engine (and the HTTP, SQLite and tagging libraries under it) and
the features load right after, so a person sees the studio as soon as possible.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QDialog, QSystemTrayIcon

from sunodesk import __version__
from sunodesk.core.jobstate import BALANCE_CHANGES, FINISHED
from sunodesk.core.models import Job
from sunodesk.store import paths
from sunodesk.ui.main_window import MainWindow
from sunodesk.ui.tasks import spawn
from sunodesk.ui.theme import apply_theme

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from sunodesk.engine.session import Session
    from sunodesk.ui.bridges import AccountBridge, JobsBridge


async def off_thread(fn, *args):
    from sunodesk.ui.bridges import off_thread as run_off_thread

    return await run_off_thread(fn, *args)


class Studio(QObject):
    """The controller: owns the session and wires the window to it."""

    # Set by the drafts feature: the open draft (its name is the album of what it generates).
    current_album: str = ""
    current_draft_id: int | None = None

    def __init__(self, window: MainWindow, args: argparse.Namespace) -> None:
        super().__init__(window)
        self.window = window
        self.args = args
        self.session: Session | None = None
        self.jobs: JobsBridge | None = None
        self.account: AccountBridge | None = None
        self.first_run = False
        self.features: list = []
        self._rebuilding = asyncio.Lock()
        window.generateRequested.connect(lambda n: spawn(self.generate(n)))
        window.settingsRequested.connect(self.open_settings)
        window.generateMoreRequested.connect(self.open_generate_more)
        window.jobsPanel.actionRequested.connect(self._on_action)
        window.form.modelCombo.currentIndexChanged.connect(lambda _i: spawn(self.show_cost()))

    # -- session -----------------------------------------------------------------------------

    async def start(self) -> None:
        from sunodesk.ui.features import create_features

        # Each feature builds its widgets once and connects to every session in attach().
        self.features = create_features(self)
        self.window.restore_side_tab()
        await self.open(self.args.sandbox)

    async def open(self, sandbox: bool) -> None:
        from sunodesk.engine.session import NoApiKey, open_session
        from sunodesk.store import secrets

        data_dir, base_url = self.args.data_dir, self.args.base_url
        problem = None
        try:
            session = await off_thread(open_session, data_dir, base_url, sandbox)
        except NoApiKey:
            session = await off_thread(open_session, data_dir, base_url, True)
        except Exception as exc:  # a saved key or base URL that cannot be used
            problem = getattr(exc, "message", None) or str(exc)
            session = await off_thread(open_session, data_dir, base_url, True)
        # Whenever no key is configured (or it cannot be used) the window says what to do.
        key, _source = await off_thread(secrets.get_api_key, session.data_dir)
        self.first_run = session.sandbox_mode and (not key or problem is not None)
        await self.attach(session)
        if problem:
            self.window.set_sandbox(True, True, reason=problem)

    async def attach(self, session: Session) -> None:
        from sunodesk.ui.bridges import AccountBridge, JobsBridge

        self.session = session
        self.jobs = JobsBridge(session, self)
        self.account = AccountBridge(session, self)
        w = self.window
        self.jobs.jobEvent.connect(w.on_job_event)
        self.jobs.jobUpdated.connect(w.on_job)
        self.jobs.jobUpdated.connect(self._on_job_updated)
        self.account.creditsChanged.connect(w.set_credits)
        self.account.creditsFailed.connect(w.show_message)
        # a balance that could not be read shows as unknown, never as another session's
        self.account.creditsFailed.connect(lambda _sentence: w.set_credits(None))
        w.creditsLabel.setText(self.tr("Credits: …"))  # until this session's balance arrives
        w.set_sandbox(session.sandbox_mode, self.first_run)
        w.form.set_personas(await self.jobs.personas())
        w.jobsPanel.model.set_jobs(await self.jobs.jobs())
        for feature in self.features:
            await feature.attach(session)
        resumed = await self.jobs.resume_all()
        if resumed:
            w.jobsPanel.model.mark_resumed({job.id for job in resumed})
            w.show_message(self.tr("Resumed {n} unfinished job(s).").format(n=len(resumed)))
        self.account.request_refresh()
        spawn(self.show_cost())

    async def close(self) -> None:
        if self.session is None:
            return
        for feature in self.features:
            await feature.detach()  # saves the open draft
        session, jobs, account = self.session, self.jobs, self.account
        # From here Generate and the job actions say "still starting" until the next session.
        self.session = self.jobs = self.account = None
        jobs.detach()
        account.detach()
        jobs.deleteLater()
        account.deleteLater()
        await session.close()

    # -- actions -----------------------------------------------------------------------------

    async def generate(self, count: int = 1, requests=None) -> list[Job]:
        """Send the form's request (or the given ones) as separate jobs."""
        from sunodesk.engine.engine import RequestInvalid

        made: list[Job] = []
        try:
            if self.jobs is None:
                self.window.show_message(self.tr("Still starting; try again in a moment."))
                return made
            form_request = self.window.form.request(album=self.current_album)
            for request in requests or [form_request] * count:
                made.append(await self.jobs.submit(request, draft_id=self.current_draft_id))
        except RequestInvalid as exc:
            self.window.form.show_problems(exc.problems)
        except Exception as exc:  # never a silent drop
            log.error("sending failed: %s", exc)
            self.window.show_message(self.tr("Could not send: {reason}").format(reason=exc))
        finally:
            self.window.set_sending(False)
        return made

    async def show_cost(self) -> None:
        if self.jobs is not None:
            model = self.window.form.modelCombo.currentData()
            self.window.set_cost(await self.jobs.last_cost(model))

    def open_generate_more(self) -> None:
        from sunodesk.ui.generate_more import GenerateMoreDialog

        if self.session is None:
            return
        form = self.window.form
        if form.reveal_all():
            return
        cost = self.window.costLabel.property("credits")
        dialog = GenerateMoreDialog(
            form.request(album=self.current_album),
            cost,
            self.session.settings.parallel_jobs,
            self.window,
        )
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.window.set_sending(True)
            spawn(self.generate(requests=dialog.requests()))

    def _on_action(self, job: Job, action: str) -> None:
        if action == "open_settings":
            self.open_settings()
        else:
            spawn(self._act(job, action))

    async def _act(self, job: Job, action: str) -> None:
        from sunodesk.core.jobstate import InvalidTransition

        if self.jobs is None:
            self.window.show_message(self.tr("Still starting; try again in a moment."))
            return
        try:
            await self.jobs.act(job, action)
        except InvalidTransition:  # pressed twice, or the job moved on meanwhile
            self.window.show_message(self.tr("That job has moved on; nothing was sent."))

    def _on_job_updated(self, job: Job) -> None:
        current_model = self.window.form.modelCombo.currentData()
        if job.credits_reserved is not None and job.model == current_model:
            self.window.set_cost(job.credits_reserved)  # the last cost seen for this model
        self._notify_if_finished(job)

    def _notify_if_finished(self, job: Job) -> None:
        if job.state in BALANCE_CHANGES and self.account is not None:
            self.account.request_refresh()  # charged on submit, refunded on failure
        if job.state not in FINISHED:
            return
        if self.window.isActiveWindow():
            return
        text = (
            self.tr("“{title}” is ready.")
            if job.state == "done"
            else self.tr("“{title}”: {sentence}")
        ).format(title=job.title, sentence=job.error_message or job.state)
        QApplication.alert(self.window)
        if QSystemTrayIcon.isSystemTrayAvailable() and QSystemTrayIcon.supportsMessages():
            tray = getattr(self, "_tray", None) or QSystemTrayIcon(self.window.windowIcon(), self)
            self._tray = tray
            tray.show()
            tray.showMessage("sunodesk", text)

    def open_settings(self) -> None:
        spawn(self._open_settings())

    async def _open_settings(self) -> None:
        from sunodesk.store import secrets
        from sunodesk.ui.settings_dialog import SettingsDialog

        if self.session is None:
            return
        data_dir = self.session.data_dir
        # the keyring may be slow (D-Bus, an unlock prompt): never on the GUI thread
        _key, source = await off_thread(secrets.get_api_key, data_dir)
        if self.session is None:
            return
        note = {
            "environment": self.tr("Using the key from SUNODESK_API_KEY (it overrides this)."),
            "keyring": self.tr("A key is stored in your system keyring."),
            "none": self.tr("No key yet: sunodesk runs in the Sandbox."),
        }.get(
            source,
            self.tr("A key is stored in a file only you can read (no system keyring was found)."),
        )
        dialog = SettingsDialog(self.session.settings, note, self.window, tester=self._test_key)
        dialog.accepted.connect(
            lambda: spawn(self._apply_settings(data_dir, dialog.result_value()))
        )
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    async def _test_key(self, base_url: str | None, key: str | None) -> str:
        from sunodesk.api import EvolinkClient
        from sunodesk.api.errors import ApiError
        from sunodesk.core.endpoints import DEFAULT_BASE_URL
        from sunodesk.store import secrets

        data_dir = self.session.data_dir

        def check() -> str:  # in a worker: the keyring and the network may both be slow
            use = key or secrets.get_api_key(data_dir)[0]
            if not use:
                return self.tr("Paste a key first.")
            with EvolinkClient(base_url or DEFAULT_BASE_URL, use) as client:
                credits = client.get_credits()
            return self.tr("The key works: {n} credits.").format(n=f"{credits.remaining:,.0f}")

        try:
            return await off_thread(check)
        except ApiError as exc:
            return exc.user_message().sentence
        except Exception as exc:  # the dialog must never stay on "Testing…"
            return self.tr("The test failed: {reason}").format(reason=exc)

    async def _apply_settings(self, data_dir, result) -> None:
        from sunodesk.store import secrets
        from sunodesk.store.settings import save_settings

        async with self._rebuilding:  # two quick saves rebuild one after the other
            await off_thread(save_settings, data_dir, result.settings)
            where = None
            if result.api_key:
                try:
                    where = await off_thread(secrets.set_api_key, data_dir, result.api_key)
                except Exception as exc:
                    self.window.show_message(
                        self.tr("The key could not be saved: {reason}").format(reason=exc)
                    )
            await self.close()
            # a sandbox the person asked for stays one, unless they just gave a key
            await self.open(sandbox=self.args.sandbox and not result.api_key)
        if where:
            self.window.show_message(self.tr("Key saved ({where}).").format(where=where))


class _FirstPaint(QObject):
    """Sets ``done`` when the window paints for the first time."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.done = asyncio.Event()
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.done.is_set():
            self.done.set()
            watched.removeEventFilter(self)
        return False


def run(args: argparse.Namespace) -> int:
    """The window's main loop; returns the exit code."""
    import qasync

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("sunodesk")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("sunodesk")
    app.setDesktopFileName("sunodesk")
    apply_theme(app)
    data_dir = paths.resolve_data_dir(args.data_dir)
    window = MainWindow(settings_path=data_dir / "window.ini")
    studio = Studio(window, args)
    painted = _FirstPaint(window)
    window.show()

    # Closing the window must not end the loop before Studio.close() has saved the open draft
    # and stopped the engine cleanly: main() returns after it, and that ends the app.
    app.setQuitOnLastWindowClosed(False)

    async def main() -> None:
        closed = asyncio.Event()
        app.lastWindowClosed.connect(closed.set)
        # The engine and the features load once the person can already see the studio.
        # (a platform that never paints still starts, after two seconds)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(painted.done.wait(), timeout=2.0)
        await studio.start()
        await closed.wait()
        await studio.close()

    qasync.run(main())
    return 0
