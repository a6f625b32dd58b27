"""Read-only views of the world for the screens: money links and loops, turning points,
rankings and the debrief export. Pure functions of the engine's state (no Textual here),
so they are easy to test; nothing in this module changes the game.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from game.calendar import quarter_name
from game.engine.game import Game, GoalCheck, GoalResult
from game.engine.quarter import due_payments, failure_lines
from game.engine.state import World
from game.facilitation import facilitator_moves  # also called by the screens, as analysis.facilitator_moves
from game.money import format_holding, format_money, format_share
from game.scenario.conditions import MONEY, SHARE, Phrase, Phrasebook, phrase
from game.scenario.model import Scenario
from game.scenario.vocabulary import UNITS
from game.simulate import RunOutcome, share_beaten
from game.words import count, listing

MAX_LOOP_LENGTH = 4
MAX_LOOPS = 40


# --- the money map --------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    """Money going from ``source`` to ``target``: an equity stake or a purchase commitment."""

    source: int
    target: int
    kind: str  # "stake" (source owns part of target) or "compute" / "chips" (source pays target)
    amount: float  # stake: value of the stake; commitment: payment per quarter
    share: float = 0.0  # stake: share held
    remaining: int = 0  # commitment: quarters left


def money_links(world: World) -> list[Link]:
    """Every stake and every commitment still running, in the direction the money went."""
    links: list[Link] = []
    value = np.maximum(world.metrics["valuation"], 0.0)
    holders, firms = np.nonzero(world.stakes > 1e-9)
    for i, j in zip(holders.tolist(), firms.tolist(), strict=True):
        share = float(world.stakes[i, j])
        links.append(Link(i, j, "stake", share * float(value[j]), share=share))
    per_pair: dict[tuple[int, int, str], tuple[float, int]] = {}
    for c in world.contracts:
        if c.remaining <= 0:
            continue
        amount, left = per_pair.get((c.buyer, c.seller, c.kind), (0.0, 0))
        per_pair[(c.buyer, c.seller, c.kind)] = (amount + c.per_quarter, max(left, c.remaining))
    for (buyer, seller, kind), (amount, left) in sorted(per_pair.items()):
        links.append(Link(buyer, seller, kind, amount, remaining=left))
    return links


def find_loops(
    world: World, links: list[Link] | None = None, max_length: int = MAX_LOOP_LENGTH
) -> list[list[int]]:
    """Closed paths of money: A invests in B, B pays A for compute (and longer rounds).

    Each loop is listed once, starting at its lowest firm index, shortest loops first.
    Failed firms are left out: money no longer goes round through them.
    """
    links = money_links(world) if links is None else links
    out: dict[int, set[int]] = {}
    for link in links:
        if world.failed[link.source] or world.failed[link.target]:
            continue
        out.setdefault(link.source, set()).add(link.target)
    loops: list[list[int]] = []

    def walk(start: int, path: list[int]) -> None:
        if len(loops) >= MAX_LOOPS:
            return
        for nxt in sorted(out.get(path[-1], ())):
            if nxt == start and len(path) >= 2:
                loops.append(list(path))
            elif nxt > start and nxt not in path and len(path) < max_length:
                walk(start, [*path, nxt])

    for start in sorted(out):
        walk(start, [start])
    loops.sort(key=lambda loop: (len(loop), loop))
    return loops[:MAX_LOOPS]


def link_between(links: list[Link], source: int, target: int) -> list[Link]:
    return [link for link in links if link.source == source and link.target == target]


def in_loop(loops: list[list[int]], source: int, target: int) -> bool:
    """True if money going from source to target is part of some loop."""
    for loop in loops:
        for k, firm in enumerate(loop):
            if firm == source and loop[(k + 1) % len(loop)] == target:
                return True
    return False


def describe_link(world: World, link: Link) -> str:
    unit = world.unit
    if link.kind == "stake":
        return f"owns {format_share(link.share)} ({format_money(link.amount, unit)})"
    return f"pays {format_money(link.amount, unit)}/q for {link.kind} ({link.remaining} q left)"


# --- the firm's position --------------------------------------------------------------------


@dataclass(frozen=True)
class Position:
    quarter: int
    cash: float
    debt: float
    valuation: float
    stakes_value: float
    owed: float  # what the firm still has to pay under its commitments
    owed_to: float  # what others still have to pay the firm
    failed: bool


def position(world: World, firm: int) -> Position:
    value = np.maximum(world.metrics["valuation"], 0.0)
    owed = sum(c.owed() for c in world.contracts if c.buyer == firm)
    owed_to = sum(c.owed() for c in world.contracts if c.seller == firm)
    return Position(
        world.quarter,
        float(world.cash[firm]),
        float(world.debt[firm]),
        float(world.metrics["valuation"][firm]),
        float(world.stakes[firm] @ value),
        float(owed),
        float(owed_to),
        bool(world.failed[firm]),
    )


RUNWAY_WARNING = 4  # quarters: below this the You panel warns that cash is running out


def net_runway(world: World, firm: int) -> float | None:
    """Quarters the firm's cash lasts if the last quarter repeats: cash over the net outflow
    (costs, interest and this quarter's payments due, less last quarter's revenue); None when
    the firm takes in more than it pays out. After that it borrows, and debt lowers its value.
    (The bots' ``negotiation.runway`` counts spending alone, no revenue: how long a lab could
    last with no customers, which is what makes it hungry for a deal.)"""
    due = float(due_payments(world)[firm].sum())
    outflow = float(world.costs[firm] + world.debt[firm] * world.market["interest_rate"]) + due
    burn = outflow - float(world.metrics["revenue"][firm])
    return float(world.cash[firm]) / burn if burn > 0 else None


def runway_warning(quarters: float | None) -> str:
    """What the You panel says when cash runs short (``quarters``: :func:`net_runway`), else ""."""
    if quarters is None or quarters >= RUNWAY_WARNING:
        return ""
    if quarters < 0.05:
        return "Out of cash: you borrow to pay"
    if quarters < 1:
        return "Cash lasts less than a quarter"
    return f"Cash lasts about {quarters:.0f} quarter{'s' * (quarters >= 1.5)}"


FAILURE_WARNING = 0.4  # the You panel and the summary warn when a fall this large would fail (as in a bust)


def failure_line(world: World, firm: int) -> float:
    """The valuation below which the firm fails when the quarter ends, all else equal."""
    return float(failure_lines(world)[firm])


def failure_margin(world: World, firm: int) -> float | None:
    """How far the firm's valuation can fall before it ends a quarter below its failure line
    (:func:`failure_line`): 0.18 = an 18% fall. None for a failed firm or one without a line
    (no outside owners, or no value to lose); negative when it is already below the line, so
    it fails when the quarter ends unless its value recovers first."""
    line = failure_line(world, firm)
    value = float(world.metrics["valuation"][firm])
    if world.failed[firm] or line <= 0.0:
        return None
    return 1.0 - line / value if value > 0.0 else -1.0


def failure_warning(margin: float | None) -> str:
    """What the You panel and the summary say when the failure line is near, else ""."""
    if margin is None or margin >= FAILURE_WARNING:
        return ""
    if margin <= 0.0:
        return "Below the failure line: you fail at the end of the quarter unless your value recovers"
    return f"A fall of {margin:.0%} would make you fail"


def cash_against_due(
    world: World, firm: int, spend: float = 0.0, new_due: float = 0.0
) -> tuple[float, float]:
    """The cash a move that spends ``spend`` (and adds ``new_due`` to this quarter's payments)
    would leave, and the payments due when the quarter ends."""
    return float(world.cash[firm]) - spend, float(due_payments(world)[firm].sum()) + new_due


def short_of_commitments(world: World, firm: int, spend: float = 0.0, new_due: float = 0.0) -> str:
    """A warning when a move that spends ``spend`` (and adds ``new_due`` to this quarter's
    payments) would leave less cash than the payments due when the quarter ends, else "".
    Revenue may still cover them; a shortfall is borrowed, or defaults."""
    left, due = cash_against_due(world, firm, spend, new_due)
    if due <= 0 or left >= due:
        return ""
    return (
        f"This leaves {format_money(left, world.unit)} of cash, less than the "
        f"{format_money(due, world.unit)} of commitments due when the quarter ends."
    )


def quarters_left(world: World) -> int:
    return max(0, world.last_quarter - world.quarter + 1)


def current_quarter_name(world: World) -> str:
    return quarter_name(min(world.quarter, world.last_quarter))


def last_close_name(world: World) -> str:
    """When the figures that change only as a quarter is played were last worked out:
    "2024-Q1's close", or "the start" before the first quarter."""
    if world.turn <= 0:
        return "the start"
    return f"{quarter_name(world.first_quarter + world.turn - 1)}'s close"


def played_rows(world: World) -> int:
    """Rows of history filled so far: the start plus every quarter played."""
    return min(world.turn + 1, len(world.system_history["demand"]))


def series(world: World, name: str, firm: int | None = None, now: float | None = None) -> list[float]:
    """A metric over the quarters played so far (the start first), NaNs dropped, and ending at
    ``now``, the figure shown beside the line, when that differs from the last close: a bet or
    an event since then moves the figure, and a line that stopped at the close fell while the
    figure beside it rose."""
    rows = played_rows(world)
    data = world.system_history[name][:rows] if firm is None else world.history[name][:rows, firm]
    points = [float(x) for x in data if math.isfinite(float(x))]
    if now is not None and math.isfinite(now) and not (points and math.isclose(now, points[-1])):
        points.append(float(now))
    return points


def valuation_changes(world: World) -> np.ndarray:
    """Each firm's valuation now against when the last quarter was ended (the start, before
    any): the change beside a valuation on screen, the one the quarter summary shows."""
    return _changes(world.metrics["valuation"], world.metrics["ended_valuation"])


def price_changes(world: World) -> np.ndarray:
    """Each firm's share price now against when the last quarter was ended: how a lab fares.
    Its valuation also counts the cash of a bet just placed, so a $2 bn bet on a $5 bn lab
    showed it 38% up, "surging", on the bettor's own money."""
    return _changes(world.metrics["share_price"], world.metrics["ended_share_price"])


