"""The class report: many students' saves -> one leaderboard, a CSV of decisions, a summary.

Each save is read with ``read_save`` (so an edited or corrupt file is refused with its own
message and the rest carry on) and replayed. Saves are grouped by scenario (id and SHA-256
of its text), seed and difficulty: only students who played the same world are ranked
against each other. Players are ranked seat by seat; the figures about games (collapses,
failures) count each game once, however many seats it had. The exports hold the player name
typed at the start and nothing else about a person: not the file name, not the time of saving.

A save is not signed: replaying it proves its moves and results, but anyone can edit the
player names. Two saves of the same game (same world, seats and moves) are therefore flagged
as "handed in the same game" and marked where they are ranked: nothing tells which is the copy.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from game.calendar import quarter_name
from game.classcode import code_for_game
from game.engine.actions import FACILITATOR
from game.engine.game import Game
from game.facilitation import facilitator_moves
from game.money import format_money, format_share
from game.saves import SAVES_DIR, SaveError, SaveFile, read_save

LEADERBOARD_CSV = "leaderboard.csv"
DECISIONS_CSV = "decisions.csv"
SUMMARY_MD = "summary.md"
NO_NAME = "(no name)"
ALL_SEATS = "(every seat)"  # a hot-seat game's rows that belong to no one seat (ending a quarter)
THE_FACILITATOR = "(facilitator)"  # rows of the facilitator's moves: no player made them


@dataclass(frozen=True)
class Seat:
    """One firm run by a person in one save, and how it ended."""

    player: str
    firm: str
    firm_name: str
    role: str
    start_valuation: float
    final_valuation: float
    score: float  # final valuation / starting valuation
    goal: str  # won, lost, not met, unfinished
    collapse: bool
    firm_failed: bool
    round_trip: float  # share of the firm's last revenue that was its own money coming back
    failures: int  # firms failed in the whole system
    quarter: str  # the last quarter reached
    finished: bool
    moves: int  # actions by this seat (ending a quarter not counted)
    facilitator_moves: int  # shocks, grants and fines the facilitator made in this game
    game: str  # Played.key: equal for two saves of the same game
    rank: int = 0


@dataclass(frozen=True)
class Played:
    """One save: one game, with one seat or several (hot seat)."""

    players: str  # "Ada", or "Ada and Bo" for a hot-seat game
    firms: str  # their firms' names, in the same order
    path: Path  # for the warnings on screen only; never in the exports
    key: str  # equal for two saves of the same game: same world, seats and moves
    finished: bool
    collapse: bool
    failures: int  # firms failed in the whole system
    facilitator: list[tuple[str, str]]  # (quarter, move) made by the facilitator


@dataclass
class Group:
    """Saves of one world: the same scenario text, seed and difficulty."""

    scenario_id: str
    title: str
    sha256: str
    seed: int
    difficulty: str | None
    unit: str
    objectives: list[str]
    debrief: list[str]
    class_codes: set[str] = field(default_factory=set)
    seats: list[Seat] = field(default_factory=list)
    played: list[Played] = field(default_factory=list)  # every save, in the order read
    decisions: list[dict[str, Any]] = field(default_factory=list)
    moves: list[tuple[str, str]] = field(default_factory=list)  # (player, readable move)

    @property
    def class_code(self) -> str:
        return ", ".join(sorted(self.class_codes))

    @property
    def games(self) -> list[Played]:
        """The different games: a game handed in twice counts once."""
        first: dict[str, Played] = {}
        for game in self.played:
            first.setdefault(game.key, game)
        return list(first.values())

    @property
    def copies(self) -> list[list[Played]]:
        """Saves of the same game handed in more than once, each set in the order read."""
        sets: dict[str, list[Played]] = {}
        for game in self.played:
            sets.setdefault(game.key, []).append(game)
        return [same for same in sets.values() if len(same) > 1]

    def copied(self, seat: Seat) -> bool:
        """True if the seat's game was handed in more than once (see :attr:`copies`)."""
        return sum(1 for game in self.played if game.key == seat.game) > 1

    @property
    def world(self) -> dict[str, Any]:
        """The columns naming the world, repeated in every export."""
        return {
            "scenario": self.scenario_id,
            "scenario_sha256": self.sha256,
            "seed": self.seed,
            "difficulty": self.difficulty or "",
            "class_code": self.class_code,
        }


