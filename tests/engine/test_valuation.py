"""Tests for game.engine.valuation (Elliott, Golub & Jackson 2014)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from game.engine.arrays import identity_minus
from game.engine.valuation import (
    dependency_matrix,
    equity_values,
    failure_cascade,
    failure_line,
    outside_shares,
)


def outside_values(C: np.ndarray, base: np.ndarray) -> np.ndarray:
    """A reference for the outside values the game computes as ``outside share x valuation``:
    ``v = Chat * solve(I - C, base)``, EGJ's ``v = A @ base`` without forming A."""
    return (1.0 - C.sum(axis=0)) * np.linalg.solve(identity_minus(C), base)


# Two firms: firm 0 holds 20% of firm 1, firm 1 holds 10% of firm 0.
C2 = np.array([[0.0, 0.2], [0.1, 0.0]])
BASE2 = np.array([100.0, 50.0])


def test_two_firm_hand_worked() -> None:
    # V0 = 100 + 0.2 V1, V1 = 50 + 0.1 V0  ->  V0 = 110 / 0.98, V1 = 50 + 0.1 V0
    v0 = 110.0 / 0.98
    v1 = 50.0 + 0.1 * v0
    np.testing.assert_allclose(outside_shares(C2), [0.9, 0.8])
    np.testing.assert_allclose(equity_values(C2, BASE2), [v0, v1])
    # outside values: 0.9 * V0 = 101.0204..., 0.8 * V1 = 48.9795...; they sum to 150
    v = outside_values(C2, BASE2)
    np.testing.assert_allclose(v, [0.9 * v0, 0.8 * v1])
    assert v.sum() == np.float64(150.0) or np.isclose(v.sum(), 150.0)
    np.testing.assert_allclose(dependency_matrix(C2) @ BASE2, v)


def test_no_cross_holdings_gives_base() -> None:
    base = np.array([3.0, 5.0, 7.0])
    C = np.zeros((3, 3))
    np.testing.assert_allclose(equity_values(C, base), base)
    np.testing.assert_allclose(outside_values(C, base), base)
    np.testing.assert_allclose(dependency_matrix(C), np.eye(3))


# Chain: firm 1 holds 40% of firm 0, firm 2 holds 40% of firm 1.
C3 = np.zeros((3, 3))
C3[1, 0] = 0.4
C3[2, 1] = 0.4


def test_cascade_hand_worked_three_waves() -> None:
    # base [8, 10, 10] (firm 0 hit by a shock), threshold [5, 7, 13], failure cost 5.
    # Round 1: V = [8, 13.2, 15.28], v = [4.8, 7.92, 15.28] -> firm 0 fails.
    # Round 2: base-cost = [3, 10, 10]: v = [1.8, 6.72, 14.48] -> firm 1 fails.
    # Round 3: [3, 5, 10]: V2 = 10 + 0.4 * (5 + 0.4 * 3) = 12.48 < 13 -> firm 2 fails.
    failed, waves = failure_cascade(C3, np.array([8.0, 10.0, 10.0]), np.array([5.0, 7.0, 13.0]), 5.0)
    assert waves == [[0], [1], [2]]
    assert failed.all()


def test_cascade_already_failed_is_not_a_wave() -> None:
    # Firm 0 already failed: base-cost = [5, 10, 10]: v1 = 0.6 * 12 = 7.2 < 7.5 -> fails;
    # then [5, 5, 10]: v2 = 10 + 0.4 * 7 = 12.8 < 13 -> fails.
    already = np.array([True, False, False])
    failed, waves = failure_cascade(
        C3, np.array([10.0, 10.0, 10.0]), np.array([5.0, 7.5, 13.0]), 5.0, already
    )
    assert waves == [[1], [2]]
    assert failed.all()
    assert not already[1]  # input not mutated


def test_failure_line_hand_worked() -> None:
    # theta 0.5; best outside values [100, -20, 30]; outside shares [0.8, 1, 0]:
    # [0.5 * 100 / 0.8, 0 (no value to lose), 0 (nobody outside: no bar)] = [62.5, 0, 0].
    line = failure_line(np.array([100.0, -20.0, 30.0]), 0.5, np.array([0.8, 1.0, 0.0]))
    assert line.tolist() == [62.5, 0.0, 0.0]


