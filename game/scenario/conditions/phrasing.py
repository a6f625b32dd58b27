"""A condition in words, for a goal's checklist: ``stake(me, "ember") < 0.01`` reads "hold under
1% of Ember", ``share_price(me) >= 25 * start_share_price(me)`` reads "share price ≥ 25× start".

It reads the tree the parser builds. What the caller knows and this package does not comes in
a :class:`Phrasebook`: firms' names, which names are money or shares, and how numbers look.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from game.scenario.conditions.syntax import (
    _COMPARISONS,
    _Binary,
    _Bool,
    _Call,
    _Logic,
    _Name,
    _Node,
    _Num,
    _Parser,
    _Str,
    _SyntaxProblem,
    _tokenize,
    _Unary,
)

MONEY, SHARE = "money", "share"
_ANY = "any"  # a number written in the condition: it takes the unit of what it is compared with
_UPPER = frozenset({"<", "<="})  # a comparison that sets a limit rather than a target
# "<" as a word: "under 1%" says a limit to stay within, where "< 0.01" read as code
_SYMBOLS = {">=": "≥", ">": "over", "<": "under", "<=": "≤", "==": "=", "!=": "≠",
            "*": "×", "/": "÷", "+": "+", "-": "−"}  # fmt: skip
# a flag that does not hold, of another firm or of you: "Anthropic does not lead", "you do not lead"
_DENIED = {"leads": ("does not lead", "do not lead"), "failed": ("not failed", "not failed")}
_VERBS = ("own", "hold")  # how a stake of one's own is phrased (see _Phrasing.comparison)


@dataclass(frozen=True)
class Phrasebook:
    firm: Callable[[str], str]  # a firm's id -> its name
    units: Mapping[str, str]  # a metric's or a system number's unit, MONEY or SHARE; else a plain number
    number: Callable[[float, str], str]  # a number written in a condition, in a unit ("" for none)


@dataclass(frozen=True)
class Phrase:
    words: str
    unit: str = ""  # a comparison's: the unit its two sides are in (MONEY, SHARE or "")
    # a comparison's whose right side is worked out, so not in the words: what to call its
    # value beside today's, "target" or "limit"; "" when the words already give the number
    bound: str = ""
    # a comparison's: its left side named around a figure of it, "{}" where the figure goes,
    # for a list of figures ("valuation {}", "{} of OpenAI" for a stake of one's own)
    measure: str = ""
    # a share price's comparison with a multiple of its start: that multiple (1 for "start"),
    # for its figure to read as growth, as the score does: in money a share price reads as a
    # valuation (every firm starts with one share)
    growth: float = 0.0

    def figure(self, value: str) -> str:
        """``value`` named as the left side of this comparison: "49% of OpenAI"."""
        return self.measure.replace("{}", value, 1) if self.measure else value


def phrase(text: str, book: Phrasebook) -> Phrase:
    """``text`` in words; a condition that does not read stays as written (spaces tidied)."""
    try:
        tree = _Parser(_tokenize(text)).parse()
    except _SyntaxProblem:
        return Phrase(" ".join(text.split()))
    phrasing = _Phrasing(book)
    if isinstance(tree, _Binary) and tree.op in _COMPARISONS:
        return phrasing.comparison(tree)
    return Phrase(phrasing.claim(tree))


def phrase_unmet(text: str, book: Phrasebook) -> str:
    """A claim that does not hold, in words that say so: "Anthropic does not lead" (beside the
    figures of an ``or`` goal, "✗ Anthropic leads" read as if Anthropic led)."""
    try:
        tree = _Parser(_tokenize(text)).parse()
    except _SyntaxProblem:
        return f"not {' '.join(text.split())}"
    return _Phrasing(book).denial(tree)


@dataclass(frozen=True)
class _Phrasing:
    book: Phrasebook

    def claim(self, node: _Node) -> str:
        """A node that is true or false."""
        if isinstance(node, _Logic):
            parts = [self.claim_in_brackets(n) for n in node.operands]
            return f" {node.op} ".join(_without_repeated_verb(parts))
        if isinstance(node, _Unary) and node.op == "not":
            flag = node.operand
            if isinstance(flag, _Call) and flag.name == "failed" and len(flag.args) == 1:
                return f"{self.subject(flag.args[0])}not failed"  # "Vermilion AI not failed"
            return f"not {self.claim_in_brackets(node.operand)}"
        if isinstance(node, _Binary) and node.op in _COMPARISONS:
            return self.comparison(node).words
        if isinstance(node, _Bool):
            return "true" if node.value else "false"
        if isinstance(node, _Call) and len(node.args) == 1:  # a flag: "failed", "OpenAI leads"
            return f"{self.subject(node.args[0])}{node.name}"
        return self.amount(node, "")

    def denial(self, node: _Node) -> str:
        """A node that is false, said so: a flag in its negative form, anything else after "not"."""
        if isinstance(node, _Call) and len(node.args) == 1 and node.name in _DENIED:
            me = _is_me(node.args[0])
            subject = "you " if me and node.name == "leads" else self.subject(node.args[0])
            return f"{subject}{_DENIED[node.name][me]}"
        return f"not {self.claim_in_brackets(node)}"

    def claim_in_brackets(self, node: _Node) -> str:
        """A claim inside another: an ``and`` or ``or`` in brackets, as the condition has it."""
        return f"({self.claim(node)})" if isinstance(node, _Logic) else self.claim(node)

    def comparison(self, node: _Binary) -> Phrase:
        left, right = node.left, node.right
        unit = self.unit(left)
        unit = self.unit(right) if unit == _ANY else unit
        unit = "" if unit == _ANY else unit
        symbol = _SYMBOLS[node.op]
        bound = "" if _written(right) else ("limit" if node.op in _UPPER else "target")
        if isinstance(left, _Call) and _own_stake(left) and isinstance(right, _Num):
            verb = "hold" if node.op in _UPPER else "own"  # "own ≥ 10% of Vermilion AI"
            firm = self.firm(left.args[1])
            words = f"{verb} {symbol} {self.book.number(right.value, unit)} of {firm}"
            return Phrase(words, unit, bound, f"{{}} of {firm}")
        start = self.times_start(left, right)
        measure = self.amount(left, unit)
        growth = _factor(right) if start and isinstance(left, _Call) and left.name == "share_price" else 0.0
        words = f"{measure} {symbol} {start or self.amount(right, unit)}"
        return Phrase(words, unit, bound, f"{measure} {{}}", growth)

    def times_start(self, left: _Node, right: _Node) -> str:
        """``25 * start_share_price(me)`` beside ``share_price(me)`` as "25× start", and
        ``start_valuation(me)`` beside ``valuation(me)`` as "start", else ""."""
        if not isinstance(left, _Call):
            return ""
        if isinstance(right, _Call):
            return "start" if _starts(left, right) else ""
        if not (isinstance(right, _Binary) and right.op == "*"):
            return ""
        factor, start = right.left, right.right
        if not (isinstance(factor, _Num) and isinstance(start, _Call)):
            return ""
        return f"{factor.value:g}× start" if _starts(left, start) else ""

    def amount(self, node: _Node, unit: str) -> str:
        """A node that is a number (or a firm, a quarter); ``unit``: a written number's, when
        the node is a whole side of a comparison (a factor in a product is a plain number)."""
        if isinstance(node, _Num):
            return self.book.number(node.value, unit)
        if isinstance(node, _Str):
            return node.value
        if isinstance(node, _Name):
            return "you" if node.name == "me" else node.name.replace("_", " ")
        if isinstance(node, _Call):
            if node.name == "stake" and len(node.args) == 2:
                return f"{self.owner(node.args[0])} stake in {self.firm(node.args[1])}"
            what = node.name.replace("_", " ")
            return f"{self.owner(node.args[0])} {what}" if node.args and not _is_me(node.args[0]) else what
        if isinstance(node, _Unary) and node.op == "-":
            return f"−{self.amount(node.operand, unit)}"
        if isinstance(node, _Binary) and _stake_worth(node):
            return f"value of {self.amount(node.left, unit)}"
        if isinstance(node, _Binary):
            left, right = (self.factor(n, node.op) for n in (node.left, node.right))
            return f"{left} {_SYMBOLS[node.op]} {right}"
        return self.claim(node)  # true, false or a "not"

    def factor(self, node: _Node, op: str) -> str:
        """One side of an operation: a sum inside a product keeps its brackets."""
        words = self.amount(node, "")
        return f"({words})" if op in ("*", "/") and _is_sum(node) else words

    def unit(self, node: _Node) -> str:
        """What a side of a comparison counts: MONEY, SHARE, _ANY (a written number) or ""."""
        if isinstance(node, _Num):
            return _ANY
        if isinstance(node, _Call | _Name):
            return self.book.units.get(node.name, "")
        if isinstance(node, _Unary):
            return self.unit(node.operand)
        if not isinstance(node, _Binary):
            return ""
        left, right = self.unit(node.left), self.unit(node.right)
        if _ANY in (left, right):
            return right if left == _ANY else left
        if node.op in ("+", "-"):
            return left if left == right else ""
        if node.op == "*" and {left, right} == {MONEY, SHARE}:  # a stake's worth
            return MONEY
        return SHARE if node.op == "*" and left == right == SHARE else ""

    def subject(self, node: _Node) -> str:
        """Who a flag is about, before it: "" for you, else "OpenAI "."""
        return "" if _is_me(node) else f"{self.firm(node)} "

    def owner(self, node: _Node) -> str:
        return "your" if _is_me(node) else f"{self.firm(node)}'s"

    def firm(self, node: _Node) -> str:
        return self.book.firm(node.value) if isinstance(node, _Str) else self.amount(node, "")


def _factor(node: _Node) -> float:
    """The multiple in ``25 * start_share_price(me)``: 25; 1 for a bare start."""
    return node.left.value if isinstance(node, _Binary) and isinstance(node.left, _Num) else 1.0


def _is_me(node: _Node) -> bool:
    return isinstance(node, _Name) and node.name == "me"


def _own_stake(node: _Call) -> bool:
    return node.name == "stake" and len(node.args) == 2 and _is_me(node.args[0])


def _stake_worth(node: _Binary) -> bool:
    """``stake(me, "x") * valuation("x")``: what a stake is worth."""
    stake, value = node.left, node.right
    if not (node.op == "*" and isinstance(stake, _Call) and isinstance(value, _Call)):
        return False
    return stake.name == "stake" and value.name == "valuation" and _same(stake.args[1:], value.args)


def _written(node: _Node) -> bool:
    """A number written in the condition, so shown in its words: 0.4, -1bn."""
    return isinstance(node, _Num) or (isinstance(node, _Unary) and _written(node.operand))


def _is_sum(node: _Node) -> bool:
    return isinstance(node, _Binary) and node.op in ("+", "-")


def _starts(metric: _Call, start: _Call) -> bool:
    """True if ``start`` is ``metric`` at the start of the game (start_valuation(me) of valuation(me))."""
    return start.name == f"start_{metric.name}" and _same(start.args, metric.args)


def _same(a: tuple[_Node, ...], b: tuple[_Node, ...]) -> bool:
    """The same arguments, wherever they were written (offsets aside)."""
    return [n[1:] for n in a] == [n[1:] for n in b]


def _without_repeated_verb(parts: list[str]) -> list[str]:
    """ "own ≥ 10% of A or ≥ 10% of B": the verb once, when every part starts with it."""
    verbs = {p.split(" ", 1)[0] for p in parts}
    if len(verbs) != 1 or verbs.pop() not in _VERBS:
        return parts
    return [parts[0], *(p.split(" ", 1)[1] for p in parts[1:])]
