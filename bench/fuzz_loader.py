"""Fuzz the scenario loader. Run: python bench/fuzz_loader.py [--inputs 20000] [--seed 1]

Every input is a mutated bundled scenario (lines deleted, duplicated or swapped, characters
flipped, TOML fragments inserted, numbers made huge, negative, nan or inf, ids changed,
conditions scrambled, the file cut short) or random bytes. Each must be accepted or refused
with a ``ScenarioError`` whose problems all have a line >= 1, a column >= 1 and a message;
any other exception, or an input that takes longer than ``--time-limit`` seconds, is a
failure. The script prints how many inputs it tried and the slowest one, and writes each
failing input to ``--failures`` (a folder) so it can be replayed.

The same mutations drive the hypothesis test in ``tests/hardening/test_loader_fuzz.py``:
``mutate`` takes a ``Chooser``, which either draws from ``random.Random`` (this script) or
from hypothesis (the test, which can then shrink a failing input).
"""

from __future__ import annotations

import argparse
import random
import re
import signal
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from game.scenario.loader import BUNDLED_DIR, ScenarioError, parse_scenario  # noqa: E402

T = TypeVar("T")


class Chooser(Protocol):
    def integer(self, low: int, high: int) -> int: ...  # both ends included

    def choice(self, options: Sequence[T]) -> T: ...

    def raw(self, most: int) -> bytes: ...


class RandomChooser:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def integer(self, low: int, high: int) -> int:
        return self.rng.randint(low, high)

    def choice(self, options: Sequence[T]) -> T:
        return options[self.rng.randrange(len(options))]

    def raw(self, most: int) -> bytes:
        return self.rng.randbytes(self.rng.randint(0, most))


def sources() -> list[tuple[str, str]]:
    """Every bundled scenario and the tests' small one, as (name, text)."""
    files = [*sorted(BUNDLED_DIR.glob("*.toml")), ROOT / "tests" / "data" / "mini.toml"]
    return [(path.name, path.read_text(encoding="utf-8")) for path in files if path.is_file()]


# --- the mutations ------------------------------------------------------------------------------

CHARACTERS = [*"\"'[]{}=.,#\\\n\r\t -_+0189aeEQxz", "\x00", "\x7f", "\u2028", "\ufeff", "é", "😀", "\udcff"]
NUMBERS = [
    "0", "-1", "-0.0", "1e308", "-1e308", "1e400", "-1e400", "1e-400", "nan", "+nan", "-nan", "inf",
    "+inf", "-inf", "9" * 30, "9" * 5000, "-" + "9" * 20, "0x7fffffffffffffff", "0b11", "0o17", "1_000",
    "1__0", "01", "3.", ".5", "4.0e", "1e", "true", '"1 bn"', '"-5 bn"', '"1' + " " * 300 + '!"',
    '"nan bn"', '"1e999"', "2024-01-01", "07:30:00", "[]", "{}", '"2025-Q3"',
]  # fmt: skip
IDS = [
    "", "X", "a" * 41, "a" * 5000, "../../../etc/passwd", "/etc/shadow", "http://127.0.0.1:9/x.toml",
    "file:///etc/passwd", "__import__('os').system('touch /tmp/pwned')", "target", "é", "a b", "me",
    "${HOME}", "{{7*7}}", "\\u0000",
]  # fmt: skip
CONDITION_WORDS = [
    "valuation", "(", ")", '"redlab"', "'anthropic'", "me", "and", "or", "not", ">", ">=", "==", "!=",
    "+", "-", "*", "/", "300bn", "1e999", "nan", "quarter", '"2025-Q3"', "true", "false", ",", "__import__",
    "eval", "open", "lambda", "x.y", "[0]", ";", "&&", "=", '"', "\\",
]  # fmt: skip
FRAGMENTS = [
    "[meta]", "[[firms]]", "[[events]]", "[[stakes]]", "[[commitments]]", "[[options]]", "[market]",
    "[goals]", "[goals.lab]", "[teaching]", "x = 1", "a.b.c = 2", "= 3", 'id = "redlab"', "[firms]",
    "firms = []", "meta = 1", '"""', "'''", "[", "{", "]]", "# comment", 'k = """\nmulti\n"""',
    "k = '\\'", 'k = "\\"', "k = { a = 1, a = 2 }", "k = [1, 'a']", "[a]\n[a]", "k = 1979-05-27T07:32:00Z",
    'condition = "quarter >= \\"2024-Q2\\""', 'when = "2099-Q1"', 'when = "0000-Q0"', "quarters = 400",
    "quarters = 401", "probability = 1.5", 'kind = "bank"', 'colour = "red"', 'personality = "mad"',
    "share = 0.99", "share = 1", 'effects = [{ do = "explode" }]', 'effects = [{ do = "invest" }]',
    'choices = [{ label = "only one" }]', "include = '/etc/passwd'", 'url = "http://127.0.0.1:9/"',
    'path = "../../secrets.toml"', "\ufeff", "\r\n", "\x00",
]  # fmt: skip
NUMBER = re.compile(r"(?<![\w.\"'-])[-+]?\d[\d_]*(?:\.\d+)?(?:[eE][-+]?\d+)?(?![\w.\"'])")
STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')
CONDITION = re.compile(r'^((?:condition|win|lose|collapse)\s*=\s*)"(?:[^"\\\n]|\\.)*"', re.MULTILINE)
HEADER = re.compile(r"^\[\[?[^\]\n]*\]\]?", re.MULTILINE)


