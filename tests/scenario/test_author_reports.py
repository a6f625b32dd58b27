"""What an author editing the starter (``circular new``) reads from ``circular validate``:
every problem at once, rules across entries (an id used twice) included even when other
entries have mistakes, each at the place to fix, in plain words rather than pydantic's."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from author_helpers import STARTER, edit, line_of

from game.scenario.loader import ScenarioError, load_scenario


def reported(tmp_path: Path, text: str, name: str = "myworld.toml") -> list[str]:
    """``circular validate``'s lines for ``text`` written to a file, as ``file:line:col: message``."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    return [str(problem) for problem in caught.value.problems]


# --- plain words --------------------------------------------------------------------------------

EFFECTS = "'invest', 'commit', 'option', 'set_stake', 'adjust', 'market', 'cancel'"
KINDS = "'hyperscaler', 'chipmaker', 'neocloud', 'lab' or 'investor'"


@pytest.mark.parametrize(
    ("old", "new", "column", "message"),
    [
        (
            'do = "market", field = "demand_growth"',
            'do = "markt", field = "demand_growth"',
            14,
            "events[0].effects[0].do: unknown effect 'markt' (did you mean 'market'?); "
            f"expected one of: {EFFECTS}",
        ),
        (
            'do = "market", field = "demand_growth"',
            'field = "demand_growth"',
            12,
            "events[0].effects[0]: missing required key 'do'",
        ),
        ("seed = 1 ", "seed = -1", 1, "meta.seed: must be 0 or more (got -1)"),
        (
            "training_share = 0.5",
            "training_share = 1.2",
            1,
            "firms[3].training_share: must be 1 or less (got 1.2)",
        ),
        ("share = 0.2", "share = 1.2", 1, "stakes[0].share: must be less than 1 (got 1.2)"),
        (
            "multiple = 30\ncapability = 1.0",
            "multiple = 0\ncapability = 1.0",
            1,
            "firms[3].multiple: must be more than 0 (got 0)",
        ),
        ('cash = "20 bn"', "cash = 2e16", 1, "firms[2].cash: must be 1,000 tn or less (got 2e16)"),
        ("quarters = 8  ", 'quarters = "eight"', 1, "meta.quarters: must be a whole number (got 'eight')"),
        ("quarters = 8  ", "quarters = 8.5", 1, "meta.quarters: must be a whole number (got 8.5)"),
        # strict: pydantic would read 8.0 as 8 and true as 1 or 1.0; an author means neither
        ("quarters = 8  ", "quarters = 8.0", 1, "meta.quarters: must be a whole number (got 8.0)"),
        ("seed = 1 ", "seed = true", 1, "meta.seed: must be a whole number (got true)"),
        ("trend = 1.0", "trend = false", 1, "market.trend: must be a number (got false)"),
        ("trend = 1.0", 'trend = "high"', 1, "market.trend: must be a number (got 'high')"),
        ('title = "Myworld"', "title = 2025-01-01", 1, "meta.title: must be text in quotes (got 2025-01-01)"),
        ('title = "Myworld"', "title = true", 1, "meta.title: must be text in quotes (got true)"),
        ('title = "Myworld"', 'title = ""', 1, "meta.title: must not be empty"),
        (
            'id = "myworld"',
            'id = "My World"',
            1,
            "meta.id: must be lower-case letters, digits and _, starting with a letter (got 'My World')",
        ),
        (
            'colour = "red"',
            'colour = "Blue"',
            1,
            "firms[3].colour: unknown colour 'Blue'; expected one of: 'red', 'black', 'green' or 'other'",
        ),
        (
            "seed = 1 ",
            'unit = "usd"\nseed = 1 ',
            1,
            "meta.unit: unknown unit 'usd' (did you mean 'USD'?); expected one of: 'USD', 'EUR' or 'GBP'",
        ),
        ('kind = "chipmaker"', "kind = 3", 1, f"firms[2].kind: must be one of {KINDS} (got 3)"),
        ('personality = "cautious"', "personality = 3", 1, "firms[4].personality: must be a table (got 3)"),
        (
            'playable = ["north", "vermilion"]',
            "playable = []",
            1,
            "meta.playable: needs 1 or more entries, this file has 0",
        ),
        (
            'playable = ["north", "vermilion"]',
            'playable = "north"',
            1,
            "meta.playable: must be a list, like [ ... ] (got 'north')",
        ),
        (
            "capability = 1.1",
            "capability = 2e6",
            1,
            "firms[4].capability: must be 1,000,000 or less (got 2e6)",
        ),
        ('cash = "20 bn"', "cash = nan", 1, "firms[2].cash: must be a number, not nan"),
        ("share = 0.2", "share = nan", 1, "stakes[0].share: must be a number, not nan"),
        ("multiple = 15", "multiple = inf", 1, "firms[2].multiple: must be a number, not inf"),
        (
            "demand_growth = 0.06",
            "demand_growth = -inf",
            1,
            "market.demand_growth: must be a number, not -inf",
        ),
        ("add = -0.01", "add = nan", 54, "events[0].effects[0].add: must be a number, not nan"),
        (
            'name = "Forge Chips"',
            f'name = "{"F" * 121}"',
            1,
            "firms[2].name: must be at most 120 characters, this one has 121",
        ),
    ],
)
def test_pydantic_checks_read_as_plain_words(
    tmp_path: Path, old: str, new: str, column: int, message: str
) -> None:
    text = edit(STARTER, old, new)
    line = STARTER[: STARTER.index(old)].count("\n") + 1  # where the edit is
    path = tmp_path / "myworld.toml"
    assert reported(tmp_path, text) == [f"{path}:{line}:{column}: {message}"]


