"""Tests for game.engine.clearing (Eisenberg & Noe 2001)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from game.engine.clearing import (
    clearing_vector,
    clearing_vector_by_iteration,
    relative_liabilities,
)


def _phi(L: np.ndarray, e: np.ndarray, p: np.ndarray) -> np.ndarray:
    pbar, Pi = relative_liabilities(L)
    return np.minimum(pbar, np.maximum(0.0, e + Pi.T @ p))


def _iterate_from(L: np.ndarray, e: np.ndarray, p0: np.ndarray) -> np.ndarray:
    p = p0
    for _ in range(20_000):
        q = _phi(L, e, p)
        if np.abs(q - p).max() <= 1e-13:
            return q
        p = q
    return p


def test_relative_liabilities_zero_row() -> None:
    L = np.array([[0.0, 4.0, 6.0], [0.0, 0.0, 0.0], [1.0, 0.0, 0.0]])
    pbar, Pi = relative_liabilities(L)
    np.testing.assert_allclose(pbar, [10.0, 0.0, 1.0])
    np.testing.assert_allclose(Pi, [[0.0, 0.4, 0.6], [0.0, 0.0, 0.0], [1.0, 0.0, 0.0]])


def test_two_firm_hand_worked() -> None:
    # 0 owes 1 ten, 1 owes 0 five; e = [2, 0].
    # Full payment: 0 has 2 + 5 = 7 < 10 -> defaults and pays 7; 1 gets 7 >= 5, pays 5.
    L = np.array([[0.0, 10.0], [5.0, 0.0]])
    e = np.array([2.0, 0.0])
    np.testing.assert_allclose(clearing_vector(L, e), [7.0, 5.0])
    np.testing.assert_allclose(clearing_vector_by_iteration(L, e), [7.0, 5.0])


def test_three_firm_hand_worked_two_rounds() -> None:
    # 0 owes 1 six and 2 four; 1 owes 2 five; 2 owes 0 three; e = [1, 1, 0].
    # Round 1: 0 has 1 + 3 = 4 < 10 -> defaults, pays 4.
    # Then 1 receives 0.6 * 4 = 2.4, has 3.4 < 5 -> defaults, pays 3.4.
    # 2 receives 0.4 * 4 + 3.4 = 5 >= 3 -> pays 3. p = [4, 3.4, 3].
    L = np.array([[0.0, 6.0, 4.0], [0.0, 0.0, 5.0], [3.0, 0.0, 0.0]])
    e = np.array([1.0, 1.0, 0.0])
    p = clearing_vector(L, e)
    np.testing.assert_allclose(p, [4.0, 3.4, 3.0])
    np.testing.assert_allclose(_phi(L, e, p), p)


def test_everyone_solvent_pays_in_full() -> None:
    L = np.array([[0.0, 3.0, 1.0], [2.0, 0.0, 2.0], [1.0, 1.0, 0.0]])
    e = np.array([5.0, 5.0, 5.0])
    p = clearing_vector(L, e)
    np.testing.assert_array_equal(p, L.sum(axis=1))
    assert p.dtype == np.float64


def test_greatest_fixed_point_in_closed_ring() -> None:
    # Ring with no outside resources: every (a, a), 0 <= a <= 1, is a fixed point;
    # the greatest is full payment.
    L = np.array([[0.0, 1.0], [1.0, 0.0]])
    e = np.zeros(2)
    np.testing.assert_allclose(clearing_vector(L, e), [1.0, 1.0])
    np.testing.assert_allclose(_iterate_from(L, e, np.zeros(2)), [0.0, 0.0])


def test_closed_ring_of_defaulters_with_leak() -> None:
    # 0 and 1 owe each other 2 but 1 also owes 2 one; no resources: the only clearing
    # vector is zero payments (money leaks out of the ring).
    L = np.array([[0.0, 2.0, 0.0], [2.0, 0.0, 1.0], [0.0, 0.0, 0.0]])
    e = np.zeros(3)
    p = clearing_vector(L, e)
    np.testing.assert_allclose(p, clearing_vector_by_iteration(L, e), atol=1e-9)
    np.testing.assert_allclose(_phi(L, e, p), p, atol=1e-9)


def test_no_obligations() -> None:
    L = np.zeros((3, 3))
    np.testing.assert_array_equal(clearing_vector(L, np.ones(3)), np.zeros(3))


@st.composite
def networks(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    n = draw(st.integers(2, 8))
    L = draw(arrays(np.float64, (n, n), elements=st.floats(0.0, 100.0)))
    mask = draw(arrays(np.bool_, (n, n)))
    L = L * mask
    np.fill_diagonal(L, 0.0)
    e = draw(arrays(np.float64, (n,), elements=st.floats(0.0, 100.0)))
    return L, e


@settings(max_examples=80, deadline=None)
@given(networks())
def test_clearing_properties(le: tuple[np.ndarray, np.ndarray]) -> None:
    L, e = le
    pbar = L.sum(axis=1)
    p = clearing_vector(L, e)
    assert np.isfinite(p).all()
    assert (p >= 0.0).all() and (p <= pbar).all()
    assert p.sum() <= pbar.sum()
    scale = 1.0 + pbar.max()
    # it is a fixed point
    np.testing.assert_allclose(_phi(L, e, p), p, atol=1e-9 * scale)
    # iteration from pbar comes down to it from above (it can stop short, above it, where a
    # ring of debts leaks almost nothing and each step moves less than its tolerance)
    iterated = clearing_vector_by_iteration(L, e)
    assert (iterated >= p - 1e-7 * scale).all()
    if np.abs(iterated - p).max() > 1e-7 * scale:
        assert np.abs(_phi(L, e, iterated) - iterated).max() <= 1e-9 * scale, "iteration stopped short"
    # it is >= the fixed points reached from other starts
    for p0 in (np.zeros_like(pbar), 0.5 * pbar):
        q = _iterate_from(L, e, p0)
        assert (p >= q - 1e-7 * scale).all()
    # limited liability: nobody pays more than it has
    _, Pi = relative_liabilities(L)
    assert (p <= e + Pi.T @ p + 1e-9 * scale).all()
