"""Speed and memory report for Circular. Run: python bench/speed.py [--quick]

Prints each measurement beside its goal from the issues. Times are wall-clock on this
machine; run it on an otherwise idle machine. The engine figures are measured several times
and given as the best and the median, because other programs sharing the cores slow single
runs down by tens of percent.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from game.engine.events import EventBook  # noqa: E402
from game.engine.game import Game  # noqa: E402
from game.scenario.loader import load_scenario  # noqa: E402
from game.scenario.synthetic import synthetic_scenario  # noqa: E402


def quarters_per_second(scenario_id: str, games: int) -> float:
    scenario = load_scenario(scenario_id).scenario
    book = EventBook.of(scenario)  # compiled once, as `circular simulate` does
    quarters = 0
    started = time.perf_counter()
    for seed in range(games):
        game = Game(scenario, seed, compiled_events=book)
        game.play_out()
        quarters += game.world.turn
    return quarters / (time.perf_counter() - started)


def quarter_ms(firms: int, quarters: int) -> float:
    game = Game(synthetic_scenario(firms, quarters=quarters + 2), 1)
    game.end_quarter()  # warm up
    times = []
    for _ in range(quarters):
        started = time.perf_counter()
        game.end_quarter()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def python_reference_seconds() -> float:
    """Best of three: a plain Python loop adding ten million integers. It tells how fast this
    machine runs Python, so that figures from different machines can be compared."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        total = 0
        for i in range(10_000_000):
            total += i
        best = min(best, time.perf_counter() - started)
    return best


def best_and_median(measure: Callable[[], float], repeat: int, higher_is_better: bool) -> tuple[float, float]:
    """Run ``measure`` ``repeat`` times: its best result and the median."""
    results = [measure() for _ in range(repeat)]
    best = max(results) if higher_is_better else min(results)
    return best, statistics.median(results)


def command_seconds(args: list[str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "game", *args],
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = parser.parse_args()
    games = 50 if args.quick else 300
    repeat = 3 if args.quick else 5
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; a Python loop of 10 million additions takes "
        f"{python_reference_seconds():.2f} s"
    )
    qps = best_and_median(lambda: quarters_per_second("history", games), repeat, higher_is_better=True)
    ms200 = best_and_median(lambda: quarter_ms(200, 5 if args.quick else 20), repeat, higher_is_better=False)
    ms1000 = best_and_median(lambda: quarter_ms(1000, 2 if args.quick else 5), 2, higher_is_better=False)
    rows = [
        (
            "headless quarters per second, history with bots, one core",
            f"{qps[0]:,.0f} (median {qps[1]:,.0f})",
            ">= 5,000",
        ),
        (
            "one quarter, synthetic 200-firm world",
            f"{ms200[0]:.1f} ms (median {ms200[1]:.1f})",
            "< 5 ms",
        ),
        (
            "one quarter, synthetic 1,000-firm world",
            f"{ms1000[0]:.0f} ms (median {ms1000[1]:.0f})",
            "(report)",
        ),
        (
            "circular simulate history --runs 1000",
            f"{command_seconds(['simulate', 'history', '--runs', '1000'], 1):.1f} s",
            "< 10 s",
        ),
        ("circular --help", f"{command_seconds(['--help'], 5):.2f} s", "< 0.3 s"),
        (
            "circular validate --no-games scenarios/history.toml (start-up and checks)",
            f"{command_seconds(['validate', '--no-games', 'scenarios/history.toml'], 5):.2f} s",
            "< 0.3 s",
        ),
        (
            "circular validate scenarios/history.toml (with its 20 bot games)",
            f"{command_seconds(['validate', 'scenarios/history.toml'], 5):.2f} s",
            "(report)",
        ),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"\n| {'measurement':<{width}} | result | goal |\n|{'-' * (width + 2)}|---|---|")
    for name, result, goal in rows:
        print(f"| {name:<{width}} | {result} | {goal} |")


if __name__ == "__main__":
    main()