# --- rules across entries, whatever else is wrong ---------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("", "", None),
        ("multiple = 15", "multipel = 15", "firms[2]: unknown key 'multipel' (did you mean 'multiple'?)"),
        ('cash = "20 bn"', "cash = -1", "firms[2].cash: must be 0 or more (got -1)"),
        ('kind = "chipmaker"', 'kind = "chips"', "firms[2].kind: unknown kind 'chips'"),
    ],
    ids=["alone", "unknown-key", "negative-cash", "unknown-kind"],
)
def test_a_firm_id_used_twice_is_reported_with_every_other_mistake(
    tmp_path: Path, old: str, new: str, expected: str | None
) -> None:
    text = edit(STARTER, 'id = "south"', 'id = "north"')
    if old:
        text = edit(text, old, new)
    lines = reported(tmp_path, text)
    path = tmp_path / "myworld.toml"
    first = line_of(text, 'id = "north"')
    second = line_of(text, 'id = "north"', after=first)
    duplicate = f"{path}:{second}:1: firms[1].id: two firms have the id 'north' (first at line {first})"
    assert duplicate in lines
    if expected is not None:
        assert any(line.startswith(f"{path}:{line_of(text, new)}:1: {expected}") for line in lines), lines
    # and the references to the firm that is gone, each where it is written
    gone = line_of(text, 'seller = "south"')
    assert f"{path}:{gone}:1: commitments[1].seller: unknown firm 'south' (did you mean 'north'?)" in lines


def test_every_reuse_of_an_event_id_points_at_itself(tmp_path: Path) -> None:
    event = '[[events]]\nid = "chip_shortage"\nheadline = "Again"\nwhen = "2025-Q4"\nprobability = 2\n\n'
    text = edit(STARTER, "[goals]\n", event + event + "[goals]\n")
    first = line_of(text, 'id = "chip_shortage"')
    second = line_of(text, 'id = "chip_shortage"', after=first)
    third = line_of(text, 'id = "chip_shortage"', after=second)
    path = tmp_path / "myworld.toml"
    assert reported(tmp_path, text) == [
        f"{path}:{second}:1: events[1].id: two events have the id 'chip_shortage' (first at line {first})",
        f"{path}:{second + 3}:1: events[1].probability: must be 1 or less (got 2)",
        f"{path}:{third}:1: events[2].id: two events have the id 'chip_shortage' (first at line {first})",
        f"{path}:{third + 3}:1: events[2].probability: must be 1 or less (got 2)",
    ]


