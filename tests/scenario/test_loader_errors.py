"""Scenario files with mistakes: always a ``ScenarioError`` listing problems with their
positions (``file:line:col: message``), never another exception; and the positions walker
(``positions.py``) on the TOML shapes authors write."""

from __future__ import annotations

import re
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import tomli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.scenario.loader import (
    MAX_FILE_BYTES,
    LoadedScenario,
    Problem,
    ScenarioError,
    load_scenario,
    parse_scenario,
)
from game.scenario.model import AMOUNT_FIELDS, NUMBER_RANGES, FirmField, MarketField, Scenario
from game.scenario.positions import locate

CONDITION = """condition = 'quarter >= "2024-Q2" and valuation("chipco") > 1bn'"""


def problems_of(data: str | bytes, filename: str = "x.toml") -> list[Problem]:
    """The problems reported for ``data``, checked for shape."""
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(data, filename)
    problems = caught.value.problems
    assert problems, "a ScenarioError without problems"
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    lines = max(1, text.count("\n") + 1)
    for problem in problems:
        assert problem.file == filename
        assert 1 <= problem.line <= lines and problem.column >= 1
        assert problem.message and "\n" not in problem.message
        assert str(problem) == f"{filename}:{problem.line}:{problem.column}: {problem.message}"
    assert str(caught.value) == "\n".join(str(p) for p in problems)
    return problems


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def line_of(text: str, start: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.lstrip().startswith(start))


def edit(source: str, old: str, new: str) -> str:
    assert source.count(old) == 1, old
    return source.replace(old, new)


@pytest.fixture(scope="module")
def source(mini_path: Path) -> str:
    return mini_path.read_text(encoding="utf-8")


def test_mini_is_valid(source: str) -> None:
    scenario = parse_scenario(source, "mini.toml")
    assert isinstance(scenario, Scenario) and scenario.meta.id == "mini"


# --- syntax ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("quarters = 8\nseed", "quarters = = 8\nseed"),
        ('title = "Mini world"', 'title = "Mini world'),
        ("[market]", "[market"),
        ('[[firms]]\nid = "chipco"', '[[firms]\nid = "chipco"'),
    ],
    ids=["double-equals", "unterminated-string", "open-header", "open-array-header"],
)
def test_malformed_toml_reports_tomlis_line_and_column(source: str, old: str, new: str) -> None:
    text = edit(source, old, new)
    with pytest.raises(tomli.TOMLDecodeError) as syntax:
        tomli.loads(text)
    problem = only(problems_of(text))
    assert (problem.line, problem.column) == (syntax.value.lineno, syntax.value.colno)
    assert problem.message.startswith("not valid TOML: ")
    assert "(at line" not in problem.message  # the position is not repeated in the message


@pytest.mark.parametrize(
    ("old", "new", "column", "message"),
    [
        (
            'kind = "chipmaker"',
            "kind = chipmaker",
            8,
            'Invalid value (text needs quotes: kind = "chipmaker")',
        ),
        ('name = "Red Lab"', "name = “Red Lab”", 8, 'Invalid value (use straight quotes: name = "Red Lab")'),
        (
            'cash = "20 bn"',
            "cash = 20 bn  # a comment",
            11,
            "Expected newline or end of document after a statement "
            '(write an amount as a number or as text in quotes: cash = "20 bn")',
        ),
        (
            "share = 0.2",
            "share = 20%",
            11,
            "Expected newline or end of document after a statement (shares are fractions: share = 0.2)",
        ),
        (
            'start = "2024-Q1"',
            "start = 2024-Q1",
            13,
            'Expected newline or end of document after a statement (quarters need quotes: start = "2024-Q1")',
        ),
        (
            'demand = "2 bn"',
            "demand = { x = 2 bn }",
            18,
            'Unclosed inline table (write an amount as a number or as text in quotes: x = "2 bn")',
        ),
        (
            'playable = ["cloudco", "redlab"]',
            'playable = [cloudco, "redlab"]',
            13,
            'Invalid value (text needs quotes: "cloudco")',
        ),
        ("quarters = 8\nseed", "quarters = -\nseed", 12, "Invalid value"),  # no hint would fit
    ],
    ids=["text", "smart-quotes", "amount", "percent", "quarter", "inline-table", "list", "no-hint"],
)
def test_a_value_toml_cannot_read_gets_a_hint_when_it_is_a_common_slip(
    source: str, old: str, new: str, column: int, message: str
) -> None:
    """tomli says only "Invalid value" or "Expected newline ...": for text, a quarter or an
    amount written without quotes, curly quotes and percentages, the message says what to
    write, at tomli's line and column."""
    text = edit(source, old, new)
    problem = only(problems_of(text))
    assert (problem.line, problem.column) == (line_of(text, new.split("\n")[0]), column)
    assert problem.message == f"not valid TOML: {message}"


