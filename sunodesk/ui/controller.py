"""The controller (Studio): owns the session and connects the form and the jobs panel to the
engine through the bridges; builds the features and attaches them to every session.

Nothing heavy is imported here at module level: the window paints first, and the engine (and
the HTTP, SQLite and tagging libraries under it) and the features load right after.
"""

from __future__ import annotations

import argparse
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QDialog, QSystemTrayIcon

from sunodesk.core.errors import Action
from sunodesk.core.jobstate import ACTIVE, BALANCE_CHANGES, FINISHED
from sunodesk.core.models import Job
from sunodesk.core.repeats import RepeatGuard
from sunodesk.ui.common.tasks import off_thread, spawn
from sunodesk.ui.hub import Hub
from sunodesk.ui.settings.flow import SettingsFlow
from sunodesk.ui.window import MainWindow

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from sunodesk.engine.session import Session
    from sunodesk.ui.bridges import AccountBridge, JobsBridge
    from sunodesk.ui.hub import Feature


class Studio(QObject):
    """The controller: owns the session and wires the window to it."""

    def __init__(self, window: MainWindow, args: argparse.Namespace) -> None:
        super().__init__(window)
        self.window = window
        self.args = args
        self.session: Session | None = None
        self.jobs: JobsBridge | None = None
        self.account: AccountBridge | None = None
        self._checking_balance = False  # a "Check balance" press waits for the next balance
        self.first_run = False
        self._tray: QSystemTrayIcon | None = None
        # how the features reach each other (and the window, and the session's jobs)
        self.hub = Hub(window, self)
        self.features: list[Feature] = []
        self.settings_flow = SettingsFlow(self)
        self.repeats = RepeatGuard()  # one press, one song: the same request soon asks first
        window.generateRequested.connect(lambda n: spawn(self.generate(n)))
        window.settingsRequested.connect(self.settings_flow.open)
        window.modeRequested.connect(self.settings_flow.switch)
        window.generateMoreRequested.connect(self.open_generate_more)
        window.playPauseRequested.connect(
            lambda: self.hub.player.toggle() if self.hub.player is not None else None
        )
        window.jobsPanel.actionRequested.connect(self._on_action)
        self.hub.jobActionRequested.connect(self._on_action)
        window.form.modelCombo.currentIndexChanged.connect(lambda _i: spawn(self.show_cost()))

    # -- session -----------------------------------------------------------------------------

    async def start(self) -> None:
        from sunodesk.ui.features import create_features

        # Each feature builds its widgets once and connects to every session in attach().
        self.features = create_features(self.hub)
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
        self.hub.jobs = self.jobs
        w = self.window
        self.jobs.jobEvent.connect(w.on_job_event)
        self.jobs.jobUpdated.connect(w.on_job)
        self.jobs.jobUpdated.connect(self._on_job_updated)
        self.account.creditsChanged.connect(w.set_credits)
        self.account.creditsChanged.connect(self._on_credits)
        self.account.creditsFailed.connect(w.show_message)
        # a balance that could not be read shows as unknown, never as another session's
        self.account.creditsFailed.connect(lambda _sentence: w.set_credits(None))
        self.account.creditsFailed.connect(lambda _sentence: self._on_credits(None))
        w.creditsLabel.setText(self.tr("Credits: …"))  # until this session's balance arrives
        w.set_sandbox(session.sandbox_mode, self.first_run)
        w.form.set_personas(await self.jobs.personas())
        w.jobsPanel.model.set_jobs(await self.jobs.jobs())
        w.unfinished_jobs = lambda: sum(job.state in ACTIVE for job in w.jobsPanel.model.jobs())
        for feature in self.features:
            await feature.attach(session)
        resumed = await self.jobs.resume_all()
        if resumed:
            w.jobsPanel.model.mark_resumed({job.id for job in resumed})
            w.show_message(self.tr("Resumed {n} unfinished job(s).").format(n=len(resumed)))
        for notice in session.notices:  # e.g. a damaged settings file was set aside
            w.show_message(notice, 20000)
        self.account.request_refresh()
        spawn(self.show_cost())

    async def close(self) -> None:
        if self.session is None:
            return
        for feature in self.features:
            await feature.detach()  # saves the open draft
        session, jobs, account = self.session, self.jobs, self.account
        self.window.unfinished_jobs = lambda: 0
        # From here Generate and the job actions say "still starting" until the next session.
        self.session = self.jobs = self.account = None
        self.hub.jobs = None
        jobs.detach()
        account.detach()
        jobs.deleteLater()
        account.deleteLater()
        await session.close()

    # -- actions -----------------------------------------------------------------------------

    async def generate(self, count: int = 1, requests=None) -> list[Job]:
        """Send the form's request (or the given ones) as separate jobs."""
        from sunodesk.engine.engine import RequestInvalid
        from sunodesk.ui.studio.send_again import ask_send_again

        made: list[Job] = []
        try:
            if self.jobs is None:
                self.window.show_message(self.tr("Still starting; try again in a moment."))
                return made
            form_request = self.window.form.request(album=self.hub.current_draft().album)
            # Generate more… is how a person asks for several: its batch never asks
            repeat = requests is None and self.repeats.is_repeat(form_request)
            if repeat and (not await ask_send_again(self.window) or self.jobs is None):
                return made
            for request in requests or [form_request] * count:
                draft_id = self.hub.current_draft().draft_id
                job = await self.jobs.submit(request, draft_id=draft_id)
                made.append(job)
                if job.state != "rejected":  # refused before a task existed: nothing charged
                    self.repeats.sent(request)
        except RequestInvalid as exc:
            self.window.form.show_problems(exc.problems)
        except Exception as exc:  # never a silent drop
            log.error("sending failed: %s", exc)
            self.window.show_message(self.tr("Could not send: {reason}").format(reason=exc))
        finally:
            self.window.set_sending(False)
        if any(job.state != "rejected" for job in made):
            self.window.show_sent()
        return made

    async def show_cost(self) -> None:
        if self.jobs is not None:
            from sunodesk.core import rules

            model = self.window.form.modelCombo.currentData()
            last = await self.jobs.last_cost(model)
            # before any song with this model, the typical reservation (a guess, said so)
            self.window.set_cost(last, typical=rules.TYPICAL_SONG_CREDITS if last is None else None)

    def open_generate_more(self) -> None:
        from sunodesk.ui.studio.generate_more import GenerateMoreDialog

        if self.session is None:
            return
        form = self.window.form
        if form.reveal_all():
            return
        cost = self.window.costLabel.property("credits")
        dialog = GenerateMoreDialog(
            form.request(album=self.hub.current_draft().album),
            cost,
            self.session.settings.parallel_jobs,
            self.window,
        )
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.window.set_sending(True)
            spawn(self.generate(requests=dialog.requests()))

    def _on_credits(self, credits) -> None:
        remaining = None if credits is None or credits.unlimited else credits.remaining
        self.window.jobsPanel.set_balance(remaining, checked=self._checking_balance)
        self._checking_balance = False

    def _on_action(self, job: Job, action: str) -> None:
        if action == Action.OPEN_SETTINGS:
            self.settings_flow.open()
        elif action == Action.CHECK_BALANCE:
            if self.account is not None:
                self._checking_balance = True
                self.account.request_refresh()
        elif action == Action.EDIT_REQUEST:
            self.edit_request(job)
        else:
            spawn(self._act(job, action))

    def edit_request(self, job: Job) -> None:
        """A job the API refused or failed keeps its request for editing: it opens in a new
        draft (the open draft's words stay where they are), or in the form without drafts."""
        if job.kind != "song" or job.damaged:  # a damaged row has no request to edit
            return
        request = job.song_request
        if not self.hub.open_in_new_draft(request, request.title or self.tr("Edited request")):
            self.window.form.load(request)

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
            tray = self._tray or QSystemTrayIcon(self.window.windowIcon(), self)
            self._tray = tray
            tray.show()
            tray.showMessage("sunodesk", text)
