"""Fuzzing the scenario loader (the short version of ``bench/fuzz_loader.py``).

Hypothesis drives the script's mutations of every bundled scenario (and of the tests' mini
scenario): lines deleted, duplicated and swapped, characters flipped, TOML fragments inserted,
numbers made huge, negative, nan or inf, ids and conditions changed, tables copied, values
nested thousands deep, files cut short, line endings changed; and it feeds random bytes and
random text. Every input must be accepted, or refused with a ``ScenarioError`` whose problems
all name the file, a line >= 1 inside the file, a column >= 1 and a message, within 2 s;
never another exception and never a hang.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

import pytest
import tomli
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from bench.fuzz_loader import check, mutate, sources
from game.scenario.positions import locate

T = TypeVar("T")
SOURCES = sources()
FUZZ = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)


class Draw:
    """The script's Chooser, drawing from hypothesis so that failures shrink."""

    def __init__(self, data: st.DataObject) -> None:
        self.data = data

    def integer(self, low: int, high: int) -> int:
        return self.data.draw(st.integers(low, high))

    def choice(self, options: Sequence[T]) -> T:
        return self.data.draw(st.sampled_from(options))

    def raw(self, most: int) -> bytes:
        return self.data.draw(st.binary(max_size=most))


def test_every_bundled_scenario_is_fuzzed() -> None:
    names = {name for name, _ in SOURCES}
    assert {"history.toml", "tutorial.toml", "bubble.toml", "mini.toml"} <= names
    for name, text in SOURCES:
        assert check(text.encode("utf-8"), name).accepted, name  # the originals load


@settings(FUZZ, max_examples=500)
@given(data=st.data())
def test_mutated_scenarios_are_accepted_or_refused_with_positions(data: st.DataObject) -> None:
    how, raw = mutate(Draw(data), SOURCES)
    event(how.split(":")[0])
    verdict = check(raw)
    event("accepted" if verdict.accepted else "refused")


@settings(FUZZ, max_examples=150)
@given(raw=st.binary(max_size=4000))
def test_random_bytes_are_refused_with_positions(raw: bytes) -> None:
    check(raw)


@settings(FUZZ, max_examples=60)
@given(text=st.text(alphabet=st.sampled_from("[]{}=\"'.,#\n \t0123456789abcdeinfatrue-_+:Q"), max_size=300))
def test_random_toml_like_text_is_accepted_or_refused_with_positions(text: str) -> None:
    check(text.encode("utf-8"))


@settings(FUZZ, max_examples=60)
@given(data=st.data())
def test_positions_of_some_paths_match_the_full_walk(data: st.DataObject) -> None:
    """The loader asks ``locate`` only for the paths its problems name (and skips the rest of
    the file without building paths): those positions are the ones the full walk finds."""
    _, raw = mutate(Draw(data), SOURCES)
    try:
        text = raw.decode("utf-8-sig")
        tomli.loads(text)
    except (UnicodeDecodeError, tomli.TOMLDecodeError, RecursionError, ValueError):
        return
    full = locate(text)
    paths = sorted(full.keys, key=repr)
    if not paths:
        return
    wanted = data.draw(st.lists(st.sampled_from(paths), max_size=8), label="wanted")
    some = locate(text, only=wanted)
    for path in wanted:
        assert some.of_key(path) == full.of_key(path), path
        assert some.of_value(path) == full.of_value(path), path


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\ufeff",
        "\x00",
        "[meta]\nquarters = inf\nstart = '2024-Q1'",
        "[meta]\nquarters = -1e400\nstart = '2024-Q1'",
        "[meta]\nquarters = nan\nstart = '2024-Q1'",
        "x = " + "9" * 5000,
        "x = -" + "9_9" * 2000,
        "[[firms]]\ncash = '1" + " " * 50_000 + "!'",
    ],
    ids=[
        "empty",
        "bom",
        "nul",
        "inf-quarters",
        "minus-inf",
        "nan",
        "huge-int",
        "huge-int-underscores",
        "slow-money-text",
    ],
)
def test_inputs_the_fuzzer_found(text: str) -> None:
    """Each of these once escaped as another exception (OverflowError, ValueError) or took
    minutes (a quadratic regular expression on long money text)."""
    assert not check(text.encode("utf-8")).accepted
