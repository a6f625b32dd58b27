import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.calendar import MAX_INDEX, MIN_INDEX, quarter_index, quarter_name


def test_quarter_index_basic() -> None:
    assert quarter_index("2025-Q1") == 2025 * 4
    assert quarter_index("2025-Q3") == 2025 * 4 + 2
    assert quarter_index("2025-Q4") + 1 == quarter_index("2026-Q1")


def test_quarter_index_lenient_whitespace_and_case() -> None:
    assert quarter_index(" 2025-q3 ") == quarter_index("2025-Q3")


@pytest.mark.parametrize(
    "bad",
    ["2025-Q5", "2025-Q0", "2025Q3", "25-Q3", "2025-Q", "", "Q3-2025", "2025-Q3x", "２０２５-Q3"],
)
def test_quarter_index_rejects_bad_format(bad: str) -> None:
    with pytest.raises(ValueError, match=r'expected a quarter like "2025-Q3"'):
        quarter_index(bad)


@pytest.mark.parametrize("bad", ["1899-Q4", "2201-Q1", "0000-Q1"])
def test_quarter_index_rejects_years_out_of_range(bad: str) -> None:
    with pytest.raises(ValueError, match="out of range"):
        quarter_index(bad)


def test_quarter_index_bounds() -> None:
    assert quarter_index("1900-Q1") == MIN_INDEX
    assert quarter_index("2200-Q4") == MAX_INDEX


def test_quarter_name() -> None:
    assert quarter_name(2025 * 4 + 2) == "2025-Q3"
    assert quarter_name(MIN_INDEX) == "1900-Q1"
    assert quarter_name(MAX_INDEX) == "2200-Q4"


@pytest.mark.parametrize("bad", [MIN_INDEX - 1, MAX_INDEX + 1, True, 8100.0, "8100"])
def test_quarter_name_rejects(bad: object) -> None:
    with pytest.raises(ValueError):
        quarter_name(bad)  # type: ignore[arg-type]


@given(st.integers(MIN_INDEX, MAX_INDEX))
def test_round_trip(index: int) -> None:
    assert quarter_index(quarter_name(index)) == index


@given(st.integers(1900, 2200), st.integers(1, 4), st.integers(1900, 2200), st.integers(1, 4))
def test_ordering_matches_chronology(y1: int, q1: int, y2: int, q2: int) -> None:
    a = quarter_index(f"{y1}-Q{q1}")
    b = quarter_index(f"{y2}-Q{q2}")
    assert (a < b) == ((y1, q1) < (y2, q2))
