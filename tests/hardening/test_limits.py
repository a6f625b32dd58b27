"""Limits on what a scenario file may ask for, each refused with a message that names the
limit and points at the place; and huge or deeply nested files cost bounded time and memory.

The limits: file size (1 MB), firms (1,000), events (500), stakes, commitments and options,
quarters (400), nesting of TOML values and of conditions (32 levels), the length of texts,
names, ids, conditions and amounts written as text, and the number of problems listed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from game.scenario import model
from game.scenario.loader import (
    MAX_FILE_BYTES,
    MAX_PROBLEMS,
    LoadedScenario,
    Problem,
    ScenarioError,
    load_scenario,
    parse_scenario,
)

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def source(mini_loaded: LoadedScenario) -> str:
    return mini_loaded.source


def problems_of(text: str | bytes) -> list[Problem]:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "limits.toml")
    problems = caught.value.problems
    for problem in problems:
        assert problem.file == "limits.toml" and problem.line >= 1 and problem.column >= 1
    return problems


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def before_goals(source: str, extra: str) -> str:
    assert source.count("\n[goals]") == 1
    return source.replace("\n[goals]", f"\n{extra}\n[goals]")


def firm(number: int) -> str:
    return f'[[firms]]\nid = "extra{number}"\nname = "Extra {number}"\nkind = "investor"\n'


# --- counts ---------------------------------------------------------------------------------


def test_firms_are_limited(source: str) -> None:
    assert model.MAX_FIRMS == 1000
    at_limit = before_goals(source, "".join(firm(n) for n in range(model.MAX_FIRMS - 5)))
    assert len(parse_scenario(at_limit).firms) == model.MAX_FIRMS
    over = before_goals(source, "".join(firm(n) for n in range(model.MAX_FIRMS - 4)))
    (problem,) = problems_of(over)
    assert problem.message == "firms: too many entries: at most 1000 are allowed, this file has 1001"
    assert problem.line == line_of(over, "[[firms]]")


def test_events_are_limited(source: str) -> None:
    event = '[[events]]\nid = "e{0}"\nheadline = "News {0}"\nwhen = "2024-Q2"\n'
    events = "".join(event.format(n) for n in range(model.MAX_EVENTS - 1))  # mini has two
    (problem,) = problems_of(before_goals(source, events))
    assert problem.message == "events: too many entries: at most 500 are allowed, this file has 501"


@pytest.mark.parametrize(
    ("table", "limit", "entry"),
    [
        ("stakes", model.MAX_STAKES, '{holder="cloudco",firm="redlab",share=0.01}'),
        ("commitments", model.MAX_COMMITMENTS, '{buyer="redlab",seller="cloudco",total=1}'),
        ("options", model.MAX_OPTIONS, '{ holder = "cloudco", firm = "redlab", deadline = "2024-Q2" }'),
    ],
)
def test_lists_of_links_are_limited(source: str, table: str, limit: int, entry: str) -> None:
    """Checked before the entries themselves (here each lacks a key), so a file of 20,001
    stakes costs one message."""
    cut = source[: source.index("[[stakes]]")] + source[source.index("[[events]]") :]
    text = f"{table} = [\n" + f"{entry},\n" * (limit + 1) + "]\n\n" + cut
    assert len(text.encode()) < MAX_FILE_BYTES
    (problem,) = problems_of(text)
    expected = f"{table}: too many entries: at most {limit} are allowed, this file has {limit + 1}"
    assert problem.message == expected


def test_quarters_are_limited(source: str) -> None:
    assert model.MAX_QUARTERS == 400
    assert parse_scenario(source.replace("quarters = 8", "quarters = 400")).meta.quarters == 400
    for quarters in ("401", "0", "-3", "1e9", "inf", "nan"):
        text = source.replace("quarters = 8", f"quarters = {quarters}")
        (problem, *_) = problems_of(text)
        assert problem.line == line_of(text, "quarters = ") and problem.message.startswith("meta.quarters")


def test_problems_are_listed_up_to_a_limit(source: str) -> None:
    """A file with 5,000 mistakes lists the first 100 in file order and says how many more."""
    text = before_goals(source, "[teaching]\n" + "".join(f"note{k} = 1\n" for k in range(5000)))
    problems = problems_of(text)
    assert len(problems) == MAX_PROBLEMS + 1 == 101
    shown = problems[:-1]
    assert [p.line for p in shown] == list(range(line_of(text, "note0 ="), line_of(text, "note0 =") + 100))
    assert all("unknown key 'note" in p.message for p in shown)
    assert problems[-1].message == "... and 4900 more problems; fix these first"
    assert problems[-1].line == shown[-1].line


# --- lengths --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "phrase"),
    [
        ('title = "Mini world"', f'title = "{"x" * 121}"', "at most 120 characters"),
        ('name = "Red Lab"', f'name = "{"x" * 121}"', "at most 120 characters"),
        ('summary = "Two', f'summary = "{"x" * 4001}', "at most 4000 characters"),
        ('id = "redlab"', f'id = "{"r" * 41}"', "at most 40 characters"),
        ('cash = "60 bn"', f'cash = "60{" " * 60}bn"', "at most 60 characters of text"),
        ('cash = "60 bn"', f'cash = "{"6" * 100_000}"', "at most 60 characters of text"),
        ('win = "', f'win = "{"1 + " * 400}', "at most 1000 characters"),
        ('collapse = "', f'collapse = "{"1 + " * 400}', "at most 1000 characters"),
    ],
    ids=["title", "name", "summary", "id", "money-text", "money-digits", "goal", "collapse"],
)
def test_texts_are_limited(source: str, old: str, new: str, phrase: str) -> None:
    text = source.replace(old, new, 1)
    problems = problems_of(text)
    assert any(phrase in p.message and p.line == line_of(text, new[:12]) for p in problems), problems


@pytest.mark.parametrize(
    "condition",
    ["(" * 33 + "1" + ")" * 33 + " > 0", "not " * 33 + "true", "-" * 33 + "1 > 0"],
    ids=["parentheses", "not", "minus"],
)
def test_conditions_are_limited_in_depth(source: str, condition: str) -> None:
    text = source.replace('collapse = "failed_share >= 0.5"', f'collapse = "{condition}"')
    (problem,) = problems_of(text)
    assert "nested too deeply (more than 32 levels" in problem.message
    assert problem.line == line_of(text, "collapse = ")
    deep = "(" * 30 + "true" + ")" * 30
    inside = source.replace('collapse = "failed_share >= 0.5"', f'collapse = "{deep}"')
    parse_scenario(inside)  # 30 levels are fine


def test_file_size_is_limited_before_reading(tmp_path: Path, source: str) -> None:
    path = tmp_path / "big.toml"
    path.write_text(source + "#" * MAX_FILE_BYTES, encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    (problem,) = caught.value.problems
    assert problem.message == "the file is larger than 1000 kB" and (problem.line, problem.column) == (1, 1)


# --- time and memory ------------------------------------------------------------------------

HUGE = r"""
import json, resource, sys, time
from game.scenario.loader import MAX_FILE_BYTES, ScenarioError, parse_scenario

