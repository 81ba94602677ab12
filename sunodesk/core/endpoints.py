"""What a usable API key and base URL look like, checked before anything is saved or sent."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

DEFAULT_BASE_URL = "https://api.evolink.ai"


def is_loopback(host: str) -> bool:
    if host in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def base_url_problem(url: str) -> str | None:
    """None when the API may be reached at ``url``: HTTPS, or plain HTTP to loopback only."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port  # ValueError when it is not a number in 0-65535
    except ValueError as exc:  # e.g. "Port out of range 0-65535", "Invalid IPv6 URL"
        return f"The base URL cannot be used ({exc}); check its host and port."
    if port == 0 or (port is None and ":" in parts.netloc.rpartition("]")[2]):
        return "The base URL has no usable port (it must be a number from 1 to 65535)."
    if parts.scheme == "https" and parts.hostname:
        return None
    if parts.scheme == "http" and parts.hostname and is_loopback(parts.hostname):
        return None
    return "The base URL must start with https:// (plain http:// only for 127.0.0.1, the sandbox)."


def api_key_problem(key: str) -> str | None:
    """None when ``key`` can be sent; else why not (e.g. a curly quote pasted with it)."""
    key = key.strip()
    if not key:
        return "No API key is set."
    if not key.isascii() or not key.isprintable() or any(c.isspace() for c in key):
        return "The API key contains characters a key cannot have; paste it again."
    return None
