"""Findings of an author's review of ``circular validate``: files that passed but crashed a
game, false or doubled problems, and messages in a program's words rather than an author's.
Each case is the starter (``circular new``) with one change, written to disk and loaded."""

from __future__ import annotations

from pathlib import Path

import pytest
from author_helpers import STARTER, edit, line_of

from game.engine.actions import EndQuarter
from game.engine.game import Game
from game.scenario.loader import ScenarioError, load_scenario


def reported(tmp_path: Path, text: str) -> list[str]:
    """``circular validate``'s lines for ``text``, as ``file:line:col: message``, the file's
    name left out."""
    path = tmp_path / "myworld.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    return [str(problem).removeprefix(f"{path}:") for problem in caught.value.problems]


# --- the calendar's end -------------------------------------------------------------------------


def test_a_game_past_the_calendars_end_is_refused_at_its_length(tmp_path: Path) -> None:
    """It passed validate, then crashed simulate in its 2201st year."""
    text = edit(STARTER, 'start = "2025-Q1"', 'start = "2190-Q1"')
    text = edit(text, "quarters = 8                     #", "quarters = 400  #")
    text = text.replace('"2025-Q', '"2190-Q')  # its dates inside the game
    line = line_of(text, "quarters = 400")
    assert reported(tmp_path, text) == [
        f"{line}:1: meta.quarters: the game would end in 2289-Q4; a game must end by 2200"
    ]


def test_a_date_before_a_game_past_the_calendar_is_named_as_written(tmp_path: Path) -> None:
    """Not "quarter index 9159 is out of range 7600-8803": the dates an author wrote."""
    text = edit(STARTER, 'start = "2025-Q1"', 'start = "2190-Q1"')
    text = edit(text, "quarters = 8                     #", "quarters = 400  #")
    lines = reported(tmp_path, text)
    assert not any("index" in line for line in lines), lines
    when = line_of(text, 'when = "2025-Q3"')
    assert f"{when}:1: events[0].when: 2025-Q3 is outside the game (2190-Q1 to 2200-Q4)" in lines


def test_a_game_that_ends_in_the_calendars_last_quarter_loads(tmp_path: Path) -> None:
    text = edit(STARTER, 'start = "2025-Q1"', 'start = "2199-Q1"')
    path = tmp_path / "myworld.toml"
    path.write_text(text.replace('"2025-Q', '"2199-Q'), encoding="utf-8")
    assert load_scenario(path).scenario.meta.quarters == 8


# --- an id used twice ---------------------------------------------------------------------------


def test_the_first_firm_with_an_id_is_the_one_references_are_judged_by(tmp_path: Path) -> None:
    """A later firm with the id did not replace the first: South's chips from Forge (the
    chipmaker, written first) were reported as bought from a lab."""
    text = edit(STARTER, 'id = "vermilion"', 'id = "forge"')
    first = line_of(text, 'id = "forge"')
    second = line_of(text, 'id = "forge"', after=first)
    lines = reported(tmp_path, text)
    assert f"{second}:1: firms[3].id: two firms have the id 'forge' (first at line {first})" in lines
    assert not any("commitments[2]" in line for line in lines), lines
    # the references to the id that is gone are still reported, each where it is written
    buyer = line_of(text, 'buyer = "vermilion"')
    assert f"{buyer}:1: commitments[1].buyer: unknown firm 'vermilion'" in lines


# --- conditions ---------------------------------------------------------------------------------

AMOUNTS = "amounts in conditions are written like 3 bn, 500 m, 2 tn (units k, m, bn and tn); no '$' or ','"
WHEN = 'when = "2025-Q3"                 #'


def test_an_unclosed_bracket_counts_both_places_from_1(tmp_path: Path) -> None:
    text = edit(STARTER, WHEN, 'condition = \'(cash("north") < 3 bn and (quarter >= "2025-Q2")\' #')
    line = line_of(text, "condition = ")
    assert reported(tmp_path, text) == [
        f"{line}:62: events[0].condition: at character 49: expected ')' to close the '(' at character 1, "
        "found the end of the condition"
    ]


