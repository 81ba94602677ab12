"""Telling a live process from a dead one (jobs and temp files of a crashed owner)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from sunodesk.store import processes

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="the POSIX probe")


def test_no_pid_is_not_alive():
    assert not processes.alive(None)
    assert not processes.alive(0)
    assert not processes.alive(-5)


def test_own_pid_is_alive():
    assert processes.alive(os.getpid())


@posix_only
def test_posix_probe_own_pid_alive_and_reaped_child_dead():
    assert processes._alive_posix(os.getpid())
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    assert processes._alive_posix(child.pid)  # not reaped yet: still a pid (a zombie)
    child.wait()  # reaped: the pid no longer exists
    assert not processes._alive_posix(child.pid)
    assert not processes.alive(child.pid)


def test_probe_is_picked_by_platform():
    # os.kill(pid, 0) on Windows would end the process, so Windows must use the Win32 probe.
    assert processes._probe_for("win32") is processes._alive_windows
    assert processes._probe_for("linux") is processes._alive_posix
    assert processes._probe_for("darwin") is processes._alive_posix
    assert processes._probe is processes._probe_for(sys.platform)