def _lines(text: str) -> list[str]:
    return text.split("\n")


def delete_lines(c: Chooser, text: str) -> str:
    lines = _lines(text)
    start = c.integer(0, len(lines) - 1)
    del lines[start : start + c.integer(1, 5)]
    return "\n".join(lines)


def duplicate_lines(c: Chooser, text: str) -> str:
    lines = _lines(text)
    start = c.integer(0, len(lines) - 1)
    chunk = lines[start : start + c.integer(1, 12)]
    at = c.integer(0, len(lines))
    return "\n".join(lines[:at] + chunk + lines[at:])


def swap_lines(c: Chooser, text: str) -> str:
    lines = _lines(text)
    i, j = c.integer(0, len(lines) - 1), c.integer(0, len(lines) - 1)
    lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines)


def flip_characters(c: Chooser, text: str) -> str:
    chars = list(text)
    for _ in range(c.integer(1, 4)):
        if not chars:
            break
        chars[c.integer(0, len(chars) - 1)] = c.choice(CHARACTERS)
    return "".join(chars)


def insert_fragment(c: Chooser, text: str) -> str:
    lines = _lines(text)
    at = c.integer(0, len(lines))
    return "\n".join([*lines[:at], c.choice(FRAGMENTS), *lines[at:]])


def _replace_match(c: Chooser, text: str, pattern: re.Pattern[str], replacement: Callable[[str], str]) -> str:
    matches = list(pattern.finditer(text))
    if not matches:
        return text
    match = c.choice(matches)
    return text[: match.start()] + replacement(match.group(0)) + text[match.end() :]


def change_number(c: Chooser, text: str) -> str:
    return _replace_match(c, text, NUMBER, lambda _: c.choice(NUMBERS))


def change_string(c: Chooser, text: str) -> str:
    """Replace a quoted value by another one from the file (a firm id where another is
    expected, a quarter, a kind) or by an odd one (paths, URLs, code, very long text)."""
    found = [m.group(0) for m in STRING.finditer(text)]
    if not found:
        return text
    odd = c.choice(IDS)
    pick = c.choice(found) if c.integer(0, 1) else '"' + odd.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return _replace_match(c, text, STRING, lambda _: pick)


def change_condition(c: Chooser, text: str) -> str:
    words = [c.choice(CONDITION_WORDS) for _ in range(c.integer(0, 12))]
    if c.integer(0, 3) == 0:
        depth = c.integer(1, 400)
        words = ["("] * depth + words + [")"] * c.integer(0, depth)
    body = " ".join(words).replace("\\", "\\\\").replace('"', '\\"')
    return _replace_match(c, text, CONDITION, lambda old: old[: old.index("=") + 1] + f' "{body}"')


def change_header(c: Chooser, text: str) -> str:
    headers = [m.group(0) for m in HEADER.finditer(text)] or ["[meta]"]
    pick = c.choice([*headers, "[[firms]]", "[meta]", "[[meta]]", "[firms]", "[goals.hyperscaler]"])
    return _replace_match(c, text, HEADER, lambda _: pick)


def duplicate_table(c: Chooser, text: str) -> str:
    """Copy a whole table (a firm, an event) so that ids repeat and lists grow."""
    starts = [m.start() for m in HEADER.finditer(text)]
    if not starts:
        return text
    k = c.integer(0, len(starts) - 1)
    end = starts[k + 1] if k + 1 < len(starts) else len(text)
    block = text[starts[k] : end]
    return text[:end] + block * c.integer(1, 3) + text[end:]


def nest_deeply(c: Chooser, text: str) -> str:
    depth = c.integer(1, 3000)
    opener, closer = c.choice([("[", "]"), ("{ a = ", " }"), ("[{ a = ", " }]")])
    value = opener * depth + "1" + closer * c.integer(depth - 1, depth)
    lines = _lines(text)
    at = c.integer(0, len(lines))
    return "\n".join([*lines[:at], f"deep = {value}", *lines[at:]])


def cut_short(c: Chooser, text: str) -> str:
    return text[: c.integer(0, len(text))]