def test_stakes_held_twice_and_over_the_whole_beside_a_bad_share(tmp_path: Path) -> None:
    again = '[[stakes]]\nholder = "north"\nfirm = "obsidian"\nshare = 0.1\n\n'
    more = '[[stakes]]\nholder = "south"\nfirm = "obsidian"\nshare = 0.85\n\n'
    bad = '[[stakes]]\nholder = "forge"\nfirm = "vermilion"\nshare = "a lot"\n\n'
    text = edit(STARTER, "# --- commitments", again + more + bad + "# --- commitments")
    first = line_of(text, "[[stakes]]")
    second = line_of(text, "[[stakes]]", after=first)
    third = line_of(text, "[[stakes]]", after=second)
    share = line_of(text, 'share = "a lot"')
    path = tmp_path / "myworld.toml"
    assert reported(tmp_path, text) == [
        f"{path}:{second}:1: stakes[1]: 'north' holds 'obsidian' twice; give one share "
        f"(first at line {first})",
        f"{path}:{third}:1: stakes[2]: stakes in 'obsidian' add up to 105%; "
        "outside shareholders must keep more than 1%",
        f"{path}:{share}:1: stakes[3].share: must be a number (got 'a lot')",
    ]


def test_a_world_without_a_lab_is_reported_beside_other_mistakes(tmp_path: Path) -> None:
    text = STARTER.replace('kind = "lab"', 'kind = "investor"').replace('colour = "red"', "")
    text = edit(text, 'colour = "black"', "").replace("capability = 1.1", "capability = -1")
    path = tmp_path / "myworld.toml"
    assert reported(tmp_path, text) == [
        f"{path}:{line_of(text, '[[firms]]')}:1: firms: a scenario needs at least one lab",
        f"{path}:{line_of(text, 'capability = -1')}:1: firms[4].capability: must be 0 or more (got -1)",
    ]


# --- what the file gives, read once ------------------------------------------------------------


def test_a_misspelt_kind_is_reported_once(tmp_path: Path) -> None:
    """Not also as "no lab" or as a seller of the wrong kind: the kind is unknown, not wrong."""
    text = edit(STARTER, 'kind = "chipmaker"', 'kind = "chipmakr"')
    text = text.replace('kind = "lab"', 'kind = "lba"')
    path = tmp_path / "myworld.toml"
    expected = f"; expected one of: {KINDS}"
    chips = line_of(text, 'kind = "chipmakr"')
    lab = line_of(text, 'kind = "lba"')
    other = line_of(text, 'kind = "lba"', after=lab)
    assert reported(tmp_path, text) == [
        f"{path}:{chips}:1: firms[2].kind: unknown kind 'chipmakr' (did you mean 'chipmaker'?){expected}",
        f"{path}:{lab}:1: firms[3].kind: unknown kind 'lba' (did you mean 'lab'?){expected}",
        f"{path}:{other}:1: firms[4].kind: unknown kind 'lba' (did you mean 'lab'?){expected}",
    ]


@pytest.mark.parametrize(
    ("quarters", "message"),
    [
        ("0", "must be 1 or more (got 0)"),
        ("true", "must be a whole number (got true)"),  # not read as 1 quarter
        ("2.5", "must be a whole number (got 2.5)"),  # not read as 2
    ],
)
def test_a_bad_length_does_not_also_put_every_date_outside_the_game(
    tmp_path: Path, quarters: str, message: str
) -> None:
    text = edit(STARTER, "quarters = 8                     #", f"quarters = {quarters}  #")
    path = tmp_path / "myworld.toml"
    line = line_of(text, f"quarters = {quarters}")
    assert reported(tmp_path, text) == [f"{path}:{line}:1: meta.quarters: {message}"]


