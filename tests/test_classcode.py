"""Class codes: one short string gives every student the same world."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

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


@pytest.mark.parametrize("typo", ["tutorial-4-d76c", "tutorial-13-d76c", "tutorial-3-hard-d76c"])
def test_a_typo_in_the_seed_or_difficulty_is_caught(typo: str) -> None:
    """tutorial-4-1651 (seed digit wrong for tutorial-3-1651) started seed 4 without a word:
    the check covered only the scenario's text."""
    source = load_scenario("tutorial").source
    assert make_code("tutorial", 3, None, source).matches(source)
    assert not parse_code(typo).matches(source)


@pytest.mark.parametrize(
    "text", ["", "history", "history-1k7", "history--2d71", "1abc-2-2d71", "history-1k7-xyz1"]
)
def test_malformed_codes_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not a class code"):
        parse_code(text)


def test_play_refuses_a_mistyped_code_in_one_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "game", "play", "--code", "tutorial-4-d76c", "--as", "atlas"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "tutorial-4-d76c does not match this world: check the code you typed" in result.stderr
    assert "if it is right, your copy of 'tutorial' differs from your instructor's" in result.stderr


def test_the_codes_in_the_docs_and_help_open_the_bundled_scenarios(repo: Path) -> None:
    """An example code goes stale when its scenario file changes: students typing the one in
    the README were told their copy differed from the instructor's."""
    pattern = re.compile(r"\b[a-z][a-z0-9_]*-[0-9a-z]{1,13}(?:-[a-z][a-z0-9_]*)?-[0-9a-f]{4}\b")
    files = [
        repo / "README.md",
        *sorted((repo / "docs").glob("*.md")),
        *sorted((repo / "game").rglob("*.py")),
    ]
    found = {code: path.name for path in files for code in pattern.findall(path.read_text(encoding="utf-8"))}
    assert found, "no example class code found"
    for text, where in found.items():
        code = parse_code(text)
        loaded = load_scenario(code.scenario)
        assert str(make_code(code.scenario, code.seed, code.difficulty, loaded.source)) == text, where