@pytest.mark.parametrize(
    ("amount", "character", "slip"),
    [
        ("3 b", 19, "unexpected 'b' after a number"),
        ("3 mn", 19, "unexpected 'mn' after a number"),
        ("$3bn", 17, "unexpected character '$'"),
        ("1,000 m", 18, "unexpected ',' in a number"),
    ],
)
def test_an_amount_written_as_elsewhere_says_how_conditions_write_amounts(
    tmp_path: Path, amount: str, character: int, slip: str
) -> None:
    text = edit(STARTER, WHEN, f"condition = 'cash(\"north\") < {amount}' #")
    line = line_of(text, "condition = ")
    assert reported(tmp_path, text) == [
        f"{line}:{character + 13}: events[0].condition: at character {character}: {slip}: {AMOUNTS}"
    ]


# --- TOML that does not read --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "column", "message"),
    [
        (
            'title = "Myworld"',
            'title = "Myworld',
            17,
            'a quoted text is not closed on this line: add the closing "',
        ),
        (
            'title = "Myworld"',
            "title = 'Myworld",
            17,
            "a quoted text is not closed on this line: add the closing '",
        ),
        (
            "multiple = 15",
            "multiple = 15,",
            14,
            "something follows the value: one key = value per line (a stray comma?)",
        ),
        ("multiple = 15", "multiple = 15 16", 15, "something follows the value: one key = value per line"),
        (
            "multiple = 15",
            "multiple = [15 16]",
            16,
            "a [ ... ] list is not closed: separate its items with commas and end it with ']'",
        ),
    ],
    ids=["text", "literal-text", "stray-comma", "two-values", "list-without-comma"],
)
def test_toml_slips_are_said_in_plain_words_where_tomli_finds_them(
    tmp_path: Path, old: str, new: str, column: int, message: str
) -> None:
    text = edit(STARTER, old, new)
    assert reported(tmp_path, text) == [f"{line_of(text, new)}:{column}: not valid TOML: {message}"]


def test_a_list_left_open_names_the_line_it_opened_at(tmp_path: Path) -> None:
    """tomli finds it where the next table starts, lines below the list."""
    old = '{ do = "adjust", firm = "north", field = "capacity", multiply = 0.9 }]'
    text = edit(STARTER, old, old.removesuffix("]"))
    opened = line_of(text, 'effects = [{ do = "adjust"')
    found = line_of(text, "[goals]")
    assert reported(tmp_path, text) == [
        f"{found}:1: not valid TOML: the [ ... ] list opened at line {opened} is not closed: add its ']'"
    ]


# --- a rule of an entry, at the key that breaks it ------------------------------------------------


def test_a_colour_on_a_firm_that_is_no_lab_is_reported_at_the_colour(tmp_path: Path) -> None:
    text = edit(STARTER, 'kind = "chipmaker"', 'kind = "chipmaker"\ncolour = "red"')
    line = line_of(text, 'colour = "red"')
    assert reported(tmp_path, text) == [
        f"{line}:1: firms[2].colour: only labs sit on the roulette table; a chipmaker has colour 'other'"
    ]


def test_a_labs_capability_is_reported_at_the_key_when_it_is_written(tmp_path: Path) -> None:
    text = edit(STARTER, "capability = 1.1", "capability = 0")
    line = line_of(text, "capability = 0")
    assert reported(tmp_path, text) == [f"{line}:1: firms[4].capability: a lab needs a capability above 0"]


# --- what could never do anything ---------------------------------------------------------------

EFFECT = '{ do = "market", field = "demand_growth", add = -0.01 }'


def test_an_effect_that_neither_adds_nor_multiplies_is_refused(tmp_path: Path) -> None:
    text = edit(STARTER, EFFECT, '{ do = "market", field = "sentiment" }')
    line = line_of(text, "effects = [{ do = ")
    assert reported(tmp_path, text) == [
        f"{line}:12: events[0].effects[0]: a 'market' effect needs add or multiply: "
        "without them it changes nothing"
    ]