def test_the_authors_text_is_quoted_as_written(tmp_path: Path) -> None:
    """Braces in an id or a condition are not read as placeholders of a message."""
    text = edit(STARTER, 'holder = "north"\nfirm = "obsidian"', 'holder = "{hint}"\nfirm = "{first}"')
    text = edit(text, 'win = "valuation(me) >= 3 * start_valuation(me)"', "win = 'quarter >= \"{offset}\"'")
    path = tmp_path / "myworld.toml"
    line, win = line_of(text, 'holder = "{hint}"'), line_of(text, "win = 'quarter")
    assert reported(tmp_path, text) == [
        f"{path}:{line}:1: stakes[0].holder: unknown firm '{{hint}}'",
        f"{path}:{line + 1}:1: stakes[0].firm: unknown firm '{{first}}'",
        f'{path}:{win}:19: goals.lab.win: at character 12: expected a quarter like "2025-Q3", '
        'got "{offset}"',
    ]


# --- names and paths in the wrong place -------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "where", "character"),
    [
        ('when = "2025-Q3"', "condition = 'valuation(me) > 100bn'", "events[0].condition", 11),
        ('collapse = "failed_share >= 0.5"', 'collapse = "failed(me)"', "goals.collapse", 8),
    ],
    ids=["event", "collapse"],
)
def test_me_outside_goals_says_where_it_means_something(
    tmp_path: Path, old: str, new: str, where: str, character: int
) -> None:
    text = edit(STARTER, old, new)
    line, column = line_of(text, new), new.index("me)") + 1
    path = tmp_path / "myworld.toml"
    assert reported(tmp_path, text) == [
        f"{path}:{line}:{column}: {where}: at character {character}: 'me' is the player's own firm, "
        "so it only means something in a goal's win or lose; here, name a firm in quotes"
    ]


def test_turn_compared_with_a_quarter_says_turn_is_a_number(tmp_path: Path) -> None:
    text = edit(STARTER, 'when = "2025-Q3"', "condition = 'turn >= \"2025-Q3\"'")
    path = tmp_path / "myworld.toml"
    line = line_of(text, "condition = 'turn")
    assert reported(tmp_path, text) == [
        f"{path}:{line}:14: events[0].condition: at character 1: 'turn' is a number, not a quarter: "
        'to compare with "2025-Q3", write quarter >= "2025-Q3"'
    ]


def test_a_folder_asks_for_the_files_in_it(tmp_path: Path, run_cli: Callable[..., Any]) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    expected = f"{folder}:1:1: is a folder: give the .toml files in it (e.g. {folder}/*.toml)"
    with pytest.raises(ScenarioError) as caught:
        load_scenario(folder)
    assert [str(problem) for problem in caught.value.problems] == [expected]
    result = run_cli("validate", str(folder))  # what `circular validate bad` prints
    assert (result.returncode, result.stdout, result.stderr) == (1, "", expected + "\n")


# --- an id that is wrong itself -----------------------------------------------------------------


def test_a_firm_id_in_capitals_is_reported_once_not_at_every_reference(tmp_path: Path) -> None:
    """``id = "Vermilion"`` is one mistake: the references to "vermilion" (the id surely meant),
    in meta, commitments, options and conditions, are not reported again."""
    text = edit(STARTER, 'id = "vermilion"', 'id = "Vermilion"')
    text = edit(text, 'when = "2025-Q3"                 #', "condition = 'cash(\"vermilion\") > 1 bn' #")
    path, line = tmp_path / "myworld.toml", line_of(text, 'id = "Vermilion"')
    assert reported(tmp_path, text) == [
        f"{path}:{line}:1: firms[3].id: must be lower-case letters, digits "
        "and _, starting with a letter (got 'Vermilion')"
    ]


