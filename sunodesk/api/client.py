"""EvolinkClient: every HTTP request sunodesk makes, over one keep-alive requests.Session.

Blocking by design: the engine calls it from executor threads. The API key lives only in the
session's Authorization header; it never appears in reprs, logs or error text.
"""

from __future__ import annotations

import http.client
import json
import math
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import quote, urljoin, urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from sunodesk import __version__
from sunodesk.api import errors
from sunodesk.api.parsing import parse_credits, parse_task
from sunodesk.core import payload
from sunodesk.core.endpoints import api_key_problem, base_url_problem
from sunodesk.core.models import Credits, PersonaRequest, SongRequest, TaskSnapshot

AUDIO_MAX_BYTES = 60 * 1024 * 1024  # an 8-minute song at 320 kbps is ~19 MB
IMAGE_MAX_BYTES = 10 * 1024 * 1024
CHUNK = 64 * 1024
JSON_MAX_BYTES = 2 * 1024 * 1024  # a task body is a few kB; anything this big is hostile
MAX_REDIRECTS = 5
RETRY_AFTER_MAX = 300.0  # seconds; a longer Retry-After is taken as this
SCALED_FLOOR = 1.0  # scaled waits never drop below this (loopback on a busy machine)


@dataclass(frozen=True)
class Limits:
    """How long any exchange may take. ``SUNODESK_TIME_SCALE`` shrinks the waits."""

    connect: float = 5.0  # to open a connection
    read: float = 30.0  # for any one read of the socket
    exchange: float = 60.0  # wall clock for a whole API exchange: connect, send, answer
    download_grace: float = 15.0  # a download's first seconds, before the floor applies
    download_window: float = 10.0  # the throughput floor is checked over windows this long
    download_min_rate: float = 4096.0  # bytes per second, averaged over a window

    def scaled(self, scale: float) -> Limits:
        """Every wait times ``scale``, but never under SCALED_FLOOR (or above the original):
        the floor keeps a loaded test machine from timing out loopback answers."""
        if scale == 1.0:
            return self

        def shrink(seconds: float, floor: float = SCALED_FLOOR) -> float:
            return min(seconds, max(seconds * scale, floor))

        return replace(
            self,
            connect=shrink(self.connect),
            read=shrink(self.read, 2 * SCALED_FLOOR),
            exchange=shrink(self.exchange, 2 * SCALED_FLOOR),
            download_grace=shrink(self.download_grace, 2 * SCALED_FLOOR),
            download_window=shrink(self.download_window),
        )


def check_base_url(url: str) -> str:
    """HTTPS, or plain HTTP to loopback only (the sandbox). Returns the URL without a slash."""
    problem = base_url_problem(url)
    if problem:
        raise errors.InsecureURL(problem)
    return url.strip().rstrip("/")


def decode_json(raw: bytes) -> Any:
    """The JSON value of an answer body; MalformedResponse when it is not JSON, or is nested
    so deeply that decoding it would exhaust the stack."""
    try:
        return json.loads(raw, parse_int=_int)
    except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError included
        raise errors.MalformedResponse(
            "The server sent an answer that could not be read."
        ) from None


def _int(digits: str) -> int | float:
    # Python refuses to turn more than 4300 digits into an int: such a number is "huge".
    return int(digits) if len(digits) < 4000 else float(digits)


def _retry_after_value(headers: Any) -> float | None:
    value = headers.get("Retry-After")
    try:
        seconds = float(value) if value else None
    except ValueError:
        return None
    # "inf", "nan" or a year would stall the job: only a sane, finite wait is honoured
    if seconds is None or not math.isfinite(seconds) or seconds < 0:
        return None
    return min(seconds, RETRY_AFTER_MAX)


