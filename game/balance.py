"""Balancing a scenario: many bot games with varied strategies, summarised for the author.

A strategy is a personality preset (``PERSONALITIES``) given to one playable firm while the
rest of the scenario stays as written; the variant is pure data (a copy of the scenario
with that firm's personality replaced), so the engine plays it like any other scenario.
Game ``k`` plays variant ``k % V`` with seed ``first + k // V``: every strategy of a firm
meets the same seeds, so strategies are compared on the same luck. Games are spread over
all cores like ``game.simulate.run_many``; the results do not depend on how they were split.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np

from game.engine.events import EventBook
from game.engine.game import Game
from game.money import format_share
from game.scenario.loader import parse_scenario
from game.scenario.model import PERSONALITIES, Scenario
from game.words import listing

PRESETS = tuple(PERSONALITIES)
OWN_GOAL = "own"  # the group of firms the scenario gives a goal of their own


@dataclass(frozen=True)
class Variant:
    firm: str
    preset: str


@dataclass(frozen=True)
class BalanceRun:
    variant: int
    seed: int
    won: dict[str, bool]  # playable firm -> reached its role's goal
    score: dict[str, float]  # playable firm -> share price now / at the start
    failed: dict[str, bool]
    collapsed: bool
    any_failure: bool
    fired: tuple[str, ...]  # events that fired at least once


def playable(scenario: Scenario) -> list[str]:
    return list(dict.fromkeys(scenario.meta.playable))


def variants(scenario: Scenario) -> list[Variant]:
    return [Variant(firm, preset) for firm in playable(scenario) for preset in PRESETS]


def with_personality(scenario: Scenario, firm: str, preset: str) -> Scenario:
    """The scenario with ``firm`` run by the ``preset`` personality (nothing else changes)."""
    personality = PERSONALITIES[preset]
    firms = [f.model_copy(update={"personality": personality}) if f.id == firm else f for f in scenario.firms]
    return scenario.model_copy(update={"firms": firms})


def plan(scenario: Scenario, runs: int, first_seed: int) -> list[tuple[int, int]]:
    """(variant, seed) for each game."""
    count = len(variants(scenario))
    return [(k % count, first_seed + k // count) for k in range(runs)]


def _play(scenario: Scenario, book: EventBook, variant: int, seed: int) -> BalanceRun:
    game = Game(scenario, seed, compiled_events=book)
    game.play_out()
    world = game.world
    goals = {firm: game.goal(firm) for firm in playable(scenario)}
    collapsed = next(iter(goals.values())).collapse
    return BalanceRun(
        variant,
        seed,
        {f: g.won for f, g in goals.items()},
        {f: g.score for f, g in goals.items()},
        {f: bool(world.failed[world.index[f]]) for f in goals},
        collapsed,
        bool(world.failed.any()),
        tuple(sorted(world.event_fired)),
    )


def _play_tasks(source: str, tasks: list[tuple[int, int]]) -> list[BalanceRun]:
    scenario = parse_scenario(source)
    book = EventBook.of(scenario)  # personalities do not change the events: one book for all
    table = variants(scenario)
    built: dict[int, Scenario] = {}
    out = []
    for variant, seed in tasks:
        if variant not in built:
            v = table[variant]
            built[variant] = with_personality(scenario, v.firm, v.preset)
        out.append(_play(built[variant], book, variant, seed))
    return out


def run_balance(
    source: str, runs: int, first_seed: int | None = None, processes: int | None = None
) -> list[BalanceRun]:
    """Play ``runs`` games; with more than one process, split them into equal batches."""
    scenario = parse_scenario(source)
    first = scenario.meta.seed if first_seed is None else first_seed
    tasks = plan(scenario, runs, first)
    processes = processes or os.cpu_count() or 1
    if processes == 1 or len(tasks) < 64:
        return _play_tasks(source, tasks)
    batches = [tasks[k::processes] for k in range(processes)]
    with ProcessPoolExecutor(max_workers=processes) as pool:
        parts = list(pool.map(_play_tasks, [source] * processes, batches))
    order = {task: n for n, task in enumerate(tasks)}
    return sorted((r for part in parts for r in part), key=lambda r: order[(r.variant, r.seed)])


def _rate(values: list[bool]) -> float | None:
    return float(np.mean(values)) if values else None


def summarise_balance(scenario: Scenario, runs: list[BalanceRun], first_seed: int) -> dict[str, Any]:
    """Per playable firm and preset: how often its goal is reached and its median score; per
    role: how often the goal is reached; how often the system collapses; how often each
    event fires."""
    table = variants(scenario)
    firms = {f.id: f for f in scenario.firms}
    strategies: dict[str, Any] = {}
    for firm in playable(scenario):
        presets: dict[str, Any] = {}
        for preset in PRESETS:
            index = table.index(Variant(firm, preset))
            mine = [r for r in runs if r.variant == index]
            presets[preset] = {
                "games": len(mine),
                "goal_rate": _rate([r.won[firm] for r in mine]),
                "median_score": float(np.median([r.score[firm] for r in mine])) if mine else None,
                "failure_rate": _rate([r.failed[firm] for r in mine]),
                "as_written": firms[firm].personality == PERSONALITIES[preset],
            }
        # a firm with a goal of its own plays to that, not to its role's: counted apart
        role = "lab" if firms[firm].kind == "lab" else "hyperscaler"
        strategies[firm] = {
            "name": firms[firm].name,
            "role": OWN_GOAL if firm in scenario.goals.firms else role,
            "presets": presets,
            **_verdict(presets),
        }
    goals: dict[str, Any] = {}
    for role in ("hyperscaler", "lab", OWN_GOAL):
        members = [f for f, s in strategies.items() if s["role"] == role]
        if not members:
            continue
        hits = [r.won[f] for r in runs for f in members]
        goals[role] = {
            "rate": None if role == OWN_GOAL else _rate(hits),  # different goals: no one rate
            "firm_games": len(hits),
            "firms": {f: _rate([r.won[f] for r in runs]) for f in members},
        }
    events = {}
    for event in scenario.events:
        shock_only = event.when is None and event.condition is None
        events[event.id] = {
            "rate": _rate([event.id in r.fired for r in runs]),
            "when": event.when,
            "condition": event.condition,
            "shock_only": shock_only,
        }
    return {
        "scenario": scenario.meta.id,
        "title": scenario.meta.title,
        "runs": len(runs),
        "first_seed": first_seed,
        "seeds_per_strategy": max((r.seed - first_seed + 1 for r in runs), default=0),
        "strategies": strategies,
        "goals": goals,
        "collapse_rate": _rate([r.collapsed for r in runs]),
        "any_failure_rate": _rate([r.any_failure for r in runs]),
        "events": events,
    }


def _verdict(presets: dict[str, Any]) -> dict[str, Any]:
    """The preset with the best goal rate, the one with the best median score, and the one
    that dominates: no other preset does as well on both counts. ``same`` is true when every
    preset gave the same results (the firm's personality makes no difference); ``tied`` lists
    the presets that share the best results when no single one has them."""
    played = {p: (v["goal_rate"], v["median_score"]) for p, v in presets.items() if v["games"]}
    if not played:
        return {"best_goal": None, "best_score": None, "dominant": None, "same": False, "tied": []}
    best_goal = max(played, key=lambda p: played[p])
    best_score = max(played, key=lambda p: (played[p][1], played[p][0]))

    def beaten(p: str) -> bool:
        goal, score = played[p]
        return any(
            g >= goal and s >= score and (g > goal or s > score) for q, (g, s) in played.items() if q != p
        )

    front = [p for p in played if not beaten(p)]
    same = len(set(played.values())) == 1
    dominant = front[0] if len(front) == 1 and not same else None
    tied = front if len(front) > 1 and len({played[p] for p in front}) == 1 and not same else []
    return {
        "best_goal": best_goal,
        "best_score": best_score,
        "dominant": dominant,
        "same": same,
        "tied": tied,
    }


def print_balance(summary: dict[str, Any]) -> str:
    """The summary as plain text tables."""

    def share(value: float | None) -> str:
        return "-" if value is None else format_share(value)

    firms = len(summary["strategies"])
    names = max((len(s["name"]) for s in summary["strategies"].values()), default=4) + 2  # never cut
    lines = [
        f"{summary['title']}: {summary['runs']} bot games ({firms} playable firm{'s' * (firms != 1)} x "
        f"{len(PRESETS)} personalities, up to {summary['seeds_per_strategy']} seeds each from seed "
        f"{summary['first_seed']}) in {summary.get('seconds', 0)} s",
        "",
        "Strategies: each playable firm run by a bot with each personality (* = as written)",
        f"{'firm':<{names}}{'personality':<13}{'games':>6}{'goal':>7}{'median score':>14}{'failed':>8}",
    ]
    for strategy in summary["strategies"].values():
        first = True
        for preset, row in strategy["presets"].items():
            name = strategy["name"] if first else ""
            label = preset + ("*" if row["as_written"] else "")
            score = "-" if row["median_score"] is None else f"{row['median_score']:.2f}"
            lines.append(
                f"{name:<{names}}{label:<13}{row['games']:>6}{share(row['goal_rate']):>7}{score:>14}"
                f"{share(row['failure_rate']):>8}"
            )
            first = False
        if strategy["same"]:
            verdict = "every personality gave the same results"
        elif strategy["dominant"]:
            verdict = f"{strategy['dominant']} dominates (best goal rate and median score)"
        elif strategy["tied"]:
            verdict = f"{listing(strategy['tied'])} tie for the best goal rate and median score"
        elif strategy["best_goal"]:
            verdict = (
                f"no strategy dominates: best goal rate {strategy['best_goal']}, "
                f"best median score {strategy['best_score']}"
            )
        else:
            verdict = "not played: give more --runs"
        lines += [f"{'':<{names}}-> {verdict}", ""]
    lines.append("Goals reached (playable firms, all games)")
    for role, goal in summary["goals"].items():
        each = ", ".join(
            f"{summary['strategies'][f]['name']} {share(rate)}" for f, rate in goal["firms"].items()
        )
        label = "own goals" if role == OWN_GOAL else role
        lines.append(f"  {label:<12}{share(goal['rate']):>6}   ({each})")
    lines += [
        "",
        f"System collapse: {share(summary['collapse_rate'])} of games; "
        f"at least one firm failed: {share(summary['any_failure_rate'])}",
    ]
    if summary["events"]:
        lines += ["", "Events fired (share of games)"]
        width = max(len(e) for e in summary["events"]) + 2
        for event_id, event in summary["events"].items():
            if event["shock_only"]:
                lines.append(f"  {event_id:<{width}}{'-':>6}   shock: only a facilitator injects it")
                continue
            how = f"on {event['when']}" if event["when"] else ""
            if event["condition"]:
                how = (how + " if " if how else "when ") + event["condition"]
            if len(how) > 70:
                how = how[:67] + "..."
            lines.append(f"  {event_id:<{width}}{share(event['rate']):>6}   {how}")
    return "\n".join(lines)
