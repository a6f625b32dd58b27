"""The class report: many students' saves -> one leaderboard, a CSV of decisions, a summary.

Each save is read with ``read_save`` (so an edited or corrupt file is refused with its own
message and the rest carry on) and replayed. Saves are grouped by scenario (id and SHA-256
of its text), seed and difficulty (a preset that changes nothing, such as history's
"historian", is no difficulty: it plays the same world): only students who played the same
world are ranked against each other. A game's save (ctrl+s) and its autosave are one game: the
one further along is used (a finished autosave, not a ctrl+s made halfway), with a note.
Players are ranked seat by seat; the figures about games (collapses, failures) count each game
once, however many seats it had. The exports hold the player name typed at the start and
nothing else about a person: not the file name, not the time of saving.

A save is not signed: replaying it proves its moves and results, but anyone can edit the
player names. Two saves of the same game (same world, seats and moves) are therefore flagged
("Ada and Bo played identical games") and marked where they are ranked: nothing tells a
copy from two games in which the players made the same moves (say, only pressing e).

This module reads, groups and ranks the saves; :mod:`game.classroom_export` writes the report out.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from game.calendar import quarter_name
from game.classcode import class_code
from game.engine.actions import FACILITATOR
from game.engine.game import Game
from game.engine.state import World
from game.facilitation import facilitator_moves
from game.saves import AUTOSAVE_SUFFIX, SaveError, SaveFile, one_game, own_save, progress, reached, read_save
from game.ui.analysis.goals import goal_parts  # pure, no Textual: the game's own words for the goal
from game.ui.analysis.history import played_rows, row_label
from game.words import count, listing

NO_NAME = "(no name)"
ALL_SEATS = "(every seat)"  # a hot-seat game's rows that belong to no one seat (ending a quarter)
THE_FACILITATOR = "(facilitator)"  # rows of the facilitator's moves: no player made them


@dataclass(frozen=True)
class Peak:
    """A figure's highest value in a game and the quarter it was reached ("" if never known)."""

    value: float = math.nan
    quarter: str = ""


@dataclass(frozen=True)
class Seat:
    """One firm run by a person in one save, and how it ended."""

    player: str
    firm: str
    firm_name: str
    role: str
    start_valuation: float
    final_valuation: float
    score: float  # share price now / at the start (World.growth)
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
    save: int  # the seat's save: its place in Group.played
    unmet: tuple[str, ...] = ()  # a finished game: the parts of the goal not met, as the game words them
    # a cloud's or chipmaker's: its own money coming back (a lab's and an investor's is always 0)
    peak_round_trip: Peak = Peak()
    rank: int = 0


@dataclass(frozen=True)
class Played:
    """One save: one game, with one seat or several (hot seat)."""

    players: str  # "Ada", or "Ada and Bo" for a hot-seat game
    seats: int  # two or more: a hot-seat game
    firms: str  # their firms' names, in the same order
    path: Path  # for the warnings on screen only; never in the exports
    key: str  # equal for two saves of the same game: same world, seats and moves
    finished: bool
    collapse: bool
    failures: int  # firms failed in the whole system
    facilitator: list[tuple[str, str]]  # (quarter, move) made by the facilitator
    # when the loop was tightest: the instructor's question, which the end alone cannot answer
    peak_cycling: Peak = Peak()
    peak_bubble: Peak = Peak()


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
    def players(self) -> int:
        """The players: a seat counts once per name in its game, so a game handed in twice under
        one name is one player (as the warning says), under two names ("Cy and Eve played
        identical games") two."""
        return len({(seat.game, seat.firm, seat.player) for seat in self.seats})

    @property
    def copies(self) -> list[list[Played]]:
        """Saves of the same game handed in more than once, each set in the order read."""
        sets: dict[str, list[Played]] = {}
        for game in self.played:
            sets.setdefault(game.key, []).append(game)
        return [same for same in sets.values() if len(same) > 1]

    def copied(self, seat: Seat) -> bool:
        """True if the seat's game was handed in more than once (see :attr:`copies`)."""
        return bool(self.same_game_as(seat))

    def same_game_as(self, seat: Seat) -> list[str]:
        """The players of the other saves of the seat's game ("Eve"), in the order read."""
        return [
            game.players for k, game in enumerate(self.played) if game.key == seat.game and k != seat.save
        ]

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
    saves: int  # games read successfully (a save and its autosave count once)
    notes: list[str] = field(default_factory=list)  # which file of a game was used, and why


