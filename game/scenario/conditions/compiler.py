"""Type-checking a parsed condition and compiling it into nested closures, so evaluating it
every turn is cheap; and the public types a caller meets: :class:`Signature`, :class:`Condition`,
:class:`ConditionError` and :class:`ConditionProblem`.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any, Final, NamedTuple, Protocol

from game.calendar import quarter_index
from game.scenario.conditions.syntax import (
    _COMPARISONS,
    MAX_TEXT_LENGTH,
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
from game.words import count

NUMBER: Final = "number"
BOOL: Final = "bool"
QUARTER: Final = "quarter"
FIRM: Final = "firm"
TYPES: Final = frozenset({NUMBER, BOOL, QUARTER, FIRM})
_STRING: Final = "string"  # internal: a literal whose meaning depends on context

_DESCRIBE: Final = {
    NUMBER: "a number",
    BOOL: "true/false",
    QUARTER: "a quarter",
    FIRM: "a firm",
    _STRING: "quoted text",
}


# ---------------------------------------------------------------------------
# Public data types
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Signature:
    """Type signature of a metric function, e.g. ``Signature(("firm",), "number")``;
    ``about``: the kind of firm it means something for (``capability`` is a lab's), if one."""

    args: tuple[str, ...]
    returns: str
    about: str | None = None

    def __post_init__(self) -> None:
        for t in (*self.args, self.returns):
            if t not in TYPES:
                raise ValueError(f"unknown type {t!r} in signature (known: {sorted(TYPES)})")


@dataclass(frozen=True, slots=True)
class ConditionProblem:
    """One problem in a condition; ``offset`` is a 0-based index into the text."""

    offset: int
    message: str

    def __str__(self) -> str:
        return f"at {self.offset}: {self.message}"


class ConditionError(ValueError):
    """Raised by :func:`compile_condition`; ``.problems`` lists every problem found."""

    def __init__(self, text: str, problems: list[ConditionProblem]) -> None:
        self.text = text
        self.problems = sorted(problems, key=lambda p: p.offset)
        shown = text if len(text) <= 120 else text[:117] + "..."
        lines = [f"invalid condition {shown!r}:"]
        lines.extend(f"  {p}" for p in self.problems)
        super().__init__("\n".join(lines))


class Env(Protocol):
    """What :meth:`Condition.evaluate` needs from the game state."""

    def value(self, name: str) -> object: ...

    def call(self, name: str, args: tuple[object, ...]) -> object: ...


_Fn = Callable[[Any], Any]


class Condition:
    """A compiled, type-checked condition.  Create with :func:`compile_condition`."""

    __slots__ = ("_fn", "firms_used", "functions_used", "names_used", "result_type", "text")

    def __init__(
        self,
        text: str,
        fn: _Fn,
        *,
        result_type: str,
        names_used: frozenset[str],
        functions_used: frozenset[str],
        firms_used: frozenset[str],
    ) -> None:
        self.text = text
        self.result_type = result_type
        self.names_used = names_used
        self.functions_used = functions_used
        self.firms_used = firms_used
        self._fn = fn

    def evaluate(self, env: Env) -> bool | float:
        """Evaluate against ``env`` (``env.value(name)`` / ``env.call(name, args)``)."""
        result: bool | float = self._fn(env)
        return result

    def __repr__(self) -> str:
        return f"Condition({self.text!r})"


# ---------------------------------------------------------------------------
# Type checker + closure compiler
# ---------------------------------------------------------------------------


def _never(env: Any) -> Any:  # pragma: no cover - only used when compilation fails
    raise AssertionError("broken condition evaluated")


def _safe_div(a: Any, b: Any) -> Any:
    # Division by zero yields 0.0 instead of raising: a condition is evaluated every
    # turn of a running game (often on ratios like debt / revenue where the
    # denominator can legitimately hit zero) and must never crash the game.
    return a / b if b else 0.0


_OPERATORS: Final[dict[str, Callable[[Any, Any], Any]]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": _safe_div,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}


class _Typed(NamedTuple):
    """Result of checking a node.  ``type`` is None when an error was already reported."""

    type: str | None
    fn: _Fn = _never
    is_const: bool = False
    value: Any = None
    name: str | None = None  # set for bare names, enables a faster closure


def _const(type_: str, value: Any) -> _Typed:
    return _Typed(type_, lambda env: value, True, value)


def _suggest(word: str, candidates: Collection[str]) -> str:
    import difflib  # only for a mistake: a valid condition never needs it

    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    if not matches:
        lowered = {c.lower(): c for c in candidates}
        if word.lower() in lowered:
            matches = [lowered[word.lower()]]
    return f" (did you mean '{matches[0]}'?)" if matches else ""


class _Checker:
    def __init__(
        self,
        functions: Mapping[str, Signature],
        names: Mapping[str, str],
        firms: Collection[str],
        elsewhere: Mapping[str, str],
        unchecked_firms: Collection[str] = (),
        kinds: Mapping[str, str | None] | None = None,
    ) -> None:
        self.functions = functions
        self.names = names
        self.firms = firms
        self.kinds = kinds or {}
        self.unchecked_firms = unchecked_firms
        self.elsewhere = elsewhere
        # the name quoted quarters are compared with ("quarter"), for the hints about them
        self.quarter = next((name for name, type_ in names.items() if type_ == QUARTER), None)
        self.problems: list[ConditionProblem] = []
        self.names_used: set[str] = set()
        self.functions_used: set[str] = set()
        self.firms_used: set[str] = set()

    def problem(self, offset: int, message: str) -> None:
        self.problems.append(ConditionProblem(offset, message))

    # -- string literals -------------------------------------------------

    def coerce(self, typed: _Typed, target: str, offset: int) -> _Typed:
        """Turn a string literal into a firm or quarter constant (reporting problems)."""
        if typed.type != _STRING:
            return typed
        text = str(typed.value)
        if target == FIRM:
            if text not in self.firms and text not in self.unchecked_firms:
                self.problem(offset, f"unknown firm '{text}'{_suggest(text, self.firms)}")
                return _Typed(None)
            self.firms_used.add(text)
            return _const(FIRM, text)
        if target == QUARTER:
            try:
                index = quarter_index(text)
            except ValueError as exc:
                self.problem(offset, str(exc))
                return _Typed(None)
            return _const(QUARTER, index)
        self.problem(offset, self.string_misuse(text))
        return _Typed(None)

    def string_misuse(self, text: str) -> str:
        """Why quoted text cannot stand here, and what was meant when it plainly reads as a
        quarter or a number (quotes are not wrong for a quarter: it is in the wrong place)."""
        shown = text if len(text) <= 40 else text[:37] + "..."
        start = f'quoted text "{shown}" is not allowed here'
        if self.quarter is not None and _is_quarter(text):
            return f'{start}: a quarter is compared with {self.quarter}, like {self.quarter} >= "{shown}"'
        if _is_number(text):
            return f"{start}: write a number without quotes, like {shown}"
        return f'{start}: quotes are only for firm ids and quarters like "2025-Q3"'

    # -- nodes -------------------------------------------------------------

    def check(self, node: _Node) -> _Typed:
        if isinstance(node, _Num):
            return _const(NUMBER, node.value)
        if isinstance(node, _Bool):
            return _const(BOOL, node.value)
        if isinstance(node, _Str):
            return _Typed(_STRING, is_const=True, value=node.value)
        if isinstance(node, _Name):
            return self.check_name(node)
        if isinstance(node, _Call):
            return self.check_call(node)
        if isinstance(node, _Unary):
            return self.check_unary(node)
        if isinstance(node, _Logic):
            return self.check_logic(node)
        if node.op in _COMPARISONS:
            return self.check_compare(node)
        return self.check_arith(node)

    def expect_type(self, node: _Node, want: str, message: str) -> _Typed:
        """Check ``node`` and require type ``want``; ``message`` gets the actual type."""
        typed = self.check(node)
        if typed.type == _STRING:
            self.problem(node.offset, self.string_misuse(str(typed.value)))
            return _Typed(None)
        if typed.type is not None and typed.type != want:
            self.problem(node.offset, message.format(_DESCRIBE[typed.type]))
            return _Typed(None)
        return typed

    def check_name(self, node: _Name) -> _Typed:
        name = node.name
        if name in self.names:
            self.names_used.add(name)
            return _Typed(self.names[name], lambda env: env.value(name), name=name)
        if name in self.functions:
            sig = self.functions[name]
            example = ", ".join(sig.args)
            self.problem(node.offset, f"'{name}' is a metric and needs arguments: {name}({example})")
        elif name in self.firms:
            self.problem(node.offset, f'firm ids must be quoted: write "{name}"')
        elif name in self.elsewhere:
            self.problem(node.offset, self.elsewhere[name])
        elif len(name) == 2 and name[0] in "Qq" and name[1] in "1234":
            self.problem(node.offset, f"unknown name '{name}' (quarters must be quoted, like \"2025-Q3\")")
        else:
            candidates = [*self.names, "true", "false"]
            self.problem(node.offset, f"unknown name '{name}'{_suggest(name, candidates)}")
        return _Typed(None)

    def check_call(self, node: _Call) -> _Typed:
        name = node.name
        sig = self.functions.get(name)
        if sig is None:
            if name in self.names:
                self.problem(node.offset, f"'{name}' is not a metric; write it without '(...)'")
            else:
                suggestion = _suggest(name, self.functions)
                self.problem(node.offset, f"unknown metric '{name}'{suggestion}")
            for arg in node.args:
                self.check(arg)  # still report problems inside the arguments
            return _Typed(None)
        self.functions_used.add(name)
        want, got = len(sig.args), len(node.args)
        ok = want == got
        if not ok:
            if want == 0:
                self.problem(node.offset, f"{name}() takes no arguments, got {got}")
            else:
                kinds = ", ".join(_DESCRIBE[t] for t in sig.args)
                self.problem(
                    node.offset,
                    f"{name}() takes {count(want, 'argument')} ({kinds}), got {got}",
                )
        fns: list[_Fn] = []
        consts: list[Any] = []
        all_const = True
        for i, arg in enumerate(node.args):
            typed = self.check(arg)
            if i >= want:
                continue
            expected = sig.args[i]
            if typed.type == _STRING:
                typed = self.coerce(typed, expected, arg.offset)
            if typed.type is None:
                ok = False
                continue
            if typed.type != expected:
                self.problem(
                    arg.offset,
                    f"argument {i + 1} of {name}() must be {_DESCRIBE[expected]}, "
                    f"got {_DESCRIBE[typed.type]}",
                )
                ok = False
                continue
            if i == 0 and typed.is_const:
                self.check_kind(name, sig, str(typed.value), arg.offset)
            fns.append(typed.fn)
            consts.append(typed.value)
            all_const = all_const and typed.is_const
        if not ok:
            return _Typed(sig.returns)
        return _Typed(sig.returns, _call_closure(name, fns, consts, all_const))

    def check_kind(self, name: str, sig: Signature, firm: str, offset: int) -> None:
        """A metric of one kind of firm asked of another is the same every quarter (the
        capability of a chipmaker is 0): never what the author meant."""
        kind = self.kinds.get(firm)
        if sig.about is not None and kind is not None and kind != sig.about:
            self.problem(offset, f"'{firm}' is a {kind}; {name}() is about {sig.about}s")

    def check_unary(self, node: _Unary) -> _Typed:
        if node.op == "not":
            typed = self.expect_type(node.operand, BOOL, "'not' needs true/false, got {}")
            if typed.type is None:
                return _Typed(BOOL)
            f = typed.fn
            return _Typed(BOOL, lambda env: not f(env))
        typed = self.expect_type(node.operand, NUMBER, "'-' needs a number, got {}")
        if typed.type is None:
            return _Typed(None)  # unknown rather than NUMBER: avoids follow-on complaints
        if typed.is_const:
            return _const(NUMBER, -typed.value)
        g = typed.fn
        return _Typed(NUMBER, lambda env: -g(env))

    def check_logic(self, node: _Logic) -> _Typed:
        message = f"'{node.op}' needs true/false on both sides, got {{}}"
        parts = [self.expect_type(operand, BOOL, message) for operand in node.operands]
        if any(p.type is None for p in parts):
            return _Typed(BOOL)
        fns = tuple(p.fn for p in parts)
        if node.op == "and":
            if len(fns) == 2:
                a, b = fns
                return _Typed(BOOL, lambda env: a(env) and b(env))

            def all_of(env: Any) -> Any:
                return all(f(env) for f in fns)

            return _Typed(BOOL, all_of)
        if len(fns) == 2:
            a, b = fns
            return _Typed(BOOL, lambda env: a(env) or b(env))

        def any_of(env: Any) -> Any:
            return any(f(env) for f in fns)

        return _Typed(BOOL, any_of)

    def check_arith(self, node: _Binary) -> _Typed:
        message = f"'{node.op}' needs numbers on both sides, got {{}}"
        left = self.expect_type(node.left, NUMBER, message)
        right = self.expect_type(node.right, NUMBER, message)
        if left.type is None or right.type is None:
            return _Typed(None)  # unknown rather than NUMBER: avoids follow-on complaints
        op = _OPERATORS[node.op]
        if left.is_const and right.is_const:
            return _const(NUMBER, op(left.value, right.value))
        return _Typed(NUMBER, _binary_closure(op, left, right))

    def check_compare(self, node: _Binary) -> _Typed:
        left = self.check(node.left)
        right = self.check(node.right)
        lt, rt = left.type, right.type
        if lt == _STRING and rt == _STRING:
            self.problem(
                node.offset,
                "can't compare two quoted texts; compare a metric or name with a firm or quarter",
            )
            return _Typed(BOOL)
        if lt == _STRING:
            left = self.coerce_for_compare(left, rt, node.left.offset, node.right, node.op)
        elif rt == _STRING:
            right = self.coerce_for_compare(right, lt, node.right.offset, node.left, node.op)
        lt, rt = left.type, right.type
        if lt is None or rt is None:
            return _Typed(BOOL)
        if lt != rt:
            self.problem(node.offset, f"can't compare {_DESCRIBE[lt]} with {_DESCRIBE[rt]} using '{node.op}'")
            return _Typed(BOOL)
        if lt in (FIRM, BOOL) and node.op not in ("==", "!="):
            plural = "firms" if lt == FIRM else "true/false values"
            self.problem(node.offset, f"'{node.op}' doesn't work on {plural}; only == and != do")
            return _Typed(BOOL)
        return _Typed(BOOL, _binary_closure(_OPERATORS[node.op], left, right))

    def coerce_for_compare(
        self, lit: _Typed, other: str | None, offset: int, beside: _Node, op: str
    ) -> _Typed:
        """The quoted text ``lit`` compared (``op``) with ``beside``, of type ``other``."""
        if other is None:
            return _Typed(None)  # the other side already has a problem
        if other in (FIRM, QUARTER):
            return self.coerce(lit, other, offset)
        text = str(lit.value)
        if isinstance(beside, _Name) and self.quarter is not None and _is_quarter(text):
            # turn >= "2026-Q2": the number of quarters played is no date
            message = (
                f"'{beside.name}' is a number, not a quarter: to compare with \"{text}\", "
                f'write {self.quarter} {op} "{text}"'
            )
            self.problem(beside.offset, message)
        else:
            self.problem(offset, self.string_misuse(text))
        return _Typed(None)


def _is_quarter(text: str) -> bool:
    try:
        quarter_index(text)
    except ValueError:
        return False
    return True


def _is_number(text: str) -> bool:
    """True if ``text`` without its quotes is a number a condition reads ("300", "5 bn")."""
    try:
        tokens = _tokenize(text)
    except _SyntaxProblem:
        return False
    return [t.kind for t in tokens] == ["num", "eof"]


def _call_closure(name: str, fns: list[_Fn], consts: list[Any], all_const: bool) -> _Fn:
    if all_const:
        args = tuple(consts)
        return lambda env: env.call(name, args)
    if len(fns) == 1:
        (f0,) = fns
        return lambda env: env.call(name, (f0(env),))
    if len(fns) == 2:
        f0, f1 = fns
        return lambda env: env.call(name, (f0(env), f1(env)))
    fs = tuple(fns)
    return lambda env: env.call(name, tuple([f(env) for f in fs]))


def _binary_closure(op: Callable[[Any, Any], Any], left: _Typed, right: _Typed) -> _Fn:
    lf, rf = left.fn, right.fn
    if right.is_const:
        c = right.value
        if left.name is not None:
            n = left.name
            return lambda env: op(env.value(n), c)
        return lambda env: op(lf(env), c)
    if left.is_const:
        c = left.value
        return lambda env: op(c, rf(env))
    return lambda env: op(lf(env), rf(env))


# ---------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------


def compile_condition(
    text: str,
    *,
    functions: Mapping[str, Signature],
    names: Mapping[str, str],
    firms: Collection[str],
    expect: str = BOOL,
    elsewhere: Mapping[str, str] | None = None,
    unchecked_firms: Collection[str] = (),
    kinds: Mapping[str, str | None] | None = None,
) -> Condition:
    """Parse and type-check ``text``; return a fast, reusable :class:`Condition`.

    ``functions`` maps metric names to signatures, ``names`` maps bare names to
    types, ``firms`` holds the known firm ids.  ``expect`` is the type the whole
    expression must have: ``"bool"`` (default), ``"number"`` or ``"quarter"``.
    ``elsewhere`` maps names that only mean something in other conditions to what to
    tell an author who uses one here (``me`` outside goals). ``unchecked_firms`` are
    accepted as firms but never suggested: ids that are mistakes of their own, reported
    where they are written. ``kinds`` maps firm ids to their kinds (None when unknown), for
    the metrics that are about one kind (``Signature.about``).
    Raises :class:`ConditionError` listing every problem found.
    """
    if not isinstance(text, str):
        raise TypeError(f"condition text must be a str, got {type(text).__name__}")
    if expect not in (BOOL, NUMBER, QUARTER):
        raise ValueError(f"expect must be 'bool', 'number' or 'quarter', got {expect!r}")
    for name, type_ in names.items():
        if type_ not in TYPES:
            raise ValueError(f"name {name!r} has unknown type {type_!r}")
    if len(text) > MAX_TEXT_LENGTH:
        raise ConditionError(
            text,
            [
                ConditionProblem(
                    MAX_TEXT_LENGTH,
                    f"condition is too long: {len(text)} characters, at most {MAX_TEXT_LENGTH} allowed",
                )
            ],
        )
    try:
        tree = _Parser(_tokenize(text)).parse()
    except _SyntaxProblem as exc:
        raise ConditionError(text, [ConditionProblem(exc.offset, exc.message)]) from None

    checker = _Checker(functions, names, firms, elsewhere or {}, unchecked_firms, kinds)
    typed = checker.check(tree)
    if typed.type == _STRING and expect in (QUARTER, FIRM):
        typed = checker.coerce(typed, expect, tree.offset)
    elif typed.type == _STRING:
        checker.problem(tree.offset, checker.string_misuse(str(typed.value)))
    elif typed.type is not None and typed.type != expect:
        checker.problem(
            tree.offset,
            f"the condition must give {_DESCRIBE[expect]}, but it gives {_DESCRIBE[typed.type]}",
        )
    if checker.problems:
        raise ConditionError(text, checker.problems)

    inner = typed.fn
    fn: _Fn
    if expect == BOOL:
        fn = lambda env: bool(inner(env))  # noqa: E731
    elif expect == NUMBER:
        fn = lambda env: float(inner(env))  # noqa: E731
    else:
        fn = inner
    return Condition(
        text,
        fn,
        result_type=expect,
        names_used=frozenset(checker.names_used),
        functions_used=frozenset(checker.functions_used),
        firms_used=frozenset(checker.firms_used),
    )
