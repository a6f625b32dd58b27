"""Engine speed on one core. Run: python bench/profile_engine.py [--quick] [--profile NAME]

Prints headless quarters per second (bots at every seat, ``Game(scenario, seed).play_out()``
for seeds 0, 1, 2, ..., sharing one compiled event book as ``game simulate`` does) for the
bundled history and bubble scenarios and the test scenario mini, and the median
milliseconds of one quarter (``Game.end_quarter``) in synthetic worlds of 200 and 1,000
firms. BLAS is limited to one thread before numpy loads. Each number is given in CPU time
of this process (what one core does, even when other programs share the machine) and in
wall-clock time.

``--profile history`` (or mini, bubble, 200, 1000) prints a cProfile of that workload
instead, sorted by own time.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import cProfile  # noqa: E402
import pstats  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from game.engine.events import EventBook  # noqa: E402
from game.engine.game import Game  # noqa: E402
from game.scenario.loader import load_scenario  # noqa: E402
from game.scenario.model import Scenario  # noqa: E402
from game.scenario.synthetic import synthetic_scenario  # noqa: E402

SCENARIOS = {
    "history": "history",
    "bubble": "bubble",
    "mini": str(ROOT / "tests" / "data" / "mini.toml"),
}


def scenario_of(name: str) -> Scenario:
    return load_scenario(SCENARIOS[name]).scenario


def quarters_per_second(scenario: Scenario, seconds: float) -> tuple[float, float]:
    """Play seeds 0, 1, 2, ... for about ``seconds`` of CPU time (at least 3 games).
    Returns quarters per CPU second and per wall-clock second."""
    book = EventBook.of(scenario)
    Game(scenario, 0, compiled_events=book).play_out()  # warm up
    quarters = 0
    seed = 0
    cpu, wall = time.process_time(), time.perf_counter()
    while seed < 3 or time.process_time() - cpu < seconds:
        game = Game(scenario, seed, compiled_events=book)
        game.play_out()
        quarters += game.world.turn
        seed += 1
    return quarters / (time.process_time() - cpu), quarters / (time.perf_counter() - wall)


def quarter_ms(firms: int, quarters: int) -> tuple[float, float]:
    """Median CPU and wall milliseconds of one quarter (bots included) in a synthetic world."""
    game = Game(synthetic_scenario(firms, quarters=quarters + 2), 1)
    game.end_quarter()  # warm up
    cpu_times, wall_times = [], []
    for _ in range(quarters):
        cpu, wall = time.process_time(), time.perf_counter()
        game.end_quarter()
        cpu_times.append(time.process_time() - cpu)
        wall_times.append(time.perf_counter() - wall)
    return statistics.median(cpu_times) * 1000, statistics.median(wall_times) * 1000


def profile(name: str) -> None:
    if name.isdigit():
        game = Game(synthetic_scenario(int(name), quarters=8), 1)
        work = game.play_out
    else:
        scenario = scenario_of(name)
        book = EventBook.of(scenario)

        def work() -> None:
            for seed in range(200):
                Game(scenario, seed, compiled_events=book).play_out()

    profiler = cProfile.Profile()
    profiler.enable()
    work()
    profiler.disable()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(30)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="shorter measurements")
    parser.add_argument("--profile", metavar="NAME", help="profile history, mini, bubble, 200 or 1000")
    args = parser.parse_args()
    if args.profile:
        profile(args.profile)
        return
    seconds = 1.0 if args.quick else 4.0
    threads = os.environ["OPENBLAS_NUM_THREADS"]
    print(f"one core (OPENBLAS_NUM_THREADS={threads}); cpu = this process's CPU time")
    for name in SCENARIOS:
        cpu, wall = quarters_per_second(scenario_of(name), seconds)
        goal = "  (goal >= 5,000)" if name == "history" else ""
        print(f"{name:>8}: {cpu:8,.0f} quarters/s cpu, {wall:8,.0f} wall{goal}")
    sizes = ((200, 5 if args.quick else 15, "  (goal < 5 ms)"), (1000, 2 if args.quick else 4, ""))
    for firms, quarters, goal in sizes:
        cpu, wall = quarter_ms(firms, quarters)
        print(f"{firms:>8}: {cpu:8.1f} ms/quarter cpu, {wall:8.1f} wall{goal}")


if __name__ == "__main__":
    main()
