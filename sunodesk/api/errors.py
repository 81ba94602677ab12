"""Typed errors for everything the API (or the network between) can answer.

Every error carries an :class:`~sunodesk.core.errors.ErrorKind`, the HTTP status, Evolink's code
and message, and whether a request may have reached the server (``maybe_sent``), which is what
decides if a generation may be retried safely. Messages never contain the API key.
"""

from __future__ import annotations

from typing import Any

from sunodesk.core.errors import ErrorKind, UserMessage, sentence_for
from sunodesk.core.untrusted import clean_line


class ApiError(Exception):
    kind: ErrorKind = ErrorKind.SERVER

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: str | None = None,
        param: str | None = None,
        maybe_sent: bool = False,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.param = param
        # True when the server may have acted on the request (no or unreadable answer).
        self.maybe_sent = maybe_sent

    def user_message(self, **context: Any) -> UserMessage:
        return sentence_for(self.kind, detail=self.message, code=self.code or "", **context)

    def __str__(self) -> str:
        status = f"HTTP {self.status}: " if self.status else ""
        return f"{status}{self.message}"


class InvalidRequest(ApiError):
    kind = ErrorKind.INVALID


class AuthError(ApiError):
    kind = ErrorKind.AUTH


class CreditsError(ApiError):
    kind = ErrorKind.CREDITS


class AccessDenied(ApiError):
    kind = ErrorKind.ACCESS


class NotFound(ApiError):
    kind = ErrorKind.NOT_FOUND


class RateLimited(ApiError):
    kind = ErrorKind.RATE

    def __init__(self, message: str, *, retry_after: float | None = None, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.retry_after = retry_after


class ServerError(ApiError):
    kind = ErrorKind.SERVER


class NetworkError(ApiError):
    kind = ErrorKind.NETWORK


class MalformedResponse(ApiError):
    kind = ErrorKind.MALFORMED


class DownloadError(ApiError):
    """A download broke off, was too large, or was not what it claimed to be."""

    kind = ErrorKind.DOWNLOAD


class MediaExpired(DownloadError):
    """The media host refused the link: it has most likely outlived its 72 hours."""

    kind = ErrorKind.EXPIRED


class InsecureURL(ApiError):
    kind = ErrorKind.INVALID


_BY_STATUS: dict[int, type[ApiError]] = {
    400: InvalidRequest,
    401: AuthError,
    402: CreditsError,
    403: AccessDenied,
    404: NotFound,
    429: RateLimited,
}


def error_from_response(status: int, body: Any, retry_after: float | None = None) -> ApiError:
    """Build the typed error for an HTTP error answer, accepting both error envelopes.

    New shape: ``{"error": {"code": "str", "message", "type", "param"?}}``;
    old shape (credits endpoint): the same keys with an integer ``code``, or them at top level.
    """
    envelope: dict[str, Any] = {}
    if isinstance(body, dict):
        inner = body.get("error")
        if isinstance(inner, dict):
            envelope = inner
        elif isinstance(inner, str):
            envelope = {"message": inner}
        else:
            envelope = body
    # what the server says is cleaned like a task body (core.untrusted): one capped line
    raw = envelope.get("message") or envelope.get("msg")
    message = clean_line(raw if isinstance(raw, str) else str(raw or "")) or f"HTTP {status}"
    code = envelope.get("code")
    param = envelope.get("param")
    cls = _BY_STATUS.get(status) or (ServerError if status >= 500 else ApiError)
    kwargs: dict[str, Any] = {
        "status": status,
        "code": None if code is None else clean_line(str(code), 100) or None,
        "param": clean_line(param, 100) or None if isinstance(param, str) else None,
    }
    if cls is RateLimited:
        return RateLimited(message, retry_after=retry_after, **kwargs)
    return cls(message, **kwargs)
