"""Figures stay whole when text wraps: "$14.8" never ends a line with "bn" on the next."""

from __future__ import annotations

import re

import pytest
from rich.console import Console
from rich.text import Text
from textual.content import Content

from game.ui.wrapping import keep_figures_whole

TEXT = (
    "Raise from outside investors at a discount to your valuation ($14.8 bn); at most $1.5 bn "
    "now. Vermilion AI pays $2.5 bn/q for compute, ▲ +5.2% on the quarter (median: $558 bn); "
    "now OpenAI leads, 0% of OpenAI; ✗ Anthropic leads, 21.5% of Anthropic."
)
SPLIT = re.compile(r"(\d|[▲▼])\s*\n\s*(tn|bn|m\b|k\b|[+-]?\d)|✗\s*\n")


def wrapped(width: int, *, rich: bool) -> str:
    """TEXT wrapped at ``width`` by Textual's Content or by Rich's Text (tables, logs)."""
    if rich:
        return "\n".join(line.plain for line in Text(TEXT).wrap(Console(width=200), width))
    return "\n".join(line.plain for line in Content(TEXT).wrap(width))


@pytest.mark.parametrize("rich", [False, True], ids=["textual", "rich"])
def test_no_width_splits_a_figure_from_its_unit(rich: bool) -> None:
    keep_figures_whole()
    for width in range(12, 60):
        text = wrapped(width, rich=rich)
        assert not SPLIT.search(text), f"width {width}:\n{text}"
        assert text.replace("\n", " ").split() == TEXT.split()  # nothing lost or reordered


def test_ordinary_words_still_wrap_where_rich_wraps_them() -> None:
    """Only figures are joined: "10 months" is two words, as in Rich."""
    keep_figures_whole()
    lines = [line.plain for line in Content("wait 10 months for it").wrap(8)]
    assert lines[1].strip() == "months"
