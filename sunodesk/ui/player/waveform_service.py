"""Waveforms of takes, decoded once per take in a thread of their own and cached on disk.

The GUI thread only asks (:meth:`WaveformService.peaks`): the answer comes from memory at
once, or is None and a request goes to the decoder thread, which reads the take's cached
peaks or decodes its file with Qt's QAudioDecoder (the FFmpeg backend of the PySide6 wheels,
so nothing is added to the bundle), asking for 4 kHz mono 16-bit so there is little PCM to
fold, and folds it with :class:`sunodesk.core.waveform.PeakMeter`. ``ready`` says when a
take's peaks arrived. A file that cannot be decoded is remembered as such (no retry loop)
until the data folder changes.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict, deque
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer, QUrl, Signal, Slot
from PySide6.QtMultimedia import QAudioDecoder, QAudioFormat

from sunodesk.core.waveform import BUCKETS, PeakMeter
from sunodesk.store.waveforms import WaveformCache, cache_dir

log = logging.getLogger(__name__)
SAMPLE_RATE = 4000  # plenty for a loudness strip; less PCM to fold while holding the GIL
DECODE_TIMEOUT_MS = 60_000  # a file the decoder neither finishes nor refuses
MEMORY = 20_000  # peaks kept in memory (600 bytes each)


class _Decoder(QObject):
    """Lives in the waveform thread: one decode at a time, urgent requests first."""

    # result_id, peaks (bytes) or None, and "cache", "decoded", "failed" or "missing" (not
    # cached, and no file to decode)
    done = Signal(str, object, str)

    def __init__(self) -> None:
        super().__init__()
        self._queue: deque[tuple[str, str, str]] = deque()
        self._decoder: QAudioDecoder | None = None
        self._current: tuple[str, str, str] | None = None
        self._meter: PeakMeter | None = None
        self._timer: QTimer | None = None
        self.decode_thread: int | None = None  # the thread that last decoded (tests read it)
        self.cpu_s = 0.0  # CPU time this thread spent on decodes (the benchmark prints it)
        self._cpu_start = 0.0

    @Slot(str, str, str, bool)
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
                self._start(result_id, path, folder)

    def _start(self, result_id: str, path: str, folder: str) -> None:
        if self._decoder is None:
            self._decoder = QAudioDecoder(self)
            fmt = QAudioFormat()
            fmt.setSampleRate(SAMPLE_RATE)
            fmt.setChannelCount(1)
            fmt.setSampleFormat(QAudioFormat.SampleFormat.Int16)
            self._decoder.setAudioFormat(fmt)
            self._decoder.bufferReady.connect(self._buffer)
            self._decoder.finished.connect(self._finished)
            self._decoder.error.connect(self._error)
            self._timer = QTimer(self)
            self._timer.setSingleShot(True)
            self._timer.timeout.connect(self._timed_out)
        self._current = (result_id, path, folder)
        self._meter = PeakMeter()
        self.decode_thread = threading.get_ident()
        self._cpu_start = time.thread_time()
        self._decoder.setSource(QUrl.fromLocalFile(path))
        assert self._timer is not None
        self._timer.start(DECODE_TIMEOUT_MS)
        self._decoder.start()

    def _buffer(self) -> None:
        assert self._decoder is not None
        buffer = self._decoder.read()
        if self._meter is not None and buffer.isValid():
            self._meter.feed(bytes(buffer.constData()))

    def _finished(self) -> None:
        if self._current is None or self._meter is None:
            return
        result_id, _path, folder = self._current
        peaks = self._meter.finish(BUCKETS) or None
        if peaks is not None and folder:
            WaveformCache(folder).write(result_id, peaks)
        self._end(result_id, peaks, "decoded" if peaks else "failed")

    def _error(self, _error: QAudioDecoder.Error) -> None:
        if self._current is not None:
            assert self._decoder is not None
            log.info("no waveform for %s: %s", self._current[0], self._decoder.errorString())
            self._end(self._current[0], None, "failed")

    def _timed_out(self) -> None:
        if self._current is not None:
            log.info("no waveform for %s: the decoder took too long", self._current[0])
            self._end(self._current[0], None, "failed")

    def _end(self, result_id: str, peaks: bytes | None, source: str) -> None:
        assert self._decoder is not None and self._timer is not None
        self._timer.stop()
        self.cpu_s += time.thread_time() - self._cpu_start
        self._current, self._meter = None, None
        self._decoder.blockSignals(True)
        self._decoder.stop()
        self._decoder.blockSignals(False)
        self.done.emit(result_id, peaks, source)
        self._next()


class WaveformService(QObject):
    """The GUI side: memory, what is on its way, and the decoder thread (started on demand)."""

    ready = Signal(str)  # result_id: its peaks are in memory now
    _request = Signal(str, str, str, bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._memory: OrderedDict[str, bytes] = OrderedDict()
        self._pending: set[str] = set()
        self._failed: set[str] = set()  # could not be decoded
        self._missing: dict[str, str] = {}  # not cached, no file at the path asked with
        self._asked: dict[str, str] = {}  # result_id -> the path its pending request has
        self._folder = ""
        self._thread: QThread | None = None
        self._decoder: _Decoder | None = None
        self.decodes = 0  # files decoded (not read from the cache) since start
        self.decode_thread: int | None = None  # the thread of the last decode (tests read it)
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
            self._ensure_thread()
            self._request.emit(result_id, path, self._folder, urgent)
        return None

    def _ensure_thread(self) -> None:
        if self._thread is not None:
            return
        self._thread = QThread()
        self._thread.setObjectName("waveforms")
        self._decoder = _Decoder()
        self._decoder.moveToThread(self._thread)
        self._request.connect(self._decoder.request)
        self._decoder.done.connect(self._done)
        self._thread.finished.connect(self._decoder.deleteLater)
        self._thread.start(QThread.Priority.LowPriority)

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
                self.decode_thread = self._decoder.decode_thread
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
        """Stop the decoder thread (it starts again on the next request)."""
        thread, self._thread = self._thread, None
        if thread is None:
            return
        self._request.disconnect()
        thread.quit()
        thread.wait()
        self._decoder = None
        self._pending.clear()
        self._asked.clear()