def _changes(now: np.ndarray, then: np.ndarray) -> np.ndarray:
    size = np.abs(then)
    return np.divide(now - then, size, out=np.zeros(len(now)), where=size > 0)


def close_valuation(world: World, firm: int) -> float:
    """The firm's valuation at the close of the last quarter played (the start before any), as
    history keeps it: before the news that opens the next quarter moves it."""
    return float(world.history["valuation"][played_rows(world) - 1, firm])


def row_label(world: World, row: int) -> str:
    """History row 0 is the start; row k is the end of the k-th quarter played."""
    return "start" if row == 0 else quarter_name(world.first_quarter + row - 1)


# --- ranking and turning points -------------------------------------------------------------


@dataclass(frozen=True)
class Ranked:
    firm: int
    score: float  # share price now / at the start (World.growth)
    failed: bool


def ranking(world: World) -> list[Ranked]:
    """Every firm by how much it grew (its share price now over at the start)."""
    scores = [float(x) for x in world.growth()]
    order = sorted(range(world.n), key=lambda i: (bool(world.failed[i]), -scores[i], i))
    return [Ranked(i, scores[i], bool(world.failed[i])) for i in order]


@dataclass(frozen=True)
class TurningPoint:
    row: int  # history row
    quarter: str
    text: str


def system_figure(name: str, value: float) -> str:
    """The cycling index is a share of the money (a percentage); the bubble index a ratio."""
    if not math.isfinite(value):
        return "n/a"
    return format_share(value) if name == "system_cycling" else f"{value:.2f}"


