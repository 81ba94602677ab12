"""The waveform decoder's own process: ``sunodesk --decode-waveform FILE`` prints a take's
peaks as hex on one line (exit 0), or nothing (exit 1) when the file cannot be decoded.

Decoding runs here, never in the window's process: the folding of PCM into peaks then never
competes with the GUI thread for the GIL, and FFmpeg's decoder threads never share the
window's process with its QMediaPlayer.
"""

from __future__ import annotations

import sys

SAMPLE_RATE = 4000  # plenty for a loudness strip; less PCM to fold
TIMEOUT_MS = 60_000  # a file the decoder neither finishes nor refuses


def main(path: str) -> int:
    from PySide6.QtCore import QCoreApplication, QTimer, QUrl
    from PySide6.QtMultimedia import QAudioDecoder, QAudioFormat

    from sunodesk.core.waveform import BUCKETS, PeakMeter

    app = QCoreApplication.instance() or QCoreApplication([sys.argv[0]])
    meter = PeakMeter()
    result = {"ok": False}
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
        app.quit()

    decoder.bufferReady.connect(buffer)
    decoder.finished.connect(finished)
    decoder.error.connect(lambda _error: app.quit())
    QTimer.singleShot(TIMEOUT_MS, app.quit)
    decoder.setSource(QUrl.fromLocalFile(path))
    QTimer.singleShot(0, decoder.start)  # in the loop: an error at once must still quit it
    app.exec()
    peaks = meter.finish(BUCKETS) if result["ok"] else b""
    if not peaks:
        return 1
    sys.stdout.write(peaks.hex() + "\n")
    sys.stdout.flush()
    return 0
