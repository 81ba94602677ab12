"""The sandbox HTTP server: an Evolink-compatible API on 127.0.0.1 (stdlib only).

Routes
    POST /v1/audios/generations   songs, and model "suno-persona" with model_params
    GET  /v1/tasks/{task_id}      task status and results
    GET  /v1/credits              balance (older error shape)
    GET  /media/{task}/{result}.mp3 | .png   audio (Range supported) and cover
    POST /_sandbox/faults         JSON {"name": value, ..., "times": n}; GET shows them
    POST /_sandbox/reset          faults and stats off; {"state": true} also forgets tasks
    GET  /_sandbox/stats          counters (see stats.py)

Keep-alive (HTTP/1.1), one thread per connection, quiet (nothing on stderr, and the
Authorization header is never logged or echoed).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from sunodesk.core import rules
from sunodesk.sandbox import audio, cover
from sunodesk.sandbox.faults import Faults
from sunodesk.sandbox.state import SandboxState
from sunodesk.sandbox.stats import Stats
from sunodesk.sandbox.validation import (
    ApiError,
    credits_error,
    generation_error,
    task_error,
    validate_persona,
    validate_song,
)
from sunodesk.sandbox.views import credits_view, submit_view, task_view

_MEDIA = re.compile(r"^/media/(task-unified-[A-Za-z0-9-]+)/([A-Za-z0-9-]+)\.(mp3|png)$")
_TASK = re.compile(r"^/v1/tasks/(.*)$")
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
_CONNECTION_ERRORS = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError)
_EXPIRED_BODY = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code>'
    b"<Message>Request has expired</Message></Error>"
)


class _Dropped(Exception):
    """The handler closed the connection on purpose (a fault)."""


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128
    sandbox: SandboxServer

    def __init__(self, address: tuple[str, int], sandbox: SandboxServer) -> None:
        self.sandbox = sandbox
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:  # quiet
        pass

    def close_connections(self) -> None:
        with self.connections_lock:
            open_now = list(self.connections)
            self.connections.clear()
        for conn in open_now:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "sunodesk-sandbox"
    timeout = 60  # an idle keep-alive connection is closed after this
    server: _HTTPServer

    # ----- plumbing ----------------------------------------------------------------------

    def setup(self) -> None:
        super().setup()
        # Headers and body go out as separate writes: without this, Nagle plus delayed ACKs
        # add 40 ms to every keep-alive answer.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self.server.connections_lock:
            self.server.connections.add(self.connection)

    def finish(self) -> None:
        with self.server.connections_lock:
            self.server.connections.discard(self.connection)
        with contextlib.suppress(OSError):
            super().finish()

    def log_message(self, format: str, *args: Any) -> None:  # quiet; never logs headers
        pass

    def version_string(self) -> str:
        return self.server_version

    def handle_one_request(self) -> None:
        try:
            super().handle_one_request()
        except (_Dropped, *_CONNECTION_ERRORS):
            self.close_connection = True

    @property
    def sandbox(self) -> SandboxServer:
        return self.server.sandbox

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _base_url(self) -> str:
        host = self.headers.get("Host")
        if not host:
            return self.sandbox.base_url
        return f"http://{host}"

    def _send(
        self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, obj: Any) -> None:
        self._send(status, json.dumps(obj).encode(), "application/json")

    def _error(self, err: ApiError) -> None:
        self._json(err.status, err.body())

    def _malformed(self, obj: Any) -> None:
        text = json.dumps(obj).encode()
        self._send(200, text[: max(1, len(text) // 2)], "application/json")

    def _drop(self) -> None:
        self.close_connection = True
        try:
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        raise _Dropped

    def _authorized(self) -> bool:
        value = self.headers.get("Authorization") or ""
        scheme, _, key = value.partition(" ")
        key = key.strip()
        if scheme.lower() != "bearer" or not key:
            return False
        expected = self.sandbox.api_key
        return expected is None or key == expected

    def _api_prelude(self) -> None:
        delay = self.sandbox.faults.take("latency")
        if delay:
            time.sleep(delay)

    # ----- dispatch ----------------------------------------------------------------------

    def do_POST(self) -> None:
        path = urlsplit(self.path).path
        body = self._body()
        if path == "/v1/audios/generations":
            self._submit(body)
        elif path == "/_sandbox/faults":
            self._set_faults(body)
        elif path == "/_sandbox/reset":
            self._reset(body)
        elif path.startswith("/v1/"):
            self._error(generation_error(404, f"Unknown endpoint: POST {path}"))
        else:
            self._json(404, {"error": {"code": "not_found", "message": "Not found",
                                       "type": "invalid_request_error"}})  # fmt: skip

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        self._body()
        task = _TASK.match(path)
        if task:
            self._poll(task.group(1))
        elif path == "/v1/credits":
            self._credits()
        elif path.startswith("/media/"):
            self._media(path)
        elif path == "/_sandbox/stats":
            self._json(200, self.sandbox.stats.snapshot())
        elif path == "/_sandbox/faults":
            self._json(200, self.sandbox.faults.snapshot())
        elif path.startswith("/v1/"):
            self._error(generation_error(404, f"Unknown endpoint: GET {path}"))
        else:
            self._json(404, {"error": {"code": "not_found", "message": "Not found",
                                       "type": "invalid_request_error"}})  # fmt: skip

    def do_HEAD(self) -> None:
        path = urlsplit(self.path).path
        if path.startswith("/media/"):
            self._media(path)
        else:
            self._send(405, b"", "text/plain")

    # ----- API ---------------------------------------------------------------------------

    def _submit(self, raw: bytes) -> None:
        sandbox = self.sandbox
        try:
            body = json.loads(raw or b"null")
        except (ValueError, UnicodeDecodeError):
            body = None
        persona = isinstance(body, dict) and body.get("model") == rules.PERSONA_MODEL
        sandbox.stats.submit("persona" if persona else "song", raw)
        self._api_prelude()
        try:
            if not self._authorized():
                raise generation_error(401)
            forced = sandbox.faults.take("submit_status")
            if forced:
                model = body.get("model") if isinstance(body, dict) else None
                message = f"Token does not have access to model: {model}" if forced == 403 else None
                raise generation_error(forced, message)
            if not isinstance(body, dict):
                raise generation_error(400, "Request body must be a JSON object", "body")
            fail = sandbox.faults.take("fail_tasks")
            if persona:
                task = sandbox.state.create_persona(validate_persona(body), fail)
            else:
                task = sandbox.state.create_song(validate_song(body), fail)
        except ApiError as err:
            self._error(err)
            return
        sandbox.stats.created()
        view = submit_view(sandbox.state, task)
        if sandbox.faults.take("drop_connection"):
            self._drop()
        if self._malformed_for("submit"):
            self._malformed(view)
            return
        self._json(200, view)

    def _malformed_for(self, route: str) -> bool:
        value = self.sandbox.faults.peek("malformed_json")
        if value is True or value == route:
            self.sandbox.faults.take("malformed_json")
            return True
        return False

    def _poll(self, task_id: str) -> None:
        sandbox = self.sandbox
        sandbox.stats.poll(task_id)
        self._api_prelude()
        try:
            if not self._authorized():
                raise task_error(401)
            forced = sandbox.faults.take("poll_status")
            if forced:
                raise task_error(forced)
            if not task_id.startswith("task-unified-"):
                raise task_error(400, "Invalid task ID: must start with 'task-unified-'", "task_id")
            task = sandbox.state.get(task_id)
            if task is None:
                raise task_error(404, f"Task not found: {task_id}", "task_id")
        except ApiError as err:
            self._error(err)
            return
        shape = sandbox.faults.take("result_shape")
        view = task_view(sandbox.state, task, self._base_url(), shape)
        if self._malformed_for("poll"):
            self._malformed(view)
            return
        self._json(200, view)

    def _credits(self) -> None:
        sandbox = self.sandbox
        sandbox.stats.credits()
        self._api_prelude()
        if not self._authorized():
            self._error(credits_error(401))
            return
        forced = sandbox.faults.take("credits_status")
        if forced:
            self._error(credits_error(forced))
            return
        view = credits_view(sandbox.state)
        if self._malformed_for("credits"):
            self._malformed(view)
            return
        self._json(200, view)

    # ----- media -------------------------------------------------------------------------

    def _media(self, path: str) -> None:
        sandbox = self.sandbox
        if self.command == "GET":
            sandbox.stats.media(path)
        expired = sandbox.faults.take("expire_media")
        if expired:
            status = 404 if expired == 404 else 403
            self._send(status, _EXPIRED_BODY, "application/xml")
            return
        match = _MEDIA.match(path)
        take = sandbox.state.take(match.group(1), match.group(2)) if match else None
        if match is None or take is None:
            self._send(404, b"Not found", "text/plain")
            return
        if match.group(3) == "mp3":
            data, content_type = audio.make_song_mp3(take["seed"], take["seconds"]), "audio/mpeg"
        else:
            data, content_type = cover.make_cover_png(take["seed"]), "image/png"
        status, start, end = 200, 0, len(data)
        headers = {"Accept-Ranges": "bytes", "Cache-Control": "private, max-age=259200"}
        wanted = self.headers.get("Range")
        if wanted:
            parsed = _RANGE.match(wanted.strip())
            if parsed and (parsed.group(1) or parsed.group(2)):
                first, last = parsed.groups()
                if first:
                    start = int(first)
                    end = min(len(data), int(last) + 1) if last else len(data)
                else:
                    start = max(0, len(data) - int(last))
                if start >= len(data) or start >= end:
                    self._send(416, b"", "text/plain", {"Content-Range": f"bytes */{len(data)}"})
                    return
                status = 206
                headers["Content-Range"] = f"bytes {start}-{end - 1}/{len(data)}"
        body = memoryview(data)[start:end]
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        if self.command == "HEAD":
            return
        truncate = sandbox.faults.take("truncate_download")
        if truncate:
            body = body[: len(body) // 2]
        rate = sandbox.faults.take("slow_download")
        if rate:
            chunk = max(512, int(rate / 20))
            for i in range(0, len(body), chunk):
                self.wfile.write(body[i : i + chunk])
                self.wfile.flush()
                time.sleep(len(body[i : i + chunk]) / rate)
        else:
            self.wfile.write(body)
        if truncate:
            self._drop()

    # ----- control -----------------------------------------------------------------------

    def _set_faults(self, raw: bytes) -> None:
        try:
            settings = json.loads(raw or b"{}")
            if not isinstance(settings, dict):
                raise ValueError("send a JSON object of fault names and values")
            self.sandbox.faults.update(settings)
        except (ValueError, TypeError) as err:
            self._json(400, {"error": {"code": "invalid_fault", "message": str(err),
                                       "type": "invalid_request_error"}})  # fmt: skip
            return
        self._json(200, self.sandbox.faults.snapshot())

    def _reset(self, raw: bytes) -> None:
        try:
            options = json.loads(raw or b"{}")
        except ValueError:
            options = {}
        self.sandbox.faults.reset()
        self.sandbox.stats.reset()
        if isinstance(options, dict) and options.get("state"):
            self.sandbox.state.reset(options.get("credits", self.sandbox.initial_credits))
        self._json(200, {"ok": True})


class SandboxServer:
    """A local Evolink-compatible server. ``with SandboxServer(speed=100) as sb: sb.base_url``."""

    def __init__(
        self,
        port: int = 0,
        host: str = "127.0.0.1",
        speed: float = 10.0,
        state_dir: str | os.PathLike[str] | None = None,
        api_key: str | None = None,
        song_seconds: float = 150.0,
        credits: float = 500.0,
    ) -> None:
        self.host = host
        self.requested_port = port
        self.api_key = api_key
        self.initial_credits = credits
        self.faults = Faults()
        self.stats = Stats()
        self.state = SandboxState(
            speed=speed, song_seconds=song_seconds, credits=credits, state_dir=state_dir
        )
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("the sandbox is not started")
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> SandboxServer:
        if self._httpd is not None:
            return self
        self._httpd = _HTTPServer((self.host, self.requested_port), self)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"sunodesk-sandbox-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        httpd, thread = self._httpd, self._thread
        if httpd is None:
            return
        self._httpd = self._thread = None
        httpd.shutdown()
        httpd.close_connections()
        httpd.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def run_forever(
    port: int = 0,
    speed: float = 10.0,
    state_dir: str | os.PathLike[str] | None = None,
    *,
    host: str = "127.0.0.1",
    api_key: str | None = None,
    song_seconds: float = 150.0,
    credits: float = 500.0,
) -> None:
    """Serve until Ctrl+C, printing the base URL first (used by `sunodesk sandbox`)."""
    server = SandboxServer(port=port, host=host, speed=speed, state_dir=state_dir,
                           api_key=api_key, song_seconds=song_seconds, credits=credits)  # fmt: skip
    server.start()
    print(f"Sandbox listening on {server.base_url} (speed x{speed:g}); Ctrl+C to stop", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        print("Sandbox stopped.", flush=True)