def turning_points(world: World, players: Sequence[int], limit: int = 6) -> list[TurningPoint]:
    """The quarters that mattered: failure waves, the players' biggest moves (two each), the
    bubble's and the cycling index's peaks."""
    rows = played_rows(world)
    points: list[tuple[float, TurningPoint]] = []
    failures = world.system_history["failures"][:rows]
    for row in range(1, rows):
        new = failures[row] - failures[row - 1]
        if math.isfinite(new) and new > 0:
            text = failures_text(world, row, int(new))
            points.append((100.0 + new, TurningPoint(row, row_label(world, row), text)))
    for me in players:
        mine = world.history["valuation"][:rows, me]
        moves = []
        for row in range(1, rows):
            before, after = float(mine[row - 1]), float(mine[row])
            if math.isfinite(before) and math.isfinite(after) and abs(before) > 0:
                moves.append((abs(after / before - 1.0), row, after / before - 1.0))
        for size, row, change in sorted(moves, reverse=True)[:2]:
            if size >= 0.05:
                verb = "rose" if change > 0 else "fell"
                text = f"{world.names[me]}'s valuation {verb} {format_share(abs(change))}"
                points.append((10.0 * size, TurningPoint(row, row_label(world, row), text)))
    for name, words in (("system_bubble", "the bubble peaked"), ("system_cycling", "cycling peaked")):
        data = world.system_history[name][:rows]
        if rows > 1 and np.isfinite(data).any():
            row = int(np.nanargmax(data))
            if row > 0:
                text = f"{words} at {system_figure(name, float(data[row]))}"
                points.append((1.0, TurningPoint(row, row_label(world, row), text)))
    limit += 2 * (len(players) - 1)  # room for every player's moves
    chosen = [p for _, p in sorted(points, key=lambda item: -item[0])[:limit]]
    return sorted(chosen, key=lambda p: (p.row, p.text))


