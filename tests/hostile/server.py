"""A hostile Evolink stand-in: a real HTTP server on 127.0.0.1 whose answers a test scripts.

By default it behaves like a tiny, well-mannered Evolink (a POST makes a task, a poll says it
is completed with two takes, the media are real MP3 bytes). A test replaces any route with a
handler that returns one of the replies below: slow trickles, odd status codes, redirects,
bodies that are huge, nested or full of control characters. Every request is counted by method
and path, so a test can assert "exactly one POST".

Bounded: a trickle stops when the server stops, every handler thread is joined at teardown,
and each connection serves one request (HTTP/1.0), so no idle keep-alive outlives a test.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from sunodesk.sandbox.audio import make_song_mp3, song_duration

GENERATE = "/v1/audios/generations"
SONG_SECONDS = 3.0
TRICKLE_MAX_BYTES = 100_000  # a trickle never runs longer than this many steps


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body or b"null")


@dataclass
class Reply:
    """Send ``body`` as it is, all at once."""

    body: bytes | str | Any = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"

    def payload(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode("utf-8")
        return json.dumps(self.body).encode("utf-8")


@dataclass
class Trickle(Reply):
    """Send the headers (with the true Content-Length), then one byte every ``every`` seconds.
    With ``headers_too`` even the status line and the headers arrive a byte at a time."""

    every: float = 0.05
    headers_too: bool = False


@dataclass
class Redirect(Reply):
    location: str = "/"
    status: int = 307


Handler = Callable[["HostileServer", Request], Reply]


class HostileServer:
    """Start with ``with HostileServer() as server:``; script routes with :meth:`on`."""

    def __init__(self) -> None:
        self._routes: list[tuple[str, re.Pattern[str], Handler]] = []
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()
        self._ids = itertools.count(1)
        self.stopping = threading.Event()
        self.requests: list[Request] = []
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(self))
        self._httpd.daemon_threads = False  # server_close() joins every handler thread
        self._thread: threading.Thread | None = None

    # -- life --------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> HostileServer:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()  # every trickle ends at its next step
        self._httpd.shutdown()
        self._httpd.server_close()  # joins the handler threads
        if self._thread is not None:
            self._thread.join(timeout=10)
            assert not self._thread.is_alive(), "the stand-in did not stop"

    def __enter__(self) -> HostileServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- scripting ---------------------------------------------------------------------------

    def on(self, method: str, path_regex: str, handler: Handler | Reply) -> None:
        """Answer ``method`` on paths matching ``path_regex`` (full match) with ``handler``
        (a function of the server and the request, or a fixed reply). Newest rules win."""
        fn: Handler = handler if callable(handler) else (lambda _s, _r, reply=handler: reply)
        with self._lock:
            self._routes.insert(0, (method.upper(), re.compile(path_regex), fn))

    def count(self, method: str, path: str | None = None) -> int:
        """Requests seen for ``method`` (and ``path``, exact, without the query)."""
        with self._lock:
            if path is None:
                return sum(n for key, n in self._counts.items() if key.startswith(method + " "))
            return self._counts[f"{method} {path}"]

    def new_task_id(self) -> str:
        return f"task-unified-1766319089-{next(self._ids):08d}"

    # -- the well-mannered defaults ----------------------------------------------------------

    def task_body(self, task_id: str, **changes: Any) -> dict[str, Any]:
        """A completed task with two takes whose media this server serves."""
        takes = [
            {
                "result_id": f"{task_id}-take{n}",
                "title": f"Take {n}",
                "tags": "synth pop",
                "duration": song_duration(SONG_SECONDS),
                "audio_url": f"{self.base_url}/media/{task_id}/{n}.mp3",
            }
            for n in (1, 2)
        ]
        body = {
            "id": task_id,
            "object": "audio.generation.task",
            "model": "suno-v5-beta",
            "status": "completed",
            "progress": 100,
            "task_info": {"can_cancel": False, "estimated_time": 60},
            "result_data": takes,
        }
        body.update(changes)
        return body

    def _default(self, request: Request) -> Reply:
        path = request.path
        if request.method == "POST" and path == GENERATE:
            task_id = self.new_task_id()
            return Reply(self.task_body(task_id, status="pending", progress=0, result_data=None))
        match = re.fullmatch(r"/v1/tasks/([^/]+)", path)
        if request.method == "GET" and match:
            return Reply(self.task_body(match.group(1)))
        if request.method == "GET" and path.startswith("/media/") and path.endswith(".mp3"):
            return Reply(mp3(path), content_type="audio/mpeg")
        if request.method == "GET" and path == "/v1/credits":
            return Reply({"success": True, "data": {"token": {"remaining_credits": 100.0}}})
        return Reply({"error": {"code": "not_found", "message": "No such route."}}, status=404)

    def _dispatch(self, request: Request) -> Reply:
        with self._lock:
            self._counts[f"{request.method} {request.path}"] += 1
            self.requests.append(request)
            routes = list(self._routes)
        for method, pattern, handler in routes:
            if method == request.method and pattern.fullmatch(request.path):
                return handler(self, request)
        return self._default(request)


def mp3(seed: str, seconds: float = SONG_SECONDS) -> bytes:
    """Real, decodable MP3 bytes (the sandbox's synthesiser), the same for the same seed."""
    return make_song_mp3(seed, seconds)


def _make_handler(server: HostileServer) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"  # one request per connection
        timeout = 10  # a client that never finishes its request cannot hold a thread

        def log_message(self, *args: Any) -> None:
            pass

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            request = Request(
                self.command, self.path.split("?")[0], dict(self.headers.items()), body
            )
            reply = server._dispatch(request)
            self._send(reply)

        do_GET = do_POST = do_HEAD = do_PUT = do_DELETE = _handle

        def _send(self, reply: Reply) -> None:
            data = reply.payload()
            headers = {"Content-Type": reply.content_type, "Content-Length": str(len(data))}
            if isinstance(reply, Redirect):
                headers["Location"] = reply.location
            headers.update(reply.headers)
            head = f"HTTP/1.0 {reply.status} Hostile\r\n" + "".join(
                f"{k}: {v}\r\n" for k, v in headers.items()
            )
            head_bytes = (head + "\r\n").encode("latin-1")
            try:
                if isinstance(reply, Trickle):
                    if reply.headers_too:
                        self._trickle(head_bytes + data, reply.every)
                    else:
                        self.wfile.write(head_bytes)
                        self.wfile.flush()
                        self._trickle(data, reply.every)
                else:
                    self.wfile.write(head_bytes + data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up: that is what most hostile tests want

        def _trickle(self, data: bytes, every: float) -> None:
            for index in range(min(len(data), TRICKLE_MAX_BYTES)):
                if server.stopping.wait(every):
                    return
                self.wfile.write(data[index : index + 1])
                self.wfile.flush()

    return _Handler
