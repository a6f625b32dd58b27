"""game/money.py: the one place that reads amounts, for scenario authors and players."""

from __future__ import annotations

import pytest

from game.money import amount_words, comma_problem, format_holding, format_money, parse_money


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1.25 bn", 1.25e9),
        ("$350bn", 350e9),
        ("600 m", 600e6),
        ("1,500 m", 1.5e9),
        ("12,000,000", 12e6),
        ("1,250.5 m", 1250.5e6),
        ("1_000 m", 1e9),
        (".5 bn", 0.5e9),
        ("-40 m", -40e6),
    ],
)
def test_amounts_in_words(text: str, amount: float) -> None:
    assert parse_money(text) == pytest.approx(amount)


def test_a_bare_number_is_worth_what_the_reader_says() -> None:
    assert parse_money("2") == 2.0  # scenario files: the money unit
    assert parse_money("2", bare=1e9) == 2e9  # players: billions
    assert parse_money("2 m", bare=1e9) == 2e6  # a unit always wins


@pytest.mark.parametrize(
    ("text", "advice"),
    [
        ("1,5", "write 1.5"),
        ("1,5 bn", "write 1.5 bn"),
        ("2,75", "write 2.75"),
        ("1,5000", "write 1.5000"),
        ("12345,678", "write 12345.678"),
        ("1.500,5", "like 1.5"),
        ("1,50,000", "like 1.5"),
    ],
)
def test_a_comma_that_does_not_group_thousands_is_refused_not_guessed(text: str, advice: str) -> None:
    problem = comma_problem(text)
    assert problem is not None and "separates thousands" in problem and advice in problem
    with pytest.raises(ValueError, match="separates thousands"):
        parse_money(text)


@pytest.mark.parametrize("text", ["1,500", "$12,000,000 m", "2.5", "no commas here"])
def test_thousands_separators_are_no_problem(text: str) -> None:
    assert comma_problem(text) is None


@pytest.mark.parametrize("text", ["1.2.3", "inf", "2 zillion", "1e999", ""])
def test_unreadable_amounts_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_money(text)


@pytest.mark.parametrize(
    ("amount", "unit", "shown"),
    [
        (1.25e9, "USD", "$1.25 bn"),
        (-4e7, "USD", "-$40 m"),
        (5e9, "EUR", "€5 bn"),
        (9.99e17, "USD", "$999,000 tn"),
        (1e99, "USD", "over $1,000,000 tn"),  # a typed 1e99 used to print a hundred digits
        (-1e99, "GBP", "below -£1,000,000 tn"),
        (float("nan"), "USD", "n/a"),
    ],
)
def test_amounts_as_shown(amount: float, unit: str, shown: str) -> None:
    assert format_money(amount, unit) == shown


def test_amount_words_is_format_money_without_the_currency() -> None:
    """The scenario's limits are in whatever unit it uses: "must be 1,000 tn or less"."""
    for amount in (1e15, -4e7, 1.25e9, 999.0, 0.0):
        assert format_money(amount, "USD").replace("$", "") == amount_words(amount)
    assert amount_words(1e15) == "1,000 tn"


@pytest.mark.parametrize(
    ("fraction", "shown"),
    [(0.48951, "49%"), (0.4876, "48.8%"), (0.0997, "9.97%"), (0.00125, "0.12%"), (0.00046, "0.046%"),
     (0.0, "0%"), (0.07, "7%"), (float("nan"), "n/a")],
)  # fmt: skip
def test_a_holding_shows_to_about_three_figures(fraction: float, shown: str) -> None:
    """Microsoft's 48.951% of OpenAI showed every digit: the rule for a typed stake (shown as
    typed, to three decimals) is for deal terms, not for what the game works out."""
    assert format_holding(fraction) == shown