def test_a_hint_reads_a_list_written_over_several_lines(source: str) -> None:
    """An item on a line of its own ends at its comma; a list that is never closed gets no
    hint about the next line, which is not the mistake, but the line where it opened."""
    text = edit(source, 'playable = ["cloudco", "redlab"]', 'playable = [\n  cloudco,\n  "redlab",\n]')
    problem = only(problems_of(text))
    assert (problem.line, problem.column) == (line_of(text, "cloudco,"), 3)
    assert problem.message == 'not valid TOML: Invalid value (text needs quotes: "cloudco")'
    text = edit(source, 'playable = ["cloudco", "redlab"]', 'playable = ["cloudco", "redlab"')
    opened = line_of(text, "playable = ")
    assert only(problems_of(text)).message == (
        f"not valid TOML: the [ ... ] list opened at line {opened} is not closed: add its ']'"
    )


@pytest.mark.parametrize(
    ("old", "new", "again", "first", "message"),
    [
        ("seed = 7\n", "seed = 7\n  seed = 8\n", "seed = 8", "seed = 7", "'seed' is set twice"),
        (
            'name = "Red Lab"',
            'name = "Red Lab"\nname = "Again"',
            'name = "Again',
            'name = "Red',
            "'name' is set twice",
        ),
        ("[market]\n", "[market]\n[market]\n", "market]", "[market]", "the table [market] is declared twice"),
    ],
    ids=["key", "key-in-array-of-tables", "table"],
)
def test_a_key_set_twice_is_named_where_it_is_set_again(
    source: str, old: str, new: str, again: str, first: str, message: str
) -> None:
    """tomli says only "Cannot overwrite a value" (at the end of the line): the key, at its own
    column, and the line where it was set first."""
    text = edit(source, old, new)
    rows = text.splitlines()
    line = next(n for n, row in enumerate(rows, 1) if again in row and n != line_of(text, first))
    problem = only(problems_of(text))
    assert (problem.line, problem.column) == (line, rows[line - 1].index(again) + 1)
    assert problem.message == f"not valid TOML: {message} (first at line {line_of(text, first)})"


def test_a_dotted_key_under_a_value_says_which_value(source: str) -> None:
    text = edit(source, "demand_growth = 0.08\n", "demand_growth = 0.08\ndemand.low = 1\n")
    problem = only(problems_of(text))
    assert (problem.line, problem.column) == (line_of(text, "demand.low"), 1)
    assert problem.message == (
        f"not valid TOML: 'demand' is set to a value at line {line_of(text, 'demand = ')}, "
        "so 'demand.low' cannot be set"
    )


def test_not_utf8_reports_the_line_of_the_bad_byte(source: str) -> None:
    data = source.encode("utf-8").replace(b'name = "Red Lab"', b'name = "R\xe9d Lab"')
    problem = only(problems_of(data))
    assert problem.line == line_of(source, 'name = "Red Lab"')
    assert "not UTF-8" in problem.message
    surrogate = source.replace("Red Lab", "Red \udcff Lab", 1)  # text that cannot be encoded
    assert "not UTF-8" in only(problems_of(surrogate)).message


