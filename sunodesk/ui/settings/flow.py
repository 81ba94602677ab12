"""The Settings flow: open the dialog (the key's source is read off the GUI thread: the keyring
may be slow), test a key against the API, and apply what was saved: write the settings and
the key, then close the session and open a new one with them (only when something the
session was built with changed: a theme is applied in place, and the music plays on).

Kept cheap to import (the controller builds it before the first paint): the store, the API
client and the dialog are imported when Settings is opened.
"""

from __future__ import annotations

import argparse
import asyncio
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from sunodesk.ui.common.tasks import off_thread, spawn
from sunodesk.ui.common.theme import apply_theme

if TYPE_CHECKING:
    from sunodesk.engine.session import Session
    from sunodesk.store.settings import Settings
    from sunodesk.ui.settings.dialog import SettingsResult


class Sessions(Protocol):
    """What the flow needs of the controller: its session, and closing and reopening it."""

    args: argparse.Namespace
    session: Session | None
    first_run: bool
    window: Any  # the MainWindow: the dialog's parent, and show_message()

    async def close(self) -> None: ...

    async def open(self, sandbox: bool) -> None: ...


def needs_new_session(before: Settings, after: Settings, sandbox_before: bool,
                      sandbox_after: bool) -> bool:  # fmt: skip
    """Whether saved settings need the session closed and opened again: anything the engine,
    the store or the client were built with changed (the theme is the window's alone)."""
    return sandbox_before != sandbox_after or replace(before, theme="") != replace(after, theme="")


class SettingsFlow(QObject):
    def __init__(self, studio: Sessions) -> None:
        super().__init__(studio)
        self.studio = studio
        self._rebuilding = asyncio.Lock()

    def open(self) -> None:
        spawn(self._open())

    async def _open(self) -> None:
        from sunodesk.store import logfile, secrets
        from sunodesk.ui.settings.dialog import SettingsDialog

        if self.studio.session is None:
            return
        data_dir = self.studio.session.data_dir
        # the keyring may be slow (D-Bus, an unlock prompt): never on the GUI thread
        _key, source = await off_thread(secrets.get_api_key, data_dir)
        if self.studio.session is None:
            return
        note = {
            "environment": self.tr("Using the key from SUNODESK_API_KEY (it overrides this)."),
            "keyring": self.tr("A key is stored in your system keyring."),
            "none": self.tr("No key yet: sunodesk runs in the Sandbox."),
        }.get(
            source,
            self.tr("A key is stored in a file only you can read (no system keyring was found)."),
        )
        dialog = SettingsDialog(
            self.studio.session.settings,
            note,
            self.studio.window,
            tester=self.test_key,
            log_file=logfile.log_path(data_dir),
            sandbox=self.studio.session.sandbox_mode,
            remover=self.remove_key if source != "none" else None,
        )
        dialog.accepted.connect(lambda: spawn(self.apply(data_dir, dialog.result_value())))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    async def test_key(self, base_url: str | None, key: str | None) -> str:
        from sunodesk.api import EvolinkClient
        from sunodesk.api.errors import ApiError
        from sunodesk.core.endpoints import DEFAULT_BASE_URL
        from sunodesk.core.errors import ErrorKind
        from sunodesk.store import secrets

        data_dir = self.studio.session.data_dir

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
            if exc.kind is ErrorKind.AUTH:  # we are in Settings: no "check it in Settings"
                return self.tr(
                    "The server refused this key. Copy it again from your Evolink dashboard."
                )
            return exc.user_message().sentence
        except Exception as exc:  # the dialog must never stay on "Testing…"
            return self.tr("The test failed: {reason}").format(reason=exc)

    async def apply(self, data_dir, result: SettingsResult) -> None:
        from sunodesk.store import secrets
        from sunodesk.store.settings import save_settings

        async with self._rebuilding:  # two quick saves rebuild one after the other
            await off_thread(save_settings, data_dir, result.settings)
            app = QApplication.instance()
            if isinstance(app, QApplication):  # the dialog previewed it; make sure it holds
                apply_theme(app, result.settings.theme)
            where = None
            if result.api_key:
                try:
                    where = await off_thread(secrets.set_api_key, data_dir, result.api_key)
                except Exception as exc:
                    self.studio.window.show_message(
                        self.tr("The key could not be saved: {reason}").format(reason=exc)
                    )
            # the Sandbox / Live choice (typing a new key picks Live in the dialog); without
            # one, a sandbox the person asked for stays one, unless they just gave a key
            sandbox = result.sandbox
            if sandbox is None:
                sandbox = self.studio.args.sandbox and not result.api_key
            session = self.studio.session
            if (
                session is not None
                and not result.api_key
                and not needs_new_session(
                    session.settings,
                    result.settings,
                    session.sandbox_mode,
                    session.sandbox_mode if result.sandbox is None else result.sandbox,
                )
            ):
                # only how the window looks changed (or nothing): the session, the jobs in
                # flight and the music playing carry on
                session.settings = result.settings
                return
            await self.studio.close()
            self.studio.args.sandbox = sandbox
            await self.studio.open(sandbox=sandbox)
        if where:
            self.studio.window.show_message(self.tr("Key saved ({where}).").format(where=where))

    def switch(self, sandbox: bool) -> None:
        """The status bar's Sandbox | Live switch."""
        spawn(self._switch(sandbox))

    async def _switch(self, sandbox: bool) -> None:
        from sunodesk.store import secrets

        window = self.studio.window
        async with self._rebuilding:  # quick clicks: one switch after the other, last one wins
            session = self.studio.session
            if session is None:
                return
            if session.sandbox_mode == sandbox:
                window.set_sandbox(session.sandbox_mode, self.studio.first_run)
                return
            if not sandbox:
                key, _source = await off_thread(secrets.get_api_key, session.data_dir)
                if not key:
                    window.set_sandbox(True, True)  # stay; the banner says how to add one
                    window.show_message(self.tr("Add your API key in Settings to go live."))
                    self.open()
                    return
            # close() saves the open draft (the drafts feature's detach) before the other world
            await self.studio.close()
            self.studio.args.sandbox = sandbox
            await self.studio.open(sandbox)
        now = self.studio.session
        if now is not None and now.sandbox_mode == sandbox:  # else the banner says what failed
            window.show_message(
                self.tr("Sandbox: songs are simulated and free.")
                if sandbox
                else self.tr("Live: songs are real and use your credits.")
            )

    async def remove_key(self) -> str:
        """Settings' Remove key: forget the stored key and go back to the Sandbox."""
        from sunodesk.store import secrets

        session = self.studio.session
        if session is None:
            return ""
        env_remains = await off_thread(secrets.delete_api_key, session.data_dir)
        if env_remains:
            return self.tr(
                "The stored key was removed, but SUNODESK_API_KEY is set in your environment: "
                "sunodesk cannot remove that one. Unset it and start sunodesk again."
            )
        if not session.sandbox_mode:
            await self._switch(True)
        return self.tr("Key removed. sunodesk is in the Sandbox.")
