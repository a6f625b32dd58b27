"""The debrief export: the debrief as Markdown and every firm's history as CSV."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence

import numpy as np

from game.calendar import quarter_name
from game.engine.game import Game
from game.engine.state import World
from game.facilitation import facilitator_moves
from game.money import format_money
from game.simulate import RunOutcome
from game.ui.analysis.goals import collapse_sentence, goal_owner, goal_parts, verdict
from game.ui.analysis.history import played_rows, row_label, series
from game.ui.analysis.results import (
    format_score,
    perspective,
    perspective_line,
    ranking,
    system_figure,
    turning_points,
)


def debrief_markdown(
    game: Game,
    players: Sequence[tuple[str, str]],
    code: str = "",
    outcomes: list[RunOutcome] | None = None,
) -> str:
    """The debrief as Markdown: each player's score against the goal and against the bots
    (``outcomes``: the bot games, if played), ranking, turning points, questions.
    ``players``: (firm id, how to call the seat) in turn order, one for a game with one player."""
    world = game.world
    scenario = game.scenario
    unit = world.unit
    seats = [world.index[firm] for firm, _ in players]
    results = [game.goal(firm) for firm, _ in players]
    views = [perspective(outcomes, world, i) if outcomes else None for i in seats]
    out = [f"# Debrief: {scenario.meta.title}", ""]
    where = (
        f"Class code {code or '(none)'}; seed {game.seed}, {quarter_name(world.first_quarter)} to "
        f"{quarter_name(world.last_quarter)}"
    )
    if len(players) == 1:
        result, view = results[0], views[0]
        out.append(f"{where}; you ran {world.names[seats[0]]} ({result.role}).")
        out += ["", "## Your goal", "", result.description, ""]
        score = f"{format_score(result.score)} your share price at the start"
        out.append(f"Result: **{verdict(result)}**. Score: {score}.")
        out += ["", "The goal, part by part, at the end:", ""]
        out += [f"- {line}" for _, line in goal_parts(game, players[0][0])]
        if view is not None:
            out += ["", perspective_line(game, seats[0], view)]
    else:
        out.append(f"{where}; {len(players)} players in turn.")
        out += ["", "## The players", "", "| Player | Goal | Result | Score |", "|---|---|---|---|"]
        for (_, label), result in zip(players, results, strict=True):
            goal = f"{goal_owner(game, result)}: {result.description}"
            out.append(f"| {label} | {goal} | **{verdict(result)}** | {format_score(result.score)} |")
        lines = [perspective_line(game, i, view) for i, view in zip(seats, views, strict=True) if view]
        if lines:
            out += [""] + [f"- {line}" for line in lines]
        out += ["", "Each goal, part by part, at the end:", ""]
        for firm, label in players:
            out.append(f"- {label}")
            out += [f"  - {line}" for _, line in goal_parts(game, firm)]
    if results[0].collapse:
        out += ["", f"**{collapse_sentence(scenario)}**"]
    out += ["", "## Ranking", "", "| # | Firm | Valuation | Growth | Status |", "|---|---|---|---|---|"]
    for place, ranked in enumerate(ranking(world), start=1):
        i = ranked.firm
        name = f"**{world.names[i]}**" if i in seats else world.names[i]
        status = "failed" if ranked.failed else "active"
        value = format_money(float(world.metrics["valuation"][i]), unit)
        out.append(f"| {place} | {name} | {value} | {format_score(ranked.score)} | {status} |")
    out += ["", "## Turning points", "", "Valuations at each quarter's close, before the next news.", ""]
    points = turning_points(world, seats)
    out += [f"- {p.quarter}: {p.text}" for p in points] or ["- A quiet game: no failures or big moves."]
    moves = facilitator_moves(game)
    if moves:
        out += ["", "## The facilitator's moves", ""]
        out += [f"- {quarter}: {move}" for quarter, move in moves]
    out += ["", "## The system", ""]
    for name, words in (("system_cycling", "Cycling index"), ("system_bubble", "Bubble index")):
        data = series(world, name)
        if data:
            start, peak, end = (system_figure(name, x) for x in (data[0], max(data), data[-1]))
            out.append(f"- {words}: started {start}, peaked {peak}, ended {end}")
    failed = [world.names[i] for i in np.flatnonzero(world.failed)]
    out.append(f"- Failed firms: {', '.join(failed) if failed else 'none'}")
    questions = scenario.teaching.debrief
    if questions:
        out += ["", "## Questions to discuss", ""]
        out += [f"{k}. {q}" for k, q in enumerate(questions, start=1)]
    return "\n".join(out) + "\n"


def history_csv(world: World, code: str = "") -> str:
    """Every firm's metrics for every quarter played, one row per firm and quarter (``unpaid``:
    what it owed and could not pay that quarter); the class code on every row, so that many
    students' files can be put together and told apart."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    firm_fields = list(world.history)
    system_fields = list(world.system_history)
    writer.writerow(["class_code", "quarter", "firm", "name", *firm_fields, "unpaid", *system_fields])
    unpaid = _unpaid(world)
    for row in range(played_rows(world)):
        label = row_label(world, row)
        system = [_number(world.system_history[name][row]) for name in system_fields]
        for i in range(world.n):
            values = [_number(world.history[name][row, i]) for name in firm_fields]
            writer.writerow(
                [code, label, world.ids[i], world.names[i], *values, _number(unpaid[row, i]), *system]
            )
    return buffer.getvalue()


def _unpaid(world: World) -> np.ndarray:
    """What each firm owed and did not pay in each history row's quarter (0 when it paid all)."""
    unpaid = np.zeros((played_rows(world), world.n))
    for short in world.shortfalls:
        row = short.quarter - world.first_quarter + 1
        if row < len(unpaid):
            unpaid[row, short.debtor] += short.owed - short.paid
    return unpaid


def _number(x: float) -> str:
    x = float(x)
    return "" if not math.isfinite(x) else f"{x:.6g}"