def line_endings(c: Chooser, text: str) -> str:
    endings = [text.replace("\n", "\r\n"), "\ufeff" + text, text.rstrip("\n"), text.replace("\n", "\r")]
    return c.choice(endings)


MUTATIONS: list[Callable[[Chooser, str], str]] = [
    delete_lines, duplicate_lines, swap_lines, flip_characters, insert_fragment, change_number,
    change_number, change_string, change_string, change_condition, change_header, duplicate_table,
    nest_deeply, cut_short, line_endings,
]  # fmt: skip


def mutate(c: Chooser, sources: Sequence[tuple[str, str]]) -> tuple[str, bytes]:
    """One fuzz input: (a short description, the bytes)."""
    kind = c.integer(0, 19)
    if kind == 0:
        return "random bytes", c.raw(2000)
    name, text = c.choice(sources)
    done = []
    for _ in range(c.integer(1, 4)):
        mutation = c.choice(MUTATIONS)
        text = mutation(c, text)
        done.append(mutation.__name__)
    data = text.encode("utf-8", "surrogatepass")  # a lone surrogate makes the bytes invalid UTF-8
    if kind == 1:  # random bytes spliced in
        at = c.integer(0, len(data))
        data = data[:at] + c.raw(40) + data[at:]
        done.append("splice bytes")
    return f"{name}: {', '.join(done)}", data


# --- the check ------------------------------------------------------------------------------


class TooSlow(Exception):
    pass


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise TooSlow in the main thread after ``seconds`` (a hang, not just a slow input)."""

    def expired(signum: int, frame: object) -> None:
        raise TooSlow(f"no answer after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass(frozen=True)
class Verdict:
    accepted: bool
    seconds: float
    problems: int


def check(data: bytes, filename: str = "fuzz.toml", limit: float = 2.0) -> Verdict:
    """Load ``data``; fail (AssertionError or TooSlow) unless it is accepted or refused with
    well-formed problems within ``limit`` seconds. A hang is cut off at 5 x ``limit``."""
    started = time.perf_counter()
    try:
        with time_limit(5 * limit):
            parse_scenario(data, filename)
        accepted, problems = True, 0
    except ScenarioError as err:
        accepted, problems = False, len(err.problems)
        assert err.problems, "a ScenarioError without problems"
        lines = data.count(b"\n") + 1
        for problem in err.problems:
            assert problem.file == filename, problem
            assert isinstance(problem.line, int) and 1 <= problem.line <= lines, (problem, lines)
            assert isinstance(problem.column, int) and problem.column >= 1, problem
            assert isinstance(problem.message, str) and problem.message.strip(), problem
            assert "Traceback" not in problem.message, problem
            assert str(problem).startswith(f"{filename}:{problem.line}:{problem.column}: "), problem
    seconds = time.perf_counter() - started
    assert seconds < limit, f"took {seconds:.2f} s"
    return Verdict(accepted, seconds, problems)


# --- the script -----------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=2.0, help="seconds allowed per input")
    parser.add_argument("--failures", type=Path, default=None, help="folder for failing inputs")
    args = parser.parse_args(argv)
    chooser = RandomChooser(random.Random(args.seed))
    texts = sources()
    failures_dir = args.failures or Path(tempfile.mkdtemp(prefix="circular-fuzz-"))
    counts: Counter[str] = Counter()
    slowest = (0.0, "", b"")
    failed = 0
    started = time.perf_counter()
    for number in range(1, args.inputs + 1):
        how, data = mutate(chooser, texts)
        try:
            verdict = check(data, limit=args.time_limit)
        except Exception as err:  # every failure is kept, whatever it is
            failed += 1
            failures_dir.mkdir(parents=True, exist_ok=True)
            (failures_dir / f"input-{number}.toml").write_bytes(data)
            print(f"FAIL input {number} ({how}): {type(err).__name__}: {str(err)[:300]}", flush=True)
            continue
        counts["accepted" if verdict.accepted else "refused"] += 1
        if verdict.seconds > slowest[0]:
            slowest = (verdict.seconds, how, data)
        if number % 2000 == 0:
            print(f"{number} inputs, {failed} failures, {time.perf_counter() - started:.0f} s", flush=True)
    elapsed = time.perf_counter() - started
    print(f"\ninputs tried: {args.inputs} (seed {args.seed}) in {elapsed:.1f} s")
    print(f"accepted: {counts['accepted']}, refused with problems: {counts['refused']}, failures: {failed}")
    failures_dir.mkdir(parents=True, exist_ok=True)
    (failures_dir / "slowest.toml").write_bytes(slowest[2])
    print(f"slowest input: {slowest[0] * 1000:.1f} ms ({slowest[1]}, {len(slowest[2])} bytes)")
    print(f"the slowest input{' and the failing ones are' if failed else ' is'} in {failures_dir}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
