"""Open everything a front end needs from the global options: data folder, settings, API key,
store, client, the built-in sandbox when asked for, and the engine. Shared by CLI and window."""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sunodesk.api import EvolinkClient
from sunodesk.core.endpoints import DEFAULT_BASE_URL
from sunodesk.engine.engine import Engine, EngineOptions
from sunodesk.store import paths, secrets
from sunodesk.store.settings import Settings, load_settings, take_notices
from sunodesk.store.store import Store
from sunodesk.store.store import open_store as _open_db

if TYPE_CHECKING:
    from sunodesk.sandbox.server import SandboxServer

SANDBOX_KEY = "sk-sandbox"
DEFAULT_SANDBOX_SPEED = 10.0  # a song takes ~12 s in the sandbox


class NoApiKey(Exception):
    """No key is configured and the sandbox was not asked for."""


@dataclass
class Session:
    data_dir: Path
    settings: Settings
    store: Store
    engine: Engine
    base_url: str
    sandbox: SandboxServer | None
    # sentences to show the person once (e.g. a damaged settings file was set aside)
    notices: list[str] = field(default_factory=list)

    @property
    def sandbox_mode(self) -> bool:
        return self.sandbox is not None

    async def close(self) -> None:
        await self.engine.close()
        # stopping a server thread and closing SQLite can wait: not on the caller's loop
        if self.sandbox is not None:
            await asyncio.to_thread(self.sandbox.stop)
        await asyncio.to_thread(self.store.close)


def _env_float(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


def sandbox_dir(data_dir: Path) -> Path:
    """The sandbox's own world: its jobs, its library and the simulator's state.

    Kept apart so simulated songs never mix with real ones in the library (or in other
    players that index it), and simulated task ids are never polled on the real API.
    """
    return data_dir / "sandbox"


def open_store(data_dir: str | None, sandbox: bool = False) -> tuple[Path, Settings, Store]:
    folder = paths.resolve_data_dir(data_dir)
    settings = load_settings(folder)
    root = sandbox_dir(folder) if sandbox else folder
    root.mkdir(parents=True, exist_ok=True)
    return folder, settings, _open_db(root)


def library_dir(folder: Path, settings: Settings, sandbox: bool = False) -> Path:
    """The library folder of a data folder (the sandbox keeps its own)."""
    if sandbox:
        return paths.default_library_dir(sandbox_dir(folder))
    return settings.library_path(folder)


def open_session(
    data_dir: str | None = None,
    base_url: str | None = None,
    sandbox: bool = False,
) -> Session:
    """Build the session. Raises NoApiKey when there is no key and no sandbox.

    Test knobs (environment): SUNODESK_SANDBOX_SPEED speeds up the built-in sandbox and
    SUNODESK_TIME_SCALE shrinks every wait of the engine.
    """
    folder, settings, store = open_store(data_dir, sandbox)
    server = None
    key: str | None
    base_url = base_url or os.environ.get("SUNODESK_BASE_URL") or settings.base_url
    if sandbox:
        # imported here: the simulator (http.server, the MP3 synthesiser) costs start-up time
        # and only sandbox sessions need it
        from sunodesk.sandbox.server import SandboxServer

        server = SandboxServer(
            port=0,
            speed=_env_float("SUNODESK_SANDBOX_SPEED", DEFAULT_SANDBOX_SPEED),
            state_dir=sandbox_dir(folder) / "server",
        ).start()
        base_url, key = server.base_url, SANDBOX_KEY
    else:
        key, _source = secrets.get_api_key(folder)
        if not key:
            store.close()
            raise NoApiKey(
                "No API key is set. Set SUNODESK_API_KEY (or add it in Settings), "
                "or try the built-in sandbox with --sandbox."
            )
    try:
        client = EvolinkClient(
            base_url or DEFAULT_BASE_URL, key, time_scale=_env_float("SUNODESK_TIME_SCALE", 1.0)
        )
    except Exception:
        store.close()
        if server:
            server.stop()
        raise
    library = library_dir(folder, settings, sandbox=server is not None)
    options = EngineOptions(
        library_dir=library,
        artist_name=settings.artist_name,
        id3_version=settings.id3_version,
        parallel_jobs=settings.parallel_jobs,
        time_scale=_env_float("SUNODESK_TIME_SCALE", 1.0),
    )
    engine = Engine(store, client, options)
    return Session(folder, settings, store, engine, client.base_url, server, take_notices(folder))