class _Exchange:
    """One HTTP exchange under watch. When it runs out of time the watchdog shuts its socket
    down, which wakes a read blocked on it; the reader then sees ``expired`` and says why.

    An API exchange must end by ``deadline``. A download must have its headers by then, and
    afterwards, once its grace period is over, bring at least ``min_rate`` bytes per second
    in every window of ``window`` seconds.
    """

    def __init__(self, deadline: float, *, grace: float = 0.0, window: float = 0.0,
                 min_rate: float = 0.0) -> None:  # fmt: skip
        self.deadline = deadline
        self.grace = grace
        self.window = window
        self.min_rate = min_rate
        self.expired: str | None = None  # why it was cut off
        self.received = 0
        self._body_since: float | None = None
        self._mark = (0.0, 0)  # (start of the current window, bytes received at its start)
        self._sockets: list[Any] = []
        self._lock = threading.Lock()

    def attach(self, sock: Any) -> None:
        with self._lock:
            if sock is not None and sock not in self._sockets:
                self._sockets.append(sock)
            late = self.expired is not None
        if late:
            self._shutdown()

    def body_started(self, now: float) -> None:
        """The headers are in: from here on the throughput floor applies, not the deadline."""
        self._body_since = now
        self._mark = (now + self.grace, 0)

    def feed(self, count: int) -> None:
        self.received += count

    def overdue(self, now: float) -> str | None:
        if self._body_since is None or not self.min_rate:
            return "deadline" if now > self.deadline else None
        start, at_start = self._mark
        if now - start < self.window:
            return None
        if self.received - at_start < self.min_rate * self.window:
            return "too slow"
        self._mark = (now, self.received)
        return None

    def abort(self, reason: str) -> None:
        with self._lock:
            self.expired = reason
        self._shutdown()

    def _shutdown(self) -> None:
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            try:
                # the plain socket's shutdown: it wakes the blocked reader, TLS or not
                if isinstance(sock, socket.socket):
                    socket.socket.shutdown(sock, socket.SHUT_RDWR)
                else:
                    sock.shutdown(socket.SHUT_RDWR)
            except (OSError, AttributeError):
                pass


class _Watchdog:
    """One thread per client that cuts off exchanges past their time (started on first use,
    stopped and joined by ``close``)."""

    def __init__(self) -> None:
        self._live: set[_Exchange] = set()
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._closed = False
        self._tick = 0.5

    def watch(self, exchange: _Exchange, tick: float) -> None:
        with self._cond:
            self._live.add(exchange)
            self._tick = min(self._tick, max(0.01, tick))
            if self._thread is None and not self._closed:
                self._thread = threading.Thread(
                    target=self._run, name="sunodesk-http-watchdog", daemon=True
                )
                self._thread.start()
            self._cond.notify()

    def forget(self, exchange: _Exchange) -> None:
        with self._cond:
            self._live.discard(exchange)

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join()

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._live and not self._closed:
                    self._cond.wait()
                if self._closed:
                    return
                self._cond.wait(self._tick)
                live = list(self._live)
            now = time.monotonic()
            for exchange in live:
                reason = exchange.overdue(now)
                if reason:
                    exchange.abort(reason)


_current = threading.local()  # the exchange the calling thread is in, for the hooks below


def _attach(conn: HTTPConnection) -> None:
    exchange = getattr(_current, "exchange", None)
    if exchange is not None:
        exchange.attach(conn.sock)


class _WatchedHTTPConnection(HTTPConnection):
    def connect(self) -> None:
        super().connect()
        _attach(self)

    def getresponse(self) -> Any:
        _attach(self)  # a kept-alive connection is not connected again
        return super().getresponse()


class _WatchedHTTPSConnection(HTTPSConnection):
    def connect(self) -> None:
        super().connect()
        _attach(self)

    def getresponse(self) -> Any:
        _attach(self)
        return super().getresponse()


class _WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


