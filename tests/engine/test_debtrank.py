"""Tests for game.engine.debtrank (Battiston et al. 2012)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from game.engine.debtrank import debtrank, debtrank_all, impact_matrix


def test_impact_matrix_hand_worked() -> None:
    # exposure[j, i]: firm 0 has 30 at stake in firm 1; firm 1 has 5 at stake in firm 0.
    exposure = np.array([[0.0, 30.0], [5.0, 0.0]])
    # W[0, 1] = exposure[1, 0] / equity[1] = 5 / 10; W[1, 0] = min(1, 30 / 20) = 1
    np.testing.assert_allclose(impact_matrix(exposure, np.array([20.0, 10.0])), [[0.0, 0.5], [1.0, 0.0]])
    # equity <= 0: any exposure is a full hit
    np.testing.assert_allclose(impact_matrix(exposure, np.array([20.0, -5.0])), [[0.0, 1.0], [1.0, 0.0]])
    np.testing.assert_allclose(impact_matrix(np.zeros((2, 2)), np.array([0.0, 0.0])), np.zeros((2, 2)))


def test_impact_matrix_zeroes_the_diagonal() -> None:
    # a firm exposed to itself does not pass distress to itself, whatever the memory order
    exposure = np.array([[5.0, 1.0], [2.0, 3.0]])
    equity = np.array([10.0, 10.0])
    for layout in (exposure, np.asfortranarray(exposure)):
        np.testing.assert_allclose(impact_matrix(layout, equity), [[0.0, 0.2], [0.1, 0.0]])


def test_two_firm_hand_worked() -> None:
    W = np.array([[0.0, 0.5], [0.2, 0.0]])
    w = np.array([0.6, 0.4])
    # start 0: h = [1, 0] -> [1, 0.5] -> (firm 1 feeds 0.1 back, capped) [1, 0.5]
    # DR = 0.6 + 0.2 - 0.6 = 0.2
    assert np.isclose(debtrank(W, w, 0), 0.2)
    # start 1: h = [0, 1] -> [0.2, 1] -> [0.2, 1]; DR = 0.12 + 0.4 - 0.4 = 0.12
    assert np.isclose(debtrank(W, w, 1), 0.12)
    np.testing.assert_allclose(debtrank_all(W, w), [0.2, 0.12])


def test_chain_hand_worked() -> None:
    W = np.zeros((3, 3))
    W[0, 1] = 1.0
    W[1, 2] = 0.5
    w = np.full(3, 1.0 / 3.0)
    # start 0: h = [1, 1, 0.5]; DR = 2.5/3 - 1/3 = 0.5
    assert np.isclose(debtrank(W, w, 0), 0.5)
    np.testing.assert_allclose(debtrank_all(W, w), [0.5, 0.5 / 3.0, 0.0])


def test_no_links_no_debtrank() -> None:
    np.testing.assert_array_equal(debtrank_all(np.zeros((4, 4)), np.full(4, 0.25)), 0.0)


@st.composite
def impact_networks(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    n = draw(st.integers(2, 9))
    W = draw(arrays(np.float64, (n, n), elements=st.floats(0.0, 1.0)))
    mask = draw(arrays(np.bool_, (n, n)))
    W = W * mask
    np.fill_diagonal(W, 0.0)
    value = draw(arrays(np.float64, (n,), elements=st.floats(0.01, 100.0)))
    return W, value / value.sum()


@settings(max_examples=80, deadline=None)
@given(impact_networks())
def test_debtrank_all_matches_single_and_bounds(ww: tuple[np.ndarray, np.ndarray]) -> None:
    W, w = ww
    all_ = debtrank_all(W, w)
    single = np.array([debtrank(W, w, i) for i in range(W.shape[0])])
    np.testing.assert_allclose(all_, single, atol=1e-12)
    assert np.isfinite(all_).all()
    assert (all_ >= -1e-12).all() and (all_ <= 1.0 + 1e-12).all()
    assert (all_ <= 1.0 - w + 1e-12).all()


def test_debtrank_all_large_network_uses_same_algorithm() -> None:
    # n >= 64 exercises the branch that sets finished scenarios aside.
    rng = np.random.default_rng(7)
    n = 90
    mask = rng.random((n, n)) < 3.0 / n
    W = impact_matrix(rng.random((n, n)) * 30.0 * mask, rng.uniform(10.0, 100.0, n))
    value = rng.uniform(1.0, 10.0, n)
    w = value / value.sum()
    single = np.array([debtrank(W, w, i) for i in range(n)])
    np.testing.assert_allclose(debtrank_all(W, w), single, atol=1e-12)
    assert (single > 0).any()
