"""Small text helpers shared by the screens: money, shares, changes, bars and markers.

Meaning never rests on colour alone (NO_COLOR users see the same words and symbols):
red and black labs carry a letter, loops a ⟳, failures the word "failed".
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.cells import cell_len, set_cell_size
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from game.money import comma_problem, format_holding, format_money, format_share, format_stake, parse_money

if TYPE_CHECKING:
    from game.engine.state import World

COLOUR_STYLE = {"red": "bold red", "black": "bold", "green": "bold green", "other": ""}
KIND_LABEL = {
    "hyperscaler": "hyperscaler",
    "chipmaker": "chipmaker",
    "neocloud": "neocloud",
    "lab": "AI lab",
    "investor": "investor",
}
LOOP = "⟳"
NOT_YET = "—"  # a figure that needs a quarter played first


def money(world: World, amount: float) -> str:
    return format_money(float(amount), world.unit)


def share(fraction: float) -> str:
    return format_share(float(fraction))


def flow_share(world: World, fraction: float) -> str:
    """A round-trip share or a cycling index: a dash before any money has gone round."""
    from game.ui.analysis import money_has_gone_round  # here: the title screen's fmt loads no engine

    return share(fraction) if money_has_gone_round(world) else NOT_YET


def change(fraction: float) -> str:
    """A change as a signed percentage with an arrow: ▲ +5.2%, ▼ -12%, = 0%."""
    if not math.isfinite(fraction):
        return "n/a"
    if abs(fraction) < 0.0005:
        return "= 0%"
    arrow = "▲" if fraction > 0 else "▼"
    return f"{arrow} {'+' if fraction > 0 else '-'}{format_share(abs(fraction))}"


def change_text(fraction: float) -> Text:
    style = "green" if fraction > 0.0005 else ("red" if fraction < -0.0005 else "")
    return Text(change(fraction), style=style)


def odds(payout: float) -> str:
    """A payout as odds: "0.2 to 1", "4.5 to 1", and whole numbers from 10 up ("149 to 1"):
    the decimal of long odds says little and takes a column the roulette table needs."""
    if not math.isfinite(payout) or payout <= 0:
        return "—"
    return f"{payout:.1f} to 1" if payout < 9.95 else f"{payout:.0f} to 1"


def bar(fraction: float, width: int = 10) -> str:
    """A gauge: ██████░░░░ for 0.6."""
    if not math.isfinite(fraction):
        fraction = 0.0
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return "█" * filled + "░" * (width - filled)


SPARK_FLOOR = 0.10  # a sparkline spans at least a tenth of its series' size, bottom to top
SHARE_SPARK_SPAN = 0.25  # a share's sparkline (the cycling index) rises full height for 25 points


def spark_heights(data: Sequence[float], floor: float = SPARK_FLOOR, least_span: float = 0.0) -> list[float]:
    """Each value's height in a sparkline, 0 (bottom) to 1 (top), from the lowest value up to
    the highest or, if that is more, to ``floor`` of the series' size above the lowest: a 0.1%
    move draws as a ripple rather than a full-height jump, and a flat series lies flat.
    ``least_span`` is the least rise drawn full height, for an index with a scale of its own:
    a share from 0% to 3% is a small step on a scale of 100%, not a leap from nothing."""
    if not data:
        return []
    low, high = min(data), max(data)
    span = max(high - low, floor * max(abs(low), abs(high)), least_span)
    return [(x - low) / span if span > 0 else 0.0 for x in data]


def ratio(x: float) -> str:
    return "n/a" if not math.isfinite(x) else f"{x:.2f}"


def fit(name: str, room: int) -> str:
    """A name in at most ``room`` cells: whole if it fits, else cut with an ellipsis ("Anthrop…",
    "SoftBank…"), so a shortened name never passes for a whole one ("Anthropi")."""
    if cell_len(name) <= room:
        return name
    if room <= 1:
        return "…"[: max(room, 0)]
    return set_cell_size(name, room - 1).rstrip() + "…"  # a wide letter cut in half: a space


def firm_label(world: World, i: int, me: int | None = None) -> Text:
    """A firm's name, with its roulette colour for labs and '(you)' for the player."""
    text = Text(world.names[i], style=COLOUR_STYLE.get(world.colours[i], ""))
    if world.is_lab[i] and world.colours[i] in ("red", "black", "green"):
        text.append(f" ({world.colours[i][0].upper()})", style=COLOUR_STYLE[world.colours[i]])
    if me is not None and i == me:
        text.append(" (you)", style="bold")
    return text


def bubble_words(bubble: float) -> str:
    """The bubble index (market over fundamental value) in a word, for gauges and statuses."""
    if not math.isfinite(bubble):
        return ""
    if bubble >= 2.0:
        return "bubble"
    if bubble >= 1.4:
        return "frothy"
    if bubble >= 1.15:  # a seventh of the price or more is hope: not "fair" any more
        return "rich"
    if bubble >= 0.9:
        return "fair"
    return "gloomy"


def status(world: World, i: int) -> Text:
    if world.failed[i]:
        return Text("failed", style="bold red")
    if bubble_words(float(world.metrics["bubble"][i])) == "bubble":
        return Text("bubble", style="yellow")
    if float(world.cash[i]) < float(world.debt[i]) * 0.1:
        return Text("strained", style="yellow")
    return Text("ok")