def failures_text(world: World, row: int, number: int) -> str:
    """The firms that failed in a history row's quarter, by name ("Stratus Compute and Helix
    Semiconductor failed"), from the quarter's failure news; their number if it has none."""
    quarter = world.first_quarter + row - 1
    firms = [i for n in world.news if n.kind == "failure" and n.quarter == quarter for i in n.firms]
    if not firms:
        return f"{count(number, 'firm')} failed"
    return f"{listing(world.names[i] for i in dict.fromkeys(firms))} failed"


# --- the player's result against the bots --------------------------------------------------


@dataclass(frozen=True)
class Perspective:
    """A player's score set against many computer-played games of the scenario: the score the
    debrief gives (the share price against the start), so that a lab that kept its price by
    raising little is not judged on the valuation that raising would have bought."""

    runs: int
    score: float  # the player's score (World.growth)
    beaten: float  # share of those games in which the firm ended with a lower score
    median: float  # the firm's median score in those games


def perspective(outcomes: list[RunOutcome], world: World, firm: int) -> Perspective:
    score = float(world.growth()[firm])
    median = float(np.median([o.final_score[firm] for o in outcomes])) if outcomes else 0.0
    return Perspective(len(outcomes), score, share_beaten(outcomes, firm, score), median)


def format_score(score: float) -> str:
    """A score as the debrief and the goals write a multiple of the start: "15.79×"."""
    return f"{score:.2f}×"


def perspective_line(game: Game, firm: int, view: Perspective) -> str:
    """The debrief's line: "Anthropic's score (15.79×) beat 83% of 1,000 bot games (...)".
    The bot games play the scenario alone: a game with the facilitator's shocks, grants or
    fines was not quite their world, and the line says so."""
    world = game.world
    unlike = ", played without the facilitator's moves" if facilitator_moves(game) else ""
    return (
        f"{world.names[firm]}'s score ({format_score(view.score)}) beat {view.beaten:.0%} of "
        f"{view.runs:,} bot games of this scenario{unlike} (their median: {format_score(view.median)})."
    )


# --- the debrief export ---------------------------------------------------------------------