_WATCHED_POOLS = {"http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}


class _WatchedAdapter(HTTPAdapter):
    """An adapter whose connections report their sockets to the exchange under watch."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = dict(_WATCHED_POOLS)

    def proxy_manager_for(self, proxy: str, **kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **kwargs)
        if not proxy.lower().startswith("socks"):
            manager.pool_classes_by_scheme = dict(_WATCHED_POOLS)
        return manager


def _session(pool_size: int) -> requests.Session:
    session = requests.Session()
    adapter = _WatchedAdapter(pool_connections=4, pool_maxsize=pool_size)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), port


class EvolinkClient:
    """Submit songs and personas, poll tasks, read credits, download media."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        timeout: tuple[float, float] | None = None,
        pool_size: int = 64,
        time_scale: float = 1.0,
        limits: Limits | None = None,
    ) -> None:
        self.base_url = check_base_url(base_url)
        problem = api_key_problem(api_key or "")
        if problem:
            raise errors.AuthError(problem, status=None)
        base = limits or Limits()
        if timeout is not None:
            base = replace(base, connect=timeout[0], read=timeout[1])
        self.limits = base.scaled(time_scale)
        self.timeout = (self.limits.connect, min(self.limits.read, self.limits.exchange))
        self._watchdog = _Watchdog()
        self._session = _session(pool_size)
        self._session.headers.update(
            {
                "Authorization": f"Bearer {api_key.strip()}",
                "User-Agent": f"sunodesk/{__version__}",
                "Accept": "application/json",
            }
        )
        # Media hosts get no Authorization header: the key is for the API only.
        self._media = _session(pool_size)
        self._media.headers["User-Agent"] = f"sunodesk/{__version__}"

    def __repr__(self) -> str:
        return f"EvolinkClient(base_url={self.base_url!r}, api_key='***')"

    def close(self) -> None:
        self._session.close()
        self._media.close()
        self._watchdog.close()

    @contextmanager
    def _watch(self, exchange: _Exchange, tick: float) -> Iterator[_Exchange]:
        """Run the block as ``exchange``: its sockets are cut off once it is out of time."""
        self._watchdog.watch(exchange, tick)
        _current.exchange = exchange
        try:
            yield exchange
        finally:
            _current.exchange = None
            self._watchdog.forget(exchange)

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
        # The id came from a server: quoted, so no character of it can change the request.
        return parse_task(self._call("GET", f"/v1/tasks/{quote(task_id, safe='')}"))

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
        limits = self.limits
        exchange = _Exchange(
            time.monotonic() + limits.exchange,
            grace=limits.download_grace,
            window=limits.download_window,
            min_rate=limits.download_min_rate,
        )
        tick = min(limits.exchange, limits.download_window) / 4
        written = 0
        total: int | None = None
        try:
            with (
                self._watch(exchange, tick),
                self._media.get(url, stream=True, timeout=self.timeout) as response,
            ):
                exchange.body_started(time.monotonic())
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
                for chunk in _chunks(response, exchange):
                    written += len(chunk)
                    if written > max_bytes:
                        raise errors.DownloadError("The file is larger than allowed.")
                    out.write(chunk)
                    if progress:
                        progress(written, total)
        except errors.ApiError:
            raise
        except (
            requests.RequestException,
            urllib3.exceptions.HTTPError,
            http.client.HTTPException,
        ) as exc:
            if exchange.expired:
                raise errors.DownloadError(_too_slow(exchange, limits)) from None
            raise errors.DownloadError(f"The download broke off ({type(exc).__name__}).") from None
        if exchange.expired:  # cut off at a chunk boundary: the body may look complete
            raise errors.DownloadError(_too_slow(exchange, limits))
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
        """One API exchange under an overall deadline. Redirects are never followed for a
        POST (that would send it twice), and for a GET only within the API's own origin."""
        url = self.base_url + path
        exchange = _Exchange(time.monotonic() + self.limits.exchange)
        with self._watch(exchange, self.limits.exchange / 4):
            for _hop in range(MAX_REDIRECTS + 1):
                status, headers, parsed = self._exchange(exchange, method, url, body)
                if not 300 <= status < 400 or method != "GET":
                    break
                target = urljoin(url, headers.get("Location") or "")
                if not headers.get("Location") or _origin(target) != _origin(self.base_url):
                    break
                url = target
        if 300 <= status < 400:
            raise errors.MalformedResponse(
                f"The server answered with a redirect (HTTP {status}), which is not followed.",
                status=status,
                maybe_sent=True,  # it may have acted on the request before redirecting
            )
        if status >= 400:
            raise errors.error_from_response(status, parsed, _retry_after_value(headers))
        if not isinstance(parsed, dict):
            raise errors.MalformedResponse(
                "The server sent an answer that could not be read.",
                status=status,
                maybe_sent=True,
            )
        return parsed

    def _exchange(
        self, exchange: _Exchange, method: str, url: str, body: dict[str, Any] | None
    ) -> tuple[int, Any, Any]:
        """Send once and read the whole answer: (status, headers, JSON value or None)."""
        try:
            with self._session.request(
                method, url, json=body, timeout=self.timeout, stream=True, allow_redirects=False
            ) as response:
                status, headers = response.status_code, response.headers
                raw = _read_capped(response, exchange, JSON_MAX_BYTES)
        except requests.ConnectTimeout:
            raise errors.NetworkError("Could not connect to the server.") from None
        except requests.Timeout:
            raise _out_of_time() from None
        except (requests.exceptions.InvalidHeader, requests.exceptions.InvalidURL, UnicodeError):
            raise errors.NetworkError("The request could not be built.") from None
        except requests.ConnectionError as exc:
            if exchange.expired:
                raise _out_of_time() from None
            raise errors.NetworkError(
                "The connection failed.", maybe_sent=not _never_connected(exc)
            ) from None
        except requests.RequestException as exc:
            if exchange.expired:
                raise _out_of_time() from None
            raise errors.NetworkError(
                f"The request failed ({type(exc).__name__}).", maybe_sent=True
            ) from None
        except (urllib3.exceptions.HTTPError, http.client.HTTPException, OSError) as exc:
            # while reading the body: the request was sent
            if exchange.expired or isinstance(exc, urllib3.exceptions.ReadTimeoutError):
                raise _out_of_time() from None
            raise errors.NetworkError("The connection broke off.", maybe_sent=True) from None
        if exchange.expired:
            raise _out_of_time()
        if raw is None:
            if status < 300:
                raise errors.MalformedResponse(
                    "The server's answer was too large to be a task.",
                    status=status,
                    maybe_sent=True,
                )
            return status, headers, None
        try:
            return status, headers, decode_json(raw)
        except errors.MalformedResponse:
            return status, headers, None