def test_file_over_one_megabyte_is_refused_before_parsing(source: str) -> None:
    padding = "#" + "x" * 120 + "\n"
    big = source + padding * (MAX_FILE_BYTES // len(padding) + 1)
    assert len(big.encode()) > MAX_FILE_BYTES
    problem = only(problems_of(big))
    assert (problem.line, problem.column) == (1, 1) and "larger than" in problem.message


@pytest.mark.parametrize(
    "nested",
    [
        "a = " + "[" * 5000 + "]" * 5000,
        "a = " + "{ b = " * 5000 + "1" + " }" * 5000,
        "a = " + "[{ b = " * 2500 + "1" + " }]" * 2500,
    ],
    ids=["arrays", "inline-tables", "mixed"],
)
def test_deeply_nested_values_are_refused_cleanly(nested: str) -> None:
    assert "nested too deeply" in only(problems_of(nested)).message


@pytest.mark.parametrize("depth", [100, 400, 700, 900])
def test_nesting_just_inside_the_limits_is_reported_not_crashed(source: str, depth: int) -> None:
    for value in ("[" * depth + "]" * depth, "{ b = " * depth + "1" + " }" * depth):
        problems_of(edit(source, "[market]\n", f"[market]\nnested = {value}\n"))


# --- structure and values -------------------------------------------------------------------


def test_unknown_key_suggests_the_right_one(source: str) -> None:
    text = edit(source, "multiple = 8\n", "multple = 8\n")
    problem = only(problems_of(text))
    assert (problem.line, problem.column) == (line_of(text, "multple"), 1)
    assert problem.message == "firms[0]: unknown key 'multple' (did you mean 'multiple'?)"


@pytest.mark.parametrize(
    ("old", "new", "key", "suggestion"),
    [
        ("[market]", "[markte]", "markte", "market"),
        ("demand_growth = 0.08", "demand_grwoth = 0.08", "demand_grwoth", "demand_growth"),
        ('label = "Decline"', 'label = "Decline"\nlabl = "No"', "labl", "label"),
        ('field = "demand"', 'feild = "demand"', "feild", "field"),
        ('deadline = "2024-Q4"', 'deadlin = "2024-Q4"', "deadlin", "deadline"),
    ],
    ids=["top-level", "market", "choice", "effect", "option"],
)
def test_unknown_keys_everywhere(source: str, old: str, new: str, key: str, suggestion: str) -> None:
    text = edit(source, old, new)
    unknown = [p for p in problems_of(text) if f"unknown key '{key}'" in p.message]
    assert len(unknown) == 1
    assert f"(did you mean '{suggestion}'?)" in unknown[0].message
    line = text.splitlines()[unknown[0].line - 1]
    assert line[unknown[0].column - 1 :].lstrip("[").startswith(key)


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ('firm = "redlab"', "unknown key 'firm'; a 'market' effect takes do, field, multiply and add"),
        ("mutliply = 2", "unknown key 'mutliply' (did you mean 'multiply'?)"),
    ],
)
def test_an_effects_unknown_key_is_judged_by_its_own_kind(source: str, key: str, message: str) -> None:
    """A market effect has no 'firm' (an adjust does): no "did you mean 'firm'?" drawn from
    every kind of effect's keys, but the keys a market effect takes."""
    text = edit(source, 'field = "demand", multiply = 1.2', f'field = "demand", {key}')
    problem = only(problems_of(text))
    assert problem.message == f"events[0].effects[0]: {message}"


def test_unknown_firm_suggests_the_right_one(source: str) -> None:
    text = edit(source, 'holder = "cloudco"\nfirm = "blacklab"', 'holder = "cloudc"\nfirm = "blacklab"')
    problem = only(problems_of(text))
    assert problem.line == line_of(text, 'holder = "cloudc"')
    assert problem.message == "stakes[0].holder: unknown firm 'cloudc' (did you mean 'cloudco'?)"


def test_unknown_firm_inside_an_effect(source: str) -> None:
    text = edit(source, 'seller = "chipco", total', 'seller = "chipcoo", total')
    problem = only(problems_of(text))
    assert problem.message.startswith("events[1].choices[0].effects[0].seller: unknown firm 'chipcoo'")
    line = text.splitlines()[problem.line - 1]
    assert line[problem.column - 1 :].startswith("seller")


def test_wrong_type_names_the_value(source: str) -> None:
    text = edit(source, "quarters = 8\nseed", 'quarters = "eight"\nseed')
    problem = only(problems_of(text))
    assert problem.line == line_of(text, 'quarters = "eight"')
    assert problem.message == "meta.quarters: must be a whole number (got 'eight')"


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ('cash = "3 bn"', "cash = -3e9", "firms[3].cash"),
        ('cash = "3 bn"', 'cash = "-3 bn"', "firms[3].cash"),
        ('cash = "3 bn"', "cash = nan", "firms[3].cash"),
        ('cash = "3 bn"', "cash = inf", "firms[3].cash"),
        ("demand_growth = 0.08", "demand_growth = nan", "market.demand_growth"),
        ("demand_growth = 0.08", "demand_growth = -inf", "market.demand_growth"),
        ("share = 0.2", "share = nan", "stakes[0].share"),
        ('personality = "aggressive"', "personality = { appetite = nan }", "firms[1].personality.appetite"),
        ("multiply = 1.2", "multiply = nan", "events[0].effects[0].multiply"),
        ('cash = "3 bn"', 'cash = "3 zillion"', "firms[3].cash"),
        ('cash = "3 bn"', "cash = true", "firms[3].cash"),
        ("capability = 1.0", "capability = 0.0", "firms[3].capability"),
    ],
    ids=[
        "negative-cash",
        "negative-cash-text",
        "nan-cash",
        "inf-cash",
        "nan-growth",
        "minus-inf-growth",
        "nan-stake",
        "nan-trait",
        "nan-effect",
        "unknown-unit",
        "bool-cash",
        "lab-without-capability",
    ],
)
def test_bad_numbers_are_refused_where_they_are(source: str, old: str, new: str, where: str) -> None:
    text = edit(source, old, new)
    problem = only(problems_of(text))
    assert problem.message.startswith(f"{where}: ")
    assert new in text.splitlines()[problem.line - 1]


