"""`make screenshots`: render the real window offscreen in fixed states into docs/screenshots/.

Each group of states runs in its own child process (the scale factor and the screen are fixed
when Qt starts), all against the built-in sandbox at a fixed speed, in fresh data folders under
one temporary directory, at a fixed window size of 1280 x 800 (800 x 500 logical at scale 2,
the 1600 x 1000 screen of design/look-and-feel), in UTC and the C locale. What still varies
between runs is only what a clock shows (a job's elapsed time).

    python tools/screenshots.py [--out DIR] [--only NAME ...]

The states (one PNG each): studio-light, studio-dark, generating, takes-arrived, failed-job,
library-10k, studio-scale2. PNGs are squeezed with pngquant when it is installed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
SIZE = (1280, 800)
SPEED = "15"  # the sandbox's time scale: a song takes about 8 s
GROUPS: dict[str, tuple[str, ...]] = {
    # states that follow one another in one window: a song is written, sent, arrives, then a
    # second one fails; the last shot switches the running window to the dark theme
    "studio": ("studio-light", "generating", "takes-arrived", "failed-job", "studio-dark"),
    "library": ("library-10k",),
    "scale2": ("studio-scale2",),
}
SCREEN = {"studio": (1920, 1080, 1), "library": (1920, 1080, 1), "scale2": (1600, 1000, 2)}
LIBRARY_TRACKS = 10_000

LYRICS = """[Verse]
Streetlights hum a borrowed tune
Salt on the wind and a paper moon
We drive till the radio fades to blue

[Chorus]
Neon coastline, hold me close
Every wave knows what I know
Neon coastline, let it glow