mini = open("tests/data/mini.toml", encoding="utf-8").read()
room = MAX_FILE_BYTES - len(mini) - 100

def fill(unit, head="", tail=""):
    return head + unit * ((room - len(head) - len(tail)) // len(unit)) + tail

cases = {
    "half a million numbers": "numbers = " + fill("1,", "[", "]") + "\n" + mini,
    "a hundred thousand unknown keys": "".join(f"k{i}=1\n" for i in range(room // 10)) + mini,
    "values nested 300 deep, 1,600 times": mini.replace("[market]", "[market]\n" + "".join(
        f"a{i} = " + "[" * 300 + "]" * 300 + "\n" for i in range(room // 610)), 1),
    "arrays nested 100,000 deep": "a = " + "[" * 100_000 + "]" * 100_000,
}
for name, text in cases.items():
    data = text.encode()
    assert len(data) <= MAX_FILE_BYTES, (name, len(data))
    started = time.perf_counter()
    try:
        parse_scenario(data)
        outcome = "accepted"
    except ScenarioError as err:
        outcome = f"{len(err.problems)} problems"
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"case": name, "seconds": seconds, "peak_mb": peak, "outcome": outcome}), flush=True)
"""


def test_huge_and_deeply_nested_files_take_bounded_time_and_memory(
    run_python: Callable[..., subprocess.CompletedProcess[str]],
) -> None:
    """Files at the size limit built to be expensive (half a million values, a hundred thousand
    mistakes, values nested as deep as Python allows) load or are refused in seconds, and the
    process never grows past a few hundred MB."""
    if sys.platform == "win32":
        pytest.skip("measures memory with resource.getrusage")
    result = run_python(HUGE)
    assert result.returncode == 0, result.stderr[-3000:]
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 4, result.stdout
    for row in rows:
        assert row["seconds"] < 15, row
        assert row["peak_mb"] < 500, row
        assert row["outcome"] != "accepted", row