def _out_of_time() -> errors.NetworkError:
    # The request may have reached the server (and, for a POST, made a task): maybe_sent.
    return errors.NetworkError("The server did not answer in time.", maybe_sent=True)


def _too_slow(exchange: _Exchange, limits: Limits) -> str:
    if exchange.expired == "too slow":
        return (
            f"The download was too slow (under {limits.download_min_rate / 1024:g} kB/s for "
            f"{limits.download_window:g} s)."
        )
    return "The media host did not answer in time."


def _chunks(response: requests.Response, exchange: _Exchange) -> Iterator[bytes]:
    """The body as it arrives (read1: whatever is there, not a full chunk), fed to the
    exchange's throughput count. Stops quietly if the exchange was cut off."""
    raw = response.raw
    while True:
        chunk = raw.read1(CHUNK, decode_content=True)
        if not chunk:
            return
        exchange.feed(len(chunk))
        yield chunk
        if exchange.expired:
            return


def _read_capped(response: requests.Response, exchange: _Exchange, cap: int) -> bytes | None:
    """The whole body, or None when it is larger than ``cap`` bytes (then not read further)."""
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > cap:
        return None
    data = bytearray()
    for chunk in _chunks(response, exchange):
        data += chunk
        if len(data) > cap:
            return None
    return bytes(data)


def _never_connected(exc: requests.ConnectionError) -> bool:
    """True when the failure happened before a byte was sent (refused, DNS, no route)."""
    from urllib3.exceptions import NameResolutionError, NewConnectionError

    reason = exc.args[0] if exc.args else None
    inner = getattr(reason, "reason", reason)
    return isinstance(inner, (NewConnectionError, NameResolutionError))
