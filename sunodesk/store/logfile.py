"""The log file: ``<data-dir>/logs/sunodesk.log``, rotated at about 1 MB, three old copies kept.

:func:`setup_logging` is called once by the `sunodesk` command, for the window and for every
sub-command. Without ``SUNODESK_DEBUG`` the file gets INFO and above as one line each (an
exception as its type and message); with ``SUNODESK_DEBUG=1`` it gets DEBUG and full
tracebacks, and so does the terminal. The terminal never shows a traceback otherwise.

The API key never reaches a handler's output: :class:`RedactingFilter` replaces the current
key (``$SUNODESK_API_KEY`` and every key :mod:`sunodesk.store.secrets` has handed out), and
anything shaped like ``Bearer <token>`` or ``sk-...``, in the message and in exception text.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
import threading
from pathlib import Path

DEBUG_ENV = "SUNODESK_DEBUG"
KEY_ENV = "SUNODESK_API_KEY"  # the same variable sunodesk.store.secrets reads
MAX_BYTES = 1_000_000
BACKUPS = 3
MASK = "***"

_BEARER = re.compile(r"(Bearer\s+)[^\s'\",;)\]}]+", re.IGNORECASE)
_SK = re.compile(r"\bsk-[A-Za-z0-9][A-Za-z0-9_\-.]{3,}")
_known: set[str] = set()
_known_lock = threading.Lock()
_MARK = "_sunodesk_handler"  # set on the handlers this module adds, so a second call replaces


def log_path(data_dir: str | os.PathLike[str]) -> Path:
    """Where the current log file is (older ones sit next to it as .1, .2, .3)."""
    return Path(data_dir) / "logs" / "sunodesk.log"


def debug_enabled() -> bool:
    """True when ``SUNODESK_DEBUG`` is set to anything but empty or 0."""
    return os.environ.get(DEBUG_ENV, "").strip() not in ("", "0")


def remember_secret(secret: str | None) -> None:
    """Redact ``secret`` from every log record from now on (the key store calls this)."""
    secret = (secret or "").strip()
    if len(secret) >= 4:
        with _known_lock:
            _known.add(secret)


def redact(text: str) -> str:
    """``text`` with every known key and every key-shaped token replaced by ``***``."""
    with _known_lock:
        secrets = set(_known)
    env = os.environ.get(KEY_ENV, "").strip()
    if len(env) >= 4:
        secrets.add(env)
    for secret in sorted(secrets, key=len, reverse=True):  # a key inside a longer one: longest
        text = text.replace(secret, MASK)
    text = _BEARER.sub(rf"\g<1>{MASK}", text)
    return _SK.sub(f"sk-{MASK}", text)


class RedactingFilter(logging.Filter):
    """Redacts the record's message, exception text and stack in place (never drops one).

    The record is shared by every handler, so the terminal and test captures see the redacted
    form too.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: keep what there is, still redacted
            message = f"{record.msg!r} {record.args!r}"
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class OneLineFormatter(logging.Formatter):
    """One line per record: an exception is shown as ``(Type: message)``, no traceback."""

    def format(self, record: logging.LogRecord) -> str:
        saved = record.exc_info, record.exc_text, record.stack_info
        summary = ""
        exc = record.exc_info[1] if record.exc_info else None
        if exc is not None:
            summary = f" ({type(exc).__name__}: {redact(str(exc))})"
        record.exc_info = record.exc_text = record.stack_info = None
        try:
            line = super().format(record) + summary
        finally:
            record.exc_info, record.exc_text, record.stack_info = saved
        return " | ".join(part for part in line.splitlines() if part.strip()) or line


FILE_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
DEBUG_FILE_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s]: %(message)s"
CONSOLE_FORMAT = "sunodesk: %(message)s"


def setup_logging(
    data_dir: str | os.PathLike[str] | None, *, debug: bool, console: bool
) -> Path | None:
    """Send logging to the rotating log file (and, with ``console``, to stderr).

    Calling it again replaces the handlers it added before (never two of each). Returns the
    log file's path, or None when the data folder cannot hold one (logging then goes to the
    terminal only; the app runs on). ``data_dir`` None means no file.
    """
    shutdown_logging()
    root = logging.getLogger()
    redacting = RedactingFilter()
    path = log_path(data_dir) if data_dir is not None else None
    try:
        if path is None:
            raise FileNotFoundError("no data folder")
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        file_handler: logging.Handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
        )
    except OSError:
        path = None
    else:
        file_handler.setLevel(logging.DEBUG if debug else logging.INFO)
        file_handler.setFormatter(
            logging.Formatter(DEBUG_FILE_FORMAT) if debug else OneLineFormatter(FILE_FORMAT)
        )
        _add(root, file_handler, redacting)
    if console:
        stream = logging.StreamHandler()  # sys.stderr
        stream.setLevel(logging.DEBUG if debug else logging.WARNING)
        stream.setFormatter(
            logging.Formatter(CONSOLE_FORMAT) if debug else OneLineFormatter(CONSOLE_FORMAT)
        )
        _add(root, stream, redacting)
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    return path


def shutdown_logging() -> None:
    """Remove and close the handlers :func:`setup_logging` added (tests use this)."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, _MARK, False)]:
        root.removeHandler(handler)
        handler.close()


def _add(root: logging.Logger, handler: logging.Handler, redacting: logging.Filter) -> None:
    handler.addFilter(redacting)
    setattr(handler, _MARK, True)
    root.addHandler(handler)