# --- reading ------------------------------------------------------------------------------


def find_saves(references: Sequence[str | Path]) -> tuple[list[Path], list[str]]:
    """The save files named: files as given, folders' ``*.json``, autosaves included (a student
    who never pressed ctrl+s has only an autosave). A save and its autosave both found are one
    game: :func:`build_report` keeps the one further along."""
    found: list[Path] = []
    warnings: list[str] = []
    seen: set[Path] = set()
    for reference in references:
        path = Path(reference)
        if path.is_dir():
            candidates = _saves_in(path)
            if not candidates and _saves_in(path / "saves"):  # a student's folder, as the game leaves it
                candidates = _saves_in(path / "saves")
                saves = count(len(candidates), "save")
                warnings.append(f"{path}: no saves in this folder; read the {saves} in its saves/ folder")
            elif not candidates:
                warnings.append(f"{path}: no saves in this folder")
        elif path.is_file():
            candidates = [path]
        else:
            warnings.append(f"{reference}: no such file or folder")
            continue
        for candidate in candidates:
            key = candidate.resolve()
            if key not in seen:
                seen.add(key)
                found.append(candidate)
    return found, warnings


def _saves_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.json") if p.is_file()) if folder.is_dir() else []


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
    read: list[Read] = []
    for path in paths:
        try:
            game, document = read_save(path)
        except SaveError as err:
            warnings.append(f"skipped: {err}")
            continue
        if not document.humans:
            warnings.append(f"skipped: {path} has no seat played by a person")
            continue
        read.append(Read(path, game, document))
    kept, notes = one_file_per_game(read)
    for save in kept:
        game, document = save.game, save.document
        key = (document.scenario.id, document.scenario.sha256, document.seed, game.world_difficulty)
        group = groups.get(key)
        if group is None:
            teaching = game.scenario.teaching
            group = Group(
                scenario_id=document.scenario.id,
                title=game.scenario.meta.title,
                sha256=document.scenario.sha256,
                seed=document.seed,
                difficulty=game.world_difficulty,
                unit=game.scenario.meta.unit,
                objectives=list(teaching.objectives),
                debrief=list(teaching.debrief),
            )
            groups[key] = group
        _add_save(group, game, document, save.path)
    ordered = sorted(groups.values(), key=lambda g: (g.scenario_id, g.seed, g.difficulty or "", g.sha256))
    for group in ordered:
        _rank(group)
        for same in group.copies:
            files = ", ".join(str(game.path) for game in same)
            warnings.append(f"{same_game(same)}: {files}; the results count them as one game")
    return ClassReport(ordered, warnings, len(kept), notes)


@dataclass(frozen=True)
class Read:
    """A save read and replayed."""

    path: Path
    game: Game
    document: SaveFile

    @property
    def autosave(self) -> bool:
        return self.path.name.endswith(AUTOSAVE_SUFFIX)

    @property
    def reached(self) -> str:
        return reached(self.document)


def one_file_per_game(read: Sequence[Read]) -> tuple[list[Read], list[str]]:
    """A save and its autosave are one game: keep the one further along (a ctrl+s made
    mid-game must not hide the finished autosave), the save when they are level; and a note
    naming the file used and the one left out. Two files of one name that are not one game
    (``saves.one_game``: another difficulty, say) are both kept."""
    files: dict[Path, list[Read]] = {}
    for save in read:
        files.setdefault(own_save(save.path).resolve(), []).append(save)
    kept: list[Read] = []
    notes: list[str] = []
    for both in files.values():
        if len(both) == 2 and not one_game(both[0].document, both[1].document):
            kept.extend(both)
            continue
        used = max(both, key=lambda save: (progress(save.document), not save.autosave))
        kept.append(used)
        for other in both:
            if other is not used:
                notes.append(
                    f"one game, two files: used {used.path} ({used.reached}), "
                    f"not {other.path.name} ({other.reached})"
                )
    return kept, notes


def same_game(same: Sequence[Played]) -> str:
    """The warning in words: "Ada and Bo played identical games (same seed and same moves)", or
    "Ada handed in the same game twice". Not "handed in the same game" for two names: players
    who take every default answer and make no move of their own play identical games too."""
    names = list(dict.fromkeys(game.players for game in same))
    if len(names) == 1:
        times = "twice" if len(same) == 2 else f"{len(same)} times"
        return f"{names[0]} handed in the same game {times}"
    if any(game.seats > 1 for game in same):  # "Ada and Bo, and Cy and Di," keeps the games apart
        who = ", ".join(names[:-1]) + f", and {names[-1]},"
    else:
        who = listing(names)
    return f"{who} played identical games (same seed and same moves)"


