"""The waveform cache: one small file of peaks per take, so a take is decoded once, ever.

Files live in ``<data folder>/cache/waveforms/`` named by a hash of the result id (ids come
from a server and are never used as file names). A file is a magic line and the peaks; one
that is short, foreign or damaged reads as missing and is simply computed again. Writes go to
a temporary file first, so a crash never leaves half a waveform behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

MAGIC = b"SDWF1\n"
MAX_PEAKS = 4096


def cache_dir(data_dir: str | os.PathLike[str]) -> Path:
    return Path(data_dir) / "cache" / "waveforms"


class WaveformCache:
    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)

    def path_for(self, result_id: str) -> Path:
        digest = hashlib.sha256(result_id.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        return self.folder / f"{digest}.peaks"

    def read(self, result_id: str) -> bytes | None:
        """The cached peaks of a take, or None when there are none (or they are unreadable)."""
        try:
            with open(self.path_for(result_id), "rb") as f:
                data = f.read(len(MAGIC) + MAX_PEAKS + 1)
        except OSError:
            return None
        peaks = data[len(MAGIC) :]
        if not data.startswith(MAGIC) or not 0 < len(peaks) <= MAX_PEAKS:
            return None
        return peaks

    def write(self, result_id: str, peaks: bytes) -> bool:
        """Keep a take's peaks; False (and nothing left behind) when the disk refuses."""
        if not 0 < len(peaks) <= MAX_PEAKS:
            return False
        target = self.path_for(result_id)
        temp = target.with_suffix(f".{os.getpid()}.tmp")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with open(temp, "wb") as f:
                f.write(MAGIC + peaks)
            os.replace(temp, target)
            return True
        except OSError:
            with contextlib.suppress(OSError):
                temp.unlink(missing_ok=True)
            return False
