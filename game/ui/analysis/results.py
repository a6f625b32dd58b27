"""How the game went: the ranking, the turning points, the failure cascade in words, and a
player's score against the bot games of the same scenario."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from game.engine.game import Game
from game.engine.state import Shortfall, World
from game.facilitation import facilitator_moves
from game.money import format_money, format_share
from game.simulate import RunOutcome, share_beaten
from game.ui.analysis.history import played_rows, row_label
from game.words import count, listing


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


PEERS = {"lab": "labs", "investor": "investors"}  # any other kind: "clouds and chipmakers"


def peer_group(world: World, firm: int) -> tuple[str, list[int]]:
    """The firms ``firm`` is fairly ranked among, and what they are called: labs with labs,
    investors with investors, clouds and chipmakers together (they share the hyperscaler goal).
    Labs' share prices can grow tenfold more than a cloud's, so a cloud ranked among all firms
    came 9 of 13 beside "You won."."""
    group = PEERS.get(world.kinds[firm], "clouds and chipmakers")
    return group, [i for i in range(world.n) if PEERS.get(world.kinds[i], "clouds and chipmakers") == group]


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
    """The quarters that mattered: failure waves, unpaid bills, the players' biggest moves
    (two each), the bubble's and the cycling index's peaks."""
    rows = played_rows(world)
    points: list[tuple[float, TurningPoint]] = []
    failures = world.system_history["failures"][:rows]
    for row in range(1, rows):
        new = failures[row] - failures[row - 1]
        if math.isfinite(new) and new > 0:
            text = failures_text(world, row, int(new))
            points.append((100.0 + new, TurningPoint(row, row_label(world, row), text)))
    for row in range(1, rows):
        quarter = world.first_quarter + row - 1
        for text in unpaid_text(world, [s for s in world.shortfalls if s.quarter == quarter]):
            points.append((50.0, TurningPoint(row, row_label(world, row), text)))
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


def unpaid_text(world: World, shortfalls: Sequence[Shortfall]) -> list[str]:
    """Each firm that could not pay all it owed, and who received less: "Cirrus Compute paid
    $2.1 bn of $4 bn it owed: Quartz got $1.9 bn less" (a debrief question asks who)."""
    debtors: dict[int, list[Shortfall]] = {}
    for short in shortfalls:
        debtors.setdefault(short.debtor, []).append(short)
    unit = world.unit
    lines = []
    for debtor, cells in debtors.items():
        paid, owed = (
            format_money(sum(c.paid for c in cells), unit),
            format_money(sum(c.owed for c in cells), unit),
        )
        less = [
            f"{world.names[c.creditor]}{' got' if k == 0 else ''} {format_money(c.owed - c.paid, unit)} less"
            for k, c in enumerate(cells)
        ]
        lines.append(f"{world.names[debtor]} paid {paid} of {owed} it owed: {', '.join(less)}")
    return lines


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
    # share of those games in which the bots playing the firm reached its goal (None: not known)
    reached: float | None = None


def perspective(outcomes: list[RunOutcome], world: World, firm: int) -> Perspective:
    score = float(world.growth()[firm])
    median = float(np.median([o.final_score[firm] for o in outcomes])) if outcomes else 0.0
    known = [o.reached[firm] for o in outcomes if o.reached]
    reached = float(np.mean(known)) if known else None
    return Perspective(len(outcomes), score, share_beaten(outcomes, firm, score), median, reached)


def format_score(score: float) -> str:
    """A score as the debrief and the goals write a multiple of the start: "15.79×"."""
    return f"{score:.2f}×"


def perspective_line(game: Game, firm: int, view: Perspective) -> str:
    """The debrief's line: "Anthropic's score (15.79×) beat 83% of 1,000 bot games (...)".
    The bot games play the scenario alone: a game with the facilitator's shocks, grants or
    fines was not quite their world, and the line says so."""
    world = game.world
    unlike = ", played without the facilitator's moves" if facilitator_moves(game) else ""
    line = (
        f"{world.names[firm]}'s score ({format_score(view.score)}) beat {view.beaten:.0%} of "
        f"{view.runs:,} bot games of this scenario{unlike} (their median: {format_score(view.median)})."
    )
    if view.reached is not None:
        # the goal is not the score: a player who won below the bots' median read a contradiction
        line += f" The bots playing {world.names[firm]} reached its goal in {view.reached:.0%} of them."
    return line


# --- the failure cascade ----------------------------------------------------------------------


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