def history_csv(world: World, code: str = "") -> str:
    """Every firm's metrics for every quarter played, one row per firm and quarter; the class
    code on every row, so that many students' files can be put together and told apart."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    firm_fields = list(world.history)
    system_fields = list(world.system_history)
    writer.writerow(["class_code", "quarter", "firm", "name", *firm_fields, *system_fields])
    for row in range(played_rows(world)):
        label = row_label(world, row)
        system = [_number(world.system_history[name][row]) for name in system_fields]
        for i in range(world.n):
            values = [_number(world.history[name][row, i]) for name in firm_fields]
            writer.writerow([code, label, world.ids[i], world.names[i], *values, *system])
    return buffer.getvalue()


def _number(x: float) -> str:
    x = float(x)
    return "" if not math.isfinite(x) else f"{x:.6g}"


def goal_check_line(world: World, check: GoalCheck, *, narrow: bool = True) -> str:
    """One part of a goal in words, its figures indented on a line of their own, short enough
    for the You panel's 28 columns (they wrapped mid-figure): "✗ market share ≥ 40%\n  now 11%",
    "✓ hold under 1% of Ember\n  now 0%", "✗ valuation ≥ 1.5× start\n  now $1.3 tn of $2 tn".
    Not ``narrow``: one line, the figures after a dot ("✗ market share ≥ 40% · now 11%")."""
    words, *figures = goal_check_lines(world, check)
    gap = "\n  " if narrow else " · "
    return f"{goal_check_mark(check)} {words}" + "".join(gap + figure for figure in figures)


def goal_check_mark(check: GoalCheck) -> str:
    return "✓" if check.met else "✗"


def goal_check_lines(world: World, check: GoalCheck) -> list[str]:
    """The part in words, then its figures, if it has any: ["market share ≥ 40%", "now 11%"]."""
    said = phrase(check.text, _phrasebook(world))
    lines = [said.words]
    if said.growth and check.now is not None and check.needs:  # needs is the multiple of the start
        lines.append(f"now {check.now * said.growth / check.needs:.2f}× start")
    elif check.now is not None and check.needs is not None:
        needs = _measured(world, check.needs, said.unit)  # shown when worked out, not in the words
        past = check.met and said.bound == "target"  # "$1.77 tn of $1.73 tn" read oddly
        bound = {"target": f", needs {needs}" if past else f" of {needs}", "limit": f", limit {needs}"}.get(
            said.bound, ""
        )
        lines.append(f"now {_short_of(world, check, said, needs)}{bound}")
    either = _either_figures(world, check)
    if either:
        lines.append(f"now {either}")
    return lines


def _either_figures(world: World, check: GoalCheck) -> str:
    """The figures of each alternative of an ``or`` part, compactly, the alternatives apart
    by ";": "OpenAI leads, 49% of OpenAI; ✗ Anthropic leads, 24% of Anthropic". A flag that
    does not hold is marked ✗ (left out, 24% of Anthropic read as meeting its 10%)."""
    book = _phrasebook(world)
    alternatives = []
    for alternative in check.alternatives:
        figures = []
        for part in alternative:
            said = phrase(part.text, book)
            if part.now is not None:
                figures.append(said.figure(_measured(world, part.now, said.unit)))
            elif not part.alternatives:
                figures.append(said.words if part.met else f"✗ {said.words}")
        alternatives.append(", ".join(figures))
    return "; ".join(a for a in alternatives if a)


def _phrasebook(world: World) -> Phrasebook:
    def firm(firm_id: str) -> str:
        return world.names[world.index[firm_id]] if firm_id in world.index else firm_id

    return Phrasebook(firm, UNITS, lambda value, unit: _written(world, value, unit))


def _written(world: World, value: float, unit: str) -> str:
    """A number the goal is written with, exactly: 0.01 of a share is "1%" (not "1.0%")."""
    if unit == SHARE:
        return f"{value * 100:.3g}%"
    return format_money(value, world.unit) if unit == MONEY else f"{value:g}"


def _short_of(world: World, check: GoalCheck, said: Phrase, needs: str) -> str:
    """The part's figure now, which never reads as the bar it has missed: "✗ own ≥ 5% · now
    5.0%" (4.996%) read as met; it reads "just under 5%"."""
    assert check.now is not None and check.needs is not None
    now = _measured(world, check.now, said.unit)
    if check.met or now != needs:
        return now
    return f"{'just under' if check.now < check.needs else 'just over'} {now}"


def _measured(world: World, value: float, unit: str) -> str:
    """A figure of the game, rounded as the screens round it."""
    if unit == SHARE:  # to the hundredth below 10%, as stakes are shown: 9.97% is not 10.0%
        return format_holding(value)
    return format_money(value, world.unit) if unit == MONEY else f"{value:.3g}"


def choice_goal_notes(game: Game, firm: str, event_id: str, choices: int) -> list[list[tuple[bool, str]]]:
    """For each answer to the event, the parts of the goal it would break or meet at once, each
    as (met after it, words): (False, "breaks your goal part: hold under 1% of Ember AI (1.5%
    after it; the goal counts at the end)")."""
    return [
        goal_change_notes(game.world, game.choice_goal_changes(firm, event_id, pick))
        for pick in range(choices)
    ]


def goal_change_notes(world: World, changes: Sequence[GoalCheck]) -> list[tuple[bool, str]]:
    """Goal parts a move would break or meet (``Game.choice_goal_changes``,
    ``Game.deal_goal_changes``), in words, each as (met after it, words)."""
    said = []
    for check in changes:
        words, *figures = goal_check_lines(world, check)
        after = f"{figures[0].removeprefix('now ')} after it; " if figures else ""
        verb = "meets" if check.met else "breaks"
        said.append((check.met, f"{verb} your goal part: {words} ({after}the goal counts at the end)"))
    return said


