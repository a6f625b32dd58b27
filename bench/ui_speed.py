"""Speed and memory of the terminal UI, on scenarios/history.toml. Run:

    python bench/ui_speed.py [--runs 5] [--quarters 10]

Prints each measurement beside its goal (issue 3):

(a) start-up: ``python -m game`` is started in a pseudo-terminal of 80x24 with
    CIRCULAR_STARTUP_PROBE set; the app writes the wall-clock time at which its first screen
    (the title screen) has been mounted and drawn, then exits. Reported: the median over
    ``--runs`` of (that time - the time just before the process was started), so it covers
    the interpreter, every import, loading the scenario and the first drawing; and the CPU
    time the process had used by then (``time.process_time``), which depends less on how
    busy the machine is.
(b) ending a quarter: in-process, with Textual's pilot (headless, 120x40), on the history
    scenario played as its first role. Timed from just before the ``e`` key is sent to the
    first screen update drawn after both the dashboard's refresh has finished and the
    quarter summary is shown (Textual computes the update headless too; only writing it
    to a terminal is skipped). Median over ``--quarters`` quarters, after one warm-up
    quarter. The engine, the autosave and the dashboard's refresh are shown apart.
(c) memory: a child process plays the history scenario extended to 40 quarters
    (``game.simulate.with_quarters``) through the UI with the pilot (ending each quarter,
    closing the summary, answering questions) and reports its peak resident set size
    (``resource.getrusage(...).ru_maxrss``), Python, Textual, numpy and all.

Wall-clock times depend on the machine and on what else it is running: look at the load
average printed first.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import json
import os
import platform
import resource
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

STARTUP_GOAL = 1.0  # seconds
QUARTER_GOAL = 100.0  # milliseconds
MEMORY_GOAL = 150.0  # MB
MEMORY_QUARTERS = 40


# -- (a) start-up ----------------------------------------------------------------------------
def startup_once(probe: Path) -> tuple[float, float]:
    """One ``python -m game`` in a pseudo-terminal: (seconds to the first screen drawn,
    CPU seconds the process had used by then)."""
    import fcntl
    import pty
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = dict(os.environ, TERM="xterm-256color", COLUMNS="80", LINES="24")
    env["CIRCULAR_STARTUP_PROBE"] = str(probe)
    probe.unlink(missing_ok=True)
    started = time.time()
    process = subprocess.Popen(
        [sys.executable, "-m", "game"], cwd=ROOT, stdin=slave, stdout=slave, stderr=slave, env=env
    )
    os.close(slave)
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:  # read the screen so the child never blocks writing
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                with contextlib.suppress(OSError):
                    os.read(master, 65536)
            pid, status = os.waitpid(process.pid, os.WNOHANG)
            if pid:
                process.returncode = os.waitstatus_to_exitcode(status)
                break
        else:
            process.kill()
            raise RuntimeError("python -m game did not exit within 60 s")
    finally:
        os.close(master)
    if not probe.exists():
        raise RuntimeError(f"the app exited ({process.returncode}) without drawing its first screen")
    drawn, cpu = (float(x) for x in probe.read_text().split()[:2])
    return drawn - started, cpu


def bare_python() -> float:
    """How long this machine takes to start an interpreter that does nothing (for scale)."""
    times = []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        times.append(time.perf_counter() - started)
    return min(times)


# -- (b) ending a quarter ----------------------------------------------------------------------
class Marks:
    """Timestamps (perf_counter) of what happens after a key is pressed."""

    def __init__(self) -> None:
        self.displays: list[tuple[float, float]] = []  # (perf_counter, process_time)
        self.refreshed: list[float] = []
        self.summary_mounted: list[float] = []
        self.durations: dict[str, list[float]] = {}

    def clear(self) -> None:
        self.displays.clear()
        self.refreshed.clear()
        self.summary_mounted.clear()
        self.durations.clear()

    def timed(self, name: str, function: Callable[..., Any], after: list[float] | None = None) -> Any:
        @functools.wraps(function)  # Textual passes handlers only the arguments they name
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                ended = time.perf_counter()
                self.durations.setdefault(name, []).append(ended - started)
                if after is not None:
                    after.append(ended)

        return wrapper


def instrument(app: Any, marks: Marks) -> None:
    from game.ui.screens.dashboard import DashboardScreen
    from game.ui.screens.summary import SummaryScreen
    from game.ui.session import Session

    display = app._display

    def on_display(screen: Any, renderable: Any) -> None:
        if renderable is not None:
            marks.displays.append((time.perf_counter(), time.process_time()))
        display(screen, renderable)

    app._display = on_display
    Session.end_quarter = marks.timed("engine", Session.end_quarter)  # type: ignore[method-assign]
    type(app).autosave = marks.timed("autosave", type(app).autosave)
    DashboardScreen.refresh_view = marks.timed(  # type: ignore[method-assign]
        "dashboard refresh", DashboardScreen.refresh_view, marks.refreshed
    )
    SummaryScreen.on_screen_resume = marks.timed(  # type: ignore[method-assign]
        "summary shown", SummaryScreen.on_screen_resume, marks.summary_mounted
    )


async def close_dialogs(pilot: Any) -> None:
    """Close the quarter summary and answer every question (first choice), as a player would."""
    from game.ui.screens.dialogs import ConfirmDialog
    from game.ui.screens.event import EventDialog
    from game.ui.screens.summary import SummaryScreen

    app = pilot.app
    for _ in range(20):
        if isinstance(app.screen, SummaryScreen):
            await pilot.press("enter")
        elif isinstance(app.screen, EventDialog):
            await pilot.press("1")
        elif isinstance(app.screen, ConfirmDialog):
            await pilot.press("n")
        else:
            return
        await pilot.pause()


async def quarter_times(
    quarters: int, saves: Path
) -> tuple[list[float], list[float], dict[str, list[float]]]:
    """(wall seconds, CPU seconds, the parts) of each quarter, from the key to the update."""
    from game.scenario.loader import load_scenario
    from game.ui.app import CircularApp, spare_the_collector
    from game.ui.screens.dashboard import DashboardScreen

    loaded = load_scenario("history")
    spare_the_collector()  # as run_app does before it starts the app
    app = CircularApp(loaded, start_playing=True, saves_dir=saves, catalogue=list)
    marks = Marks()
    instrument(app, marks)
    walls: list[float] = []
    cpus: list[float] = []
    parts: dict[str, list[float]] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await close_dialogs(pilot)
        for quarter in range(quarters + 1):
            assert isinstance(app.screen, DashboardScreen), app.screen
            assert app.session is not None and not app.session.my_questions()
            marks.clear()
            started, cpu_started = time.perf_counter(), time.process_time()
            await pilot.press("e")
            await pilot.pause()
            ready = max([*marks.refreshed[-1:], *marks.summary_mounted[-1:]], default=started)
            drawn = next(((t, c) for t, c in marks.displays if t >= ready), None)
            if drawn is None or not marks.summary_mounted:
                raise RuntimeError(f"quarter {quarter}: the summary or the update never came")
            if quarter > 0:  # the first is a warm-up
                walls.append(drawn[0] - started)
                cpus.append(drawn[1] - cpu_started)
                for name, values in marks.durations.items():
                    parts.setdefault(name, []).append(sum(values))
            await close_dialogs(pilot)
            if app.session.finished:
                break
    return walls, cpus, parts


# -- (c) memory ----------------------------------------------------------------------------
async def play_long(quarters: int, saves: Path) -> dict[str, float]:
    from game.scenario.loader import LoadedScenario, load_scenario
    from game.simulate import with_quarters
    from game.ui.app import CircularApp, spare_the_collector

    loaded = load_scenario("history")
    longer = LoadedScenario(with_quarters(loaded.scenario, quarters), loaded.source, loaded.path)
    spare_the_collector()  # as run_app does
    app = CircularApp(longer, start_playing=True, saves_dir=saves, catalogue=list)
    started = time.perf_counter()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await close_dialogs(pilot)
        assert app.session is not None
        while not app.session.finished:
            await pilot.press("e")
            await pilot.pause()
            await close_dialogs(pilot)
        played = app.session.world.turn
        view = type(app.screen).__name__
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    return {"quarters": played, "peak_mb": peak, "seconds": time.perf_counter() - started, "view": view}


def memory_child(quarters: int) -> None:
    with tempfile.TemporaryDirectory() as saves:
        result = asyncio.run(play_long(quarters, Path(saves)))
    print(json.dumps(result))


def memory(quarters: int) -> dict[str, Any]:
    output = subprocess.run(
        [sys.executable, __file__, "--memory-child", str(quarters)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return result


# -- the report --------------------------------------------------------------------------
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="start-ups to time (default 5)")
    parser.add_argument("--quarters", type=int, default=10, help="quarters to time (default 10)")
    parser.add_argument("--memory-child", type=int, metavar="Q", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        memory_child(args.memory_child)
        return

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )
    rows: list[tuple[str, str, str, bool]] = []

    with tempfile.TemporaryDirectory() as folder:
        probe = Path(folder) / "probe"
        runs = [startup_once(probe) for _ in range(args.runs)]
    walls, cpus = [w for w, _ in runs], [c for _, c in runs]
    wall = statistics.median(walls)
    rows.append(
        (
            f"(a) `python -m game` to the title screen drawn, 80x24 pty (median of {args.runs})",
            f"{wall:.2f} s (best {min(walls):.2f})",
            f"< {STARTUP_GOAL:.1f} s",
            wall < STARTUP_GOAL,
        )
    )
    cpu = statistics.median(cpus)
    rows.append(("    the same, CPU time the process had used by then", f"{cpu:.2f} s", "(report)", True))
    rows.append(("    for scale: `python -c pass`, best of 3", f"{bare_python():.2f} s", "(report)", True))

    with tempfile.TemporaryDirectory() as saves:
        totals, cpus, parts = asyncio.run(quarter_times(args.quarters, Path(saves)))
    median = statistics.median(totals) * 1000
    rows.append(
        (
            f"(b) end a quarter (e) until the dashboard is redrawn, history (median of {len(totals)})",
            f"{median:.0f} ms (max {max(totals) * 1000:.0f})",
            f"< {QUARTER_GOAL:.0f} ms",
            median < QUARTER_GOAL,
        )
    )
    rows.append(("    the same, CPU time used", f"{statistics.median(cpus) * 1000:.0f} ms", "(report)", True))
    for name, values in parts.items():
        if name == "summary shown":
            continue
        after = " (written after the update is drawn)" if name == "autosave" else ""
        rows.append((f"    {name}{after}", f"{statistics.median(values) * 1000:.1f} ms", "(report)", True))

    result = memory(MEMORY_QUARTERS)
    rows.append(
        (
            f"(c) peak RSS after {result['quarters']} quarters played in the UI (history, 40 q)",
            f"{result['peak_mb']:.0f} MB",
            f"< {MEMORY_GOAL:.0f} MB",
            result["peak_mb"] < MEMORY_GOAL,
        )
    )
    rows.append(
        (
            f"    time to play them through the pilot (ends on {result['view']})",
            f"{result['seconds']:.1f} s",
            "(report)",
            True,
        )
    )

    width = max(len(r[0]) for r in rows)
    print(f"\n| {'measurement':<{width}} | result | goal | met |\n|{'-' * (width + 2)}|---|---|---|")
    for name, value, goal, met in rows:
        mark = "" if goal == "(report)" else ("yes" if met else "NO")
        print(f"| {name:<{width}} | {value} | {goal} | {mark} |")


if __name__ == "__main__":
    main()