def test_did_you_mean_never_suggests_an_id_that_is_wrong_itself(tmp_path: Path) -> None:
    text = edit(STARTER, 'id = "vermilion"', 'id = "Vermilion"')
    text = edit(text, 'seller = "south"', 'seller = "vermillion"')
    text = edit(text, 'when = "2025-Q3"                 #', "condition = 'cash(\"vermillion\") > 1 bn' #")
    lines = reported(tmp_path, text)
    assert len(lines) == 3 and lines[0].endswith("(got 'Vermilion')")
    assert lines[1].endswith("commitments[1].seller: unknown firm 'vermillion'")
    assert lines[2].endswith("events[0].condition: at character 6: unknown firm 'vermillion'")


@pytest.mark.parametrize(
    ("default", "extra", "message"),
    [
        (5, "", "choice 5 does not exist; choices count from 0: 0 = 'Pay for priority', 1 = 'Wait it out'"),
        (
            3,
            '\n[[events.choices]]\nlabel = "Sell"\n',
            "choice 3 does not exist; choices count from 0: 0 = 'Pay for priority', 1 = 'Wait it out', "
            "2 = 'Sell'",
        ),
    ],
    ids=["two-choices", "three-choices"],
)
def test_a_default_choice_that_does_not_exist_is_reported_at_the_key(
    tmp_path: Path, default: int, extra: str, message: str
) -> None:
    text = edit(STARTER, "default_choice = 0 ", f"default_choice = {default} ")
    text = edit(text, "\n# An event can also fire", extra + "\n# An event can also fire")
    path = tmp_path / "myworld.toml"
    line = line_of(text, "default_choice = ")
    assert reported(tmp_path, text) == [f"{path}:{line}:1: events[0].default_choice: {message}"]


def test_one_choice_is_the_mistake_reported_not_the_default_past_it(tmp_path: Path) -> None:
    """With one choice, default_choice = 1 would be right once the second is written: the
    missing choice is reported, and no "there are 1 choices:  or 0"."""
    second = STARTER.index("[[events.choices]]", STARTER.index("[[events.choices]]") + 1)
    text = STARTER[:second] + STARTER[STARTER.index("# An event can also") :]
    text = edit(text, "default_choice = 0 ", "default_choice = 1 ")
    path = tmp_path / "myworld.toml"
    line = line_of(text, "[[events.choices]]")
    assert reported(tmp_path, text) == [
        f"{path}:{line}:1: events[0].choices: an event that asks a question needs at least two choices; "
        "this one has 1"
    ]


def test_a_default_choice_without_choices_says_so(tmp_path: Path) -> None:
    text = STARTER[: STARTER.index("[[events.choices]]")] + STARTER[STARTER.index("# An event can also") :]
    text = edit(text, 'chooser = "north"', "")
    path = tmp_path / "myworld.toml"
    line = line_of(text, "default_choice = ")
    assert reported(tmp_path, text) == [
        f"{path}:{line}:1: events[0].default_choice: the event has no choices to default to"
    ]


# --- one firm on both sides ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("effect", "message"),
    [
        (
            '{ do = "invest", investor = "north", firm = "north", cash = "1 bn" }',
            "'north' cannot invest in itself",
        ),
        (
            '{ do = "set_stake", holder = "north", firm = "north", share = 0.3 }',
            "'north' cannot hold a stake in itself",
        ),
        (
            '{ do = "option", holder = "north", firm = "north", amount = "1 bn", valuation = "5 bn", '
            'deadline = "2025-Q4" }',
            "'north' cannot hold an option on itself",
        ),
        (
            '{ do = "commit", buyer = "north", seller = "north", total = "1 bn", quarters = 4 }',
            "'north' cannot buy from itself",
        ),
        ('{ do = "cancel", buyer = "north", seller = "north" }', "'north' cannot buy from itself"),
    ],
    ids=["invest", "set_stake", "option", "commit", "cancel"],
)
def test_an_effect_cannot_give_a_firm_a_stake_in_itself(tmp_path: Path, effect: str, message: str) -> None:
    """Effects are refused as the [[stakes]], [[options]] and [[commitments]] tables are, by
    the same check: the engine would otherwise make a firm own or pay itself."""
    old = '{ do = "market", field = "demand_growth", add = -0.01 }'
    text = edit(STARTER, old, effect)
    path = tmp_path / "myworld.toml"
    line = line_of(text, "effects = [{ do = ")
    assert reported(tmp_path, text) == [f"{path}:{line}:12: events[0].effects[0]: {message}"]