@pytest.mark.parametrize(
    ("add", "expected"),
    [
        ('"2 bn"', 2e9),
        ('"-1 bn"', -1e9),
        ('"-$600 m"', -6e8),
        ('"1,500 m"', 1.5e9),
        ("-0.02", -0.02),
        ("-1", -1.0),
    ],
)
def test_an_effects_add_may_be_money_text(source: str, add: str, expected: float) -> None:
    """``add`` reads amounts as every other amount does (parse_money), a minus included."""
    text = edit(
        source,
        '{ do = "market", field = "demand", multiply = 1.2 }',
        f'{{ do = "market", field = "demand", add = {add} }}',
    )
    grant = f'{{ do = "adjust", firm = "redlab", field = "cash", add = {add} }}'
    text += f'\n[[events]]\nid = "grant"\nheadline = "G"\nwhen = "2024-Q2"\neffects = [{grant}]\n'
    events = parse_scenario(text, "mini.toml").events
    assert events[0].effects[0].add == events[-1].effects[0].add == expected


@pytest.mark.parametrize(
    ("add", "message"),
    [
        (
            '"1,5 bn"',
            "cannot read '1,5 bn': a comma only separates thousands (1,500); for a decimal write 1.5 bn",
        ),
        ('"two bn"', "cannot read 'two bn' as money"),
        ("true", "must be a number (got true)"),
        ('"2000 tn"', "must be 1,000 tn or less (got '2000 tn')"),
    ],
    ids=["decimal-comma", "words", "bool", "too-large"],
)
def test_an_effects_add_refuses_what_other_amounts_refuse(source: str, add: str, message: str) -> None:
    text = edit(source, "multiply = 1.2 }", f"add = {add} }}")
    problem = only(problems_of(text))
    assert problem.message.startswith(f"events[0].effects[0].add: {message}")
    assert problem.line == line_of(text, 'effects = [{ do = "market"')


@pytest.mark.parametrize(
    ("effect", "message"),
    [
        (
            'do = "market", field = "demand_growth", add = "2 bn"',
            "demand_growth is not an amount of money: write add as a number (got '2 bn')",
        ),
        (
            'do = "adjust", firm = "redlab", field = "revenue_growth", add = "1 bn"',
            "revenue_growth is not an amount of money: write add as a number (got '1 bn')",
        ),
        (
            'do = "market", field = "demand_growth", add = 3',
            "must be between -2.5 and 2.5 for demand_growth, which a file sets between -0.5 and 2 (got 3)",
        ),
        (
            'do = "market", field = "sentiment", add = -7',
            "must be between -6 and 6 for sentiment, which a file sets between -3 and 3 (got -7)",
        ),
    ],
    ids=["market-text", "adjust-text", "market-range", "sentiment-range"],
)
def test_an_effect_on_a_number_that_is_no_amount_takes_a_number_in_its_range(
    source: str, effect: str, message: str
) -> None:
    """ "2 bn" added to demand_growth was read as 2e9 and grew demand without end: text is for
    amounts, and a number moves by at most the width of the range a file may give it."""
    text = edit(source, 'do = "market", field = "demand", multiply = 1.2', effect)
    problem = only(problems_of(text))
    assert problem.message == f"events[0].effects[0].add: {message}"


@pytest.mark.parametrize(
    ("effect", "field", "add"),
    [
        ('do = "market", field = "sentiment", add = 0.15', "sentiment", 0.15),
        ('do = "market", field = "demand", add = "-1 bn"', "demand", -1e9),
    ],
)
def test_an_effect_within_its_fields_range_is_read(source: str, effect: str, field: str, add: float) -> None:
    scenario = parse_scenario(edit(source, 'do = "market", field = "demand", multiply = 1.2', effect))
    read = scenario.events[0].effects[0]
    assert (read.do, read.field, read.add, read.multiply) == ("market", field, add, 1.0)