def read_amount(text: str) -> float:
    """Read an amount typed by the player. A bare number means billions ("2" = $2 bn);
    "500 m", "1.5bn", "$2 tn", "1,500 m" work too; "1,5" is refused, not guessed. Raises
    ValueError with a short explanation."""
    cleaned = text.strip()
    if not cleaned:
        raise ValueError("type an amount, like 2 bn or 500 m")
    try:
        return parse_money(cleaned, bare=1e9)
    except ValueError:  # the player's words, shorter than the scenario author's
        reason = comma_problem(cleaned) or f"cannot read '{cleaned}' as money; write 2 bn or 500 m"
        raise ValueError(reason) from None


def typed_amount(amount: float) -> str:
    """An amount written as a player would type it ("26.547 bn", "550 m"), rounded down to
    the million: a figure filled in for the player never asks for more than was worked out
    (a hedge capped at your cash must not round up past it)."""
    millions = max(math.floor(amount / 1e6), 0)
    if millions < 1000:
        return f"{millions} m"
    billions = f"{millions // 1000}.{millions % 1000:03d}".rstrip("0").rstrip(".")
    return f"{billions} bn"


def shown_amount(amount: float) -> str:
    """An amount as a player would type it, to the three figures the screens show it with
    ("51.2 bn" where an offer lists $51.2 bn): the counter form fills it in so."""
    if not math.isfinite(amount) or abs(amount) < 1e3:
        return f"{amount / 1e9:g}"  # a bare number is billions: "500" would mean $500 bn
    return format_money(amount, "USD").lstrip("-$")


def holding(fraction: float) -> str:
    """A share the game works out, a stake held or a goal's figure, to about three figures
    ("9.97%", "48.9%", "0.046%"): never rounded onto a goal's bar, never a bare "0.0%"."""
    return format_holding(float(fraction))


def deal_share(fraction: float) -> str:
    """A stake in a deal's terms, or a share the player typed, as typed ("10.3%", "5%", "0.25%"):
    the offers list shows it and the counter form fills it in alike, as the engine says a deal
    was signed; the sell dialog says so what it will sell."""
    return format_stake(float(fraction))


_SHARE = re.compile(r"^([-+]?)\s*([0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*%?$")
SHARE_RULE = "a number is a percentage: 0.4 is 0.4%, 40 is 40%"


def read_share(text: str) -> float:
    """Read a share typed by the player. A number is always a percentage, with or without "%":
    "40" is 40% and "0.4" is 0.4%, never a fraction guessed at (a holding of 0.4% typed as shown
    sold 40%). From 0% to 100%; ValueError with a short explanation."""
    cleaned = text.strip()
    if not cleaned:
        raise ValueError("type a share, like 10%")
    match = _SHARE.match(cleaned)
    if not match:
        raise ValueError(comma_problem(cleaned) or f"cannot read '{cleaned}' as a share; {SHARE_RULE}")
    number = float(match[2])
    if number > 100 or (match[1] == "-" and number > 0):
        raise ValueError("a share is from 0% to 100%")
    return number / 100.0


def share_doubt(text: str) -> str:
    """Words for a share typed as a fraction ("0.5", not "0.5%"), which reads as 0.5% where a
    newcomer may have meant half: "did you mean 50%? ..." ("" for any other entry). The rule
    stays the same in every percentage field: this only asks."""
    match = _SHARE.match(text.strip())
    if not match or match[1] or text.strip().endswith("%") or "." not in match[2]:
        return ""
    number = float(match[2])
    if not 0 < number < 1:
        return ""
    meant = f"{number * 100:g}"
    return f"did you mean {meant}%? Then type {meant}"


def shown_as(fraction: float, shown: str) -> bool:
    """True if ``fraction``, rounded to the decimals of a share as shown ("1.9%": one), is the
    figure shown: 1.87% and 1.9% both show as "1.9%"."""
    figure = shown.strip().rstrip("%")
    try:
        return round(fraction * 100, len(figure.partition(".")[2])) == float(figure)
    except ValueError:  # "n/a"
        return False


WHOLE_LIMIT = 10**18  # far past any count the game asks for


def read_whole(text: str, what: str, most: int | None = None) -> int:
    """A whole number typed by the player, at most ``most``; ValueError saying what is wrong."""
    cleaned = text.strip()
    if not (cleaned.isascii() and cleaned.isdigit()):  # "²" is a digit to isdigit, not to int
        negative = cleaned.startswith("-") and cleaned[1:].isascii() and cleaned[1:].isdigit()
        raise ValueError(f"{what} must be 0 or more" if negative else f"{what} must be a whole number")
    limit = most if most is not None else WHOLE_LIMIT
    if len(cleaned.lstrip("0")) > len(str(limit)) or int(cleaned) > limit:  # no int() of 10,000 digits
        raise ValueError(f"{what} must be at most {limit:,}")
    return int(cleaned)


def quarter(index: int) -> str:
    from game.calendar import quarter_name

    return quarter_name(index)


def hanging(rows: Sequence[tuple[str | Text, RenderableType]]) -> Table:
    """Lines with a mark (a bullet, a number, ⟳) in a column of its own: a long line wraps
    under its own words instead of under the mark."""
    width = max(
        (Text(mark).cell_len if isinstance(mark, str) else mark.cell_len for mark, _ in rows), default=0
    )
    grid = Table.grid()
    grid.add_column(width=width, no_wrap=True)
    grid.add_column()
    for mark, line in rows:
        grid.add_row(mark, line)
    return grid


def goal_notes(notes: Sequence[tuple[bool, str]]) -> Text:
    """Goal parts a move would meet or break (``analysis.goal_change_notes``), a line each,
    each after a line break: green with ✓ if met after it, else yellow with ✗ ("" if none)."""
    text = Text()
    for met, words in notes:
        text.append(f"\n{'✓' if met else '✗'} {words}", style="green" if met else "bold yellow")
    return text
