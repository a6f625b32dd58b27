"""Headless play: bots at every seat, one run in detail or many runs in summary.

Many runs are spread over all cores with a process pool; each worker parses the
scenario once and plays the seeds it is given, so results do not depend on how the
work was divided.
"""

from __future__ import annotations

import json
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from game.calendar import quarter_name
from game.engine.events import EventBook
from game.engine.game import Game
from game.scenario.loader import parse_scenario
from game.scenario.model import Scenario


def with_quarters(scenario: Scenario, quarters: int | None) -> Scenario:
    """The scenario played for a different number of quarters (events keep their dates)."""
    if quarters is None or quarters == scenario.meta.quarters:
        return scenario
    return scenario.model_copy(update={"meta": scenario.meta.model_copy(update={"quarters": quarters})})


def run_once(scenario: Scenario, seed: int) -> dict[str, Any]:
    """One game with bots everywhere, quarter by quarter."""
    game = Game(scenario, seed)
    game.play_out()
    world = game.world
    history = world.history
    rows = []
    for row in range(world.turn + 1):
        rows.append(
            {
                "quarter": "start" if row == 0 else quarter_name(world.first_quarter + row - 1),
                "valuation": dict(zip(world.ids, history["valuation"][row].round(0).tolist(), strict=True)),
                "failures": int(world.system_history["failures"][row]),
                "system_cycling": round(float(world.system_history["system_cycling"][row]), 4),
                "system_bubble": round(float(world.system_history["system_bubble"][row]), 3),
            }
        )
    failed = [world.ids[i] for i in np.flatnonzero(world.failed)]
    return {"seed": seed, "quarters": rows, "failed": failed, "fingerprint": game.fingerprint()}


@dataclass(frozen=True)
class RunOutcome:
    seed: int
    final_valuation: list[float]
    final_score: list[float]  # World.growth(): the score a player's debrief is compared on
    failed: list[bool]
    peak_cycling: float
    peak_bubble: float
    collapsed: bool
    # per firm: it reached its goal (checked for the playable firms only: the others are False);
    # the debrief says how often the bots playing a seat reached the goal its player had
    reached: list[bool] = field(default_factory=list)


def _outcome(scenario: Scenario, seed: int, book: EventBook, difficulty: str | None) -> RunOutcome:
    game = Game(scenario, seed, difficulty=difficulty, compiled_events=book)
    game.play_out()
    world = game.world
    collapse = game.goal(world.ids[0]).collapse
    playable = set(scenario.meta.playable)
    reached = [firm in playable and game.goal(firm).won for firm in world.ids]
    return RunOutcome(
        seed,
        world.metrics["valuation"].tolist(),
        world.growth().tolist(),
        world.failed.tolist(),
        float(np.nanmax(world.system_history["system_cycling"])),
        float(np.nanmax(world.system_history["system_bubble"])),
        collapse,
        reached,
    )


def _play_batch(
    source: str, quarters: int | None, seeds: list[int], difficulty: str | None = None
) -> list[RunOutcome]:
    scenario = with_quarters(parse_scenario(source), quarters)
    book = EventBook.of(scenario)
    return [_outcome(scenario, seed, book, difficulty) for seed in seeds]


def run_many(
    source: str,
    seeds: list[int],
    quarters: int | None = None,
    processes: int | None = None,
    *,
    difficulty: str | None = None,
) -> list[RunOutcome]:
    """Play every seed; with more than one process, split the seeds into equal batches."""
    processes = processes or os.cpu_count() or 1
    if processes == 1 or len(seeds) < 8:
        return _play_batch(source, quarters, seeds, difficulty)
    batches = [seeds[k::processes] for k in range(processes)]
    with ProcessPoolExecutor(max_workers=processes) as pool:
        parts = list(
            pool.map(
                _play_batch, [source] * processes, [quarters] * processes, batches, [difficulty] * processes
            )
        )
    return sorted((o for part in parts for o in part), key=lambda o: o.seed)


def summarise(scenario: Scenario, outcomes: list[RunOutcome]) -> dict[str, Any]:
    """Percentiles of final valuations, failure rates, and how often the system collapsed."""
    values = np.array([o.final_valuation for o in outcomes])
    failed = np.array([o.failed for o in outcomes])
    firms = {}
    for i, firm in enumerate(scenario.firms):
        p10, p50, p90 = np.percentile(values[:, i], [10, 50, 90])
        firms[firm.id] = {
            "name": firm.name,
            "p10": float(p10),
            "median": float(p50),
            "p90": float(p90),
            "failure_rate": float(failed[:, i].mean()),
        }
    failures = failed.sum(axis=1)
    return {
        "scenario": scenario.meta.id,
        "runs": len(outcomes),
        "firms": firms,
        "failures": {
            "mean": float(failures.mean()),
            "share_with_any": float((failures > 0).mean()),
            "share_with_two_or_more": float((failures >= 2).mean()),
        },
        "collapse_rate": float(np.mean([o.collapsed for o in outcomes])),
        "peak_cycling_median": float(np.median([o.peak_cycling for o in outcomes])),
        "peak_bubble_median": float(np.median([o.peak_bubble for o in outcomes])),
    }


def forecast_seeds(seed: int, runs: int) -> list[int]:
    """Seeds for a forecast of one game: derived from its seed, so a class shares them too."""
    return [seed * 1009 + k + 1 for k in range(runs)]


def share_beaten(outcomes: list[RunOutcome], firm: int, score: float) -> float:
    """The share of computer-played runs in which ``firm`` ended with a score below ``score``
    ("your score beat 83% of 1,000 bot games"). On the score, not the valuation: a lab whose
    goal is its share price, and which raised little to keep it, was told it did worse than
    every bot, whose raises had bought them bigger valuations."""
    if not outcomes:
        return 0.0
    return float(np.mean([o.final_score[firm] < score for o in outcomes]))


# --- the debrief's forecast, played in a child process ------------------------------------------
# The game's UI runs threads and redirects its standard streams, so it must not fork a process
# pool itself: it starts ``python -m game.simulate`` with a request on stdin and reads the
# outcomes from stdout. The child is a plain single-threaded process that may use every core.


def forecast_command() -> list[str]:
    return [sys.executable, "-m", "game.simulate"]


def forecast_request(source: str, seed: int, runs: int, difficulty: str | None) -> str:
    return json.dumps({"source": source, "seed": seed, "runs": runs, "difficulty": difficulty})


def play_forecast(request: str) -> str:
    """Play the bot games a request names; the outcomes as JSON."""
    asked = json.loads(request)
    seeds = forecast_seeds(int(asked["seed"]), int(asked["runs"]))
    outcomes = run_many(asked["source"], seeds, difficulty=asked["difficulty"])
    return json.dumps([asdict(o) for o in outcomes])


def read_forecast(answer: str) -> list[RunOutcome]:
    return [RunOutcome(**fields) for fields in json.loads(answer)]


if __name__ == "__main__":
    # Run as a script, this file is ``__main__``; the process pool must send the functions of
    # the package module ``game.simulate`` instead.
    from game import simulate

    sys.stdout.write(simulate.play_forecast(sys.stdin.read()))