def test_every_number_an_effect_may_change_is_an_amount_or_has_a_range() -> None:
    fields = {*typing.get_args(FirmField), *typing.get_args(MarketField)}
    assert fields - AMOUNT_FIELDS == set(NUMBER_RANGES)


def test_stakes_over_100_percent(source: str) -> None:
    extra = '[[stakes]]\nholder = "skyhost"\nfirm = "blacklab"\nshare = 0.85\n\n[[commitments]]'
    text = source.replace("[[commitments]]", extra, 1)
    problem = only(problems_of(text))
    assert problem.message.startswith("stakes[1]: stakes in 'blacklab' add up to 105%")
    assert problem.line == line_of(text, 'holder = "skyhost"') - 1  # the stake that crosses 99%


@pytest.mark.parametrize(
    ("shares", "total"),
    [((0.995,), "99.5"), ((0.2, 0.79), "99"), ((0.3, 0.695), "99.5"), ((0.5, 0.4999), "99.99")],
)
def test_stakes_over_the_whole_show_their_true_total(
    source: str, shares: tuple[float, ...], total: str
) -> None:
    """The total shown is the total written: 0.995 is 99.5%, not a rounded 100%."""
    holders = ("skyhost", "chipco")
    extra = "".join(
        f'[[stakes]]\nholder = "{holder}"\nfirm = "redlab"\nshare = {share}\n\n'
        for holder, share in zip(holders, shares, strict=False)
    )
    text = source.replace("[[commitments]]", extra + "[[commitments]]", 1)
    problem = only(problems_of(text))
    assert problem.message == (
        f"stakes[{len(shares)}]: stakes in 'redlab' add up to {total}%; "
        "outside shareholders must keep more than 1%"
    )


def test_reversion_stays_below_1(source: str) -> None:
    """Brock-Hommes fundamentalists expect v times today's mispricing: v = 1 is no reversion
    at all, so the model (docs/model.md: 0 <= v < 1) refuses it."""
    text = edit(source, "[market]\n", "[market]\nreversion = 1\n")
    problem = only(problems_of(text))
    assert (problem.line, problem.message) == (
        line_of(text, "reversion"),
        "market.reversion: must be less than 1 (got 1)",
    )
    assert parse_scenario(edit(source, "[market]\n", "[market]\nreversion = 0.99\n")).market.reversion == 0.99


@pytest.mark.parametrize("quarter", ["2024-Q5", "Q1 2024", "2024-Q0", "1066-Q4", "2024Q1", ""])
def test_bad_quarter(source: str, quarter: str) -> None:
    text = edit(source, 'start = "2024-Q1"', f'start = "{quarter}"')
    problem = only(problems_of(text))
    assert problem.message.startswith("meta.start: ")
    assert problem.line == line_of(text, "start = ")


def test_condition_typo_points_inside_the_string(source: str) -> None:
    text = edit(source, 'valuation("chipco") > 1bn', 'valuaton("chipco") > 1bn')
    problem = only(problems_of(text))
    line = text.splitlines()[problem.line - 1]
    assert line.startswith("condition = ")
    assert line[problem.column - 1 :].startswith('valuaton("chipco")')
    assert "unknown metric 'valuaton' (did you mean 'valuation'?)" in problem.message


@pytest.mark.parametrize(
    "condition",
    ["(" * 60 + "1 > 0" + ")" * 60, "not " * 60 + "1 > 0", "-" * 200 + "1 > 0", "1" + " + 1" * 240 + " > 0"],
    ids=["parentheses", "not", "minus", "long-sum"],
)
def test_condition_too_deep_or_long_is_a_problem(source: str, condition: str) -> None:
    problem = only(problems_of(edit(source, CONDITION, f"condition = '{condition}'")))
    assert problem.message.startswith("events[1].condition: at character ")


def test_goal_condition_typo_points_inside_the_string(source: str) -> None:
    text = edit(source, "2 * start_valuation(me)", "2 * start_valuaton(me)")
    problem = only(problems_of(text))
    assert problem.message.startswith("goals.lab.win: ")
    assert text.splitlines()[problem.line - 1][problem.column - 1 :].startswith("start_valuaton(me)")


