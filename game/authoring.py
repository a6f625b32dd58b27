"""Tools for scenario authors: a commented starter file, and warnings about a valid file.

Warnings are things that are allowed but are probably not what the author meant: events
whose condition never holds, firms nothing links to, text nobody will read, goals no game
reaches. Some are found by reading the file; the others by playing a quick batch of bot
games (``games``), quarter by quarter, and watching what happens.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from game.calendar import quarter_index
from game.scenario.effects import Commit
from game.scenario.fields import MIN_COMMIT_QUARTERS
from game.scenario.loader import Problem
from game.scenario.model import Scenario
from game.words import count, listing

if TYPE_CHECKING:  # the engine and numpy load only when bot games are played
    import numpy as np

    from game.engine.game import Game
    from game.scenario.effects import Effect
    from game.scenario.events import Event

SCHEMA_NAME = "circular-scenario.schema.json"
ID_PATTERN = re.compile(r"[a-z][a-z0-9_]*")
QUICK_GAMES = 20
# The quick batch plays at most this many firm-quarters (firms x quarters x games), so that
# `circular validate` takes seconds on any file: every bundled scenario still gets its 20
# full games (history: 13 firms x 14 quarters x 20 = 3,640), while a 906-firm, 400-quarter
# world gets one game of a few quarters instead of 20 games of 400 (hours of bot games).
BATCH_FIRM_QUARTERS = 5_000

# --- circular new ---------------------------------------------------------------------------

STARTER = """\
#:schema @SCHEMA@
# ---------------------------------------------------------------------------------------------
# Circular scenario "@ID@": a starter written by `circular new`.
#
# A small fictional world to change into your own: two clouds, a chipmaker and two AI labs,
# one red and one black, one dated event with a question, goals and teaching notes. Every
# section says what its keys do; docs/authoring.md documents every key with an example.
#
# Check it as you edit:   circular validate @ID@.toml      (errors and warnings)
# Watch bots play it:     circular simulate @ID@.toml --runs 200
# Tune it:                circular balance @ID@.toml      (strategies, goals, events)
# Play it:                circular play @ID@.toml --as north
#
# Amounts are numbers (1.25e9) or text ("1.25 bn", "600 m"); revenue and costs are per
# quarter; quarters are written "2025-Q3"; shares are fractions (0.2 = 20%).
# ---------------------------------------------------------------------------------------------

# --- meta: what the title screen shows, and who may be played ---------------------------------
[meta]
id = "@ID@"                      # lower case, digits and _; names its saves and reports
title = "@TITLE@"
summary = \"\"\"
Two clouds, a chipmaker and two AI labs. The clouds invest in the labs, and the labs spend \
the money on the clouds' compute: how much of that revenue is real?\"\"\"
start = "2025-Q1"                # the first quarter played
quarters = 8                     # how many quarters the game lasts
seed = 1                         # a class that shares a seed shares one world
playable = ["north", "vermilion"]  # firms a person may run; a lab plays the lab role,
                                 # any other kind the hyperscaler role
author = ""
tutorial = false                 # true: a tutorial for newcomers, listed first on the title screen

# Optional presets offered on the title screen:
# [[meta.difficulties]]
# id = "hard"
# label = "Hard: less cash, wilder markets"
# player_cash = 0.5
# volatility = 1.5

# --- market: the world around the firms (every key optional; see docs/model.md) --------------
[market]
demand = "3 bn"                  # end customers' quarterly spending on AI labs
demand_growth = 0.06             # per quarter
demand_volatility = 0.04         # spread of the quarterly demand shock
trend = 1.0                      # how strongly traders extrapolate the last change (bubbles)
sentiment_noise = 0.04           # news noise on valuations each quarter
failure_threshold = 0.4          # a firm fails below 40% of its best value of the last year
interest_rate = 0.015            # per quarter, on debt

