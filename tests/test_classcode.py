"""Class codes: one short string gives every student the same world."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.classcode import make_code, parse_code
from game.scenario.loader import load_scenario


@given(
    st.from_regex(r"[a-z][a-z0-9_]{0,20}", fullmatch=True),
    st.integers(0, 2**63 - 1),
    st.one_of(st.none(), st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True)),
)
def test_codes_round_trip(scenario: str, seed: int, difficulty: str | None) -> None:
    code = make_code(scenario, seed, difficulty, "source")
    assert parse_code(str(code)) == code
    assert parse_code(f"  {str(code).upper()} ") == code  # students type in capitals too


def test_code_detects_a_different_copy_of_the_scenario() -> None:
    source = load_scenario("history").source
    code = make_code("history", 2023, None, source)
    assert code.matches(source)
    assert not code.matches(source + "\n# edited")


@pytest.mark.parametrize(
    "text", ["", "history", "history-1k7", "history--2d71", "1abc-2-2d71", "history-1k7-xyz1"]
)
def test_malformed_codes_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not a class code"):
        parse_code(text)


def test_play_refuses_a_code_for_another_copy_in_one_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "game", "play", "--code", "history-1k7-0000"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "differs from your instructor's" in result.stderr