def test_event_dated_outside_the_game(source: str) -> None:
    text = edit(source, 'when = "2024-Q3"', 'when = "2030-Q3"')
    problem = only(problems_of(text))
    assert problem.message == "events[0].when: 2030-Q3 is outside the game (2024-Q1 to 2025-Q4)"
    assert (problem.line, problem.column) == (line_of(text, 'when = "2030-Q3"'), 1)


def test_a_commitment_starting_outside_the_game_is_reported_at_its_start(source: str) -> None:
    text = edit(source, 'total = "8 bn"\nquarters = 8', 'total = "8 bn"\nquarters = 8\nstart = "2023-Q4"')
    problem = only(problems_of(text))
    assert problem.message == "commitments[0].start: 2023-Q4 is outside the game (2024-Q1 to 2025-Q4)"
    assert (problem.line, problem.column) == (line_of(text, 'start = "2023-Q4"'), 1)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'seller = "cloudco"\ntotal = "8 bn"',
            'seller = "cloudco"\ntotal = "8 bn"\nkind = "chips"',
            "commitments[0].seller: 'cloudco' is a hyperscaler, but chips are sold by a chipmaker; "
            'for compute, write kind = "compute"',
        ),
        (
            'seller = "cloudco"\ntotal = "8 bn"',
            'seller = "chipco"\ntotal = "8 bn"',
            "commitments[0].seller: 'chipco' is a chipmaker, but compute is sold by a hyperscaler or "
            'neocloud; for chips, write kind = "chips"',
        ),
        (
            'seller = "cloudco"\ntotal = "8 bn"',
            'seller = "redlab"\ntotal = "8 bn"',
            "commitments[0].seller: 'redlab' is a lab, but compute is sold by a hyperscaler or neocloud",
        ),
    ],
    ids=["chips-from-a-cloud", "compute-from-a-chipmaker", "compute-from-a-lab"],
)
def test_a_seller_of_the_wrong_kind_is_reported_at_the_seller(
    source: str, old: str, new: str, message: str
) -> None:
    text = edit(source, old, new)
    problem = only(problems_of(text))
    assert problem.message == message
    assert (problem.line, problem.column) == (line_of(text, new.split("\n")[0]), 1)


def test_missing_goals(source: str) -> None:
    text = source[: source.index("[goals]")]
    assert only(problems_of(text)).message == "missing required key 'goals'"


def test_empty_file_lists_every_missing_table() -> None:
    messages = {p.message for p in problems_of("")}
    assert messages == {f"missing required key '{key}'" for key in ("meta", "firms", "goals")}


def test_several_mistakes_are_all_reported_in_file_order(source: str) -> None:
    text = edit(source, "multiple = 8\n", "multple = 8\n")
    text = edit(text, 'cash = "3 bn"', "cash = -3e9")
    text = edit(text, 'when = "2024-Q3"', 'when = "2030-Q3"')
    text = edit(text, 'valuation("chipco") > 1bn', 'valuaton("chipco") > 1bn')
    problems = problems_of(text)
    assert len(problems) == 4
    assert [(p.line, p.column) for p in problems] == sorted((p.line, p.column) for p in problems)


def test_load_scenario_reports_unreadable_files(tmp_path: Path) -> None:
    for reference, phrase in ((tmp_path / "none.toml", "no such file"), ("nosuchid", "no such scenario")):
        with pytest.raises(ScenarioError) as caught:
            load_scenario(reference)
        problem = only(caught.value.problems)
        assert phrase in problem.message and (problem.line, problem.column) == (1, 1)


