"""The waveform decoder's own process, at a low priority.

``sunodesk --decode-waveforms`` serves the window: it reads one request per line on stdin (a
JSON list ``[path, cache folder, result id]``), decodes the file with Qt's QAudioDecoder,
keeps the peaks in the cache folder when one is given, and answers one line per request,
``peaks <hex>`` or ``peaks -`` when the file cannot be decoded, until stdin closes. One
process serves every take of a session, so the cost of starting Python and Qt Multimedia is
paid once, not once per take. ``sunodesk --decode-waveform FILE`` decodes one file and prints
its peaks as hex (exit 0), or nothing (exit 1); it is there for people and tests.

Decoding runs here, never in the window's process: the folding of PCM into peaks then never
competes with the GUI thread for the GIL, and FFmpeg's decoder threads never share the
window's process with its QMediaPlayer. The process lowers its own priority first: a waveform
can wait, the window (and the music playing) cannot.
"""

from __future__ import annotations

import json
import os
import sys
from typing import BinaryIO

SAMPLE_RATE = 4000  # plenty for a loudness strip; less PCM to fold
TIMEOUT_MS = 60_000  # a file the decoder neither finishes nor refuses
NICENESS = 10  # POSIX: below the window, above idle
BELOW_NORMAL_PRIORITY_CLASS = 0x4000  # Windows
ANSWER = b"peaks "


def lower_priority() -> None:
    """Let everything the person is doing have the CPU before this process."""
    try:
        if sys.platform == "win32":
            import ctypes

            kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
            kernel32.SetPriorityClass(kernel32.GetCurrentProcess(), BELOW_NORMAL_PRIORITY_CLASS)
        else:
            os.nice(NICENESS)
    except (OSError, AttributeError):
        pass  # not allowed here: decode at the normal priority


def _app():
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.instance() or QCoreApplication([sys.argv[0]])


def decode(path: str) -> bytes:
    """The peaks of one file (``BUCKETS`` bytes), or b"" when it cannot be decoded."""
    from PySide6.QtCore import QEventLoop, QTimer, QUrl
    from PySide6.QtMultimedia import QAudioDecoder, QAudioFormat

    from sunodesk.core.waveform import BUCKETS, PeakMeter

    _app()
    meter = PeakMeter()
    result = {"ok": False}
    loop = QEventLoop()
    decoder = QAudioDecoder()
    fmt = QAudioFormat()
    fmt.setSampleRate(SAMPLE_RATE)
    fmt.setChannelCount(1)
    fmt.setSampleFormat(QAudioFormat.SampleFormat.Int16)
    decoder.setAudioFormat(fmt)

    def buffer() -> None:
        data = decoder.read()
        if data.isValid():
            meter.feed(bytes(data.constData()))

    def finished() -> None:
        result["ok"] = True
        loop.quit()

    decoder.bufferReady.connect(buffer)
    decoder.finished.connect(finished)
    decoder.error.connect(lambda _error: loop.quit())
    timer = QTimer(singleShot=True, interval=TIMEOUT_MS)
    timer.timeout.connect(loop.quit)
    timer.start()
    decoder.setSource(QUrl.fromLocalFile(path))
    QTimer.singleShot(0, decoder.start)  # in the loop: an error at once must still quit it
    loop.exec()
    timer.stop()
    decoder.stop()
    decoder.deleteLater()
    return meter.finish(BUCKETS) if result["ok"] else b""


def main(path: str) -> int:
    """``--decode-waveform FILE``: one file's peaks as hex on stdout."""
    lower_priority()
    peaks = decode(path)
    if not peaks:
        return 1
    sys.stdout.write(peaks.hex() + "\n")
    sys.stdout.flush()
    return 0


def parse_request(line: bytes) -> tuple[str, str, str] | None:
    """``[path, folder, result id]`` from one request line, or None when it is not one."""
    try:
        value = json.loads(line)
    except (ValueError, RecursionError):
        return None
    if (
        not isinstance(value, list)
        or len(value) != 3
        or not all(isinstance(v, str) for v in value)
        or not value[0]
    ):
        return None
    return value[0], value[1], value[2]


def serve(requests: BinaryIO | None = None, answers: BinaryIO | None = None) -> int:
    """``--decode-waveforms``: answer every request line until stdin closes."""
    from sunodesk.store.waveforms import WaveformCache

    lower_priority()
    requests = requests or sys.stdin.buffer
    answers = answers or sys.stdout.buffer
    for line in iter(requests.readline, b""):
        request = parse_request(line.strip())
        peaks = b""
        if request is not None:
            path, folder, result_id = request
            peaks = decode(path)
            if peaks and folder and result_id:
                WaveformCache(folder).write(result_id, peaks)
        answers.write(ANSWER + (peaks.hex().encode() if peaks else b"-") + b"\n")
        answers.flush()
    return 0