def test_failure_line_is_the_bar_in_valuation_terms() -> None:
    # A firm whose valuation ends at the line has outside value exactly theta x its best.
    best, outside = np.array([40.0, 90.0]), np.array([0.6, 0.9])
    line = failure_line(best, 0.45, outside)
    np.testing.assert_allclose(line * outside, 0.45 * best)


def test_cascade_nobody_fails() -> None:
    failed, waves = failure_cascade(C3, np.full(3, 10.0), np.zeros(3), 5.0)
    assert waves == []
    assert not failed.any()


@st.composite
def holdings(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    n = draw(st.integers(2, 8))
    raw = draw(arrays(np.float64, (n, n), elements=st.floats(0.0, 1.0, allow_subnormal=False)))
    np.fill_diagonal(raw, 0.0)
    col_target = draw(arrays(np.float64, (n,), elements=st.floats(0.0, 0.95)))
    sums = raw.sum(axis=0)
    big = sums > 1e-6
    C = raw * np.where(big, col_target / np.where(big, sums, 1.0), 0.0)
    base = draw(arrays(np.float64, (n,), elements=st.floats(0.0, 1000.0)))
    return C, base


@settings(max_examples=80, deadline=None)
@given(holdings())
def test_dependency_matrix_columns_sum_to_one(cb: tuple[np.ndarray, np.ndarray]) -> None:
    C, base = cb
    A = dependency_matrix(C)
    np.testing.assert_allclose(A.sum(axis=0), 1.0, atol=1e-9)
    assert (A >= -1e-12).all()
    v = outside_values(C, base)
    np.testing.assert_allclose(v.sum(), base.sum(), rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(v, A @ base, rtol=1e-9, atol=1e-6)
    V = equity_values(C, base)
    assert (v - 1e-6 <= V).all()  # book value includes stakes in others


@settings(max_examples=60, deadline=None)
@given(holdings(), st.floats(0.0, 1.2), st.floats(0.0, 1.0))
def test_cascade_monotone_and_bounded(
    cb: tuple[np.ndarray, np.ndarray], theta: float, cost_share: float
) -> None:
    C, base = cb
    n = C.shape[0]
    v_ref = outside_values(C, base)
    threshold = theta * v_ref
    failed, waves = failure_cascade(C, base * 0.9, threshold, cost_share * threshold)
    assert len(waves) <= n
    flat = [i for w in waves for i in w]
    assert len(flat) == len(set(flat))  # nobody fails twice
    assert all(len(w) > 0 for w in waves)
    assert set(flat) == set(np.flatnonzero(failed).tolist())
    # final state is stable: nobody else is below threshold
    v = dependency_matrix(C) @ (base * 0.9 - cost_share * threshold * failed)
    assert not ((v < threshold) & ~failed).any()


def test_cascade_accepts_precomputed_dependency_matrix() -> None:
    base = np.array([8.0, 10.0, 10.0])
    threshold = np.array([5.0, 7.0, 13.0])
    cost = np.full(3, 5.0)
    failed, waves = failure_cascade(C3, base, threshold, cost, dependency=dependency_matrix(C3))
    assert waves == [[0], [1], [2]]
    assert failed.all()


def test_limited_liability_floors_worthless_firms_and_their_stakes() -> None:
    from game.engine.valuation import limited_liability_values

    # Firm 0 owns half of firm 1; firm 1 is insolvent (base -10).
    C = np.array([[0.0, 0.5], [0.0, 0.0]])
    base = np.array([4.0, -10.0])
    linear = equity_values(C, base)
    assert linear[0] == pytest.approx(-1.0)  # EGJ alone passes the loss up to the holder
    V = limited_liability_values(C, base)
    assert V.tolist() == pytest.approx([4.0, 0.0])


def test_limited_liability_equals_linear_when_all_solvent() -> None:
    from game.engine.valuation import limited_liability_values

    C = np.array([[0.0, 0.2], [0.3, 0.0]])
    base = np.array([5.0, 7.0])
    assert np.allclose(limited_liability_values(C, base), equity_values(C, base))
    both = np.column_stack((base, base * 2))
    assert np.allclose(limited_liability_values(C, both)[:, 1], equity_values(C, base * 2))
