"""Money: the one place that reads and writes amounts.

Scenario authors may write amounts as plain numbers (``1.25e9``) or in words
(``"1.25 bn"``, ``"$350bn"``, ``"600 m"``); the engine only ever sees floats in
the scenario's money unit. Players read amounts as ``$1.25 bn``.
"""

from __future__ import annotations

import math
import re

SUFFIXES = {"": 1.0, "k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9, "b": 1e9, "tn": 1e12, "t": 1e12}
UNIT_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}

# Commas only group thousands ("1,500"): "1,5" is refused rather than read as 15, because
# in much of the world it means one and a half. Written so that JavaScript reads it alike
# (no named groups, no flags): the JSON Schema gives editors the same rule (money_pattern).
_NUMBER = r"(?:(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+(?:_[0-9]+)*)(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
_AMOUNT = re.compile(rf"^\s*(?P<sign>[-+])?\s*[$€£]?\s*(?P<num>{_NUMBER})\s*(?P<suffix>[a-zA-Z]*)\s*$")
_THOUSANDS = re.compile(r"(?<![\d,.])\d{1,3}(?:,\d{3})+(?![\d,])")  # 1,500 and 12,000,000


def comma_problem(text: str) -> str | None:
    """Why the commas in ``text`` cannot be read, or None when every comma groups thousands."""
    if "," not in _THOUSANDS.sub("", text):
        return None
    cleaned = text.strip()
    single = cleaned.count(",") == 1 and "." not in cleaned
    decimal = cleaned.replace(",", ".") if single else "a point, like 1.5"
    return f"cannot read '{cleaned}': a comma only separates thousands (1,500); for a decimal write {decimal}"


def parse_money(value: object, bare: float = 1.0) -> float:
    """Read an amount written as a number or as text such as ``"1.25 bn"``.

    ``bare`` is what a number typed without a unit is worth: 1 in scenario files, a billion
    for players (who type "2" for $2 bn). Raises ValueError with a message meant for a
    scenario author.
    """
    if isinstance(value, bool):
        raise ValueError("expected an amount of money, got true/false")
    if isinstance(value, int | float):
        amount = float(value)
    elif isinstance(value, str):
        problem = comma_problem(value)
        if problem:
            raise ValueError(problem)
        match = _AMOUNT.match(value)
        suffix = match.group("suffix").lower() if match else ""
        if not match or suffix not in SUFFIXES:
            raise ValueError(
                f"cannot read {value!r} as money: write a number like 1.25e9 or text like "
                '"1.25 bn", "600 m", "2 tn"'
            )
        scale = SUFFIXES[suffix] if suffix else bare
        amount = float(match.group("num").replace("_", "").replace(",", "")) * scale
        if match.group("sign") == "-":
            amount = -amount
    else:
        raise ValueError(f"expected an amount of money, got {type(value).__name__}")
    if not math.isfinite(amount):
        raise ValueError("an amount of money must be a finite number")
    return amount


def money_pattern(*, signed: bool) -> str:
    """The text :func:`parse_money` reads as an amount (in scenario files, where a bare number
    is worth 1), as a regular expression that Python and JSON Schema (JavaScript) read alike:
    the schema tells editors exactly what the loader accepts. ``signed``: a leading minus is
    allowed (amounts that may be negative, such as an effect's ``add``)."""
    suffixes = sorted((s for s in SUFFIXES if s), key=len, reverse=True)  # "bn" before "b"
    suffix = "|".join("".join(f"[{c}{c.upper()}]" for c in s) for s in suffixes)  # any case
    sign = "[-+]?" if signed else "[+]?"
    return rf"^\s*{sign}\s*[$€£]?\s*{_NUMBER}\s*(?:{suffix})?\s*$"


ABSURD = 1e18  # past any amount a firm could have (the engine's ceiling): "over $1,000,000 tn"


def format_money(amount: float, unit: str = "USD") -> str:
    """Show an amount the way a reader expects: ``$1.25 bn``, ``$350 bn``, ``-$40 m``."""
    symbol = UNIT_SYMBOLS.get(unit, unit + " ")
    if not math.isfinite(amount):
        return "n/a"
    sign = "-" if amount < 0 else ""
    size = abs(amount)
    if size >= ABSURD:  # a typed 1e99 would print a hundred digits of "tn"
        return f"{'below -' if sign else 'over '}{symbol}{ABSURD / 1e12:,.0f} tn"
    return f"{sign}{symbol}{_size_words(size)}"


def amount_words(amount: float) -> str:
    """An amount without its currency, as format_money writes it: ``1.25 bn``, ``-40 m``, ``1,000 tn``
    (a scenario's limits, which hold in whatever unit it uses)."""
    return f"{'-' if amount < 0 else ''}{_size_words(abs(amount))}"


def _size_words(size: float) -> str:
    for scale, word in ((1e12, "tn"), (1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if size >= scale * 0.9995:
            return f"{_three_figures(size / scale)} {word}"
    return f"{size:,.0f}"


def _three_figures(x: float) -> str:
    """Three significant figures without trailing zeros: 1.25, 12.5, 350."""
    if x >= 100:
        return f"{x:,.0f}"
    if x >= 10:
        return f"{x:.1f}".rstrip("0").rstrip(".")
    return f"{x:.2f}".rstrip("0").rstrip(".")


def format_share(fraction: float) -> str:
    """A fraction as a percentage with sensible precision: 27%, 3.5%, 0.4%."""
    if not math.isfinite(fraction):
        return "n/a"
    pct = fraction * 100
    return f"{pct:.0f}%" if abs(pct) >= 10 or pct == 0 else f"{pct:.1f}%"


def format_stake(fraction: float) -> str:
    """A stake in a deal's terms. A stake a player could have typed (at most three decimals of
    a point) shows exactly as typed: "7.25%", "10.25%", "7%", "0.125%", so a deal never reads as
    other terms than those negotiated. A stake worked out by the game (cash over a valuation)
    shows to about three figures: a hundredth of a point below 10% ("7.23%"), a tenth from 10%
    ("14.7%"), two figures below 1% ("0.046%", never a bare 0%)."""
    pct = fraction * 100
    typed = round(pct, 3) if math.isfinite(pct) else pct
    if abs(pct - typed) < 1e-9 and (typed != 0 or pct == 0):
        return _percent(f"{typed:.3f}")
    return format_holding(fraction)


def format_holding(fraction: float) -> str:
    """A share the game works out (a stake held, a goal's figure), to about three figures: a
    hundredth of a point below 10% ("9.97%", not "10.0%" beside a goal of 10%), a tenth from
    10% ("48.9%"), two figures below 1% ("0.046%", never a bare 0%)."""
    pct = fraction * 100
    if not math.isfinite(pct):
        return "n/a"
    if pct == 0:
        return "0%"
    if abs(pct) < 1:
        return _percent(f"{pct:.{1 - math.floor(math.log10(abs(pct)))}f}")  # two figures, never "4.6e-05"
    return _percent(f"{pct:.2f}" if abs(pct) < 10 else f"{pct:.1f}")


def _percent(number: str) -> str:
    """ "7.250" -> "7.25%", "7.000" -> "7%"."""
    return f"{number.rstrip('0').rstrip('.') if '.' in number else number}%"
