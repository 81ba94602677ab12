"""Benchmark: the longest GUI-thread stall while 20 jobs poll and their takes stream in.

Design budget ("Speed and size"): no GUI-thread stall over 50 ms while 20 jobs poll and 40
downloads stream from the sandbox. Meanwhile every listed take's waveform is asked for through
the hub, so they are decoded (in the waveform thread) during the run too.

The sandbox runs in its own process (its MP3 synthesis must not hold our GIL). The window runs
in a second child process (``python -m tests.perf.test_gui_stall BASE_URL DATA_DIR``): an
offscreen QApplication, the qasync loop, the real MainWindow and Studio, opened the way the app
opens them (API key from the environment, data folder from SUNODESK_DATA_DIR), pointed at the
sandbox process, with the session's engine allowed 20 generations at once (the settings stop
at 8). A 5 ms precise QTimer records the gap between its ticks from the first submit until all
40 takes are filed and listed; a stall is a gap minus the interval. The engine fetches a job's
two takes one after the other, so at most 20 of the 40 downloads stream at once (a
slow_download fault makes each last ~5 s). The child prints the
figures and leaves with os._exit, so interpreter teardown is neither measured nor able to fail
the run (PySide6 6.12 on CPython 3.11 drops a reference to None on every call of a void Qt
method; see NONE_BALLAST).

Figures are printed; only generous sanity bounds are asserted (this is not a timed test).
Run with ``make perf`` or ``QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest -q -s
tests/perf/test_gui_stall.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from tests.perf._stats import percentile, verdict

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

API_KEY = "sk-perf-0123456789abcdef"
JOBS = 20
TAKES = 2 * JOBS  # the sandbox makes two takes per song
SANDBOX_SPEED = 20.0  # a song task runs 120 s / 20 = 6 s, so all 20 jobs poll at once
SONG_SECONDS = 40.0  # 40 s at 96 kbps: ~480 KB per take
SLOW_DOWNLOAD = 100_000  # bytes/s per stream: a take streams for ~5 s
TIME_SCALE = 0.05  # engine waits x0.05: first poll after 0.25 s, then every 0.25-0.5 s
SUBMIT_SPACING = 0.1  # s between submits (a person clicking; all 20 poll before any ends)
TICK_MS = 5
# The sandbox stands in for Evolink's servers, which in use run elsewhere; here it shares the
# machine's two cores and synthesises every take's MP3 when it is first downloaded (~0.2 s of
# CPU each; 20 at once when the first takes finish). Niced, it still gets every idle cycle
# but no longer takes the window's CPU away. PERF_SANDBOX_NICE=0 measures it unniced.
SANDBOX_NICE = int(os.environ.get("PERF_SANDBOX_NICE", "10"))
BUDGET_MS = 50.0
SLOW_HANDLE_MS = 8.0  # loop callbacks at least this long are reported
DEADLINE_S = 100.0
# PySide6 6.12.0 (abi3 wheels) returns None from void methods without a new reference (6.11.2
# does not); on CPython 3.11, where None, True and False are not immortal, their counts drift
# and the process aborts ("none_dealloc" / "bool_dealloc") when one reaches zero, at the latest
# at exit. Extra references keep the measurement alive; the drift is printed.
NONE_BALLAST = 1_000_000


# -- the sandbox process ----------------------------------------------------------------------


def start_sandbox() -> tuple[subprocess.Popen, str]:
    cmd = [
        sys.executable,
        "-u",
        "-m",
        "sunodesk.sandbox",
        "--port",
        "0",
        "--speed",
        str(SANDBOX_SPEED),
        "--song-seconds",
        str(SONG_SECONDS),
        "--api-key",
        API_KEY,
    ]
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        preexec_fn=(lambda: os.nice(SANDBOX_NICE)) if SANDBOX_NICE else None,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        match = re.search(r"listening on (http://127\.0\.0\.1:\d+)", line)
        if match:
            # keep draining its output so it can never block on a full pipe
            threading.Thread(target=proc.stdout.read, daemon=True).start()
            return proc, match.group(1)
    proc.kill()
    raise RuntimeError("the sandbox process did not print its 'listening' line")


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU of a live process so far (Linux; else 0)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


def sandbox_call(base_url: str, path: str, body: dict | None = None) -> dict:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        base_url + path, data=data, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


# -- instruments ------------------------------------------------------------------------------


class SlowHandles:
    """Times every asyncio callback the qasync loop runs (Handle._run) and keeps slow ones."""

    def __init__(self, origin: float) -> None:
        self.origin = origin
        self.slow: list[tuple[float, float, str]] = []  # (start s, ms, what)
        self.cpu_ms: list[float] = []  # the GUI thread's CPU time in each slow one
        self.total_cpu_ms = 0.0
        self.total_ms = 0.0
        self.count = 0
        self._original = asyncio.events.Handle._run

    def __enter__(self) -> SlowHandles:
        original, meter = self._original, self

        def timed_run(handle):
            start, cpu_start = time.perf_counter(), time.thread_time()
            try:
                return original(handle)
            finally:
                ms = (time.perf_counter() - start) * 1000
                cpu = (time.thread_time() - cpu_start) * 1000
                meter.count += 1
                meter.total_ms += ms
                meter.total_cpu_ms += cpu
                if ms >= SLOW_HANDLE_MS or cpu >= SLOW_HANDLE_MS:
                    meter.slow.append((start - meter.origin, ms, describe(handle)))
                    meter.cpu_ms.append(cpu)

        asyncio.events.Handle._run = timed_run
        return self

    def __exit__(self, *exc) -> None:
        asyncio.events.Handle._run = self._original


def describe(handle) -> str:
    callback = getattr(handle, "_callback", None)
    owner = getattr(callback, "__self__", None)
    if isinstance(owner, asyncio.Task):
        coro = owner.get_coro()
        frame = getattr(coro, "cr_frame", None)
        where = f" line {frame.f_lineno}" if frame else ""
        return f"task {getattr(coro, '__qualname__', coro)}{where}"
    return getattr(callback, "__qualname__", repr(callback))[:120]


class SlotTimes:
    """Wall time spent in the window's slots, per slot."""

    def __init__(self) -> None:
        self.ms: dict[str, list[float]] = defaultdict(list)

    def wrap(self, obj, name: str) -> None:
        fn = getattr(obj, name)
        times = self.ms[f"{type(obj).__name__}.{name}"]

        def timed(*args):
            start = time.perf_counter()
            try:
                return fn(*args)
            finally:
                times.append((time.perf_counter() - start) * 1000)

        setattr(obj, name, timed)  # an instance attribute: connect() picks it up


