"""`sunodesk --self-test`: prove that this install works, with no window and no network.

It checks what an offline install (the frozen bundle above all) can get wrong: the packaged
resources load, the built-in sandbox starts, one song is generated end to end by the real
engine into a throw-away data folder, its tags read back, the app icon renders through QtSvg,
and a real QMediaPlayer plays one second of the song through Qt Multimedia's FFmpeg backend.

It prints ONE line on stdout, "sunodesk self-test: OK: …" or "sunodesk self-test: FAIL: …",
and returns 0 or 1. The chatter of native libraries (FFmpeg, PulseAudio probing) is captured
and shown on stderr only when the test fails.

This module imports no Qt: the icon and playback checks live in ``selftest.qt``, imported only
when they run. Both import the shared thresholds from ``selftest.common`` (no cycle).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from sunodesk.core.jobstate import JobState
from sunodesk.selftest.common import Failed

TITLE = "Self-test"
LYRICS = "[Verse]\nOne line to prove it works\n[Chorus]\nPlay it back\n"
# Make the sandbox and the engine's waits fast (the knobs open_session reads).
FAST = {"SUNODESK_SANDBOX_SPEED": "2000", "SUNODESK_TIME_SCALE": "0.002"}
GENERATE_TIMEOUT = 60.0  # seconds


@contextlib.contextmanager
def _env(values: dict[str, str]) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, old in saved.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old


@contextlib.contextmanager
def _stderr_to(log: Path) -> Iterator[None]:
    """Send fd 2 (native libraries write there directly) to ``log`` for the duration."""
    sys.stderr.flush()
    saved = os.dup(2)
    with open(log, "wb") as sink:
        os.dup2(sink.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


def check_resources() -> None:
    package = resources.files("sunodesk.resources")
    vocabulary = json.loads(package.joinpath("style_vocabulary.json").read_text("utf-8"))
    if not vocabulary:
        raise Failed("the style vocabulary resource is empty")
    if b"<svg" not in package.joinpath("icons/sunodesk.svg").read_bytes():
        raise Failed("the app icon resource is not an SVG")


async def _generate(data_dir: Path):
    from sunodesk.core.models import SongRequest
    from sunodesk.engine.session import open_session

    session = await asyncio.to_thread(open_session, str(data_dir), None, True)
    try:
        request = SongRequest(title=TITLE, style="pop, upbeat", prompt=LYRICS)
        job = await session.engine.submit_song(request)
        job = await asyncio.wait_for(session.engine.wait(job.id), GENERATE_TIMEOUT)
        tracks = await asyncio.to_thread(session.store.tracks.for_job, job.id)
        return job, tracks
    finally:
        await session.close()


def generate(data_dir: Path):
    """One song, end to end, through the sandbox over real HTTP on 127.0.0.1."""
    with _env(FAST):
        try:
            job, tracks = asyncio.run(_generate(data_dir))
        except TimeoutError:
            raise Failed(f"the sandbox song was not done within {GENERATE_TIMEOUT:g} s") from None
    if job.state != JobState.DONE:
        raise Failed(f"the sandbox song ended '{job.state}': {job.error_message or 'no reason'}")
    filed = [t for t in tracks if t.path and Path(t.path).is_file()]
    if not filed:
        raise Failed("the song finished but no take was filed in the library")
    return filed


def check_tags(track) -> None:
    from sunodesk.store.tags import read_tags

    tags = read_tags(track.path)
    wrong = [
        name
        for name, ok in (
            ("title", tags.title == TITLE),
            ("artist", bool(tags.artist)),
            ("lyrics", tags.lyrics == LYRICS),
            ("cover", bool(tags.cover) and tags.cover_mime.startswith("image/")),
            ("SUNO_RESULT_ID", tags.result_id == track.result_id),
        )
        if not ok
    ]
    if wrong:
        raise Failed(f"tags missing or wrong in {Path(track.path).name}: {', '.join(wrong)}")


def run() -> int:
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="sunodesk-selftest-") as tmp:
        log = Path(tmp) / "native.log"
        try:
            with _stderr_to(log):
                check_resources()
                tracks = generate(Path(tmp) / "data")
                check_tags(tracks[0])
                from sunodesk.selftest.qt import check_qt

                played = check_qt(tracks[0].path)
        except Exception as exc:
            reason = str(exc) if isinstance(exc, Failed) else f"{type(exc).__name__}: {exc}"
            print(f"sunodesk self-test: FAIL: {reason}", flush=True)
            with contextlib.suppress(OSError):
                sys.stderr.write(log.read_text("utf-8", "replace"))
            return 1
    print(
        f"sunodesk self-test: OK: sandbox song generated ({len(tracks)} takes), tags read "
        f"back, {played} ({time.monotonic() - started:.1f} s)",
        flush=True,
    )
    return 0