def test_the_capability_of_a_firm_that_is_no_lab_cannot_be_adjusted(tmp_path: Path) -> None:
    text = edit(STARTER, EFFECT, '{ do = "adjust", firm = "forge", field = "capability", add = 1 }')
    line = line_of(text, "effects = [{ do = ")
    assert reported(tmp_path, text) == [
        f"{line}:45: events[0].effects[0].field: 'forge' is a chipmaker; only labs have a capability"
    ]


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ('leads("forge")', "'forge' is a chipmaker; leads() is about labs"),
        ('market_share("north") > 0.1', "'north' is a hyperscaler; market_share() is about labs"),
        ('capability("forge") > 1', "'forge' is a chipmaker; capability() is about labs"),
    ],
)
def test_a_labs_metric_of_another_firm_is_refused(tmp_path: Path, condition: str, message: str) -> None:
    text = edit(STARTER, WHEN, f"condition = '{condition}' #")
    line, character = line_of(text, "condition = "), condition.index('"') + 1
    column = len("condition = '") + character  # the firm's quote, inside the text
    assert reported(tmp_path, text) == [
        f"{line}:{column}: events[0].condition: at character {character}: {message}"
    ]


def test_a_labs_metric_of_a_lab_or_of_me_is_read(tmp_path: Path) -> None:
    text = edit(STARTER, WHEN, 'condition = \'leads("vermilion") and capability("obsidian") > 1\' #')
    text = edit(text, 'win = "valuation(me) >= 3', 'win = "market_share(me) > 0.5 and valuation(me) >= 3')
    path = tmp_path / "myworld.toml"
    path.write_text(text, encoding="utf-8")
    scenario = load_scenario(path).scenario
    assert scenario.events[0].condition == 'leads("vermilion") and capability("obsidian") > 1'
    assert scenario.goals.lab.win.startswith("market_share(me) > 0.5 and ")
    game = Game(scenario, 1, ("vermilion",))
    while not game.world.finished:  # the condition is checked every quarter, the goal at the end
        assert game.act(EndQuarter("")).ok
    assert game.goal("vermilion").score > 0


# --- wording ------------------------------------------------------------------------------------


def test_a_list_of_text_is_not_offered_tables(tmp_path: Path) -> None:
    text = edit(STARTER, "objectives = [", 'objectives = "x"\nold_objectives = [')
    lines = reported(tmp_path, text)
    line = line_of(text, 'objectives = "x"')
    assert lines[0] == f"{line}:1: teaching.objectives: must be a list, like [ ... ] (got 'x')"


def test_a_misspelt_personality_suggests_the_preset(tmp_path: Path) -> None:
    text = edit(STARTER, 'personality = "cautious"', 'personality = "agressive"')
    line = line_of(text, 'personality = "agressive"')
    assert reported(tmp_path, text) == [
        f"{line}:1: firms[4].personality: unknown personality 'agressive' (did you mean 'aggressive'?); "
        "use one of aggressive, balanced, cautious, loyal or a table"
    ]


def test_a_misspelt_required_key_is_one_problem_not_two(tmp_path: Path) -> None:
    """Not also "missing required key 'label'": the unknown key is the missing one, misspelt."""
    text = edit(STARTER, 'label = "Wait it out"', 'labl = "Wait it out"')
    line = line_of(text, "labl = ")
    assert reported(tmp_path, text) == [
        f"{line}:1: events[0].choices[1]: unknown key 'labl' (did you mean 'label'?)"
    ]


def test_a_missing_key_beside_an_unknown_one_that_is_not_it_is_still_reported(tmp_path: Path) -> None:
    text = edit(STARTER, 'label = "Wait it out"', 'colour = "Wait it out"')
    lines = reported(tmp_path, text)
    assert [line.split(": ", 1)[1] for line in lines] == [
        "events[0].choices[1]: missing required key 'label'",
        "events[0].choices[1]: unknown key 'colour'",
    ]
