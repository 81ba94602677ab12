"""Waveforms of takes, decoded once per take in a process of their own and cached on disk.

The GUI thread only asks (:meth:`WaveformService.peaks`): the answer comes from memory at
once, or is None and the take's cached peaks are read, or its file is decoded by
``sunodesk --decode-waveforms`` (:mod:`sunodesk.ui.player.decode_child`: Qt's
QAudioDecoder, the FFmpeg backend of the PySide6 wheels, so nothing is added to the bundle),
one take at a time, in one low-priority child run with QProcess so nothing waits; the child
also writes the cache. Decoding in another process keeps its work (and the GIL it would hold
to fold PCM) off the window's process entirely.
``ready`` says when a take's peaks arrived. A file that cannot be
decoded is remembered as such (no retry loop) until the data folder changes.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sys
from collections import OrderedDict, deque
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QProcess, QTimer, Signal

from sunodesk.core.waveform import BUCKETS
from sunodesk.store.waveforms import WaveformCache, cache_dir
from sunodesk.ui.player.decode_child import ANSWER

log = logging.getLogger(__name__)
DECODE_TIMEOUT_MS = 90_000  # a decoder that neither finishes nor refuses (the child has 60 s)
IDLE_MS = 20_000  # the decoder process leaves after this long without work
MEMORY = 20_000  # peaks kept in memory (600 bytes each)


def decoder_command() -> tuple[str, list[str]]:
    """How to start the decoder process: this program again, frozen (the bundle) or not."""
    if getattr(sys, "frozen", False):
        return sys.executable, ["--decode-waveforms"]
    return sys.executable, ["-m", "sunodesk", "--decode-waveforms"]


class _Decoder(QObject):
    """One decode at a time, urgent requests first, all in one child process.

    The child is started on the first request and stays while there is work; after
    ``IDLE_MS`` without any its stdin is closed and it leaves. A take that takes too long
    fails; a child that dies under a take gets that take once more, in a new child, then it
    fails (a file that kills the decoder is not tried forever). A decoder that cannot be
    started at all fails every take at once, for the session. Nothing here waits for a child
    except ``shutdown``: requests are written, answers arrive as signals.
    """

    # result_id, peaks (bytes) or None, and "cache", "decoded", "failed" or "missing" (not
    # cached, and no file to decode)
    done = Signal(str, object, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._queue: deque[tuple[str, str, str]] = deque()
        self._process: QProcess | None = None
        self._answers = bytearray()
        self._current: tuple[str, str, str] | None = None
        self._timer = QTimer(self, singleShot=True, interval=DECODE_TIMEOUT_MS)
        self._timer.timeout.connect(self._timed_out)
        self._idle = QTimer(self, singleShot=True, interval=IDLE_MS)
        self._idle.timeout.connect(self._retire)
        self._leaving: set[QProcess] = set()  # killed or retired, not finished yet
        self._retried: set[str] = set()  # takes a child died under once
        self._cannot_start = False
        self.decode_pid: int | None = None  # the process that last decoded (tests read it)
        self.started = 0  # decoder processes started (tests and the benchmark read it)

    def request(self, result_id: str, path: str, folder: str, urgent: bool) -> None:
        item = (result_id, path, folder)
        if urgent:
            self._queue.appendleft(item)
        else:
            self._queue.append(item)
        if self._current is None:
            self._next()

    def _next(self) -> None:
        while self._queue and self._current is None:
            result_id, path, folder = self._queue.popleft()
            cached = WaveformCache(folder).read(result_id) if folder else None
            if cached is not None:
                self.done.emit(result_id, cached, "cache")
            elif not path or not Path(path).is_file():
                self.done.emit(result_id, None, "missing")
            else:
                self._send(result_id, path, folder)
        if self._current is None and self._process is not None:
            self._idle.start()

    def _send(self, result_id: str, path: str, folder: str) -> None:
        self._idle.stop()
        self._current = (result_id, path, folder)
        if self._cannot_start:
            QTimer.singleShot(0, lambda: self._end(result_id, None, "failed"))
            return
        process = self._process or self._start_process()
        line = json.dumps([path, folder, result_id]) + "\n"  # ASCII: json escapes the rest
        process.write(line.encode("ascii"))
        self._timer.start()

    def _start_process(self) -> QProcess:
        process = QProcess(self)
        process.setProcessChannelMode(QProcess.ProcessChannelMode.SeparateChannels)
        process.setStandardErrorFile(QProcess.nullDevice())  # FFmpeg's chatter, unbounded
        process.started.connect(lambda: setattr(self, "decode_pid", process.processId()))
        process.readyReadStandardOutput.connect(lambda: self._read(process))
        process.finished.connect(lambda _code, _status: self._exited(process))
        process.errorOccurred.connect(lambda error: self._failed_to_run(process, error))
        program, args = decoder_command()
        self._process = process
        self._answers.clear()
        self.started += 1
        process.start(program, args)
        return process

    def _read(self, process: QProcess) -> None:
        if process is not self._process:
            return
        self._answers += bytes(process.readAllStandardOutput().data())
        while b"\n" in self._answers:
            line, _, rest = bytes(self._answers).partition(b"\n")
            self._answers = bytearray(rest)
            if line.startswith(ANSWER):
                self._answered(line[len(ANSWER) :].strip())

    def _answered(self, text: bytes) -> None:
        if self._current is None:
            return
        result_id = self._current[0]
        peaks: bytes | None = None
        if text != b"-":
            try:
                peaks = bytes.fromhex(text.decode("ascii"))
            except (ValueError, UnicodeDecodeError):
                peaks = None
        if peaks is not None and len(peaks) != BUCKETS:
            peaks = None
        if not peaks:
            log.info("no waveform for %s (the decoder could not read it)", result_id)
        self._end(result_id, peaks, "decoded" if peaks else "failed")

    def _exited(self, process: QProcess) -> None:
        self._leaving.discard(process)
        process.deleteLater()
        if process is not self._process:
            return  # one that was stopped on purpose
        self._process = None
        self._idle.stop()
        if self._current is None:
            return
        item = self._current
        if item[0] not in self._retried:  # perhaps it died before it read this one
            self._retried.add(item[0])
            self._timer.stop()
            self._current = None
            self._queue.appendleft(item)
            self._next()
            return
        log.info("no waveform for %s: the decoder stopped on it", item[0])
        self._end(item[0], None, "failed")

    def _failed_to_run(self, process: QProcess, error: QProcess.ProcessError) -> None:
        if error != QProcess.ProcessError.FailedToStart or process is not self._process:
            return  # a crash or a kill ends in finished() as well
        self._process = None
        self._cannot_start = True
        process.deleteLater()
        log.info("the waveform decoder did not start: no waveforms this session")
        if self._current is not None:
            # later, not in here: on some systems start() reports this before it returns,
            # and failing the next take from inside would start the next process from inside
            result_id = self._current[0]
            QTimer.singleShot(0, lambda: self._end(result_id, None, "failed"))

    def _timed_out(self) -> None:
        if self._current is not None:
            log.info("no waveform for %s: the decoder took too long", self._current[0])
            self._stop_process()  # it may be stuck on this file: the next starts afresh
            self._end(self._current[0], None, "failed")

    def _end(self, result_id: str, peaks: bytes | None, source: str) -> None:
        if self._current is None or self._current[0] != result_id:
            return  # already ended (shut down, or a deferred failure after a restart)
        self._timer.stop()
        self._current = None
        self.done.emit(result_id, peaks, source)
        self._next()

    def _retire(self) -> None:
        """No work for a while: the child reads the end of its input and leaves."""
        if self._current is None and self._process is not None:
            # let go of it first: a request that comes while it leaves starts a new one
            # instead of writing into a closed channel
            process, self._process = self._process, None
            self._leaving.add(process)
            process.closeWriteChannel()  # finished() follows, and deletes it

    def _stop_process(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.state() != QProcess.ProcessState.NotRunning:
            self._leaving.add(process)
            process.kill()  # finished() follows, and deletes it; nothing waits here
        elif process is not None:
            process.deleteLater()

    def shutdown(self) -> None:
        self._queue.clear()
        self._timer.stop()
        self._idle.stop()
        self._current = None
        process, self._process = self._process, None
        leaving = [process, *self._leaving] if process is not None else list(self._leaving)
        self._leaving.clear()
        for child in leaving:
            # no signal of theirs may reach this object once it is gone
            for signal in (child.started, child.readyReadStandardOutput, child.finished,
                           child.errorOccurred):  # fmt: skip
                with contextlib.suppress(RuntimeError, TypeError):
                    signal.disconnect()
            if child.state() != QProcess.ProcessState.NotRunning:
                child.kill()
                child.waitForFinished(1000)  # the window is closing: leave nothing behind
            child.deleteLater()


class WaveformService(QObject):
    """The GUI side: memory, what is on its way, and the decoder (started on demand)."""

    ready = Signal(str)  # result_id: its peaks are in memory now

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._memory: OrderedDict[str, bytes] = OrderedDict()
        self._pending: set[str] = set()
        self._failed: set[str] = set()  # could not be decoded
        self._missing: dict[str, str] = {}  # not cached, no file at the path asked with
        self._asked: dict[str, str] = {}  # result_id -> the path its pending request has
        self._folder = ""
        self._decoder: _Decoder | None = None
        self.decodes = 0  # files decoded (not read from the cache) since start
        self.decode_pid: int | None = None  # the process of the last decode (tests read it)
        self.cache_reads = 0
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    def set_data_dir(self, data_dir: str | Path | None) -> None:
        """Cache under this data folder (None: memory only). A new folder forgets failures."""
        self._folder = str(cache_dir(data_dir)) if data_dir else ""
        self._failed.clear()
        self._missing.clear()

    def peaks(self, result_id: str, path: str | None = None, urgent: bool = False) -> bytes | None:
        """The take's peaks (``BUCKETS`` bytes, 0-255 each) when known; else None, and they
        are fetched (from the cache, or decoded from ``path``) and ``ready`` follows."""
        if not result_id:
            return None
        peaks = self._memory.get(result_id)
        if peaks is not None:
            self._memory.move_to_end(result_id)
            return peaks
        path = path or ""
        if result_id in self._failed and not (urgent and path):
            return None
        if self._missing.get(result_id) == path and not urgent:
            return None  # asked before with this path (or none): nothing to read or decode
        if result_id not in self._pending or urgent:
            self._pending.add(result_id)
            self._asked[result_id] = path
            self._ensure_decoder().request(result_id, path, self._folder, urgent)
        return None

    def _ensure_decoder(self) -> _Decoder:
        if self._decoder is None:
            self._decoder = _Decoder(self)
            self._decoder.done.connect(self._done)
        return self._decoder

    def _done(self, result_id: str, peaks: object, source: str) -> None:
        self._pending.discard(result_id)
        path = self._asked.pop(result_id, "")
        if source == "missing":
            self._missing[result_id] = path
            return
        self._missing.pop(result_id, None)
        if source == "decoded":
            self.decodes += 1
            if self._decoder is not None:
                self.decode_pid = self._decoder.decode_pid
        elif source == "cache":
            self.cache_reads += 1
        if not isinstance(peaks, bytes) or not peaks:
            self._failed.add(result_id)
            return
        self._failed.discard(result_id)
        self._memory[result_id] = peaks
        while len(self._memory) > MEMORY:
            self._memory.popitem(last=False)
        self.ready.emit(result_id)

    def busy(self) -> bool:
        return bool(self._pending)

    def shutdown(self) -> None:
        """Stop the decoder and forget what was on its way (it starts again on request)."""
        decoder, self._decoder = self._decoder, None
        if decoder is None:
            return
        decoder.done.disconnect()
        decoder.shutdown()
        decoder.deleteLater()
        self._pending.clear()
        self._asked.clear()
