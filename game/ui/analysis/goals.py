"""The goal in words: each part with its figures, what a move would break or meet, the
verdict at the end. Pure (no Textual): the class report uses it too."""

from __future__ import annotations

from collections.abc import Sequence

from game.engine.game import Game, GoalCheck, GoalResult
from game.engine.state import World
from game.money import format_holding, format_money, format_stake
from game.scenario.conditions import MONEY, SHARE, Phrase, Phrasebook, phrase, phrase_unmet
from game.scenario.model import Scenario
from game.scenario.vocabulary import UNITS


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
        lines.append(f"now {_growth(check, said.growth)}× start")
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
    by ";": "OpenAI leads, 49% of OpenAI; Anthropic does not lead, 24% of Anthropic". A flag
    that does not hold says so (left out, 24% of Anthropic read as meeting its 10%; marked ✗,
    "✗ Anthropic leads" read as if Anthropic led)."""
    book = _phrasebook(world)
    alternatives = []
    for alternative in check.alternatives:
        figures = []
        for part in alternative:
            said = phrase(part.text, book)
            if part.now is not None:
                figures.append(said.figure(_measured(world, part.now, said.unit)))
            elif not part.alternatives:
                figures.append(said.words if part.met else phrase_unmet(part.text, book))
        alternatives.append(", ".join(figures))
    return "; ".join(a for a in alternatives if a)


def _phrasebook(world: World) -> Phrasebook:
    def firm(firm_id: str) -> str:
        return world.names[world.index[firm_id]] if firm_id in world.index else firm_id

    return Phrasebook(firm, UNITS, lambda value, unit: _written(world, value, unit))


def _written(world: World, value: float, unit: str) -> str:
    """A number the goal is written with, as written: a share to three decimals of a point as
    a deal's stake is (``format_stake``): 0.01 is "1%" (not "1.0%"), 0.12345 "12.345%"."""
    if unit == SHARE:
        return format_stake(value)
    return format_money(value, world.unit) if unit == MONEY else f"{value:g}"


def _short_of(world: World, check: GoalCheck, said: Phrase, needs: str) -> str:
    """The part's figure now, which never reads as the bar it has missed: "✗ own ≥ 5% · now
    5.0%" (4.996%) read as met; it reads "just under 5%"."""
    assert check.now is not None and check.needs is not None
    now = _measured(world, check.now, said.unit)
    if check.met or now != needs:
        return now
    return f"{'just under' if check.now < check.needs else 'just over'} {now}"


def _growth(check: GoalCheck, bar: float) -> str:
    """A share price's multiple of the start, to two decimals, and more when two would round a
    missed part onto its bar ("1.00× start" for 0.998 beside a goal of 1×): "0.998"."""
    assert check.now is not None and check.needs
    multiple = check.now * bar / check.needs
    digits = 2
    while not check.met and digits < 6 and f"{multiple:.{digits}f}" == f"{bar:.{digits}f}":
        digits += 1
    return f"{multiple:.{digits}f}"


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


def goal_headline(checks: Sequence[GoalCheck], over: bool = False) -> str:
    """How far the goal is, counted from its own checklist: "Goal · 1 of 3 parts met". Not
    the score (the share price's growth): beside a goal of 25× the share price and 40% of the
    market, "you are at 24.48×" (then the valuation's growth) read as a goal nearly reached.
    Once the game is ``over`` the goal is settled: "met", not "met for now"."""
    met = sum(check.met for check in checks)
    if met == len(checks):
        return "Goal · met" if over else "Goal · met for now"
    if len(checks) == 1:
        return "Goal · not met" if over else "Goal · not met yet"
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
    firm a goal of its own, else its role's ("hyperscaler"), which every such firm shares; a
    chipmaker or neocloud shares the hyperscalers' goal, and "(hyperscaler)" beside a
    chipmaker read as a mistake."""
    world = game.world
    index = world.index[result.firm]
    if result.firm in game.scenario.goals.firms:
        return world.names[index]
    if result.role == "hyperscaler" and world.kinds[index] != "hyperscaler":
        return "clouds and chipmakers"
    return result.role


def goal_parts(game: Game, firm: str) -> list[tuple[bool, str]]:
    """Each part of the firm's goal as (met, line): the You panel's checklist, which the
    debrief and the class report repeat, a line each, so that a player who missed the goal
    sees which part."""
    checks = game.goal_checklist(firm)
    return [(check.met, goal_check_line(game.world, check, narrow=False)) for check in checks]