def test_a_scenario_beside_the_player_is_named_like_a_bundled_one(
    tmp_path: Path, source: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "my_world.toml").write_text(source, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert load_scenario("my_world").path == "my_world.toml"  # `circular play my_world`
    assert load_scenario("history").path.endswith("scenarios/history.toml")  # bundled first


def test_load_scenario_from_a_file_keeps_the_exact_text(tmp_path: Path, source: str) -> None:
    path = tmp_path / "copy.toml"
    path.write_bytes(source.encode("utf-8"))
    loaded = load_scenario(path)
    assert isinstance(loaded, LoadedScenario)
    assert loaded.source == source and loaded.path == str(path)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_damage_gives_a_scenario_error_or_a_scenario(data: st.DataObject, source: str) -> None:
    """Cut, duplicate or overwrite a random piece of the file: never another exception."""
    text = source
    for _ in range(data.draw(st.integers(1, 3), label="edits")):
        start = data.draw(st.integers(0, len(text)), label="start")
        end = data.draw(st.integers(start, min(len(text), start + 40)), label="end")
        how = data.draw(st.sampled_from(["cut", "copy", "write"]), label="how")
        if how == "cut":
            text = text[:start] + text[end:]
        elif how == "copy":
            text = text[:start] + text[start:end] * 2 + text[end:]
        else:
            noise = data.draw(st.text(st.sampled_from("[]{}=\"'.,#\n 0aZ-_\\"), max_size=12), label="noise")
            text = text[:start] + noise + text[end:]
    try:
        parse_scenario(text, "damaged.toml")
    except ScenarioError:
        problems_of(text, "damaged.toml")


# --- positions.py ---------------------------------------------------------------------------

SAMPLE = '''# a comment with [brackets] and "quotes"
title = "x" # trailing [comment]
[meta]
id = "a"
"quoted key" = 1
'single quoted' = 2
site."google.com".rank = 3
text = """
multi [ ] { }
fake = "not a key"
"""
literal = \'\'\'
a = 'b' \\
\'\'\'
after = 5
path = 'C:\\dir\\'
escaped = "say \\"hi\\" = 1"
inline = { a = 1, b = { c = [1, 2, { d = 3 }] } }
array = [
  1, # one ]
  "two",
  [3, 4],
]

[[firms]]
id = "f0"
[[ firms ]]
id = "f1"
cash = 2
[firms.personality]
risk = 0.5

[[events]]
id = "e0"
[[events.choices]]
label = "A"
[[events.choices]]
label = "B"
effects = [{ do = "x", n = 1 }]
[[events]]
id = "e1"
[[events.choices]]
label = "C"
'''


@pytest.fixture(scope="module")
def sample() -> Any:
    tomli.loads(SAMPLE)  # the walker only runs on files tomli accepts
    return locate(SAMPLE)


KEYS = {
    ("title",): (2, 1),
    ("meta",): (3, 1),
    ("meta", "id"): (4, 1),
    ("meta", "quoted key"): (5, 1),
    ("meta", "single quoted"): (6, 1),
    ("meta", "site"): (7, 1),
    ("meta", "site", "google.com"): (7, 1),
    ("meta", "site", "google.com", "rank"): (7, 1),
    ("meta", "text"): (8, 1),
    ("meta", "literal"): (12, 1),
    ("meta", "after"): (15, 1),
    ("meta", "path"): (16, 1),
    ("meta", "escaped"): (17, 1),
    ("meta", "inline"): (18, 1),
    ("meta", "inline", "a"): (18, 12),
    ("meta", "inline", "b"): (18, 19),
    ("meta", "inline", "b", "c"): (18, 25),
    ("meta", "inline", "b", "c", 2, "d"): (18, 38),
    ("meta", "array"): (19, 1),
    ("meta", "array", 0): (20, 3),
    ("meta", "array", 1): (21, 3),
    ("meta", "array", 2): (22, 3),
    ("meta", "array", 2, 1): (22, 7),
    ("firms",): (25, 1),
    ("firms", 0): (25, 1),
    ("firms", 0, "id"): (26, 1),
    ("firms", 1): (27, 1),
    ("firms", 1, "id"): (28, 1),
    ("firms", 1, "cash"): (29, 1),
    ("firms", 1, "personality"): (30, 1),
    ("firms", 1, "personality", "risk"): (31, 1),
    ("events", 0): (33, 1),
    ("events", 0, "id"): (34, 1),
    ("events", 0, "choices", 0): (35, 1),
    ("events", 0, "choices", 0, "label"): (36, 1),
    ("events", 0, "choices", 1): (37, 1),
    ("events", 0, "choices", 1, "label"): (38, 1),
    ("events", 0, "choices", 1, "effects", 0, "do"): (39, 14),
    ("events", 0, "choices", 1, "effects", 0, "n"): (39, 24),
    ("events", 1): (40, 1),
    ("events", 1, "id"): (41, 1),
    ("events", 1, "choices", 0): (42, 1),
    ("events", 1, "choices", 0, "label"): (43, 1),
}


@pytest.mark.parametrize(("path", "position"), list(KEYS.items()), ids=[".".join(map(str, k)) for k in KEYS])
def test_positions_of_keys(sample: Any, path: tuple[str | int, ...], position: tuple[int, int]) -> None:
    assert sample.keys.get(path) == position
    written = SAMPLE.splitlines()[position[0] - 1][position[1] - 1 :]
    last = path[-1]
    expected = (f"{last}", f'"{last}"', f"'{last}'", "[", "site.") if isinstance(last, str) else ("[", "")
    assert written.startswith(expected), written


def test_positions_of_values(sample: Any) -> None:
    lines = SAMPLE.splitlines()

    def text_at(path: tuple[str | int, ...]) -> str:
        line, column = sample.of_value(path)
        return lines[line - 1][column - 1 :]

    assert text_at(("title",)).startswith('"x"')
    assert text_at(("meta", "text")).startswith('"""')
    assert text_at(("meta", "after")).startswith("5")
    assert text_at(("meta", "path")).startswith("'C:")
    assert text_at(("meta", "escaped")).startswith('"say')
    assert text_at(("meta", "inline", "b", "c", 1)).startswith("2")
    assert text_at(("events", 0, "choices", 1, "effects", 0, "n")).startswith("1 }")
    assert sample.of_value(("meta",)) is None  # a table has no value position


def test_strings_and_comments_hide_fake_keys(sample: Any) -> None:
    assert set(sample.keys) == set(KEYS) | {
        ("events",),
        ("events", 0, "choices"),
        ("events", 0, "choices", 1, "effects"),
        ("events", 0, "choices", 1, "effects", 0),
        ("events", 1, "choices"),
        ("meta", "inline", "b", "c", 0),
        ("meta", "inline", "b", "c", 1),
        ("meta", "inline", "b", "c", 2),
        ("meta", "array", 2, 0),
    }


def test_unknown_path_falls_back_to_the_nearest_ancestor(sample: Any) -> None:
    assert sample.of_key(("firms", 1, "personality", "nope")) == (30, 1)
    assert sample.of_key(("events", 0, "choices", 1, "effects", 0, "zzz")) == (39, 12)
    assert sample.of_key(("nothing", "here")) == (1, 1)
    assert sample.of_key(()) == (1, 1)


def test_crlf_and_tabs(source: str) -> None:
    text = source.replace("\n", "\r\n").replace("multiple = 8", "\t multple = 8")
    problem = only(problems_of(text))
    assert (problem.line, problem.column) == (line_of(source, "multiple = 8"), 3)


def leaf_paths(value: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaf_paths(item, (*path, key))
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        for index, item in enumerate(value):
            yield from leaf_paths(item, (*path, index))
    else:
        yield path


@pytest.mark.parametrize("name", ["mini", "history", "tutorial", "bubble"])
def test_every_key_of_real_scenarios_is_found(
    name: str, source: str, bundled: Callable[[str], LoadedScenario]
) -> None:
    text = source if name == "mini" else bundled(name).source
    positions = locate(text)
    lines = text.splitlines()
    for path in leaf_paths(tomli.loads(text)):
        assert path in positions.keys, path
        line, column = positions.keys[path]
        key = str(path[-1])
        written = lines[line - 1][column - 1 :]
        assert re.match(rf"""["']?{re.escape(key)}|[\w"'-]+\s*\.""", written), (path, written)
        assert positions.of_value(path) is not None, path


# --- bugs -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "condition",
    [
        '''condition = """quarter >= "2024-Q2" and valuaton("chipco") > 1bn"""''',
        """condition = "quarter >= \\"2024-Q2\\" and valuaton(\\"chipco\\") > 1bn\"""",
        '''condition = """
quarter >= "2024-Q2" and
  valuaton("chipco") > 1bn"""''',
    ],
    ids=["triple-quoted", "escaped-quotes", "multi-line"],
)
def test_condition_typo_position_in_other_string_forms(source: str, condition: str) -> None:
    text = edit(source, CONDITION, condition)
    problem = only(problems_of(text))
    assert text.splitlines()[problem.line - 1][problem.column - 1 :].startswith("valuaton(")


def test_problem_in_a_dotted_key_points_at_its_line(source: str) -> None:
    text = edit(
        source, 'playable = ["cloudco", "redlab"]', 'playable = ["cloudco", "redlab"]\nmarket.demand = 1'
    )
    problem = only(problems_of(text))
    assert problem.message == "meta: unknown key 'market'"
    assert problem.line == line_of(text, "market.demand")


def test_problem_in_an_escaped_quoted_key_points_at_its_line(source: str) -> None:
    text = edit(source, "multiple = 8\n", '"mult\\u0070e" = 8\n')
    problem = only(problems_of(text))
    assert "unknown key 'multpe'" in problem.message
    assert problem.line == line_of(text, '"mult')
