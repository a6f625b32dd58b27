"""Keep a figure whole when text wraps: "$14.8 bn" never ends a line at "$14.8".

Rich, which wraps every Textual text, breaks lines at any Unicode space, the no-break space
included (Textualize/rich#4196, open), so no character can join a number to its unit. We
widen Rich's notion of a word instead: an amount with its unit ("$14.8 bn", "$500 m/q"), a
change with its arrow ("▲ +5.2%") and a mark with its word ("✗ Anthropic leads" in a goal's
figures) count as one word. The pattern is Rich's own (``\\s*\\S+\\s*``) with those cases
tried first.
"""

from __future__ import annotations

import re

from rich import _wrap

UNITS = "tn|bn|m|k"  # game.money.format_money's scale words
WORD = re.compile(rf"\s*(?:\S*\d (?:{UNITS})(?!\w)\S*|[▲▼✗] \S+|\S+)\s*")


def keep_figures_whole() -> None:
    """Make Rich (and so Textual) wrap an amount and its unit as one word. Idempotent."""
    if not hasattr(_wrap, "re_word"):  # Rich's wrapping changed: better a split figure than a crash
        return
    _wrap.re_word = WORD
