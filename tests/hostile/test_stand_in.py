"""The stand-in itself: it counts what it gets, and it stops promptly even mid-trickle."""

from __future__ import annotations

import socket
import time

from tests.hostile.server import GENERATE, HostileServer, Trickle


def test_it_stops_mid_trickle_and_joins_its_threads():
    server = HostileServer().start()
    server.on("GET", "/slow", Trickle(b"x" * 10_000, every=1.0))
    host, port = server.base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as conn:
        conn.sendall(b"GET /slow HTTP/1.0\r\n\r\n")
        assert conn.recv(1024).startswith(b"HTTP/1.0 200")  # the headers came, bytes trickle
        handlers = list(server._httpd._threads)  # the thread serving this trickle
        assert handlers and all(t.is_alive() for t in handlers)
        started = time.monotonic()
        server.stop()
        assert time.monotonic() - started < 3
    assert not any(t.is_alive() for t in handlers)
    assert server.count("GET", "/slow") == 1


def test_it_counts_requests_by_method_and_path(hostile):
    import requests

    requests.post(hostile.base_url + GENERATE, json={}, timeout=5)
    requests.get(hostile.base_url + "/v1/tasks/task-unified-1-a", timeout=5)
    requests.get(hostile.base_url + "/v1/tasks/task-unified-1-a?x=1", timeout=5)
    assert hostile.count("POST") == 1 and hostile.count("POST", GENERATE) == 1
    assert hostile.count("GET", "/v1/tasks/task-unified-1-a") == 2
