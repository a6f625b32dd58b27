"""The options that start a game, read and checked once for ``circular play`` and
``circular serve`` alike: whatever ``play`` refuses, ``serve`` refuses before it serves, in
the same words, rather than in every browser's game."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from game.classcode import ClassCode
    from game.scenario.loader import LoadedScenario


class UsageError(Exception):
    """A mistake on the command line: reported as one line, exit status 2."""


@dataclass(frozen=True)
class GameOptions:
    """A game's options once checked: a class code's seed and difficulty in place of the
    (absent) ``--seed`` and ``--difficulty``."""

    loaded: LoadedScenario
    seed: int | None
    firm: str | None
    difficulty: str | None
    seats: list[tuple[str, str]]
    player: str


def within(option: str, value: int | None, low: int, high: int) -> None:
    """Refuse an option outside its range in one line (None means not given)."""
    if value is not None and not low <= value <= high:
        raise UsageError(f"{option} must be from {low} to {high}")


def within_seeds(first: int | None, runs: int = 1) -> None:
    """Refuse a --seed outside 0 to MAX_SEED, the seeds a scenario file may name; with many
    runs, the last run's seed (first + runs - 1) too."""
    from game.scenario.model import MAX_SEED

    within("--seed", first, 0, MAX_SEED - (runs - 1))


PLAYERS_HELP = (
    "the people at this keyboard, in turn order, as FIRM:NAME pairs separated by commas "
    "(e.g. anthropic:Ada,microsoft:Bo; the name may be left out); two to six seats share one game "
    "(hot seat), one seat is a game for one named player"
)


def add_seat_options(parser: argparse.ArgumentParser) -> None:
    """``--name``, ``--players`` and ``--facilitator``, for ``play`` and ``serve``."""
    parser.add_argument(
        "--name",
        metavar="NAME",
        help="your name, for your save's file name and the class report (one player; with "
        "several, name them in --players)",
    )
    parser.add_argument("--players", metavar="FIRM:NAME,...", help=PLAYERS_HELP)
    parser.add_argument(
        "--facilitator",
        action="store_true",
        help="facilitator mode: an instructor may add shocks, grants and penalties during the game",
    )


def game_options(args: argparse.Namespace) -> GameOptions:
    """The scenario, seed, firm, difficulty, seats and name that ``args`` give, each checked
    against the scenario. Raises UsageError in one line."""
    from game.scenario.loader import DEFAULT_SCENARIO, load_scenario

    seed = getattr(args, "seed", None)
    difficulty = getattr(args, "difficulty", None)
    if getattr(args, "code", None) is not None:
        loaded, parsed = code_option(args)
        seed, difficulty = parsed.seed, parsed.difficulty
    else:
        loaded = load_scenario(getattr(args, "scenario", None) or DEFAULT_SCENARIO)
        within_seeds(seed)
    meta = loaded.scenario.meta
    firm = getattr(args, "firm", None)
    if firm is not None and firm not in meta.playable:
        raise UsageError(f"--as {firm}: this scenario lets you play {', '.join(meta.playable)}")
    offered = [d.id for d in meta.difficulties]
    if difficulty is not None and difficulty not in offered:
        raise UsageError(f"--difficulty {difficulty}: this scenario offers {', '.join(offered) or 'none'}")
    seats = seats_option(args, meta.playable, loaded.scenario.firm_ids())
    return GameOptions(loaded, seed, firm, difficulty, seats, name_option(args))


def seats_option(
    args: argparse.Namespace, playable: Sequence[str], firm_ids: Sequence[str]
) -> list[tuple[str, str]]:
    """The seats given with ``--players``, checked against the scenario; [] when not given.
    Raises UsageError in one line."""
    from game.seats import check_names, check_seats, parse_players

    text = getattr(args, "players", None)
    if text is None:
        return []
    if getattr(args, "firm", None) is not None:
        raise UsageError("--as and --players both choose firms; name every seat in --players")
    if getattr(args, "name", None) is not None:
        raise UsageError("--name and --players both name players; name every seat in --players")
    try:
        seats = parse_players(text)
        check_seats([firm for firm, _ in seats], firm_ids, playable)
        check_names(name for _, name in seats)
    except ValueError as err:
        raise UsageError(f"--players: {err}") from None
    return seats


def name_option(args: argparse.Namespace) -> str:
    """The player's name given with ``--name`` (one seat), cleaned; "" when not given.
    Raises UsageError in one line."""
    from game.seats import clean_name

    try:
        return clean_name(getattr(args, "name", None) or "")
    except ValueError as err:
        raise UsageError(f"--name: {err}") from None


def code_option(args: argparse.Namespace) -> tuple[LoadedScenario, ClassCode]:
    """The world a class code (``--code``) names, for ``play`` and ``serve``. The code fixes
    the scenario, the seed and the difficulty, so an option that says otherwise is refused
    rather than silently overruled. Raises UsageError in one line."""
    from game.classcode import parse_code
    from game.scenario.loader import load_scenario

    code = args.code
    try:
        parsed = parse_code(code)
    except ValueError as err:
        raise UsageError(str(err)) from None
    for option, value in (("--seed", args.seed), ("--difficulty", args.difficulty)):
        if value is not None:
            raise UsageError(
                f"--code and {option}: the class code {code} sets the {option[2:]}; leave {option} out"
            )
    # A scenario given as well may be the code's own (a file the instructor handed out); the
    # code's check then covers that file.
    loaded = load_scenario(args.scenario or parsed.scenario)
    if loaded.scenario.meta.id != parsed.scenario:
        raise UsageError(
            f"--code {code} is for the scenario '{parsed.scenario}', not '{loaded.scenario.meta.id}'; "
            "leave the scenario out"
        )
    if not parsed.matches(loaded.source):
        raise UsageError(
            f"class code {code} does not match this world: check the code you typed; if it is "
            f"right, your copy of '{parsed.scenario}' differs from your instructor's"
        )
    return loaded, parsed