# --- firms: hyperscaler, neocloud, chipmaker, lab or investor --------------------------------
# personality (for computer-run firms): aggressive, balanced, cautious, loyal, or a table.
[[firms]]
id = "north"
name = "North Cloud"
kind = "hyperscaler"
cash = "60 bn"
revenue = "12 bn"                # outside AI: storage, databases, office software
revenue_growth = 0.02
costs = "8 bn"
multiple = 7                     # the market's revenue multiple (on annual revenue)
capacity = "3 bn"                # compute it can sell each quarter
personality = "balanced"
note = "A large cloud; the player's seat in the hyperscaler role."

[[firms]]
id = "south"
name = "South Cloud"
kind = "hyperscaler"
cash = "30 bn"
revenue = "6 bn"
costs = "4 bn"
multiple = 7
capacity = "2 bn"
personality = "aggressive"
note = "A smaller, hungrier cloud."

[[firms]]
id = "forge"
name = "Forge Chips"
kind = "chipmaker"
cash = "20 bn"
revenue = "6 bn"
costs = "3 bn"
multiple = 15
note = "Sells the chips every cloud needs to grow."

[[firms]]
id = "vermilion"
name = "Vermilion AI"
kind = "lab"
cash = "4 bn"
costs = "0.6 bn"
multiple = 30
capability = 1.0                 # model quality: end customers follow the best model
training_share = 0.5             # share of its compute spent on training
colour = "red"                   # its colour on the roulette table
personality = "aggressive"
note = "The red lab; the player's seat in the lab role."

[[firms]]
id = "obsidian"
name = "Obsidian AI"
kind = "lab"
cash = "5 bn"
costs = "0.8 bn"
multiple = 30
capability = 1.1
colour = "black"
personality = "cautious"
note = "The black lab, slightly ahead at the start."

# --- stakes: who owns part of whom at the start ------------------------------------------------
[[stakes]]
holder = "north"
firm = "obsidian"
share = 0.2                      # North owns 20% of Obsidian
invested = "4 bn"                # cash already paid in: it counts toward the round-trip share

# --- commitments: purchases paid in equal parts over some quarters -----------------------------
[[commitments]]
buyer = "obsidian"
seller = "north"
total = "8 bn"                   # Obsidian spends North's money back on North's cloud
quarters = 8
kind = "compute"

[[commitments]]
buyer = "vermilion"
seller = "south"
total = "4 bn"
quarters = 8

[[commitments]]
buyer = "south"
seller = "forge"
total = "4 bn"
quarters = 4
kind = "chips"                   # chips are sold by a chipmaker

# --- options: the right to invest more later at a fixed valuation ----------------------------
[[options]]
holder = "south"
firm = "vermilion"
amount = "2 bn"
valuation = "20 bn"              # pre-money valuation the option is priced at
deadline = "2025-Q4"

# --- events: news that changes the world, on a date or when a condition holds --------------
[[events]]
id = "chip_shortage"
headline = "A chip shortage hits the clouds"
body = "Lead times for accelerators double. Forge offers North a priority contract."
when = "2025-Q3"                 # a date inside the game
effects = [{ do = "market", field = "demand_growth", add = -0.01 }]
chooser = "north"                # the firm that answers the question below
default_choice = 0               # the answer when a computer runs North or nobody answers (0: the first)

[[events.choices]]
label = "Pay for priority"
description = "Commit 3 bn to Forge over four quarters and keep growing."
effects = [{ do = "commit", buyer = "north", seller = "forge", total = "3 bn", quarters = 4 }]

[[events.choices]]
label = "Wait it out"
description = "Keep the cash; capacity stalls for a while."
effects = [{ do = "adjust", firm = "north", field = "capacity", multiply = 0.9 }]

# An event can also fire when a condition holds (checked at the start of every quarter):
# [[events]]
# id = "lab_frenzy"
# headline = "Investors pile into AI labs"
# condition = 'system_bubble > 1.3 and quarter >= "2025-Q3"'
# probability = 0.5
# effects = [{ do = "market", field = "sentiment", add = 0.2 }]

# --- goals: what each role must reach by the end; conditions may name `me` -------------------
# `circular balance` shows how often computer-run firms reach them: aim for sometimes.
[goals]
collapse = "failed_share >= 0.5"           # everyone loses when this holds at the end
collapse_text = "Half the firms have failed: everyone loses."

