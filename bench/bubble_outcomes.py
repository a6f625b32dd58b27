"""How often does a scenario end in a cascade? Play many seeds headlessly and count.

Usage (from the repository root):

    python bench/bubble_outcomes.py                  # scenarios/bubble.toml, 200 seeds
    python bench/bubble_outcomes.py tutorial -n 50   # a bundled scenario by id
    python bench/bubble_outcomes.py path/to/my.toml --first-seed 1000

Every firm is run by the computer (no human players), so the numbers describe the
scenario's own dynamics. Printed:

- failure rate per firm (share of runs in which it failed);
- share of runs with at least 2 failures, and with a cascade (a quarter with 2+ waves,
  or 2+ firms failing in one wave);
- the distribution of failures per run, of the most waves in one quarter and of the
  largest wave;
- the median peak system bubble index (total market / total fundamental valuation) and
  the median turn of that peak;
- the median turn (and quarter) of the first failure, among runs with a failure.

Turns count quarters played: turn 1 is the scenario's first quarter.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from game.calendar import quarter_index, quarter_name
from game.engine.game import Game
from game.scenario.loader import ScenarioError, load_scenario
from game.scenario.model import Scenario


@dataclass(frozen=True)
class RunOutcome:
    seed: int
    failed: tuple[bool, ...]
    failures: int
    first_failure_turn: int | None  # 1 = first quarter played
    most_waves: int  # most waves in a single quarter
    largest_wave: int  # most firms failing in a single wave
    peak_bubble: float
    peak_turn: int  # 0 = the opening position
    final_bubble: float

    @property
    def cascade(self) -> bool:
        return self.most_waves >= 2 or self.largest_wave >= 2


def play(scenario: Scenario, seed: int) -> RunOutcome:
    """One headless game, every firm run by the computer."""
    game = Game(scenario, seed)
    game.play_out()
    world = game.world
    first = next((turn for turn, r in enumerate(game.reports, start=1) if r.waves), None)
    bubble = np.asarray(world.system_history["system_bubble"], dtype=float)
    played = bubble[~np.isnan(bubble)]
    return RunOutcome(
        seed=seed,
        failed=tuple(bool(f) for f in world.failed),
        failures=int(world.failed.sum()),
        first_failure_turn=first,
        most_waves=max((len(r.waves) for r in game.reports), default=0),
        largest_wave=max((len(w) for r in game.reports for w in r.waves), default=0),
        peak_bubble=float(played.max()) if played.size else 1.0,
        peak_turn=int(np.nanargmax(bubble)) if played.size else 0,
        final_bubble=float(played[-1]) if played.size else 1.0,
    )


def histogram(values: list[int], label: str) -> str:
    counts = Counter(values)
    total = len(values)
    parts = [f"{k}: {counts[k] / total:.0%}" for k in sorted(counts)]
    return f"{label:<34}" + "  ".join(parts)


def report(scenario: Scenario, outcomes: list[RunOutcome], seconds: float) -> str:
    n = len(outcomes)
    meta = scenario.meta
    lines = [
        f"{meta.title} ({meta.id}): {n} seeds from {outcomes[0].seed}, "
        f"{meta.quarters} quarters from {meta.start}, {seconds:.1f} s",
        "",
        "Failure rate per firm:",
    ]
    for i, firm in enumerate(scenario.firms):
        rate = sum(o.failed[i] for o in outcomes) / n
        lines.append(f"  {firm.id:<20} {firm.kind:<12} {rate:6.1%}")
    at_least_two = sum(o.failures >= 2 for o in outcomes) / n
    cascades = sum(o.cascade for o in outcomes) / n
    both = sum(o.failures >= 2 and o.cascade for o in outcomes) / n
    none = sum(o.failures == 0 for o in outcomes) / n
    lines += [
        "",
        f"{'Runs with no failure:':<34}{none:.1%}",
        f"{'Runs with >= 2 failures:':<34}{at_least_two:.1%}",
        f"{'Runs with a cascade:':<34}{cascades:.1%}   (a quarter with 2+ waves or a wave of 2+ firms)",
        f"{'Runs with both:':<34}{both:.1%}",
        f"{'Median failures per run:':<34}{statistics.median(o.failures for o in outcomes):g}",
        histogram([o.failures for o in outcomes], "Failures per run:"),
        histogram([o.most_waves for o in outcomes], "Most waves in one quarter:"),
        histogram([o.largest_wave for o in outcomes], "Largest wave (firms):"),
        "",
        f"{'Median peak system bubble index:':<34}{statistics.median(o.peak_bubble for o in outcomes):.2f}"
        f"   (at turn {statistics.median(o.peak_turn for o in outcomes):g})",
        f"{'Median final system bubble index:':<34}{statistics.median(o.final_bubble for o in outcomes):.2f}",
    ]
    firsts = [o.first_failure_turn for o in outcomes if o.first_failure_turn is not None]
    if firsts:
        turn = statistics.median_low(firsts)
        quarter = quarter_name(quarter_index(meta.start) + turn - 1)
        lines.append(
            f"{'Median turn of first failure:':<34}{statistics.median(firsts):g}"
            f"   (about {quarter}; {len(firsts)} runs with a failure)"
        )
    else:
        lines.append(f"{'Median turn of first failure:':<34}no failures")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenario", nargs="?", default="bubble", help="bundled id or path (default: bubble)")
    parser.add_argument("-n", "--seeds", type=int, default=200, help="number of seeds (default: 200)")
    parser.add_argument("--first-seed", type=int, default=0, help="first seed (default: 0)")
    args = parser.parse_args(argv)
    try:
        scenario = load_scenario(args.scenario).scenario
    except ScenarioError as err:
        print(err, file=sys.stderr)
        return 2
    started = time.perf_counter()
    outcomes = [play(scenario, seed) for seed in range(args.first_seed, args.first_seed + args.seeds)]
    print(report(scenario, outcomes, time.perf_counter() - started))
    return 0


if __name__ == "__main__":
    sys.exit(main())