@dataclass
class ClassReport:
    groups: list[Group]
    warnings: list[str]
    saves: int  # saves read successfully


# --- reading ------------------------------------------------------------------------------


def find_saves(references: Sequence[str | Path]) -> tuple[list[Path], list[str]]:
    """The save files named: files as given, folders' ``*.json`` without autosaves."""
    found: list[Path] = []
    warnings: list[str] = []
    seen: set[Path] = set()
    for reference in references:
        path = Path(reference)
        if path.is_dir():
            inside = sorted(
                p for p in path.glob("*.json") if p.is_file() and not p.name.endswith(".autosave.json")
            )
            if not inside:
                warnings.append(f"{path}: no saves in this folder")
            candidates = inside
        elif path.is_file():
            candidates = [path]
        else:
            warnings.append(f"{path}: no such file or folder")
            continue
        for candidate in candidates:
            key = candidate.resolve()
            if key not in seen:
                seen.add(key)
                found.append(candidate)
    # `saves/*.json` names each game twice, as its save and its autosave: count it once
    kept = []
    for path in found:
        own_save = path.with_name(path.name.removesuffix(".autosave.json") + ".json")
        if path.name.endswith(".autosave.json") and own_save.resolve() in seen:
            warnings.append(f"skipped: {path} is the autosave of {own_save.name}, which is in the list")
        else:
            kept.append(path)
    return kept, warnings


def class_code_of(document: SaveFile) -> str:
    """The class code of the save's world: its scenario text, seed and difficulty."""
    copy = document.scenario
    return code_for_game(copy.id, document.seed, document.difficulty, copy.source)


def seat_names(document: SaveFile) -> dict[str, str]:
    """Player name per firm: a hot-seat save names each seat (``players``; a seat left
    without a name is "(no name)"); a save with one seat carries the name typed at the start."""
    if document.players:
        return {firm: document.players.get(firm, "").strip() or NO_NAME for firm in document.humans}
    return {firm: document.player.strip() or NO_NAME for firm in document.humans}


def build_report(paths: Iterable[Path]) -> ClassReport:
    """Read every save; a save that cannot be read becomes a warning and is skipped."""
    groups: dict[tuple[str, str, int, str | None], Group] = {}
    warnings: list[str] = []
    count = 0
    for path in paths:
        try:
            game, document = read_save(path)
        except SaveError as err:
            warnings.append(f"skipped: {err}")
            continue
        if not document.humans:
            warnings.append(f"skipped: {path} has no seat played by a person")
            continue
        count += 1
        key = (document.scenario.id, document.scenario.sha256, document.seed, document.difficulty)
        group = groups.get(key)
        if group is None:
            teaching = game.scenario.teaching
            group = Group(
                scenario_id=document.scenario.id,
                title=game.scenario.meta.title,
                sha256=document.scenario.sha256,
                seed=document.seed,
                difficulty=document.difficulty,
                unit=game.scenario.meta.unit,
                objectives=list(teaching.objectives),
                debrief=list(teaching.debrief),
            )
            groups[key] = group
        _add_save(group, game, document, path)
    ordered = sorted(groups.values(), key=lambda g: (g.scenario_id, g.seed, g.difficulty or "", g.sha256))
    for group in ordered:
        _rank(group)
        for same in group.copies:
            files = ", ".join(str(game.path) for game in same)
            warnings.append(f"{same_game(same)} ({files}); it counts as one game in the results")
    return ClassReport(ordered, warnings, count)