def test_the_tables_refuse_one_firm_on_both_sides_in_the_same_words(tmp_path: Path) -> None:
    text = edit(STARTER, 'holder = "north"\nfirm = "obsidian"', 'holder = "obsidian"\nfirm = "obsidian"')
    text = edit(text, 'buyer = "south"\nseller = "forge"', 'buyer = "forge"\nseller = "forge"')
    text = edit(text, 'holder = "south"\nfirm = "vermilion"', 'holder = "vermilion"\nfirm = "vermilion"')
    assert [line.split(": ", 1)[1] for line in reported(tmp_path, text)] == [
        "stakes[0]: 'obsidian' cannot hold a stake in itself",
        "commitments[2]: 'forge' cannot buy from itself",
        "options[0]: 'vermilion' cannot hold an option on itself",
    ]


# --- accepted silently before -------------------------------------------------------------------


def test_a_chooser_without_choices_is_reported_at_the_chooser(tmp_path: Path) -> None:
    text = STARTER[: STARTER.index("[[events.choices]]")] + STARTER[STARTER.index("# An event can also") :]
    text = edit(text, "default_choice = 0 ", "")
    path = tmp_path / "myworld.toml"
    assert reported(tmp_path, text) == [
        f"{path}:{line_of(text, 'chooser = ')}:1: events[0].chooser: 'chooser' is the firm that picks one "
        "of the event's choices, but it has none"
    ]


def test_a_difficulty_id_and_a_playable_firm_given_twice_are_reported(tmp_path: Path) -> None:
    difficulties = (
        '[[meta.difficulties]]\nid = "hard"\nlabel = "Hard"\n\n'
        '[[meta.difficulties]]\nid = "hard"\nlabel = "Harder"\n'
    )
    text = edit(STARTER, "# Optional presets offered on the title screen:\n", difficulties)
    text = edit(text, 'playable = ["north", "vermilion"]', 'playable = ["north", "vermilion", "north"]')
    path = tmp_path / "myworld.toml"
    playable = line_of(text, "playable = ")
    first = line_of(text, 'id = "hard"')
    second = line_of(text, 'id = "hard"', first)
    assert reported(tmp_path, text) == [
        f"{path}:{playable}:35: meta.playable[2]: 'north' is listed twice (first at line {playable})",
        f"{path}:{second}:1: meta.difficulties[1].id: two difficulties have the id 'hard' "
        f"(first at line {first})",
    ]


def test_a_commitment_of_nothing_is_refused(tmp_path: Path) -> None:
    text = edit(STARTER, 'total = "4 bn"\nquarters = 4', "total = 0\nquarters = 4")
    text = edit(text, 'total = "3 bn", quarters = 4', 'total = "0 bn", quarters = 4')
    lines = reported(tmp_path, text)
    assert [line.split(": ", 1)[1] for line in lines] == [
        "commitments[2].total: must be more than 0 (got 0)",
        "events[0].choices[0].effects[0].total: must be more than 0 (got '0 bn')",
    ]


def test_target_in_capitals_suggests_the_placeholder(tmp_path: Path) -> None:
    text = edit(STARTER, 'firm = "north", field = "capacity"', 'firm = "Target", field = "capacity"')
    text = edit(text, 'chooser = "north"', 'target = "north"\nchooser = "north"')
    (line,) = reported(tmp_path, text)
    assert line.endswith(
        "events[0].choices[1].effects[0].firm: unknown firm 'Target' (did you mean 'target'?)"
    )
