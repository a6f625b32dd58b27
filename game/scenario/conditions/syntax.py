"""Reading condition text: the tokenizer, the tree of NamedTuples and the recursive-descent
parser that builds it, and the readings of a condition in parts that need only its tokens.

The grammar and the rules of the text are in the package's docstring (:mod:`game.scenario.conditions`).
The underscored names here are the package's own: the compiler reads the tree through them, and
nothing outside the package should.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection
from typing import Final, NamedTuple

from game.money import SUFFIXES

MAX_TEXT_LENGTH: Final = 1000
MAX_DEPTH: Final = 32
MAX_TOKENS: Final = 200

_KEYWORDS: Final = frozenset({"and", "or", "not", "true", "false"})
# the money suffixes of amounts written in words, as game.money reads them (one table)
_SUFFIXES: Final = {suffix: SUFFIXES[suffix] for suffix in ("k", "m", "bn", "tn")}
_SUFFIX_NAMES: Final = ", ".join(list(_SUFFIXES)[:-1]) + " and " + list(_SUFFIXES)[-1]  # k, m, bn and tn
# what an author used to amounts elsewhere (in a file's amounts, in the news) may write
_AMOUNTS: Final = (
    f"amounts in conditions are written like 3 bn, 500 m, 2 tn (units {_SUFFIX_NAMES}); no '$' or ','"
)
_UNIT_SLIPS: Final = frozenset(
    {*SUFFIXES, "mm", "bil", "mil", "billion", "billions", "million", "millions", "trillion", "thousand"}
) - {""}
_CURRENCY: Final = frozenset("$€£")
_DIGITS: Final = frozenset("0123456789")
_NAME_START: Final = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
_NAME_CHARS: Final = _NAME_START | _DIGITS
_COMPARISONS: Final = frozenset({"<", "<=", ">", ">=", "==", "!="})
_TWO_CHAR_OPS: Final = frozenset({"<=", ">=", "==", "!="})
_ONE_CHAR_OPS: Final = frozenset("<>+-*/(),")
_OP_HINTS: Final = {
    "&&": "use 'and' instead of '&&'",
    "||": "use 'or' instead of '||'",
    "&": "use 'and' instead of '&'",
    "|": "use 'or' instead of '|'",
    "=": "use '==' to compare (a single '=' is not allowed)",
    "!": "use 'not' instead of '!'",
}


# ---------------------------------------------------------------------------
# Tokenizer
# ---------------------------------------------------------------------------


class _SyntaxProblem(Exception):
    def __init__(self, offset: int, message: str) -> None:
        super().__init__(message)
        self.offset = offset
        self.message = message


class _Token(NamedTuple):
    kind: str  # "num", "str", "name", "op", "eof"
    text: str
    offset: int
    number: float = 0.0


def _read_number(text: str, i: int) -> tuple[_Token, int]:
    n = len(text)
    start = i
    while i < n and text[i] in _DIGITS:
        i += 1
    if i < n and text[i] == ".":
        i += 1
        while i < n and text[i] in _DIGITS:
            i += 1
    if i < n and text[i] in "eE":
        j = i + 1
        if j < n and text[j] in "+-":
            j += 1
        if j < n and text[j] in _DIGITS:
            while j < n and text[j] in _DIGITS:
                j += 1
            i = j
    value = float(text[start:i])  # only ASCII digits, '.', 'e' and a sign reach here
    if text[i : i + 1] == "," and text[i + 1 : i + 4].isdigit():  # 1,000: thousands, not two arguments
        raise _SyntaxProblem(i, f"unexpected ',' in a number: {_AMOUNTS}")
    j = i
    while j < n and text[j] in " \t":
        j += 1
    k = j
    while k < n and text[k] in _NAME_CHARS:
        k += 1
    word = text[j:k]
    if word.lower() in _SUFFIXES:
        value *= _SUFFIXES[word.lower()]
        i = k
    elif word and j == i:
        if word in ("Q1", "Q2", "Q3", "Q4", "q1", "q2", "q3", "q4"):
            raise _SyntaxProblem(start, 'quarters must be quoted, like "2025-Q3"')
        raise _SyntaxProblem(i, f"unexpected {word!r} right after a number: {_AMOUNTS}")
    elif word.lower() in _UNIT_SLIPS:
        raise _SyntaxProblem(j, f"unexpected {word!r} after a number: {_AMOUNTS}")
    if not math.isfinite(value):
        raise _SyntaxProblem(start, "number is too large")
    return _Token("num", text[start:i], start, value), i


def _read_string(text: str, i: int) -> tuple[_Token, int]:
    n = len(text)
    quote = text[i]
    j = i + 1
    chars: list[str] = []
    while j < n and text[j] != quote:
        if text[j] == "\\" and j + 1 < n:
            chars.append(text[j + 1])
            j += 2
        else:
            chars.append(text[j])
            j += 1
    if j >= n:
        raise _SyntaxProblem(i, f"unterminated text: missing closing {quote}")
    return _Token("str", "".join(chars), i), j + 1


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    n = len(text)
    i = 0
    while True:
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            break
        if len(tokens) >= MAX_TOKENS:
            raise _SyntaxProblem(i, f"condition is too long: at most {MAX_TOKENS} words, numbers and symbols")
        c = text[i]
        if c in _DIGITS or (c == "." and i + 1 < n and text[i + 1] in _DIGITS):
            tok, i = _read_number(text, i)
        elif c in _NAME_START:
            j = i + 1
            while j < n and text[j] in _NAME_CHARS:
                j += 1
            tok, i = _Token("name", text[i:j], i), j
        elif c in "\"'":
            tok, i = _read_string(text, i)
        elif text[i : i + 2] in _TWO_CHAR_OPS:
            tok, i = _Token("op", text[i : i + 2], i), i + 2
        elif text[i : i + 2] in _OP_HINTS:
            raise _SyntaxProblem(i, _OP_HINTS[text[i : i + 2]])
        elif c in _OP_HINTS:
            raise _SyntaxProblem(i, _OP_HINTS[c])
        elif c in _ONE_CHAR_OPS:
            tok, i = _Token("op", c, i), i + 1
        elif c in _CURRENCY:
            raise _SyntaxProblem(i, f"unexpected character {c!r}: {_AMOUNTS}")
        else:
            raise _SyntaxProblem(i, f"unexpected character {c!r}")
        tokens.append(tok)
    tokens.append(_Token("eof", "", n))
    return tokens


# ---------------------------------------------------------------------------
# Parser -> AST
# ---------------------------------------------------------------------------


class _Num(NamedTuple):
    offset: int
    value: float


class _Str(NamedTuple):
    offset: int
    value: str


class _Bool(NamedTuple):
    offset: int
    value: bool


class _Name(NamedTuple):
    offset: int
    name: str


class _Call(NamedTuple):
    offset: int
    name: str
    args: tuple[_Node, ...]


class _Unary(NamedTuple):
    offset: int
    op: str  # "-" or "not"
    operand: _Node


class _Binary(NamedTuple):
    offset: int  # offset of the operator
    op: str
    left: _Node
    right: _Node


class _Logic(NamedTuple):
    offset: int
    op: str  # "and" / "or"
    operands: tuple[_Node, ...]


_Node = _Num | _Str | _Bool | _Name | _Call | _Unary | _Binary | _Logic


def _describe_token(tok: _Token) -> str:
    if tok.kind == "eof":
        return "the end of the condition"
    if tok.kind == "str":
        return "quoted text"
    return repr(tok.text)


class _Parser:
    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.depth = 0

    def peek(self) -> _Token:
        return self.tokens[self.pos]

    def advance(self) -> _Token:
        tok = self.tokens[self.pos]
        if tok.kind != "eof":
            self.pos += 1
        return tok

    def at_keyword(self, word: str) -> bool:
        tok = self.tokens[self.pos]
        return tok.kind == "name" and tok.text == word

    def at_op(self, ops: Collection[str]) -> bool:
        tok = self.tokens[self.pos]
        return tok.kind == "op" and tok.text in ops

    def enter(self, tok: _Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _SyntaxProblem(
                tok.offset,
                f"condition is nested too deeply (more than {MAX_DEPTH} levels of "
                "parentheses, 'not' and '-')",
            )

    def parse(self) -> _Node:
        if self.peek().kind == "eof":
            raise _SyntaxProblem(0, "condition is empty")
        node = self.parse_or()
        tok = self.peek()
        if tok.kind != "eof":
            if tok.kind == "op" and tok.text == ")":
                raise _SyntaxProblem(tok.offset, "unmatched ')'")
            raise _SyntaxProblem(
                tok.offset,
                f"unexpected {_describe_token(tok)}: expected 'and', 'or', an operator "
                "or the end of the condition",
            )
        return node

    def parse_logic(self, word: str, sub: Callable[[], _Node]) -> _Node:
        first = sub()
        operands = [first]
        while self.at_keyword(word):
            self.advance()
            operands.append(sub())
        if len(operands) == 1:
            return first
        return _Logic(first.offset, word, tuple(operands))

    def parse_or(self) -> _Node:
        return self.parse_logic("or", self.parse_and)

    def parse_and(self) -> _Node:
        return self.parse_logic("and", self.parse_not)

    def parse_not(self) -> _Node:
        if self.at_keyword("not"):
            tok = self.advance()
            self.enter(tok)
            operand = self.parse_not()
            self.depth -= 1
            return _Unary(tok.offset, "not", operand)
        return self.parse_cmp()

    def parse_cmp(self) -> _Node:
        left = self.parse_sum()
        if not self.at_op(_COMPARISONS):
            return left
        op = self.advance()
        right = self.parse_sum()
        if self.at_op(_COMPARISONS):
            nxt = self.peek()
            raise _SyntaxProblem(
                nxt.offset,
                f"comparisons can't be chained; write 'a {op.text} b and b {nxt.text} c' instead",
            )
        return _Binary(op.offset, op.text, left, right)

    def parse_sum(self) -> _Node:
        node = self.parse_prod()
        while self.at_op(("+", "-")):
            op = self.advance()
            node = _Binary(op.offset, op.text, node, self.parse_prod())
        return node

    def parse_prod(self) -> _Node:
        node = self.parse_unary()
        while self.at_op(("*", "/")):
            op = self.advance()
            node = _Binary(op.offset, op.text, node, self.parse_unary())
        return node

    def parse_unary(self) -> _Node:
        if self.at_op(("-",)):
            tok = self.advance()
            self.enter(tok)
            operand = self.parse_unary()
            self.depth -= 1
            return _Unary(tok.offset, "-", operand)
        return self.parse_atom()

    def parse_atom(self) -> _Node:
        tok = self.advance()
        if tok.kind == "num":
            return _Num(tok.offset, tok.number)
        if tok.kind == "str":
            return _Str(tok.offset, tok.text)
        if tok.kind == "name":
            if tok.text in ("true", "false"):
                return _Bool(tok.offset, tok.text == "true")
            if tok.text in _KEYWORDS:
                hint = " (put 'not ...' in parentheses)" if tok.text == "not" else ""
                raise _SyntaxProblem(tok.offset, f"expected a value, found '{tok.text}'{hint}")
            if self.at_op(("(",)):
                return self.parse_call(tok)
            return _Name(tok.offset, tok.text)
        if tok.kind == "op" and tok.text == "(":
            self.enter(tok)
            node = self.parse_or()
            self.depth -= 1
            close = self.peek()
            if not (close.kind == "op" and close.text == ")"):
                raise _SyntaxProblem(
                    close.offset,
                    f"expected ')' to close the '(' at character {tok.offset + 1}, "
                    f"found {_describe_token(close)}",
                )
            self.advance()
            return node
        if tok.kind == "eof":
            raise _SyntaxProblem(tok.offset, "condition ends too early: expected a value")
        raise _SyntaxProblem(tok.offset, f"expected a value, found {_describe_token(tok)}")

    def parse_call(self, name: _Token) -> _Node:
        paren = self.advance()
        self.enter(paren)
        args: list[_Node] = []
        if not self.at_op((")",)):
            args.append(self.parse_or())
            while self.at_op((",",)):
                self.advance()
                args.append(self.parse_or())
        close = self.peek()
        if not (close.kind == "op" and close.text == ")"):
            raise _SyntaxProblem(
                close.offset,
                f"expected ',' or ')' in the arguments of {name.text}(), found {_describe_token(close)}",
            )
        self.advance()
        self.depth -= 1
        return _Call(name.offset, name.text, tuple(args))


# ---------------------------------------------------------------------------
# Reading a condition in parts (a goal shown as a checklist)
# ---------------------------------------------------------------------------


def conjuncts(text: str) -> list[str]:
    """The parts of ``text`` joined by a top-level ``and``, as written (spaces tidied): each
    must hold for the whole to hold. A condition with a top-level ``or``, or one that does
    not read, is one part."""
    words = _top_level_words(text)
    if words is None or any(tok.text == "or" for tok in words):
        return [" ".join(text.split())]
    return _cut(text, [tok for tok in words if tok.text == "and"])


def disjuncts(text: str) -> list[str]:
    """The alternatives of ``text`` joined by a top-level ``or``, as written, without the
    brackets around the whole or around each: one must hold for the whole to hold
    (``(a and b) or c`` gives ``a and b`` and ``c``). Without an ``or``: the one alternative."""
    text = _unbracketed(text)
    words = _top_level_words(text)
    if words is None:
        return [" ".join(text.split())]
    return [_unbracketed(part) for part in _cut(text, [tok for tok in words if tok.text == "or"])]


def _top_level_words(text: str) -> list[_Token] | None:
    """The ``and`` and ``or`` outside every bracket of ``text``; None if it does not read."""
    try:
        tokens = _tokenize(text)
    except _SyntaxProblem:
        return None
    depth, words = 0, []
    for tok in tokens:
        if tok.kind == "op" and tok.text in "()":
            depth += 1 if tok.text == "(" else -1
        elif depth == 0 and tok.kind == "name" and tok.text in ("and", "or"):
            words.append(tok)
    return words


def _cut(text: str, words: list[_Token]) -> list[str]:
    """``text`` cut at each of ``words``, which are left out (spaces tidied)."""
    bounds = [0, *(tok.offset + len(tok.text) for tok in words)]
    ends = [*(tok.offset for tok in words), len(text)]
    return [" ".join(text[start:end].split()) for start, end in zip(bounds, ends, strict=True)]


def _unbracketed(text: str) -> str:
    """``text`` without brackets around the whole of it: ``((a or b))`` is ``a or b``."""
    text = " ".join(text.split())
    try:
        tokens = _tokenize(text)
    except _SyntaxProblem:
        return text
    first, last = tokens[0], tokens[-2] if len(tokens) > 2 else tokens[0]
    if not (first.kind == last.kind == "op" and (first.text, last.text) == ("(", ")")):
        return text
    depth = 0
    for tok in tokens[:-2]:  # the whole is in brackets if the first one closes only at the end
        if tok.kind == "op" and tok.text in "()":
            depth += 1 if tok.text == "(" else -1
            if depth == 0:
                return text
    return _unbracketed(text[1 : last.offset])


def comparison_sides(text: str) -> tuple[str, str] | None:
    """The two sides of a condition that is one comparison at its top level
    (``valuation(me) >= 10 * start_valuation(me)``), or None."""
    try:
        tokens = _tokenize(text)
    except _SyntaxProblem:
        return None
    depth, found = 0, []
    for tok in tokens:
        if tok.kind == "op" and tok.text in "()":
            depth += 1 if tok.text == "(" else -1
        elif depth == 0 and tok.kind == "op" and tok.text in _COMPARISONS:
            found.append(tok)
        elif depth == 0 and tok.kind == "name" and tok.text in ("and", "or", "not"):
            return None
    if len(found) != 1:
        return None
    op = found[0]
    return text[: op.offset].strip(), text[op.offset + len(op.text) :].strip()
