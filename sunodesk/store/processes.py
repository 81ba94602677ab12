"""Is a process still alive? Used to tell a live owner's jobs and temp files from a dead one's.

POSIX asks with ``os.kill(pid, 0)``, which sends nothing. Windows has no signal 0: there
``os.kill`` would end the process (or send it a console Ctrl+C), so a crashed owner's jobs
could never be claimed again. It asks the Win32 API instead, through ctypes.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

# Win32 constants (winnt.h, winerror.h, minwinbase.h).
PROCESS_QUERY_LIMITED_INFORMATION = 0x1000
STILL_ACTIVE = 259
ERROR_ACCESS_DENIED = 5


def alive(pid: int | None) -> bool:
    """True when a process with this pid exists on this machine (ours included)."""
    if not pid or pid <= 0:
        return False
    if pid == os.getpid():
        return True
    return _probe(pid)


def _alive_posix(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only checks that the pid exists
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists but belongs to someone else
        return True
    except OSError:  # cannot tell: assume alive rather than steal its jobs
        return True
    return True


def _alive_windows(pid: int) -> bool:
    kernel32 = _kernel32()
    handle = kernel32.OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, False, pid)
    if not handle:
        # No such process (ERROR_INVALID_PARAMETER), unless it exists and is protected.
        return bool(_last_error() == ERROR_ACCESS_DENIED)
    try:
        code = _exit_code(kernel32, handle)
        return code is None or code == STILL_ACTIVE  # cannot tell: assume alive
    finally:
        kernel32.CloseHandle(handle)


def _probe_for(platform: str) -> Callable[[int], bool]:
    """The liveness probe for ``platform`` (a ``sys.platform`` value)."""
    return _alive_windows if platform == "win32" else _alive_posix


def _kernel32() -> Any:
    if sys.platform == "win32":
        import ctypes
        from ctypes import wintypes

        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        kernel32.OpenProcess.argtypes = (wintypes.DWORD, wintypes.BOOL, wintypes.DWORD)
        kernel32.OpenProcess.restype = wintypes.HANDLE
        kernel32.GetExitCodeProcess.argtypes = (wintypes.HANDLE, ctypes.POINTER(wintypes.DWORD))
        kernel32.GetExitCodeProcess.restype = wintypes.BOOL
        kernel32.CloseHandle.argtypes = (wintypes.HANDLE,)
        kernel32.CloseHandle.restype = wintypes.BOOL
        return kernel32
    raise OSError("the Win32 API exists only on Windows")


def _exit_code(kernel32: Any, handle: Any) -> int | None:
    if sys.platform == "win32":
        import ctypes
        from ctypes import wintypes

        code = wintypes.DWORD()
        if kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return int(code.value)
    return None


def _last_error() -> int:
    if sys.platform == "win32":
        import ctypes

        return ctypes.get_last_error()
    return 0


_probe = _probe_for(sys.platform)