class Activity:
    """How many jobs are polling and how many downloads stream, at any moment."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.audio = 0
        self.covers = 0
        self.peak_audio = 0
        self.states: dict[int, str] = {}
        self.peak_polling = 0
        self.filed = 0
        self.events = Counter()

    def on_event(self, event) -> None:
        self.events[event.kind] += 1
        if event.kind == "state":
            self.states[event.job_id] = event.state
            self.peak_polling = max(self.peak_polling, self.polling)
        if event.kind == "track":
            self.filed += 1

    @property
    def polling(self) -> int:
        return sum(1 for s in self.states.values() if s in ("submitted", "running"))

    def wrap_downloads(self, client) -> None:
        download = client.download
        activity = self

        def counted(url, out, **kw):
            audio = url.endswith(".mp3")
            with activity.lock:
                if audio:
                    activity.audio += 1
                    activity.peak_audio = max(activity.peak_audio, activity.audio)
                else:
                    activity.covers += 1
            try:
                return download(url, out, **kw)
            finally:
                with activity.lock:
                    if audio:
                        activity.audio -= 1
                    else:
                        activity.covers -= 1

        client.download = counted


def schedstat() -> tuple[int, int]:
    """This thread's time on a CPU and waiting in the run queue, in ns (Linux; else zeros).

    Over a stall, on-CPU time is work the GUI thread did itself; run-queue time is the OS not
    giving it a CPU (the machine is busy); the rest it was blocked (waiting for the GIL, or
    idle in the event loop).
    """
    try:
        with open("/proc/thread-self/schedstat", "rb") as f:
            on_cpu, waiting, _slices = f.read().split()
        return int(on_cpu), int(waiting)
    except (OSError, ValueError):
        return 0, 0


class StallWitness:
    """A thread that looks at the GUI thread while it is late: when no tick has come for
    ``after_ms``, it records where the GUI thread is and where every other thread is, once
    per stall. A GUI thread found inside a system call or a C++ call is blocked there; if this
    thread itself could not run until the stall ended, something held the GIL throughout."""

    def __init__(self, meter: StallMeter, after_ms: float = 60.0) -> None:
        self.meter = meter
        self.after_ms = after_ms
        self.gui = threading.main_thread().ident
        self.seen: list[tuple[float, float, str]] = []  # (t, late ms when seen, stacks)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="stall-witness", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)

    def _watch(self) -> None:
        import traceback

        noted_tick = -1
        while not self._stop.wait(0.02):
            ticks = self.meter.ticks
            if not ticks:
                continue
            late = (time.perf_counter() - ticks[-1]) * 1000
            if late < self.after_ms or len(ticks) == noted_tick or len(self.seen) >= 6:
                continue
            noted_tick = len(ticks)
            names = {t.ident: t.name for t in threading.enumerate()}
            parts = []
            for ident, frame in sys._current_frames().items():
                if ident == threading.get_ident():
                    continue
                stack = traceback.extract_stack(frame)[-4:]
                where = " < ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in
                                   reversed(stack))  # fmt: skip
                mark = "GUI " if ident == self.gui else ""
                parts.append(f"    {mark}{names.get(ident, ident)}: {where}")
            self.seen.append((ticks[-1] - ticks[0], late, "\n".join(sorted(parts))))


class StallMeter:
    """A precise QTimer; each tick records the time and what was going on."""

    def __init__(self, activity: Activity, interval_ms: int = TICK_MS) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.activity = activity
        self.interval_ms = interval_ms
        self.ticks: list[float] = []
        self.context: list[tuple[int, int]] = []
        self.sched: list[tuple[int, int]] = []  # the GUI thread's (on-CPU ns, run-queue ns)
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        self.ticks.append(time.perf_counter())
        self.context.append((self.activity.polling, self.activity.audio))
        self.sched.append(schedstat())

    def start(self) -> None:
        self.ticks.append(time.perf_counter())
        self.context.append((0, 0))
        self.sched.append(schedstat())
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self._tick()
        self.timer.timeout.disconnect(self._tick)
        self.timer.deleteLater()
        self.timer = None

    def gaps_ms(self) -> list[float]:
        return [(b - a) * 1000 for a, b in zip(self.ticks, self.ticks[1:], strict=False)]


# -- the scenario -----------------------------------------------------------------------------


def song(i: int):
    from sunodesk.core.models import SongRequest

    return SongRequest(
        custom_mode=True,
        title=f"Perf song {i:02d}",
        style="synth pop, upbeat",
        prompt=f"[Verse]\nNumber {i} keeps the loop awake\n[Chorus]\nla la la",
    )


def run_scenario(app, base_url: str, data_dir: Path) -> dict:
    import qasync

    from sunodesk.api import EvolinkClient
    from sunodesk.engine.engine import Engine
    from sunodesk.engine.session import open_session
    from sunodesk.ui.app import Studio
    from sunodesk.ui.common import tasks
    from sunodesk.ui.common.tasks import off_thread
    from sunodesk.ui.common.theme import apply_theme
    from sunodesk.ui.window import MainWindow

    apply_theme(app)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)

    window = MainWindow(settings_path=data_dir / "window.ini")
    studio = Studio(
        window, argparse.Namespace(data_dir=str(data_dir), base_url=base_url, sandbox=False)
    )
    slots = SlotTimes()
    for name in ("on_job_event", "on_job", "set_credits"):
        slots.wrap(window, name)
    slots.wrap(studio, "_notify_if_finished")
    window.show()
    activity = Activity()
    out: dict = {"slots": slots, "activity": activity}
    origin = time.perf_counter()

    async def scenario() -> None:
        # Studio.start() opens the session from the settings, whose parallel_jobs tops out at
        # 8, and a generation holds its slot while it polls: build the same session, with an
        # engine allowed 20 at once, and attach it the way Studio.open() does.
        session = await off_thread(open_session, str(data_dir), base_url, False)
        assert not session.sandbox_mode, "expected the sandbox process"
        unused = session.engine  # nothing ran on it: its thread pool never started a thread
        # The client keeps its real deadlines: scaled by TIME_SCALE, a read may wait only 2 s,
        # less than the sandbox process needs to synthesise 40 new takes at once on a busy
        # machine (every download would time out); the engine's waits stay scaled.
        unused.client.close()
        client = EvolinkClient(base_url, API_KEY)
        session.engine = Engine(
            session.store, client, dataclasses.replace(unused.options, parallel_jobs=JOBS)
        )
        from sunodesk.ui.features import create_features
        from sunodesk.ui.library.feature import LibraryFeature
        from sunodesk.ui.player.feature import PlayerFeature

        studio.features = create_features(studio.hub)  # as Studio.start() does
        library = next(f for f in studio.features if isinstance(f, LibraryFeature))
        waveforms = next(f for f in studio.features if isinstance(f, PlayerFeature)).waveforms
        # every listed take's waveform is asked for (as a list of takes drawing strips would),
        # so they are decoded while the jobs poll and the other takes stream
        waves: dict[str, float] = {}  # result_id -> when its waveform was ready
        asked: dict[str, float] = {}  # result_id -> when it was first asked for
        studio.hub.waveformReady.connect(
            lambda rid: waves.setdefault(rid, time.perf_counter() - origin)
        )
        await studio.attach(session)
        out["parallel_jobs"] = session.engine.options.parallel_jobs
        session.engine.events.subscribe(activity.on_event)
        activity.wrap_downloads(session.engine.client)
        faults = await asyncio.get_running_loop().run_in_executor(
            None, sandbox_call, base_url, "/_sandbox/faults", {"slow_download": SLOW_DOWNLOAD}
        )
        assert faults["values"]["slow_download"] == SLOW_DOWNLOAD
        await asyncio.sleep(0.3)  # let the start-up work (credits, cost) settle first

        meter = StallMeter(activity)
        witness = StallWitness(meter)
        out["witness"] = witness
        nonlocal origin
        origin = time.perf_counter()
        with SlowHandles(origin) as handles:
            meter.start()
            witness.start()
            for i in range(JOBS):
                made = await studio.generate(requests=[song(i)])
                assert made, "the submit was refused"
                await asyncio.sleep(SUBMIT_SPACING)
            deadline = origin + DEADLINE_S
            while (
                activity.filed < TAKES
                or library.panel.model.all_count() < TAKES
                or len(waves) < TAKES
            ) and time.perf_counter() < deadline:  # filed, shown, and its waveform computed
                for track in library.panel.model.tracks():
                    if track.path and track.result_id not in waves:
                        asked.setdefault(track.result_id, time.perf_counter() - origin)
                        studio.hub.waveform(track.result_id, track.path)
                await asyncio.sleep(0.05)
            meter.stop()
            witness.stop()
        out["waveforms"] = {
            "ready": len(waves),
            "decoded": waveforms.decodes,
            "asked_s": min(asked.values(), default=0.0),
            "first_s": min(waves.values(), default=0.0),
            "last_s": max(waves.values(), default=0.0),
        }
        out["elapsed"] = time.perf_counter() - origin
        out["meter"], out["handles"] = meter, handles
        out["takes_listed"] = library.panel.model.all_count()
        await session.engine.wait_all()
        await tasks.drain()
        out["stats"] = await asyncio.get_running_loop().run_in_executor(
            None, sandbox_call, base_url, "/_sandbox/stats"
        )
        await studio.close()
        waveforms.shutdown()  # the decoder process is reaped: its CPU counts as a child's
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        out["children_cpu"] = kids.ru_utime + kids.ru_stime

    async def settle() -> None:  # let deferred deletes and last callbacks run on the loop
        await tasks.drain()
        await asyncio.sleep(0.05)

    try:
        loop.run_until_complete(scenario())
    finally:
        window.close()
        window.deleteLater()
        loop.run_until_complete(settle())
        loop.close()
        asyncio.set_event_loop(None)
    return out


def report(out: dict) -> tuple[float, float]:
    meter: StallMeter = out["meter"]
    handles: SlowHandles = out["handles"]
    activity: Activity = out["activity"]
    gaps = meter.gaps_ms()
    stalls = [max(0.0, g - meter.interval_ms) for g in gaps]
    worst = max(stalls)
    print()
    print("== GUI-thread stalls: 20 jobs polling, takes streaming from a sandbox process ==")
    print(
        f"sandbox speed x{SANDBOX_SPEED:g}, {SONG_SECONDS:g}-s takes, slow_download "
        f"{SLOW_DOWNLOAD / 1000:g} kB/s per stream, engine time scale {TIME_SCALE}, "
        f"parallel_jobs {out['parallel_jobs']}, {os.cpu_count()} CPUs, sandbox process at "
        f"nice {SANDBOX_NICE}"
    )
    print(
        f"takes filed {activity.filed}/{TAKES} (takes list {out['takes_listed']}), "
        f"total time {out['elapsed']:.2f} s, ticks {len(meter.ticks)} "
        f"(ideal {out['elapsed'] * 1000 / meter.interval_ms:.0f})"
    )
    wave = out["waveforms"]
    print(
        f"waveforms ready {wave['ready']}/{TAKES} ({wave['decoded']} decoded off the GUI "
        f"thread), first asked at {wave['asked_s']:.2f} s, first ready at "
        f"{wave['first_s']:.2f} s, last at {wave['last_s']:.2f} s"
    )
    during = [
        st
        for i, st in enumerate(stalls)
        if wave["asked_s"] <= meter.ticks[i + 1] - meter.ticks[0] <= wave["last_s"]
    ]
    if during:
        print(
            f"  while waveforms compute: {len(during):5d} ticks, max stall {max(during):6.1f} ms, "
            f"p99 {percentile(during, 99):5.1f} ms"
        )
    print(
        f"peak jobs polling at once {activity.peak_polling}, peak MP3 downloads streaming "
        f"at once {activity.peak_audio}; events {dict(activity.events)}"
    )
    print(
        f"gap between {meter.interval_ms} ms ticks: median {statistics.median(gaps):.2f} ms, "
        f"p95 {percentile(gaps, 95):.2f}, p99 {percentile(gaps, 99):.2f}, "
        f"max {max(gaps):.2f}"
    )
    print(
        f"stall (gap - interval): max {worst:.1f} ms, p99 {percentile(stalls, 99):.1f}, "
        f"p95 {percentile(stalls, 95):.1f}, median {statistics.median(stalls):.2f}; "
        f"stalls > {BUDGET_MS:g} ms: {sum(s > BUDGET_MS for s in stalls)}, "
        f"> 20 ms: {sum(s > 20 for s in stalls)}, > 10 ms: {sum(s > 10 for s in stalls)}"
    )
    for label, keep in (
        ("while jobs poll", lambda p, a: p > 0),
        ("while MP3s stream", lambda p, a: a > 0),
        ("while both", lambda p, a: p > 0 and a > 0),
    ):
        phase = [s for s, (p, a) in zip(stalls, meter.context[1:], strict=False) if keep(p, a)]
        if phase:
            print(
                f"  {label:18s}: {len(phase):5d} ticks, max stall {max(phase):6.1f} ms, "
                f"p99 {percentile(phase, 99):5.1f} ms"
            )
    stats = out.get("stats") or {}
    print("sandbox stats:", {k: v for k, v in stats.items() if not isinstance(v, dict)})

    order = sorted(range(len(stalls)), key=stalls.__getitem__, reverse=True)[:8]

    def split(i: int) -> tuple[float, float, float]:
        """(on-CPU, run-queue, blocked) ms of the GUI thread over gap i."""
        cpu = (meter.sched[i + 1][0] - meter.sched[i][0]) / 1e6
        queue = (meter.sched[i + 1][1] - meter.sched[i][1]) / 1e6
        return cpu, queue, max(0.0, gaps[i] - cpu - queue)

    print(
        "worst stalls (t from first submit, stall ms, jobs polling, MP3s streaming; "
        "the GUI thread's on-CPU / run-queue / blocked ms over the gap):"
    )
    for i in sorted(order):
        t = meter.ticks[i] - meter.ticks[0]
        polling, audio = meter.context[i + 1]
        cpu, queue, blocked = split(i)
        print(
            f"  t={t:7.3f} s  {stalls[i]:6.1f} ms  polling {polling:2d}  streaming {audio:2d}"
            f"   cpu {cpu:5.1f}  run-queue {queue:5.1f}  blocked {blocked:5.1f}"
        )
    big = [i for i, st in enumerate(stalls) if st > 20]
    if big:
        parts = [sum(split(i)[k] for i in big) for k in range(3)]
        total = sum(gaps[i] for i in big) or 1.0
        print(
            f"over the {len(big)} gaps with a stall > 20 ms, the GUI thread was on a CPU "
            f"{100 * parts[0] / total:.0f}%, runnable but not scheduled (machine busy) "
            f"{100 * parts[1] / total:.0f}%, blocked (GIL or idle) {100 * parts[2] / total:.0f}%"
        )
    cpu_gaps = [split(i)[0] for i in range(len(gaps))]
    busy = (meter.sched[-1][0] - meter.sched[0][0]) / 1e6
    print(
        f"the GUI thread's own work (load-independent): on a CPU {busy:.0f} ms in all "
        f"({100 * busy / (1000 * out['elapsed']):.1f}% of the run); within one gap at most "
        f"{max(cpu_gaps):.1f} ms, p99 {percentile(cpu_gaps, 99):.1f} ms"
    )
    heavy = max(range(len(gaps)), key=cpu_gaps.__getitem__)
    at = meter.ticks[heavy] - meter.ticks[0]
    inside = [w for t, _ms, w in handles.slow if at - 0.001 <= t <= at + gaps[heavy] / 1000]
    print(
        f"  the gap with the most GUI-thread CPU: t={at:.3f} s, {gaps[heavy]:.1f} ms long, "
        f"cpu {cpu_gaps[heavy]:.1f} ms; slow callbacks in it: {', '.join(inside) or 'none'}"
    )
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    own, children = resource.getrusage(resource.RUSAGE_SELF), out.get("children_cpu", 0.0)
    print(
        f"CPU over the whole window process: {own.ru_utime + own.ru_stime:.1f} s (all its "
        f"threads); its waveform decoder process(es): {children:.1f} s, at a lower priority"
    )

    print(
        f"loop callbacks: {handles.count}, {handles.total_ms:.0f} ms in all "
        f"({handles.total_cpu_ms:.0f} ms on a CPU); {len(handles.slow)} took >= "
        f"{SLOW_HANDLE_MS:g} ms (wall or CPU)"
    )
    by_what: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for (_t, ms, what), cpu in zip(handles.slow, handles.cpu_ms, strict=True):
        by_what[what].append((ms, cpu))
    for what, times in sorted(by_what.items(), key=lambda kv: -max(c for _w, c in kv[1]))[:8]:
        walls, cpus = [w for w, _c in times], [c for _w, c in times]
        print(
            f"  {len(times):4d} x  wall max {max(walls):6.1f} median "
            f"{statistics.median(walls):6.1f} ms, CPU max {max(cpus):6.1f} median "
            f"{statistics.median(cpus):6.1f} ms  {what}"
        )
    print("window slots (count, total ms, max ms):")
    for name, times in sorted(out["slots"].ms.items()):
        if times:
            print(f"  {name:38s} {len(times):5d} {sum(times):8.1f} {max(times):7.2f}")
    # A stall no slow loop callback covers happened while none of our coroutines ran: Qt work
    # (layout, paint), the GIL held by a worker, or no CPU free for the GUI thread.
    explained = 0
    for i in order:
        start, end = meter.ticks[i] - meter.ticks[0], meter.ticks[i + 1] - meter.ticks[0]
        if any(start - 0.001 <= t <= end for t, _ms, _w in handles.slow):
            explained += 1
    print(
        f"of the {len(order)} worst stalls, {explained} overlap a slow loop callback; the rest "
        f"fall outside our asyncio callbacks (see their cpu / run-queue / blocked split)"
    )
    witness: StallWitness = out["witness"]
    for at, late, stacks in witness.seen[:3]:
        print(f"during the stall after t={at:.3f} s, seen {late:.0f} ms late, the threads were:")
        print(stacks)
    verdict(f"GUI stall <= {BUDGET_MS:g} ms", worst <= BUDGET_MS, f"max stall {worst:.1f} ms")
    return worst, out["elapsed"]


_ballast: list = []  # held until os._exit: never released


def _singleton_refs() -> dict[str, int]:
    return {
        "None": sys.getrefcount(None),
        "True": sys.getrefcount(True),
        "False": sys.getrefcount(False),
    }


def child_main(base_url: str, data_dir: str) -> None:
    """The window side, in its own process; prints the figures, then a RESULT line."""
    _ballast.extend(([None] * NONE_BALLAST, [True] * NONE_BALLAST, [False] * NONE_BALLAST))
    from PySide6.QtWidgets import QApplication

    app = QApplication(["sunodesk-perf"])
    before = _singleton_refs()
    out = run_scenario(app, base_url, Path(data_dir))
    after = _singleton_refs()
    worst, elapsed = report(out)
    drift = ", ".join(f"{k} {after[k] - before[k]:+d}" for k in before)
    print(
        f"singleton refcount drift over the run: {drift} (PySide6 "
        f"{__import__('PySide6').__version__}, Python {sys.version.split()[0]}; on 3.11 "
        f"these are not immortal and a drift below zero aborts the process)"
    )
    result = {
        "worst_ms": worst,
        "elapsed": elapsed,
        "filed": out["activity"].filed,
        "peak_polling": out["activity"].peak_polling,
        "peak_audio": out["activity"].peak_audio,
        "ticks": len(out["meter"].ticks),
        "max_gap_cpu_ms": max(
            (b[0] - a[0]) / 1e6
            for a, b in zip(out["meter"].sched, out["meter"].sched[1:], strict=False)
        ),
        "waveforms": out["waveforms"]["ready"],
    }
    print("RESULT " + json.dumps(result), flush=True)
    sys.stderr.flush()
    os._exit(0)


@pytest.mark.perf
@pytest.mark.timeout(240)
def test_gui_stall_while_jobs_poll_and_takes_stream(tmp_path):
    root = Path(__file__).resolve().parents[2]
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    env = dict(
        os.environ,
        SUNODESK_API_KEY=API_KEY,
        SUNODESK_DATA_DIR=str(data_dir),
        SUNODESK_TIME_SCALE=str(TIME_SCALE),
        QT_QPA_PLATFORM="offscreen",
    )
    env.pop("SUNODESK_BASE_URL", None)

    proc, base_url = start_sandbox()
    sandbox_cpu = 0.0
    try:
        sandbox_before = process_cpu_seconds(proc.pid)
        child = subprocess.run(
            [sys.executable, "-m", "tests.perf.test_gui_stall", base_url, str(data_dir)],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=200,
        )
        sandbox_cpu = process_cpu_seconds(proc.pid) - sandbox_before
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    print(child.stdout)
    print(
        f"the sandbox process (a stand-in for the server, which in use runs elsewhere) took "
        f"{sandbox_cpu:.1f} s of CPU over the window process's life"
    )
    quiet = ("propagateSizeHints", "qt.multimedia", "PulseAudioService")  # offscreen chatter
    noise = [line for line in child.stderr.splitlines() if not any(word in line for word in quiet)]
    if noise:
        print("child stderr:\n" + "\n".join(noise[-40:]))
    lines = [line for line in child.stdout.splitlines() if line.startswith("RESULT ")]
    assert child.returncode == 0 and lines, f"the window process failed ({child.returncode})"
    result = json.loads(lines[-1][len("RESULT ") :])

    # Sanity only: the run did what it says, and nothing froze outright.
    assert result["filed"] == TAKES, "not every take was filed"
    assert result["waveforms"] == TAKES, "not every take got its waveform"
    assert result["peak_polling"] >= JOBS // 2
    assert result["ticks"] > 100
    assert result["worst_ms"] < 2000, "the GUI thread froze for seconds"


if __name__ == "__main__":
    child_main(sys.argv[1], sys.argv[2])
