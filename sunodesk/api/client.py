"""EvolinkClient: every HTTP request sunodesk makes, over one keep-alive requests.Session.

Blocking by design: the engine calls it from executor threads. The API key lives only in the
session's Authorization header; it never appears in reprs, logs or error text.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter

from sunodesk import __version__
from sunodesk.api import errors
from sunodesk.api.parsing import parse_credits, parse_task
from sunodesk.core import payload
from sunodesk.core.endpoints import api_key_problem, base_url_problem
from sunodesk.core.models import Credits, PersonaRequest, SongRequest, TaskSnapshot

AUDIO_MAX_BYTES = 60 * 1024 * 1024  # an 8-minute song at 320 kbps is ~19 MB
IMAGE_MAX_BYTES = 10 * 1024 * 1024
CHUNK = 64 * 1024


def check_base_url(url: str) -> str:
    """HTTPS, or plain HTTP to loopback only (the sandbox). Returns the URL without a slash."""
    problem = base_url_problem(url)
    if problem:
        raise errors.InsecureURL(problem)
    return url.strip().rstrip("/")


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    try:
        return float(value) if value else None
    except ValueError:
        return None


class EvolinkClient:
    """Submit songs and personas, poll tasks, read credits, download media."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        timeout: tuple[float, float] = (5.0, 30.0),
        pool_size: int = 64,
    ) -> None:
        self.base_url = check_base_url(base_url)
        problem = api_key_problem(api_key or "")
        if problem:
            raise errors.AuthError(problem, status=None)
        self.timeout = timeout
        self._session = requests.Session()
        adapter = HTTPAdapter(pool_connections=4, pool_maxsize=pool_size)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)
        self._session.headers.update(
            {
                "Authorization": f"Bearer {api_key.strip()}",
                "User-Agent": f"sunodesk/{__version__}",
                "Accept": "application/json",
            }
        )

    def __repr__(self) -> str:
        return f"EvolinkClient(base_url={self.base_url!r}, api_key='***')"

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> EvolinkClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the API -----------------------------------------------------------------------------

    def submit_song(self, request: SongRequest) -> TaskSnapshot:
        return self._submit(payload.song_body(request))

    def submit_persona(self, request: PersonaRequest) -> TaskSnapshot:
        return self._submit(payload.persona_body(request))

    def _submit(self, body: dict[str, Any]) -> TaskSnapshot:
        answer = self._call("POST", "/v1/audios/generations", body)
        try:
            return parse_task(answer)
        except errors.MalformedResponse as exc:
            # A 2xx we cannot read may still have created (and charged) a task.
            exc.maybe_sent = True
            raise

    def get_task(self, task_id: str) -> TaskSnapshot:
        return parse_task(self._call("GET", f"/v1/tasks/{task_id}"))

    def get_credits(self) -> Credits:
        return parse_credits(self._call("GET", "/v1/credits"))

    def download(
        self,
        url: str,
        out: BinaryIO,
        *,
        max_bytes: int = AUDIO_MAX_BYTES,
        progress: Callable[[int, int | None], None] | None = None,
    ) -> int:
        """Stream ``url`` into ``out`` in chunks; returns the byte count.

        Raises MediaExpired when the host refuses the link, DownloadError when the body is cut
        short, too large, or the URL is not http(s).
        """
        if urlsplit(url).scheme not in ("http", "https"):
            raise errors.DownloadError("Only http(s) links can be downloaded.")
        try:
            # Media hosts get no Authorization header: the key is for the API only.
            with requests.get(url, stream=True, timeout=self.timeout) as response:
                if response.status_code in (401, 403, 404, 410):
                    raise errors.MediaExpired(
                        f"The media link was refused (HTTP {response.status_code}).",
                        status=response.status_code,
                    )
                if response.status_code != 200:
                    raise errors.DownloadError(
                        f"The media host answered HTTP {response.status_code}.",
                        status=response.status_code,
                    )
                expected = response.headers.get("Content-Length")
                total = int(expected) if expected and expected.isdigit() else None
                if total is not None and total > max_bytes:
                    raise errors.DownloadError(f"The file is too large ({total} bytes).")
                written = 0
                for chunk in response.iter_content(CHUNK):
                    written += len(chunk)
                    if written > max_bytes:
                        raise errors.DownloadError("The file is larger than allowed.")
                    out.write(chunk)
                    if progress:
                        progress(written, total)
        except errors.ApiError:
            raise
        except requests.RequestException as exc:
            raise errors.DownloadError(f"The download broke off ({type(exc).__name__}).") from None
        if total is not None and written != total:
            raise errors.DownloadError(f"The download stopped at {written} of {total} bytes.")
        if written == 0:
            raise errors.DownloadError("The download was empty.")
        return written

    def download_to(self, url: str, path: Path, **kw: Any) -> int:
        with open(path, "wb") as out:
            return self.download(url, out, **kw)

    # -- plumbing ------------------------------------------------------------------------------

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        url = self.base_url + path
        try:
            response = self._session.request(method, url, json=body, timeout=self.timeout)
        except requests.ConnectTimeout:
            raise errors.NetworkError("Could not connect to the server.") from None
        except requests.ConnectionError as exc:
            raise errors.NetworkError(
                "The connection failed.", maybe_sent=not _never_connected(exc)
            ) from None
        except requests.Timeout:
            raise errors.NetworkError(
                "The server did not answer in time.", maybe_sent=True
            ) from None
        except (requests.exceptions.InvalidHeader, UnicodeError):
            raise errors.NetworkError("The request could not be built.") from None
        except requests.RequestException as exc:
            raise errors.NetworkError(
                f"The request failed ({type(exc).__name__}).", maybe_sent=True
            ) from None
        try:
            parsed: Any = response.json()
        except (ValueError, json.JSONDecodeError):
            parsed = None
        if response.status_code >= 400:
            raise errors.error_from_response(response.status_code, parsed, _retry_after(response))
        if not isinstance(parsed, dict):
            raise errors.MalformedResponse(
                "The server sent an answer that could not be read.",
                status=response.status_code,
                maybe_sent=True,
            )
        return parsed


def _never_connected(exc: requests.ConnectionError) -> bool:
    """True when the failure happened before a byte was sent (refused, DNS, no route)."""
    from urllib3.exceptions import NameResolutionError, NewConnectionError

    reason = exc.args[0] if exc.args else None
    inner = getattr(reason, "reason", reason)
    return isinstance(inner, (NewConnectionError, NameResolutionError))
