"""Safe file names, temp files beside their target, atomic writes, and path containment.

A file at its final path is always complete: writes go to a hidden ``.sunodesk-<uuid>.part``
in the same folder (same file system), are fsynced, then ``os.replace``d into place.
"""

from __future__ import annotations

import os
import re
import time
import unicodedata
import uuid
from pathlib import Path

TEMP_PREFIX = ".sunodesk-"
TEMP_SUFFIX = ".part"
MAX_NAME_BYTES = 200
UNTITLED = "Untitled"

_FORBIDDEN = set('/\\:*?"<>|')
_SEPARATORS = re.compile(r"[/\\]+")
# Bidirectional overrides and isolates can disguise a name ("mp3.exe" shown as "exe.3pm").
_BIDI = set("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Windows device names (COM¹-COM³ and LPT¹-LPT³ too, and the console's CONIN$ / CONOUT$)
_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"} | {
    f"{p}{n}" for p in ("COM", "LPT") for n in [*"123456789", "¹", "²", "³"]
}
_TRAILING_JOINERS = "\u200d\ufe0e\ufe0f"


def _clean_chars(text: str) -> str:
    out = []
    for char in text:
        category = unicodedata.category(char)
        if char in _FORBIDDEN:
            out.append("_")
        elif char in "\t\n\r\v\f" or category == "Zs":
            out.append(" ")
        elif category in ("Cc", "Cs", "Co", "Cn") or char in _BIDI:
            continue
        else:
            out.append(char)
    return "".join(out)


def _trim(text: str) -> str:
    text = " ".join(text.split())
    text = re.sub(r"_{2,}", "_", text)
    text = text.lstrip(". _")
    return text.rstrip(". ")


def _fit(text: str, max_len: int, max_bytes: int) -> str:
    text = text[:max_len]
    while len(text.encode("utf-8")) > max_bytes:
        text = text[:-1]
    # do not leave half a grapheme: a dangling joiner, variation selector or combining mark
    while text and (text[-1] in _TRAILING_JOINERS or unicodedata.combining(text[-1])):
        text = text[:-1]
    return text


def _is_reserved(stem: str) -> bool:
    return stem.partition(".")[0].rstrip(" ").upper() in _RESERVED


def _unreserve(stem: str) -> str:
    head, dot, rest = stem.partition(".")
    if _is_reserved(stem):
        return f"{head}_{dot}{rest}"
    return stem


def safe_filename(title: str, ext: str = ".mp3", max_len: int = 80) -> str:
    """A readable, portable file name for any Unicode title, with ``ext`` appended.

    Letters and digits of every script survive; path separators, ``:*?"<>|`` and control
    characters do not; no leading dot, no ``..`` path components, no Windows device names,
    no trailing dots or spaces. The part before ``ext`` is at most ``max_len`` characters and
    at most 200 bytes of UTF-8. A blank title becomes "Untitled".
    """
    text = unicodedata.normalize("NFC", title or "")
    # drop "." and ".." path components before the separators become "_"
    parts = [p for p in _SEPARATORS.split(text) if p.strip() not in (".", "..")]
    text = _trim(_clean_chars("/".join(parts)))
    text = _trim(_fit(text, max(1, max_len), MAX_NAME_BYTES))
    cap = max(1, max_len)
    text = _unreserve(text) or UNTITLED
    text = _trim(_fit(text, cap, MAX_NAME_BYTES)) or _fit(UNTITLED, cap, MAX_NAME_BYTES)
    if _is_reserved(text):  # the cap cut the "_" that _unreserve added: cut one more
        text = _trim(_fit(text, len(text) - 1, MAX_NAME_BYTES))
    if ext and not ext.startswith("."):
        ext = "." + ext
    return text + (ext or "")


def unique_path(folder: str | os.PathLike[str], name: str) -> Path:
    """``folder/name``, or ``folder/stem (2).ext``, ``(3)`` … when that is taken."""
    folder = Path(folder)
    candidate = folder / name
    if not candidate.exists():
        return candidate
    stem, ext = os.path.splitext(name)
    n = 2
    while True:
        candidate = folder / f"{stem} ({n}){ext}"
        if not candidate.exists():
            return candidate
        n += 1


def temp_path(folder: str | os.PathLike[str]) -> Path:
    """A fresh hidden temp name inside ``folder`` (so ``os.replace`` stays on one device).

    The name carries our pid, so a cleanup never deletes a live process's download.
    """
    return Path(folder) / f"{TEMP_PREFIX}{os.getpid()}-{uuid.uuid4().hex}{TEMP_SUFFIX}"


def _temp_owner(name: str) -> int | None:
    middle = name[len(TEMP_PREFIX) : -len(TEMP_SUFFIX)]
    pid, _, rest = middle.partition("-")
    return int(pid) if pid.isdigit() and rest else None


def place_unique(temp: str | os.PathLike[str], folder: str | os.PathLike[str], name: str) -> Path:
    """Move a finished temp file to ``folder/name`` (or ``name (2)`` …) without ever replacing
    an existing file, even when two jobs pick the same name at the same moment."""
    temp, folder = Path(temp), Path(folder)
    stem, ext = os.path.splitext(name)
    n = 1
    while True:
        target = folder / (name if n == 1 else f"{stem} ({n}){ext}")
        try:
            os.link(temp, target)  # fails if the name exists: an atomic reservation
        except FileExistsError:
            n += 1
            continue
        except OSError:  # no hard links here (e.g. exFAT): claim the name exclusively instead
            try:
                os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL))
            except FileExistsError:
                n += 1
                continue
            os.replace(temp, target)
            fsync_dir(folder)
            return target
        temp.unlink()
        fsync_dir(folder)
        return target


def fsync_dir(folder: str | os.PathLike[str]) -> None:
    """Make a rename in ``folder`` durable (a no-op where directories cannot be opened)."""
    try:
        fd = os.open(str(folder), os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` so readers see the old file or the new one, never half.

    ``mode`` (e.g. 0o600) is applied to the temp file from its creation, before any byte.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path(path.parent)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = os.open(str(tmp), flags, 0o666 if mode is None else mode)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def atomic_write_text(
    path: str | os.PathLike[str], text: str, encoding: str = "utf-8", mode: int | None = None
) -> None:
    atomic_write_bytes(path, text.encode(encoding), mode=mode)


def clean_stale_temps(folder: str | os.PathLike[str], older_than: float = 0.0) -> int:
    """Delete leftover ``.sunodesk-*.part`` files (older than ``older_than`` seconds) whose
    process is gone; a live process's downloads are left alone."""
    from sunodesk.store import processes

    folder = Path(folder)
    if not folder.is_dir():
        return 0
    removed = 0
    cutoff = time.time() - older_than
    for entry in folder.iterdir():
        if not (entry.name.startswith(TEMP_PREFIX) and entry.name.endswith(TEMP_SUFFIX)):
            continue
        owner = _temp_owner(entry.name)
        if owner is not None and processes.alive(owner):  # ours included: still downloading
            continue
        try:
            if entry.is_file() and not entry.is_symlink() and entry.stat().st_mtime <= cutoff:
                entry.unlink()
                removed += 1
        except OSError:
            continue
    return removed


def is_inside(folder: str | os.PathLike[str], path: str | os.PathLike[str]) -> bool:
    """True when ``path``, with symlinks and ``..`` resolved, lies strictly inside ``folder``."""
    try:
        root = Path(folder).resolve()
        target = Path(path)
        if not target.is_absolute():
            target = root / target
        target = target.resolve()
    except (OSError, RuntimeError):
        return False
    return target != root and target.is_relative_to(root)
