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