[Bridge]
(oh-oh) slow it down
"""


def seeded_request(title: str = "Neon Coastline"):
    from sunodesk.core.models import SongRequest

    return SongRequest(
        model="suno-v5",
        title=title,
        prompt=LYRICS,
        style="synthwave, dream pop, female vocals, 96 bpm",
        negative_tags="heavy metal",
        style_weight=0.7,
        weirdness=0.35,
        vocal_gender="f",
    )


# -- the child: one window, its states in order -----------------------------------------------


def _child(group: str, out: Path, data_dir: Path, only: set[str]) -> int:
    import argparse as _argparse
    import asyncio

    import qasync
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QTabWidget

    from sunodesk.store.settings import load_settings
    from sunodesk.ui.app import Studio
    from sunodesk.ui.common import tasks
    from sunodesk.ui.common.theme import apply_theme
    from sunodesk.ui.library.feature import LibraryFeature
    from sunodesk.ui.window import MainWindow

    app = QApplication(sys.argv[:1])
    app.setApplicationName("sunodesk")
    apply_theme(app, load_settings(data_dir).theme)
    window = MainWindow(settings_path=data_dir / "window.ini")
    scale = SCREEN[group][2]
    window.resize(SIZE[0] // scale, SIZE[1] // scale)
    args = _argparse.Namespace(data_dir=str(data_dir), base_url=None, sandbox=True)
    studio = Studio(window, args)
    window.show()
    saved: list[str] = []

    async def until(predicate, timeout: float = 30.0, what: str = "") -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise TimeoutError(f"{group}: timed out waiting for {what}")
            await asyncio.sleep(0.02)

    async def settle(seconds: float = 0.3) -> None:
        await asyncio.sleep(seconds)  # let covers, counters and relayouts land

    wanted = [s for s in GROUPS[group] if not only or s in only]

    class Done(Exception):
        """The last asked state is saved."""

    def shoot(name: str) -> None:
        if name in wanted:
            window.repaint()
            path = out / f"{name}.png"
            if not window.grab().save(str(path)):
                raise OSError(f"could not write {path}")
            saved.append(name)
        if len(saved) == len(wanted):
            raise Done

    def tab(title: str) -> None:
        tabs = window.findChild(QTabWidget, "sideTabs")
        for i in range(tabs.count()):
            if tabs.tabText(i).replace("&", "") == title:
                tabs.setCurrentIndex(i)
                return

    async def main() -> None:
        await studio.start()
        session = studio.session
        form = window.form
        if group == "library":
            tab("Library")
            await until(lambda: _library_rows(window) >= LIBRARY_TRACKS, 30, "10,000 rows")
            await settle(0.8)
            shoot("library-10k")
            return
        form.load(seeded_request())
        tab("Jobs")
        await settle()
        if group == "scale2":
            shoot("studio-scale2")
            return
        shoot("studio-light")
        window.generateButton.click()
        await until(lambda: _first_state(window) in ("running",), 20, "a running job")
        await until(lambda: _first_progress(window) >= 30, 20, "some progress")
        shoot("generating")
        await until(lambda: _first_state(window) == "done", 90, "the takes")
        tab("Library")
        await until(lambda: _library_rows(window) >= 2, 10, "two takes in the library")
        bar = studio.hub.player_bar
        track = _library_track(window, 0)
        if bar is not None and track is not None:
            # take A as if playing (no audio device offscreen), take B a favourite, A selected
            bar.show_track(track, "A")
            library = next(f for f in studio.features if isinstance(f, LibraryFeature))
            library.panel.model.set_playing(track.result_id)
            other = _library_track(window, 1)
            if other is not None:
                await library.set_favourite([other], True)
            library.panel.view.selectRow(0)
            # the now-playing cover: the one the details read from the file's tags
            await until(
                lambda: track.title in library.panel.details.titleLabel.text(), 5, "details"
            )
            await settle(0.5)
            cover = library.panel.details.cover.pixmap()
            if cover is not None and not cover.isNull():
                size = bar.cover_size
                bar.set_now_playing(
                    cover.toImage().scaled(
                        size, size, mode=Qt.TransformationMode.SmoothTransformation
                    ),
                    LYRICS,
                )
        await settle(0.6)
        shoot("takes-arrived")
        session.sandbox.faults.set("fail_tasks", "content_policy_violation", times=1)
        form.load(seeded_request("Paper Moon"))
        tab("Jobs")
        window.generateButton.click()
        await until(lambda: _first_state(window) in ("failed", "rejected"), 90, "a failed job")
        await settle()
        shoot("failed-job")
        window.statusBar().clearMessage()
        apply_theme(app, "dark")
        form.load(seeded_request())
        tab("Library")
        await settle(0.5)
        shoot("studio-dark")

    async def run() -> None:
        try:
            await main()
        except Done:
            pass
        finally:
            await asyncio.wait_for(studio.close(), 20)
            await asyncio.wait_for(tasks.drain(), 10)

    try:
        qasync.run(run())  # as the app runs: one loop for the whole life of the window
    except Exception:
        import traceback

        traceback.print_exc()
        sys.stderr.flush()
        os._exit(1)
    print(json.dumps({"group": group, "saved": saved}), flush=True)
    os._exit(0)  # PySide's teardown of a qasync loop can hang; everything is written


def _view(window, name: str):
    from PySide6.QtWidgets import QTableView

    return window.findChild(QTableView, name)


def _first_state(window) -> str:
    from sunodesk.ui.jobs.model import JobRole

    model = _view(window, "jobsView").model()
    if model.rowCount() == 0:
        return ""
    return str(model.index(0, 0).data(JobRole).state)


def _first_progress(window) -> float:
    from sunodesk.ui.jobs.model import JobRole

    model = _view(window, "jobsView").model()
    job = model.index(0, 0).data(JobRole) if model.rowCount() else None
    return float(getattr(job, "progress", 0) or 0)


def _library_rows(window) -> int:
    view = _view(window, "libraryView")
    return view.model().rowCount() if view is not None else 0


def _library_track(window, row: int):
    from sunodesk.ui.library.model import TrackRole

    view = _view(window, "libraryView")
    if view is None or view.model().rowCount() <= row:
        return None
    return view.model().index(row, 0).data(TrackRole)


# -- the parent: data folders, child processes, pngquant ----------------------------------------


def _prepare(group: str, root: Path) -> Path:
    data_dir = root / group
    data_dir.mkdir(parents=True)
    (data_dir / "settings.json").write_text(json.dumps({"theme": "light"}), encoding="utf-8")
    if group == "library":
        sys.path.insert(0, str(ROOT))
        from tests.perf.test_library_scale import build_library

        build_library(data_dir / "sandbox", LIBRARY_TRACKS)  # the sandbox session's store
    return data_dir


def _screen_config(group: str, root: Path) -> Path:
    width, height, _scale = SCREEN[group]
    path = root / f"screen-{group}.json"
    screen = {
        "name": "shots",
        "x": 0,
        "y": 0,
        "width": width,
        "height": height,
        "logicalDpi": 96,
        "logicalBaseDpi": 96,
        "dpr": 1,
    }
    path.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
    return path


def render(out: Path = OUT, only: set[str] | None = None, quiet: bool = False) -> list[Path]:
    """Render the asked states (all by default) into ``out``; returns the PNGs written."""
    only = set(only or ())
    unknown = only - {s for states in GROUPS.values() for s in states}
    if unknown:
        raise SystemExit(f"unknown state(s): {', '.join(sorted(unknown))}")
    out.mkdir(parents=True, exist_ok=True)
    groups = [g for g, states in GROUPS.items() if not only or only & set(states)]
    with tempfile.TemporaryDirectory(prefix="sunodesk-shots-") as tmp:
        root = Path(tmp)
        children = []
        for group in groups:
            data_dir = _prepare(group, root)
            env = {
                k: v
                for k, v in os.environ.items()
                if not k.startswith(("SUNODESK_", "QT_", "XDG_CONFIG"))
            }
            env.update(
                QT_QPA_PLATFORM=f"offscreen:configfile={_screen_config(group, root)}",
                QT_SCALE_FACTOR=str(SCREEN[group][2]),
                SUNODESK_SANDBOX_SPEED=SPEED,
                SUNODESK_DATA_DIR=str(data_dir),
                # a key in the environment: no first-run banner (the session stays a sandbox)
                SUNODESK_API_KEY="sk-screenshots-not-a-real-key",
                XDG_CONFIG_HOME=str(root / "config"),
                TZ="UTC",
                LANG="C.UTF-8",
                LC_ALL="C.UTF-8",
                PYTHONPATH=str(ROOT),
            )
            command = [
                sys.executable,
                __file__,
                "--child",
                group,
                "--out",
                str(out),
                "--data-dir",
                str(data_dir),
                *(["--only", *sorted(only)] if only else []),
            ]
            children.append(
                (
                    group,
                    subprocess.Popen(
                        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
                    ),
                )
            )
        failed = []
        for group, child in children:
            try:
                stdout, stderr = child.communicate(timeout=240)
            except subprocess.TimeoutExpired:
                child.kill()
                stdout, stderr = child.communicate()
            if child.returncode != 0 or '"saved"' not in stdout:
                failed.append(f"{group}: exit {child.returncode}\n{stderr[-2000:]}")
        if failed:
            raise SystemExit("screenshots failed:\n" + "\n".join(failed))
    wanted = [s for g in groups for s in GROUPS[g] if not only or s in only]
    written = [out / f"{name}.png" for name in wanted]
    _squeeze(written)
    if not quiet:
        for path in written:
            print(
                f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}"
                f"  {path.stat().st_size // 1024} KB"
            )
    return written


def _squeeze(paths: list[Path]) -> None:
    """Make the PNGs small with pngquant (Debian's pngquant) when it is there."""
    pngquant = shutil.which("pngquant")
    if pngquant is None:
        return
    for path in paths:
        subprocess.run(
            [
                pngquant,
                "--force",
                "--skip-if-larger",
                "--quality",
                "70-95",
                "--strip",
                "--output",
                str(path),
                str(path),
            ],
            check=False,
            capture_output=True,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--only", nargs="+", default=[])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return _child(args.child, args.out, args.data_dir, set(args.only))
    started = time.monotonic()
    render(args.out, set(args.only))
    print(f"done in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
