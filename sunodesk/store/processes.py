"""Is a process still alive? Used to tell a live owner's jobs and temp files from a dead one's."""

from __future__ import annotations

import os


def alive(pid: int | None) -> bool:
    """True when a process with this pid exists on this machine (ours included)."""
    if not pid or pid <= 0:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists but belongs to someone else
        return True
    except OSError:  # e.g. Windows: no signal 0; assume alive rather than steal
        return True
    return True