def same_game(same: Sequence[Played]) -> str:
    """The warning in words: "Ada and Bo handed in the same game" (or "... twice")."""
    names = list(dict.fromkeys(game.players for game in same))
    if len(names) == 1:
        times = "twice" if len(same) == 2 else f"{len(same)} times"
        return f"{names[0]} handed in the same game {times}"
    return f"{_and(names)} handed in the same game"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' * (number != 1)}"


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def game_key(document: SaveFile) -> str:
    """What makes two saves the same game: the world, the seats, the mode and every move.
    Player names are left out on purpose: they are the part anyone can edit."""
    copy = document.scenario
    facilitated = document.options.get("facilitator") is True
    same = [copy.sha256, document.seed, document.difficulty, document.humans, facilitated, document.actions]
    text = json.dumps(same, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _add_save(group: Group, game: Game, document: SaveFile, path: Path) -> None:
    code = class_code_of(document)
    if code:
        group.class_codes.add(code)
    world = game.world
    names = seat_names(document)
    finished = bool(world.finished)
    reached = quarter_name(min(world.quarter, world.last_quarter))
    failures = int(world.failed.sum())
    facilitated = facilitator_moves(game)
    key = game_key(document)
    group.played.append(
        Played(
            players=_and([names[firm] for firm in document.humans]),
            firms=_and([world.names[world.index[firm]] for firm in document.humans]),
            path=path,
            key=key,
            finished=finished,
            collapse=game.goal(document.humans[0]).collapse,  # the same for every seat
            failures=failures,
            facilitator=facilitated,
        )
    )
    for firm in document.humans:
        i = world.index[firm]
        goal = game.goal(firm)
        status = "won" if goal.won else ("lost" if goal.lost or goal.collapse else "not met")
        if not finished:
            status = "unfinished"
        group.seats.append(
            Seat(
                player=names[firm],
                firm=firm,
                firm_name=world.names[i],
                role=goal.role,
                start_valuation=float(world.start_valuation[i]),
                final_valuation=float(world.metrics["valuation"][i]),
                score=goal.score,
                goal=status,
                collapse=goal.collapse,
                firm_failed=bool(world.failed[i]),
                round_trip=_number(world.metrics.get("round_trip"), i),
                failures=failures,
                quarter=reached,
                finished=finished,
                moves=sum(1 for a in document.actions if a.get("actor") == firm and a.get("type") != "end"),
                facilitator_moves=len(facilitated),
                game=key,
            )
        )
    quarter = world.first_quarter
    # Ending a quarter is nobody's move in particular: the one player's, or every seat's.
    shared = document.humans[0] if len(document.humans) == 1 else ""
    for step, action in enumerate(document.actions, start=1):
        actor = str(action.get("actor", ""))
        seat = actor if actor in names else "" if actor == FACILITATOR else shared
        row = {
            "player": THE_FACILITATOR if actor == FACILITATOR else names.get(seat, ALL_SEATS),
            "seat_firm": seat,
            "step": step,
            "quarter": quarter_name(quarter),
            "type": action.get("type", ""),
            "actor": actor,
            **{k: v for k, v in action.items() if k not in ("type", "actor")},
        }
        group.decisions.append(row)
        if action.get("type") == "end":
            quarter += 1
        elif actor in names:
            group.moves.append((names[actor], describe_move(game, action)))


def _number(values: Any, i: int) -> float:
    if values is None:
        return math.nan
    value = float(np.asarray(values)[i])
    return value if math.isfinite(value) else math.nan


def _rank(group: Group) -> None:
    """Highest score first; equal scores share a rank (1, 2, 2, 4)."""
    ordered = sorted(group.seats, key=lambda s: (-s.score, s.player.lower(), s.firm))
    ranked: list[Seat] = []
    for position, seat in enumerate(ordered, start=1):
        same = ranked and math.isclose(ranked[-1].score, seat.score, rel_tol=1e-9)
        rank = ranked[-1].rank if same else position
        ranked.append(replace(seat, rank=rank))
    group.seats = ranked


def describe_move(game: Game, action: dict[str, Any]) -> str:
    """An action in words an instructor can count: "bet on Red Lab", "sold chips..."."""
    world = game.world

    def name(firm: object) -> str:
        index = world.index.get(str(firm))
        return world.names[index] if index is not None else str(firm)

    kind = action.get("type")
    if kind == "bet":
        return f"bet on {name(action.get('lab'))}"
    if kind == "propose":
        exclusive = " (exclusive)" if action.get("exclusive") else ""
        counter = "countered" if action.get("reply_to") is not None else "offered a deal to"
        return f"{counter} {name(action.get('counterparty'))}{exclusive}"
    if kind == "respond":
        return "accepted an offer" if action.get("accept") else "rejected an offer"
    if kind == "exercise":
        return "exercised an option"
    if kind == "sell":
        return f"sold part of its stake in {name(action.get('firm'))}"
    if kind == "training":
        share = action.get("share")
        level = "more" if isinstance(share, int | float) and share >= 0.5 else "less"
        return f"set training to {level} than half of compute"
    if kind == "raise":
        return "raised money from outside investors"
    if kind == "chips":
        return f"bought chips from {name(action.get('seller'))}"
    if kind == "choose":
        event = game.book.by_id(str(action.get("event")))
        if event is None:
            return f"answered {action.get('event')}"
        pick = action.get("choice")
        label = event.choices[pick].label if isinstance(pick, int) and 0 <= pick < len(event.choices) else "?"
        return f"answered '{event.headline}': {label}"
    return str(kind)


# --- writing ------------------------------------------------------------------------------


def default_folder(report: ClassReport) -> Path:
    ids = sorted({g.scenario_id for g in report.groups})
    return SAVES_DIR / f"report-{ids[0] if len(ids) == 1 else 'mixed'}"


LEADERBOARD_COLUMNS = [
    "scenario",
    "scenario_sha256",
    "seed",
    "difficulty",
    "class_code",
    "rank",
    "player",
    "firm",
    "firm_name",
    "role",
    "start_valuation",
    "final_valuation",
    "score",
    "goal",
    "collapse",
    "firm_failed",
    "round_trip",
    "failures",
    "quarter",
    "finished",
    "moves",
    "facilitator_moves",
]
OUTCOME_COLUMNS = ["rank", "score", "goal", "final_valuation", "firm_failed", "collapse"]


def seat_row(group: Group, seat: Seat) -> dict[str, Any]:
    return {
        **group.world,
        "rank": seat.rank,
        "player": seat.player,
        "firm": seat.firm,
        "firm_name": seat.firm_name,
        "role": seat.role,
        "start_valuation": round(seat.start_valuation, 2),
        "final_valuation": round(seat.final_valuation, 2),
        "score": round(seat.score, 4),
        "goal": seat.goal,
        "collapse": seat.collapse,
        "firm_failed": seat.firm_failed,
        "round_trip": "" if math.isnan(seat.round_trip) else round(seat.round_trip, 4),
        "failures": seat.failures,
        "quarter": seat.quarter,
        "finished": seat.finished,
        "moves": seat.moves,
        "facilitator_moves": seat.facilitator_moves,
    }


def write_report(report: ClassReport, folder: Path) -> list[Path]:
    """Write the leaderboard CSV, the decisions CSV and the Markdown summary into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    leaderboard = [seat_row(g, s) for g in report.groups for s in g.seats]
    decisions = []
    for group in report.groups:
        outcomes = {(s.player, s.firm): s for s in group.seats}
        for row in group.decisions:
            seat = outcomes.get((row["player"], row["seat_firm"]))
            extra = {f"outcome_{k}": seat_row(group, seat)[k] for k in OUTCOME_COLUMNS} if seat else {}
            decisions.append({**group.world, **row, **extra})
    fixed = [*group_columns(), "player", "seat_firm", "step", "quarter", "type", "actor"]
    outcome = [f"outcome_{k}" for k in OUTCOME_COLUMNS]
    fields = [k for row in decisions for k in row if k not in fixed and k not in outcome]
    decision_columns = [*fixed, *dict.fromkeys(fields), *outcome]
    written = [
        _write_csv(folder / LEADERBOARD_CSV, LEADERBOARD_COLUMNS, leaderboard),
        _write_csv(folder / DECISIONS_CSV, decision_columns, decisions),
    ]
    summary = folder / SUMMARY_MD
    summary.write_text(markdown_summary(report), encoding="utf-8")
    written.append(summary)
    return written


def group_columns() -> list[str]:
    return ["scenario", "scenario_sha256", "seed", "difficulty", "class_code"]


def _write_csv(path: Path, columns: list[str], rows: list[dict[str, Any]]) -> Path:
    # utf-8-sig: spreadsheets then read accented names correctly
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _cell(row.get(k, "")) for k in columns})
    return path


def _cell(value: Any) -> Any:
    """A CSV cell; text a spreadsheet would run as a formula is quoted with '."""
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


# --- reading aloud: the text leaderboard and the Markdown summary ----------------------------


def _describe_world(group: Group) -> str:
    parts = [f"{group.scenario_id}", f"seed {group.seed}"]
    if group.difficulty:
        parts.append(f"difficulty {group.difficulty}")
    if group.class_code:
        parts.append(f"class code {group.class_code}")
    parts.append(f"scenario sha256 {group.sha256[:12]}")
    return ", ".join(parts)


def _money(amount: float, unit: str) -> str:
    return format_money(amount, unit).replace(" ", "")


def _share(value: float) -> str:
    return "n/a" if math.isnan(value) else format_share(value)


def leaderboard_text(report: ClassReport) -> str:
    """The leaderboards for the terminal, one per world."""
    out: list[str] = []
    for group in report.groups:
        if out:
            out.append("")
        players = len(group.seats)
        out.append(f"{group.title} ({_describe_world(group)}): {players} player{'s' * (players != 1)}")
        header = (
            f"{'rank':>4}  {'player':<18} {'firm':<14} {'role':<11} {'score':>6} "
            f"{'valuation':>17}  {'goal':<10} {'collapse':<8} {'round-trip':>10} {'failures':>8}"
        )
        out.append(header)
        for s in group.seats:
            valuation = f"{_money(s.start_valuation, group.unit)}->{_money(s.final_valuation, group.unit)}"
            goal = s.goal if s.finished else f"at {s.quarter}"
            rank = f"{s.rank}*" if group.copied(s) else str(s.rank)
            out.append(
                f"{rank:>4}  {s.player[:18]:<18} {s.firm_name[:14]:<14} {s.role:<11} {s.score:>6.2f} "
                f"{valuation:>17}  {goal:<10} {'yes' if s.collapse else 'no':<8} "
                f"{_share(s.round_trip):>10} {s.failures:>8}"
            )
        if group.copies:
            out.append("   * the same game handed in more than once: see the warnings above")
    return "\n".join(out)


def _md(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return " ".join(text.split()).replace("\\", "\\\\").replace("|", "\\|") or " "


def most_common_moves(group: Group, limit: int = 8) -> list[tuple[str, int, int]]:
    """(move, players who made it, times made), most widespread first."""
    times = Counter(move for _, move in group.moves)
    players = Counter(move for _, move in set(group.moves))
    ranked = sorted(times, key=lambda m: (-players[m], -times[m], m))
    return [(m, players[m], times[m]) for m in ranked[:limit]]


def markdown_summary(report: ClassReport) -> str:
    out = ["# Class report", ""]
    if len(report.groups) > 1:
        out += [f"{len(report.groups)} different worlds were played; each is ranked on its own.", ""]
    for group in report.groups:
        out += _group_markdown(group)
    return "\n".join(out).rstrip() + "\n"


def _copies_markdown(group: Group) -> list[str]:
    copies = group.copies
    if not copies:
        return []
    out = ["", "### The same game handed in more than once", ""]
    out += [f"- {_md(same_game(same))}." for same in copies]
    out += [
        "",
        "These saves hold the same world, the same seats and the same moves. A save is not signed: "
        "replaying it checks its moves and results, but the names in it can be edited, so one may "
        "be a copy of another (or the players made exactly the same moves). Each save is ranked; "
        "together they count as one game in the results.",
    ]
    return out


def _facilitator_markdown(group: Group) -> list[str]:
    games = group.games
    facilitated = [g for g in games if g.facilitator]
    if not facilitated:
        return []
    out = ["", "### Facilitator moves", ""]
    out.append(
        f"{len(facilitated)} of {len(games)} games had facilitator moves (shocks, grants or fines): "
        "they were not quite the world the other games played, so compare their scores with care."
    )
    out.append("")
    for game in facilitated:
        out.append(f"- {_md(game.players)} ({_md(game.firms)}):")
        out += [f"  - {quarter}: {_md(move)}" for quarter, move in game.facilitator]
    return out


def _group_markdown(group: Group) -> list[str]:
    unit = group.unit
    seats = group.seats
    finished = [s for s in seats if s.finished]
    won = [s for s in finished if s.goal == "won"]
    out = [f"## {group.title}", ""]
    world = [f"Scenario `{group.scenario_id}`", f"seed **{group.seed}**"]
    if group.difficulty:
        world.append(f"difficulty `{group.difficulty}`")
    if group.class_code:
        world.append(f"class code **{group.class_code}**")
    world.append(f"scenario SHA-256 `{group.sha256[:12]}…`")
    out += [", ".join(world) + ".", ""]
    out += ["### Leaderboard", ""]
    out.append(
        "| rank | player | firm | role | score | valuation (start → end) | goal | round-trip | failures |"
    )
    out.append("|---:|---|---|---|---:|---|---|---:|---:|")
    for s in seats:
        goal = s.goal if s.finished else f"unfinished ({s.quarter})"
        if s.collapse:
            goal += ", system collapsed"
        if s.facilitator_moves:
            goal += ", facilitator moves"
        if group.copied(s):
            goal += ", same game as another save"
        out.append(
            f"| {s.rank} | {_md(s.player)} | {_md(s.firm_name)} | {s.role} | {s.score:.2f} "
            f"| {_money(s.start_valuation, unit)} → {_money(s.final_valuation, unit)} | {goal} "
            f"| {_share(s.round_trip)} | {s.failures} |"
        )
    out += _copies_markdown(group) + _facilitator_markdown(group)
    games = group.games  # a hot-seat game has several seats but is one game
    out += ["", "### Results", ""]
    out.append(f"- {_count(len(seats), 'player')} in {_count(len(games), 'game')}.")
    if finished:
        out.append(
            f"- **{len(won)} of {len(finished)}** players who finished reached their goal "
            f"({format_share(len(won) / len(finished))})."
        )
    finished_games = [g for g in games if g.finished]
    unfinished = len(games) - len(finished_games)
    if unfinished:
        out.append(f"- {unfinished} of {len(games)} games stopped before the end.")
    scores = [s.score for s in seats]
    best = seats[0]
    out.append(
        f"- Average score **{float(np.mean(scores)):.2f}** (final valuation over starting valuation; "
        f"median {float(np.median(scores)):.2f}); best {best.score:.2f} "
        f"({_md(best.player)}, {_md(best.firm_name)})."
    )
    for role in ("hyperscaler", "lab"):
        of_role = [s for s in finished if s.role == role]
        if of_role:
            hits = sum(s.goal == "won" for s in of_role)
            out.append(f"- {role.capitalize()}s: {hits} of {len(of_role)} reached the goal.")
    collapsed = sum(g.collapse for g in finished_games)
    out.append(f"- The system collapsed in {collapsed} of {len(finished_games)} finished games.")
    failed = [s for s in seats if s.firm_failed]
    if failed:
        out.append(f"- {len(failed)} player{'s' * (len(failed) != 1)} saw their own firm fail.")
    with_failures = sum(g.failures > 0 for g in games)
    out.append(f"- At least one firm failed in {with_failures} of {len(games)} games.")
    round_trips = [s.round_trip for s in seats if not math.isnan(s.round_trip)]
    if round_trips:
        out.append(f"- Median round-trip share at the end: {format_share(float(np.median(round_trips)))}.")
    moves = most_common_moves(group)
    out += ["", "### Most common moves", ""]
    if moves:
        out += ["| move | players | times |", "|---|---:|---:|"]
        out += [f"| {_md(move)} | {players} | {times} |" for move, players, times in moves]
    else:
        out.append("Nobody made a move besides ending quarters.")
    if group.objectives:
        out += ["", "### Learning objectives", ""]
        out += [f"- {' '.join(o.split())}" for o in group.objectives]
    out += ["", "### Debrief questions", ""]
    if group.debrief:
        out += [f"{n}. {' '.join(q.split())}" for n, q in enumerate(group.debrief, start=1)]
    else:
        out.append("The scenario has no debrief questions (`[teaching] debrief`).")
    out.append("")
    return out