[goals.hyperscaler]
description = "Grow your valuation by half, with under a fifth of your revenue your own money coming back."
win = "valuation(me) >= 1.5 * start_valuation(me) and round_trip(me) < 0.2"
lose = "failed(me)"

[goals.lab]
description = "Triple your valuation without failing."
win = "valuation(me) >= 3 * start_valuation(me)"
lose = "failed(me)"

# --- teaching: for the instructor's debrief and the class report -----------------------------
[teaching]
objectives = [
  "Explain how an investor's cash can come back to it as revenue (the round-trip share).",
]
debrief = [
  "What share of North's revenue was its own money coming back?",
  "Did paying for priority chips during the shortage pay off?",
]
notes = "Replace these with what you want the class to notice."
"""


def valid_id(scenario_id: str) -> bool:
    return ID_PATTERN.fullmatch(scenario_id) is not None and len(scenario_id) <= 40


def starter_scenario(scenario_id: str, schema: str = f"./{SCHEMA_NAME}") -> str:
    """A commented scenario that validates, for ``circular new``."""
    if not valid_id(scenario_id):
        raise ValueError(f"'{scenario_id}' is not a scenario id: use a-z, 0-9 and _, starting with a letter")
    title = scenario_id.replace("_", " ").strip().capitalize()
    return STARTER.replace("@SCHEMA@", schema).replace("@ID@", scenario_id).replace("@TITLE@", title)


def schema_reference(target: Path, schema: Path) -> str:
    """The ``#:schema`` path of ``schema`` as seen from the scenario file ``target``."""
    relative = Path(os.path.relpath(schema.resolve(), target.resolve().parent)).as_posix()
    return relative if relative.startswith("../") else f"./{relative}"


# --- circular validate: warnings ------------------------------------------------------------


@dataclass
class BatchFacts:
    """What a quick batch of bot games showed."""

    games: int = 0
    quarters: int = 0  # quarters each game lasted: fewer than the file's in a large world
    condition_held: set[str] = field(default_factory=set)  # events whose condition was ever true
    fired: dict[str, int] = field(default_factory=dict)  # event id -> games in which it fired
    involved: set[str] = field(default_factory=set)  # firms that ever held, owed or paid a firm
    # a goal (its place in the file: ("goals", role) or ("goals", "firms", id)) -> games a
    # playable firm that plays to it won
    goal_reached: dict[Where, int] = field(default_factory=dict)
    # event id -> why one of its effects could not be done -> games in which that happened
    fell_through: dict[str, dict[str, int]] = field(default_factory=dict)


