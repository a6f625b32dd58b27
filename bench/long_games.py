"""Long and heavy games: does a quarter cost the same at the end as at the start, and does
memory grow only by the game's history?

Run: python bench/long_games.py [--quarters 400] [--firms 500] [--firm-quarters 100] [--quick]

Plays, bots at every seat, (1) the history scenario stretched to 400 quarters, (2) the tests'
mini world stretched to 400 quarters and (3) a synthetic 500-firm world, timing every quarter
and, with tracemalloc, the memory the game holds after it. For each it prints the median time
of a quarter early and late in the game and the trend (a straight line fitted through the
times, as the change over the game), memory growth per quarter in the first and second half
of the game, and the sizes of the lists that must not grow with the game (contracts, offers,
options) beside those that are its history (news, reports, the action log).
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
import tracemalloc
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from game.engine.actions import EndQuarter  # noqa: E402
from game.engine.game import Game  # noqa: E402
from game.scenario.loader import load_scenario  # noqa: E402
from game.scenario.model import Scenario  # noqa: E402
from game.scenario.synthetic import synthetic_scenario  # noqa: E402
from game.simulate import with_quarters  # noqa: E402


@dataclass
class LongRun:
    name: str
    firms: int
    # CPU seconds of this process per quarter: unlike the wall clock, they do not grow while
    # other programs have the cores, so early and late quarters compare on a busy machine
    seconds: list[float] = field(default_factory=list)
    memory: list[int] = field(default_factory=list)  # bytes held after each quarter (tracemalloc)
    sizes: list[dict[str, int]] = field(default_factory=list)  # list lengths after each quarter

    def window(self, start: float, end: float) -> slice:
        n = len(self.seconds)
        return slice(int(start * n), max(int(end * n), int(start * n) + 1))

    def median_ms(self, start: float, end: float) -> float:
        return 1000 * statistics.median(self.seconds[self.window(start, end)])

    def quantile_ms(self, start: float, end: float, q: float) -> float:
        """A low quantile is the steadier measure on a busy machine: load only adds time."""
        return 1000 * float(np.quantile(self.seconds[self.window(start, end)], q))

    def slowdown(self) -> float:
        """Median quarter time in the last fifth over the second fifth (the first is warm-up)."""
        return self.median_ms(0.8, 1.0) / self.median_ms(0.2, 0.4)

    def trend(self) -> float:
        """The least-squares line through the quarter times (after the first fifth): its rise
        over the whole game, as a share of its level at the start."""
        part = self.window(0.2, 1.0)
        y = np.array(self.seconds[part])
        x = np.arange(len(y))
        slope, level = np.polyfit(x, y, 1)
        return float(slope * len(self.seconds) / level) if level > 0 else 0.0

    def growth_per_quarter(self, start: float, end: float) -> float:
        """Bytes of memory added per quarter between two points of the game."""
        a, b = self.window(start, end).start, min(self.window(start, end).stop, len(self.memory)) - 1
        return (self.memory[b] - self.memory[a]) / max(b - a, 1)


def play_long(name: str, scenario: Scenario, seed: int = 1, *, memory: bool = True) -> LongRun:
    """Play every quarter with bots alone, timing each and (with ``memory``) tracing what the
    game holds after it."""
    run = LongRun(name, len(scenario.firms))
    gc.collect()
    if memory:
        tracemalloc.start()
    try:
        game = Game(scenario, seed)
        while not game.world.finished:
            started = time.process_time()
            game.act(EndQuarter(""))
            run.seconds.append(time.process_time() - started)
            world = game.world
            run.sizes.append(
                {
                    "contracts": len(world.contracts),
                    "offers": len(world.offers),
                    "options": len(world.options),
                    "pending": len(world.pending),
                    "news": len(world.news),
                    "reports": len(game.reports),
                    "log": len(game.log),
                }
            )
            if memory:
                run.memory.append(tracemalloc.get_traced_memory()[0])
    finally:
        if memory:
            tracemalloc.stop()
    return run


def describe(run: LongRun) -> list[str]:
    quarters = len(run.seconds)
    lines = [
        f"{run.name}: {run.firms} firms, {quarters} quarters, {sum(run.seconds):.1f} s",
        f"  quarter CPU time: median {run.median_ms(0.2, 0.4):.2f} ms early (2nd fifth), "
        f"{run.median_ms(0.8, 1.0):.2f} ms late (last fifth): x{run.slowdown():.2f}; "
        f"fitted trend over the game {run.trend():+.0%}",
    ]
    if run.memory:
        early, late = run.growth_per_quarter(0.1, 0.55), run.growth_per_quarter(0.55, 1.0)
        news = run.sizes[-1]["news"] - run.sizes[0]["news"]
        per_news = (run.memory[-1] - run.memory[0]) / max(news, 1)
        lines.append(
            f"  memory held: {run.memory[0] / 1e6:.1f} MB after quarter 1, {run.memory[-1] / 1e6:.1f} MB at "
            f"the end; growth {early / 1e3:.1f} kB/quarter in the first half, {late / 1e3:.1f} kB/quarter "
            f"in the second; {per_news:.0f} bytes per news item added"
        )
    first, middle, last = run.sizes[0], run.sizes[len(run.sizes) // 2], run.sizes[-1]
    lines.append(
        "  bounded lists (quarter 1 / middle / end): "
        + ", ".join(
            f"{k} {first[k]}/{middle[k]}/{last[k]}" for k in ("contracts", "offers", "options", "pending")
        )
    )
    lines.append("  history (end): " + ", ".join(f"{k} {last[k]}" for k in ("news", "reports", "log")))
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quarters", type=int, default=400, help="length of the long games")
    parser.add_argument("--firms", type=int, default=500, help="firms in the synthetic world")
    parser.add_argument("--firm-quarters", type=int, default=100, help="quarters of the synthetic world")
    parser.add_argument("--no-memory", action="store_true", help="time only (tracemalloc slows Python)")
    parser.add_argument("--quick", action="store_true", help="100 quarters, 200 firms for 20")
    args = parser.parse_args(argv)
    if args.quick:
        args.quarters, args.firms, args.firm_quarters = 100, 200, 20
    memory = not args.no_memory
    history = with_quarters(load_scenario("history").scenario, args.quarters)
    mini = with_quarters(load_scenario(ROOT / "tests" / "data" / "mini.toml").scenario, args.quarters)
    synthetic = synthetic_scenario(args.firms, quarters=args.firm_quarters)
    print(f"Python {sys.version.split()[0]}, numpy {np.__version__}; memory traced: {memory}\n")
    for name, scenario in (
        (f"history, {args.quarters} quarters", history),
        (f"mini, {args.quarters} quarters", mini),
        (f"synthetic {args.firms}-firm world", synthetic),
    ):
        for line in describe(play_long(name, scenario, memory=memory)):
            print(line)
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
