"""A small, safe expression language for scenario conditions.

Scenario files contain conditions such as::

    valuation("anthropic") > 300bn and quarter >= "2025-Q3"

This package tokenizes, parses and type-checks such text by hand (no ``eval``,
``exec`` or ``ast`` of user text ever happens) and compiles it into nested
Python closures, so evaluating a condition every turn is cheap.

Grammar (lowest precedence first)::

    expr := or
    or   := and ("or" and)*
    and  := not ("and" not)*
    not  := "not" not | cmp
    cmp  := sum (("<"|"<="|">"|">="|"=="|"!=") sum)?      -- no chaining
    sum  := prod (("+"|"-") prod)*
    prod := unary (("*"|"/") unary)*
    unary:= "-" unary | atom
    atom := NUMBER | STRING | "true" | "false" | NAME
          | NAME "(" [expr ("," expr)*] ")" | "(" expr ")"

NUMBER is a decimal with optional exponent and an optional money suffix
(``k`` = 1e3, ``m`` = 1e6, ``bn`` = 1e9, ``tn`` = 1e12), directly after it or after spaces:
``300bn``, ``1.25 bn``, ``2 tn``, ``2.75e9``.  STRING is single- or double-quoted; a
backslash escapes the next character.

Types are ``number``, ``bool``, ``quarter`` and ``firm``.  A string literal is
only meaningful where a firm (a known firm id) or a quarter (``"2025-Q3"``,
converted to an integer index, see :mod:`game.calendar`) is expected.

Every problem found is reported at once in a :class:`ConditionError` carrying
:class:`ConditionProblem` objects with 0-based character offsets.

:mod:`~game.scenario.conditions.syntax` reads the text into a tree (and into parts, for a goal
shown as a checklist); :mod:`~game.scenario.conditions.compiler` type-checks the tree and compiles
it into closures; :mod:`~game.scenario.conditions.phrasing` reads it back in words, for players.
"""

from game.calendar import quarter_index, quarter_name
from game.scenario.conditions.compiler import (
    BOOL,
    FIRM,
    NUMBER,
    QUARTER,
    TYPES,
    Condition,
    ConditionError,
    ConditionProblem,
    Env,
    Signature,
    compile_condition,
)
from game.scenario.conditions.phrasing import MONEY, SHARE, Phrase, Phrasebook, phrase, phrase_unmet
from game.scenario.conditions.syntax import (
    MAX_DEPTH,
    MAX_TEXT_LENGTH,
    MAX_TOKENS,
    comparison_sides,
    conjuncts,
    disjuncts,
)

__all__ = [
    "BOOL",
    "FIRM",
    "MAX_DEPTH",
    "MAX_TEXT_LENGTH",
    "MAX_TOKENS",
    "MONEY",
    "NUMBER",
    "QUARTER",
    "SHARE",
    "TYPES",
    "Condition",
    "ConditionError",
    "ConditionProblem",
    "Env",
    "Phrase",
    "Phrasebook",
    "Signature",
    "comparison_sides",
    "compile_condition",
    "conjuncts",
    "disjuncts",
    "phrase",
    "phrase_unmet",
    "quarter_index",
    "quarter_name",
]
