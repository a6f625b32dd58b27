"""Does the real-history scenario stay close to history? Compare simulated with reported valuations.

Usage (from the repository root):

    python bench/calibrate_history.py                 # 200 seeds (0..199), scenarios/history.toml
    python bench/calibrate_history.py -n 50           # fewer seeds
    python bench/calibrate_history.py --detail        # also median paths of every firm, and
                                                      # how often each news item happened
    python bench/calibrate_history.py path/to/other.toml

Every firm is run by the computer (no human players). For each reported valuation of
OpenAI and Anthropic (reference notes, deals and valuations, 2023-2026) the script takes the
median over the seeds of the simulated valuation after that quarter has been played
(history row = quarters since the start + 1; row 0 is the opening) and prints a Markdown
table. It also reports each firm's failure rate, the median final valuation of every
firm, and how often a scripted deal fell through (an investor lacking cash, say).
Runs are spread over --workers processes (default 2); results do not depend on it.

Exit status 1 if any row is outside a factor of 2 of the reported value.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from game.calendar import quarter_index, quarter_name
from game.engine.events import FELL_THROUGH
from game.engine.game import Game
from game.scenario.loader import ScenarioError, load_scenario
from game.scenario.model import Scenario

DEFAULT_SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "history.toml"
TOLERANCE = 2.0


@dataclass(frozen=True)
class Reported:
    quarter: str
    lab: str
    value: float  # USD, post-money
    source: str


# Reported post-money valuations (reference notes: "Reported valuations"). Anthropic's
# 2023-Q3 value is the one implied by Amazon's first tranche: 1.25 bn at 4 bn pre-money.
REPORTED: tuple[Reported, ...] = (
    Reported("2024-Q1", "openai", 86e9, "tender offer, Feb 2024"),
    Reported("2024-Q4", "openai", 157e9, "6.6 bn round, Oct 2024"),
    Reported("2025-Q1", "openai", 300e9, "SoftBank-led round, Mar 2025"),
    Reported("2025-Q4", "openai", 500e9, "secondary sale, Oct 2025"),
    Reported("2026-Q1", "openai", 852e9, "122 bn round, Mar 2026 (?)"),
    Reported("2023-Q3", "anthropic", 5.25e9, "Amazon's 1.25 bn at 4 bn pre-money, Sept 2023"),
    Reported("2024-Q1", "anthropic", 18.4e9, "Menlo round, early 2024"),
    Reported("2025-Q1", "anthropic", 61.5e9, "Series E, Mar 2025"),
    Reported("2025-Q3", "anthropic", 183e9, "Series F, Sept 2025"),
    Reported("2025-Q4", "anthropic", 350e9, "Microsoft and Nvidia, Nov 2025"),
    Reported("2026-Q1", "anthropic", 380e9, "Series G, Feb 2026 (?)"),
)

DETAIL_FIELDS = ("valuation", "revenue", "cash", "debt", "capability", "market_share", "round_trip", "bubble")


@dataclass
class Run:
    seed: int
    history: dict[str, np.ndarray]  # field -> (quarters + 1, n)
    failed: np.ndarray
    fell_through: int
    system_bubble: np.ndarray
    deals: list[str]  # headlines of deals the computer-run firms made, and of fired events


def play(scenario: Scenario, seed: int) -> Run:
    game = Game(scenario, seed)
    game.play_out()
    world = game.world
    fell = sum(1 for news in world.news if news.headline.startswith(FELL_THROUGH))
    deals = [
        f"{quarter_name(news.quarter)} {news.kind}: {news.headline}"
        for news in world.news
        if news.kind in ("deal", "choice") or (news.kind == "event" and news.headline)
    ]
    return Run(
        seed,
        {name: world.history[name].copy() for name in DETAIL_FIELDS},
        world.failed.copy(),
        fell,
        world.system_history["system_bubble"].copy(),
        deals,
    )


def _play_batch(args: tuple[str, list[int]]) -> list[Run]:
    path, seeds = args
    scenario = load_scenario(path).scenario
    return [play(scenario, seed) for seed in seeds]


def play_many(path: str, seeds: list[int], workers: int) -> list[Run]:
    if workers <= 1 or len(seeds) < 8:
        return _play_batch((path, seeds))
    chunks = [seeds[i::workers] for i in range(workers)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        runs = [run for batch in pool.map(_play_batch, [(path, c) for c in chunks]) for run in batch]
    return sorted(runs, key=lambda r: r.seed)


def row_of(scenario: Scenario, quarter: str) -> int:
    """History row holding the value after ``quarter`` has been played."""
    return quarter_index(quarter) - quarter_index(scenario.meta.start) + 1


def money(x: float) -> str:
    if not np.isfinite(x):
        return "n/a"
    if abs(x) >= 1e12:
        return f"{x / 1e12:.2f} tn"
    if abs(x) >= 1e9:
        return f"{x / 1e9:.1f} bn"
    return f"{x / 1e6:.0f} m"


def calibration_rows(
    scenario: Scenario, runs: list[Run]
) -> list[tuple[Reported, float, float, tuple[float, float]]]:
    """For each reported value: the median over the runs, its ratio to the report, and the
    10th and 90th percentiles (the spread between seeds)."""
    ids = [f.id for f in scenario.firms]
    out = []
    for rep in REPORTED:
        row = row_of(scenario, rep.quarter)
        values = [float(r.history["valuation"][row, ids.index(rep.lab)]) for r in runs]
        median = float(np.median(values))
        low, high = (float(x) for x in np.percentile(values, [10, 90]))
        out.append((rep, median, median / rep.value, (low, high)))
    return out


def print_detail(scenario: Scenario, runs: list[Run]) -> None:
    ids = [f.id for f in scenario.firms]
    first = quarter_index(scenario.meta.start)
    rows = scenario.meta.quarters + 1
    labels = ["start"] + [quarter_name(first + k) for k in range(rows - 1)]
    for name in DETAIL_FIELDS:
        stack = np.stack([r.history[name] for r in runs])  # (runs, rows, n)
        med = np.nanmedian(stack, axis=0)
        print(f"\n### median {name}\n")
        print("| quarter | " + " | ".join(ids) + " |")
        print("|---" * (len(ids) + 1) + "|")
        for k in range(rows):
            if name in ("capability", "market_share", "round_trip", "bubble"):
                cells = [f"{v:.3f}" for v in med[k]]
            else:
                cells = [money(v) for v in med[k]]
            print(f"| {labels[k]} | " + " | ".join(cells) + " |")


def print_news(runs: list[Run]) -> None:
    """How often each kind of news happened (amounts stripped), over all runs."""
    from collections import Counter

    counts: Counter[str] = Counter()
    for run in runs:
        for line in set(run.deals):
            counts[re.sub(r"[0-9][0-9.,]*( ?(bn|tn|m|%))?", "#", line)] += 1
    print("\n### news: share of runs in which it happened\n")
    for line, count in sorted(counts.items()):
        print(f"- {count / len(runs):.0%} {line}")
    bubble = np.nanmedian(np.stack([r.system_bubble for r in runs]), axis=0)
    print("\nmedian system bubble by row: " + ", ".join(f"{b:.2f}" for b in bubble))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", default=str(DEFAULT_SCENARIO))
    parser.add_argument("-n", "--seeds", type=int, default=200, help="number of seeds (from 0)")
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--detail", action="store_true", help="print median paths of every firm")
    args = parser.parse_args(argv)

    try:
        scenario = load_scenario(args.scenario).scenario
    except ScenarioError as err:
        print(err, file=sys.stderr)
        return 2
    seeds = list(range(args.first_seed, args.first_seed + args.seeds))
    started = time.perf_counter()
    runs = play_many(args.scenario, seeds, args.workers)
    elapsed = time.perf_counter() - started
    ids = [f.id for f in scenario.firms]

    print(f"## Calibration of '{scenario.meta.id}': {len(runs)} seeds, bots at every seat\n")
    print("| date | lab | reported | median simulated | ratio | within factor 2 | 10th-90th percentile |")
    print("|---|---|---:|---:|---:|---|---|")
    ok = True
    for rep, median, ratio, (low, high) in calibration_rows(scenario, runs):
        inside = 1 / TOLERANCE <= ratio <= TOLERANCE
        ok &= inside
        print(
            f"| {rep.quarter} | {rep.lab} | {money(rep.value)} | {money(median)} | {ratio:.2f} | "
            f"{'yes' if inside else 'NO'} | {money(low)} - {money(high)} |"
        )

    failed = np.stack([r.failed for r in runs])
    print("\n## Failure rate per firm and median final valuation\n")
    print("| firm | failed in | median valuation at the end |")
    print("|---|---:|---:|")
    final = np.median(np.stack([r.history["valuation"][-1] for r in runs]), axis=0)
    for i, firm in enumerate(ids):
        print(f"| {firm} | {failed[:, i].mean():.1%} | {money(float(final[i]))} |")
    per_run = failed.sum(axis=1)
    print(
        f"\nFailures per run: median {statistics.median(per_run.tolist()):.0f}, "
        f"runs with none {np.mean(per_run == 0):.0%}, with 3 or more {np.mean(per_run >= 3):.0%}."
    )
    fell = [r.fell_through for r in runs]
    print(f"Scripted moves that fell through per run: mean {np.mean(fell):.2f}, max {max(fell)}.")
    print(f"({len(runs)} runs in {elapsed:.1f} s)")

    if args.detail:
        print_detail(scenario, runs)
        print_news(runs)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