def goal_headline(checks: Sequence[GoalCheck]) -> str:
    """How far the goal is, counted from its own checklist: "Goal · 1 of 3 parts met". Not
    the score (the share price's growth): beside a goal of 25× the share price and 40% of the
    market, "you are at 24.48×" (then the valuation's growth) read as a goal nearly reached."""
    met = sum(check.met for check in checks)
    if met == len(checks):
        return "Goal · met for now"
    if len(checks) == 1:
        return "Goal · not met yet"
    return f"Goal · {met} of {len(checks)} parts met"


def collapse_sentence(scenario: Scenario) -> str:
    """The collapse verdict with the scenario's own sentence: "The system collapsed. Three of
    the five firms have failed. Everyone loses." Most scenarios' sentences already say that
    everyone loses; it is said once ("...: everyone loses. ...and everyone loses." read twice)."""
    why = " ".join(scenario.goals.collapse_text.split())
    loses = "" if "lose" in why.lower() else " Everyone loses."
    return f"The system collapsed. {why}{loses}" if why else "The system collapsed: everyone loses."


def verdict(result: GoalResult) -> str:
    """The result in a few words: "won", "lost" or "did not reach the goal". A collapse of the
    system is a loss for every player, whatever their own goal says."""
    if result.collapse:
        return "lost: the system collapsed"
    return "won" if result.won else ("lost" if result.lost else "did not reach the goal")


def goal_owner(game: Game, result: GoalResult) -> str:
    """Whose goal it is, for the label before it: the firm's name when the scenario gives the
    firm a goal of its own, else its role's ("hyperscaler"), which every such firm shares."""
    if result.firm in game.scenario.goals.firms:
        return game.world.names[game.world.index[result.firm]]
    return result.role


def goal_parts(game: Game, firm: str) -> list[tuple[bool, str]]:
    """Each part of the firm's goal as (met, line): the You panel's checklist, which the
    debrief and the class report repeat, a line each, so that a player who missed the goal
    sees which part."""
    checks = game.goal_checklist(firm)
    return [(check.met, goal_check_line(game.world, check, narrow=False)) for check in checks]


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


def wave_reasons(world: World, waves: list[list[int]], defaults: Sequence[int] = ()) -> list[list[str]]:
    """The failure cascade in plain words, wave by wave: who fell and through whom, one line
    per firm ("Ember AI: it held 12% of Stratus Compute"); a firm that fell through no other
    says what it could see go wrong (its revenue fell, it could not pay what it owed)."""
    explained: list[list[str]] = []
    earlier: list[int] = []
    for number, wave in enumerate(waves, start=1):
        lines = []
        for firm in wave:
            links = [g for g in earlier if world.stakes[firm, g] > 1e-9]
            if number == 1 or not links:
                causes = _own_troubles(world, firm, firm in defaults)
                lines.append(f"{world.names[firm]}: its value fell below what it needs to keep going{causes}")
            else:
                held = ", ".join(
                    f"{format_share(float(world.stakes[firm, g]))} of {world.names[g]}" for g in links
                )
                lines.append(f"{world.names[firm]}: it held {held}")
        explained.append(lines)
        earlier.extend(wave)
    return explained


REVENUE_FALL = 0.3  # a fall of revenue worth naming as a cause of failure


def _own_troubles(world: World, firm: int, defaulted: bool) -> str:
    """What went wrong for a firm that failed by itself, as a clause ("; its revenue fell 100%,
    to $0, and it could not pay all it owed"), or "" when nothing shows."""
    causes = []
    rows = played_rows(world)
    if rows >= 2:
        before, now = (float(x) for x in world.history["revenue"][rows - 2 : rows, firm])
        if before > 0 and now < (1.0 - REVENUE_FALL) * before:
            lost = format_share(1.0 - max(now, 0.0) / before)
            causes.append(f"its revenue fell {lost}, to {format_money(now, world.unit)} a quarter")
    if defaulted:
        causes.append("it could not pay all it owed")
    return f"; {' and '.join(causes)}" if causes else ""
