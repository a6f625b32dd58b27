"""Quarter calendar helpers (pure, stdlib only).

A quarter such as ``"2025-Q3"`` is stored as an absolute integer index
``year * 4 + (q - 1)``, so consecutive quarters differ by exactly 1 and
ordinary integer comparison orders them chronologically.
"""

from __future__ import annotations

import re
from typing import Final

MIN_YEAR: Final = 1900
MAX_YEAR: Final = 2200
MIN_INDEX: Final = MIN_YEAR * 4
MAX_INDEX: Final = MAX_YEAR * 4 + 3

_QUARTER_RE: Final = re.compile(r"([0-9]{4})-[Qq]([1-4])")
# The text quarter_index reads (years MIN_YEAR to MAX_YEAR, spaces around, q or Q), as a regular
# expression that Python and JSON Schema (JavaScript) read alike: editors flag what it refuses.
QUARTER_PATTERN: Final = r"^\s*(?:19[0-9]{2}|2[01][0-9]{2}|2200)-[Qq][1-4]\s*$"


def quarter_index(text: str) -> int:
    """Convert ``"2025-Q3"`` to its absolute quarter index (``2025 * 4 + 2``).

    Surrounding whitespace and a lower-case ``q`` are accepted.  Raises
    ``ValueError`` with a readable message for anything else, including years
    outside ``MIN_YEAR..MAX_YEAR``.
    """
    if not isinstance(text, str):
        raise ValueError(f'expected a quarter like "2025-Q3", got {text!r}')
    match = _QUARTER_RE.fullmatch(text.strip())
    if match is None:
        raise ValueError(f'expected a quarter like "2025-Q3", got "{text}"')
    year = int(match.group(1))
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f'quarter "{text.strip()}" is out of range: years must be {MIN_YEAR}-{MAX_YEAR}')
    return year * 4 + int(match.group(2)) - 1


def quarter_name(index: int) -> str:
    """Inverse of :func:`quarter_index`: ``quarter_name(8102) == "2025-Q3"``."""
    if isinstance(index, bool) or not isinstance(index, int):
        raise ValueError(f"quarter index must be an int, got {index!r}")
    if not MIN_INDEX <= index <= MAX_INDEX:
        raise ValueError(
            f"quarter index {index} is out of range {MIN_INDEX}-{MAX_INDEX} (years {MIN_YEAR}-{MAX_YEAR})"
        )
    year, q = divmod(index, 4)
    return f"{year}-Q{q + 1}"