def game_key(game: Game, document: SaveFile) -> str:
    """What makes two saves the same game: the world, the seats, the mode and every move.
    Player names are left out on purpose: they are the part anyone can edit."""
    copy = document.scenario
    facilitated = document.options.get("facilitator") is True
    same = [copy.sha256, document.seed, game.world_difficulty, document.humans, facilitated, document.actions]
    text = json.dumps(same, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _add_save(group: Group, game: Game, document: SaveFile, path: Path) -> None:
    code = class_code(game, document.scenario.source)  # the save's own copy of the scenario
    if code:
        group.class_codes.add(code)
    world = game.world
    names = seat_names(document)
    finished = bool(world.finished)
    reached = quarter_name(min(world.quarter, world.last_quarter))
    failures = int(world.failed.sum())
    facilitated = facilitator_moves(game)
    key = game_key(game, document)
    group.played.append(
        Played(
            players=listing([names[firm] for firm in document.humans]),
            seats=len(document.humans),
            firms=listing([world.names[world.index[firm]] for firm in document.humans]),
            path=path,
            key=key,
            finished=finished,
            collapse=game.goal(document.humans[0]).collapse,  # the same for every seat
            failures=failures,
            facilitator=facilitated,
            peak_cycling=peak(world, world.system_history["system_cycling"]),
            peak_bubble=peak(world, world.system_history["system_bubble"]),
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
                save=len(group.played) - 1,
                unmet=tuple(line for met, line in goal_parts(game, firm) if not met) if finished else (),
                peak_round_trip=Peak()
                if world.kinds[i] in ROUND_TRIP_FREE
                else peak(world, world.history["round_trip"][:, i]),
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
        if action.get("type") == "choose":  # the id and the index alone do not say what was asked
            row["headline"], row["answer"] = answer_of(game, action)
        group.decisions.append(row)
        if action.get("type") == "end":
            quarter += 1
        elif actor in names:
            group.moves.append((names[actor], describe_move(game, action)))


ROUND_TRIP_FREE = ("lab", "investor")  # they invest in no customer of their own


def peak(world: World, data: np.ndarray) -> Peak:
    """The highest value of a history column over the quarters played, and its quarter."""
    played = np.asarray(data[: played_rows(world)], dtype=float)
    if not np.isfinite(played).any():
        return Peak()
    row = int(np.nanargmax(played))
    return Peak(float(played[row]), row_label(world, row))


def _number(values: Any, i: int) -> float:
    if values is None:
        return math.nan
    value = float(np.asarray(values)[i])
    return value if math.isfinite(value) else math.nan


def _rank(group: Group) -> None:
    """Rank each seat among the seats of the same firm, highest score first; equal scores share
    a rank (1, 2, 2, 4). Scores of different firms do not compare: in history a lab's share
    price may end eighty times its start when a hyperscaler doing well ends near two. Finished
    games come first: an unfinished game's score is a share price halfway through, which a
    finished one cannot be measured against (a game stopped in a boom would top the board)."""
    ordered = sorted(
        group.seats, key=lambda s: (s.firm_name.lower(), s.firm, not s.finished, -s.score, s.player.lower())
    )
    ranked: list[Seat] = []
    for seat in ordered:
        rivals = [s for s in ranked if s.firm == seat.firm]
        tied = (
            rivals
            and rivals[-1].finished == seat.finished
            and math.isclose(rivals[-1].score, seat.score, rel_tol=1e-9)
        )
        ranked.append(replace(seat, rank=rivals[-1].rank if tied else len(rivals) + 1))
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
        headline, label = answer_of(game, action)
        return f"answered '{headline}': {label}" if headline else f"answered {action.get('event')}"
    return str(kind)


def answer_of(game: Game, action: dict[str, Any]) -> tuple[str, str]:
    """A question's headline and the label of the answer chosen (``choice`` counts from 0);
    ("", "") for an event the scenario no longer has, "?" for an answer it does not offer."""
    event = game.book.by_id(str(action.get("event")))
    if event is None:
        return "", ""
    pick = action.get("choice")
    label = event.choices[pick].label if isinstance(pick, int) and 0 <= pick < len(event.choices) else "?"
    return event.headline, label