def batch_size(scenario: Scenario, games: int = QUICK_GAMES) -> tuple[int, int]:
    """(games, quarters in each) of the quick batch: ``games`` full games when they fit in
    ``BATCH_FIRM_QUARTERS``, else as many full games as fit, else one game of the quarters
    that fit (at least one)."""
    if games <= 0:
        return 0, 0
    firms, quarters = len(scenario.firms), scenario.meta.quarters
    full_games = BATCH_FIRM_QUARTERS // (firms * quarters)
    if full_games >= 1:
        return min(games, full_games), quarters
    return 1, max(1, BATCH_FIRM_QUARTERS // firms)


def play_batch(
    scenario: Scenario, games: int = QUICK_GAMES, first_seed: int | None = None, quarters: int | None = None
) -> BatchFacts:
    """Play ``games`` bot games quarter by quarter (each ``quarters`` long, if given) and
    record what the warnings need."""
    import numpy as np

    from game.engine.actions import EndQuarter
    from game.engine.events import FELL_THROUGH, EventBook
    from game.engine.game import Game
    from game.engine.observe import Observer

    if quarters is not None and quarters != scenario.meta.quarters:
        scenario = scenario.model_copy(
            update={"meta": scenario.meta.model_copy(update={"quarters": quarters})}
        )
    facts = BatchFacts(quarters=scenario.meta.quarters)
    book = EventBook.of(scenario)
    first = scenario.meta.seed if first_seed is None else first_seed
    watched = [e for e in scenario.events if e.condition is not None and not e.shock]
    players = _players_by_goal(scenario)
    for seed in range(first, first + games):
        game = Game(scenario, seed, compiled_events=book)
        world = game.world
        involved = np.zeros(world.n, dtype=bool)
        while True:
            observer = Observer(world)
            for event in watched:
                if event.id in facts.condition_held:
                    continue
                date = book.dates.get(event.id)
                if date is not None and date != world.quarter:
                    continue
                if book.conditions[event.id].evaluate(observer):
                    facts.condition_held.add(event.id)
            _mark_involved(game, involved)
            if world.finished:
                break
            game.act(EndQuarter(actor=""))
        facts.games += 1
        for event_id in world.event_fired:
            facts.fired[event_id] = facts.fired.get(event_id, 0) + 1
        fell = {
            (news.event, news.headline.removeprefix(f"{FELL_THROUGH}: "))
            for news in world.news
            if news.event and news.headline.startswith(FELL_THROUGH)
        }
        for event_id, reason in fell:
            reasons = facts.fell_through.setdefault(event_id, {})
            reasons[reason] = reasons.get(reason, 0) + 1
        facts.involved.update(world.ids[i] for i in np.flatnonzero(involved))
        for goal, firms in players.items():
            if any(game.goal(firm).won for firm in firms):
                facts.goal_reached[goal] = facts.goal_reached.get(goal, 0) + 1
    return facts


def _mark_involved(game: Game, involved: np.ndarray) -> None:
    import numpy as np

    world = game.world
    links = (world.stakes > 0) | (world.flows > 0)
    np.fill_diagonal(links, False)
    involved |= links.any(axis=0) | links.any(axis=1)
    for contract in world.contracts:
        involved[contract.buyer] = True
        involved[contract.seller] = True


def _playable_by_role(scenario: Scenario) -> dict[str, list[str]]:
    kinds = {f.id: f.kind for f in scenario.firms}
    roles: dict[str, list[str]] = {"hyperscaler": [], "lab": []}
    for firm in dict.fromkeys(scenario.meta.playable):
        roles["lab" if kinds[firm] == "lab" else "hyperscaler"].append(firm)
    return roles


Where = tuple[str | int, ...]


def _players_by_goal(scenario: Scenario) -> dict[Where, list[str]]:
    """The playable firms of each goal, by the goal's place in the file: a role's goal, played
    by the firms of the role without a goal of their own, or a firm's own goal."""
    players: dict[Where, list[str]] = {}
    for role, firms in _playable_by_role(scenario).items():
        for firm in firms:
            goal: Where = ("goals", "firms", firm) if firm in scenario.goals.firms else ("goals", role)
            players.setdefault(goal, []).append(firm)
    return players


def _linked_in_file(scenario: Scenario) -> set[str]:
    """Firms the file itself connects to another firm (or a person plays)."""
    linked = set(scenario.meta.playable)
    for stake in scenario.stakes:
        linked |= {stake.holder, stake.firm}
    for contract in scenario.commitments:
        linked |= {contract.buyer, contract.seller}
    for option in scenario.options:
        linked |= {option.holder, option.firm}
    for event in scenario.events:
        linked |= {f for f in (event.target, event.chooser) if f}
        effects = [*event.effects, *(e for c in event.choices for e in c.effects)]
        for effect in effects:
            for name in ("investor", "firm", "buyer", "seller", "holder"):
                value = getattr(effect, name, None)
                if isinstance(value, str) and value != "target":
                    linked.add(value)
    return linked


def file_warnings(scenario: Scenario) -> list[tuple[Where, str]]:
    """Warnings found by reading the file alone."""
    out: list[tuple[Where, str]] = []
    meta = scenario.meta
    first = quarter_index(meta.start)
    if not meta.summary.strip():
        out.append((("meta", "summary"), "the summary is empty: the title screen will show nothing"))
    for k, event in enumerate(scenario.events):
        where: Where = ("events", k)
        if event.probability == 0 and not event.shock:
            out.append(
                (("events", k, "probability"), f"event '{event.id}' has probability 0: it never fires")
            )
        if event.once and "cooldown" in event.model_fields_set and event.cooldown > 0:
            out.append(
                (("events", k, "cooldown"), f"event '{event.id}': cooldown does nothing while once = true")
            )
        if event.choices and event.chooser not in meta.playable and event.default_choice is None:
            out.append(
                (
                    ("events", k, "chooser"),
                    f"event '{event.id}': '{event.chooser}' is never played by a person and there is no "
                    "default_choice, so the computer picks an answer at random",
                )
            )
        out += _short_commitments(event, k)
        when = quarter_index(event.when) if event.when else None
        for effect in [*event.effects, *(e for c in event.choices for e in c.effects)]:
            deadline = getattr(effect, "deadline", None)
            if deadline and when is not None and quarter_index(deadline) < when:
                out.append((where, f"event '{event.id}' grants an option that has expired by {event.when}"))
    for k, option in enumerate(scenario.options):
        if quarter_index(option.deadline) < first:
            out.append(
                (
                    ("options", k, "deadline"),
                    f"the option of '{option.holder}' on '{option.firm}' expires before the game starts",
                )
            )
    goals = scenario.goals
    for role, firms in _playable_by_role(scenario).items():
        if not firms:
            out.append((("goals", role), f"no playable firm has the {role} role: this goal is never used"))
        elif all(firm in goals.firms for firm in firms):
            why = f"every playable {role} has a goal of its own: this goal is never used"
            out.append((("goals", role), why))
        elif not getattr(goals, role).description.strip():
            out.append((("goals", role, "description"), f"the {role} goal has no description for players"))
    for firm, goal in goals.firms.items():
        if firm not in scenario.meta.playable:
            out.append((("goals", "firms", firm), f"'{firm}' is not playable: its goal is never used"))
        elif not goal.description.strip():
            why = f"the goal of '{firm}' has no description for players"
            out.append((("goals", "firms", firm, "description"), why))
    teaching = scenario.teaching
    missing = [
        name
        for name, empty in (
            ("objectives", not teaching.objectives),
            ("debrief questions", not teaching.debrief),
            ("notes", not teaching.notes.strip()),
        )
        if empty
    ]
    if missing:
        why = f"no teaching {listing(missing, 'or')}: the debrief and the class report will lack them"
        out.append((("teaching",), why))
    return out


def _short_commitments(event: Event, k: int) -> list[tuple[Where, str]]:
    """A commitment the players could not sign: a price values a quarter's revenue as a
    year's, so 8 bn in one quarter lifted the tutorial's seller +94% for that quarter, then
    dropped it."""
    placed: list[tuple[Where, Effect]] = [
        (("events", k, "effects", j), e) for j, e in enumerate(event.effects)
    ]
    for c, choice in enumerate(event.choices):
        placed += [(("events", k, "choices", c, "effects", j), e) for j, e in enumerate(choice.effects)]
    low = MIN_COMMIT_QUARTERS
    return [
        (
            (*where, "quarters"),
            f"event '{event.id}': a commitment over {count(effect.quarters, 'quarter')}, shorter than "
            f"the {low} a player's deal runs at least: a valuation counts a quarter's revenue 4 times "
            "(a year's), so the seller's price jumps while it is paid and drops when it ends",
        )
        for where, effect in placed
        if isinstance(effect, Commit) and effect.quarters < low
    ]


def batch_warnings(scenario: Scenario, facts: BatchFacts | None) -> list[tuple[Where, str]]:
    """Warnings that need games: conditions never true, effects that fell through, isolated
    firms, unreached goals.

    Without ``facts`` (no games played), firms are judged on the file alone."""
    out: list[tuple[Where, str]] = []
    # A large world's games are cut short: say so, and judge only what they reached.
    shortened = facts is not None and facts.quarters < scenario.meta.quarters
    games = ""
    if facts is not None:
        games = f"{facts.games} bot game{'s' * (facts.games != 1)}"
        games += f" of {facts.quarters} quarter{'s' * (facts.quarters != 1)}" if shortened else ""
    linked = _linked_in_file(scenario)
    for k, firm in enumerate(scenario.firms):
        if firm.id in linked:
            continue
        if facts is None:
            out.append(
                (
                    ("firms", k),
                    f"firm '{firm.id}': nobody plays it and no stake, commitment, option or event "
                    "links it to another firm (computer-run firms may still trade with it)",
                )
            )
        elif firm.id not in facts.involved:
            out.append(
                (
                    ("firms", k),
                    f"firm '{firm.id}': nobody plays it, nothing in the file links it to another firm, "
                    f"and in {games} no firm traded with it",
                )
            )
    if facts is None:
        return out
    last_played = quarter_index(scenario.meta.start) + facts.quarters - 1
    for k, event in enumerate(scenario.events):
        if event.condition is None or event.shock or event.id in facts.condition_held:
            continue
        if event.when and quarter_index(event.when) > last_played:
            continue  # dated after the end of the shortened games: they could not see it
        when = f" on {event.when}" if event.when else ""
        out.append(
            (
                ("events", k, "condition"),
                f"event '{event.id}': its condition was never true{when} in {games}, so it may never "
                "fire (right for a rare danger; else check the condition)",
            )
        )
    for k, event in enumerate(scenario.events):
        reasons = facts.fell_through.get(event.id, {})
        for reason, times in sorted(reasons.items(), key=lambda item: (-item[1], item[0]))[:3]:
            out.append(
                (
                    ("events", k),
                    f"event '{event.id}': an effect fell through in {times} of {games} ({reason}), "
                    "so it did nothing there",
                )
            )
    for goal, firms in _players_by_goal(scenario).items():
        if shortened:
            break  # goals are judged at the end of the game, which shortened games never reach
        if not facts.goal_reached.get(goal):
            if goal[1] == "firms":
                why = f"'{firms[0]}' never reached its own goal in {games}"
            else:
                why = f"no playable {goal[1]} ({', '.join(firms)}) reached this goal in {games}"
            # the bots play their personalities, not the goals: a person may well reach it
            out.append(
                ((*goal, "win"), f"{why} (bots do not play for goals): play it to check that a person can")
            )
    return out


def scenario_warnings(
    scenario: Scenario, text: str, filename: str, *, games: int = QUICK_GAMES
) -> list[Problem]:
    """Every warning about a valid scenario, placed at ``file:line:col`` where possible."""
    found = file_warnings(scenario) + _bundled_id_warnings(scenario, filename)
    facts = None
    if games > 0:
        count, quarters = batch_size(scenario, games)
        try:
            facts = play_batch(scenario, count, quarters=quarters)
        except Exception as err:  # an engine failure must not hide the other warnings
            found.append(((), f"the quick batch of bot games stopped: {type(err).__name__}: {err}"))
    found += batch_warnings(scenario, facts)
    if not found:
        return []
    from game.scenario.positions import locate

    # Only the keys the warnings name: walking every key of a large file costs milliseconds.
    positions = locate(text.removeprefix("\ufeff"), only=[where for where, _ in found])
    problems = []
    for where, message in found:
        line, column = positions.of_key(where)
        problems.append(Problem(filename, line, column, message))
    return sorted(problems, key=lambda p: (p.line, p.column, p.message))


def _bundled_id_warnings(scenario: Scenario, filename: str) -> list[tuple[Where, str]]:
    """A copy that keeps a bundled scenario's id: its saves take the bundled one's names, and
    `circular play ID` opens the bundled one, not the copy."""
    from game.scenario.loader import BUNDLED_DIR, ScenarioError, bundled_ids, resolve_scenario_path

    own = scenario.meta.id
    if own not in bundled_ids():
        return []
    try:  # the file as named on the command line: `validate history` is the bundled one
        path = resolve_scenario_path(filename)
    except ScenarioError:
        path = Path(filename)
    if path.resolve() == (BUNDLED_DIR / f"{own}.toml").resolve():
        return []
    return [
        (
            ("meta", "id"),
            f"'{own}' is also a bundled scenario's id: `circular play {own}` opens the bundled one, "
            "and saves of the two share names; give this file an id of its own",
        )
    ]


def warning_line(problem: Problem) -> str:
    return f"{problem.file}:{problem.line}:{problem.column}: warning: {problem.message}"


def as_json(problems: list[Problem]) -> list[dict[str, Any]]:
    return [{"line": p.line, "column": p.column, "message": p.message} for p in problems]
