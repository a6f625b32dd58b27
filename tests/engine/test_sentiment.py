"""Tests for game.engine.sentiment (Brock & Hommes 1998)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from game.engine.sentiment import (
    SentimentParams,
    accumulated_fitness,
    bubble_index,
    forecast_profit,
    fundamentalist_forecast,
    sentiment_step,
    strategy_fractions,
    trend_forecast,
)


def test_params_frozen() -> None:
    p = SentimentParams()
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.trend = 3.0  # type: ignore[misc]


def test_forecasts_hand_worked() -> None:
    x1 = np.array([0.1, -0.2])
    x2 = np.array([0.0, -0.1])
    np.testing.assert_allclose(fundamentalist_forecast(x1, 0.5), [0.05, -0.1])
    # 0.1 + 2 * 0.1 = 0.3; -0.2 + 2 * (-0.1) = -0.4
    np.testing.assert_allclose(trend_forecast(x1, x2, 2.0), [0.3, -0.4])


def test_fractions_hand_worked() -> None:
    n1, n2 = strategy_fractions(np.array([0.0, 1.0]), np.array([0.0, 0.0]), float(np.log(3.0)))
    # equal fitness -> 1/2 each; fitness gap 1 with beta = ln 3 -> 3 / (3 + 1)
    np.testing.assert_allclose(n1, [0.5, 0.75])
    np.testing.assert_allclose(n2, [0.5, 0.25])


def test_fractions_extreme_no_overflow() -> None:
    n1, n2 = strategy_fractions(np.array([1e6, -1e6]), np.array([-1e6, 1e6]), 4.0)
    np.testing.assert_allclose(n1, [1.0, 0.0])
    np.testing.assert_allclose(n2, [0.0, 1.0])


def test_profit_and_fitness_hand_worked() -> None:
    # x = 0.2, x1 = 0.1, R = 1, f = 0.3: (0.2 - 0.1) * (0.3 - 0.1) = 0.02
    pi = forecast_profit(np.array([0.2]), np.array([0.1]), np.array([0.3]), 1.0)
    np.testing.assert_allclose(pi, [0.02])
    np.testing.assert_allclose(
        forecast_profit(np.array([0.2]), np.array([0.1]), np.array([0.3]), 1.0, cost=0.01), [0.01]
    )
    np.testing.assert_allclose(accumulated_fitness(np.array([1.0]), pi, 0.5), [0.52])


def test_step_hand_worked() -> None:
    params = SentimentParams(reversion=0.5, trend=2.0, choice_intensity=3.0, memory=0.5, gross_return=1.0)
    # f1 = 0.05, f2 = 0.3; x = 0.5 * 0.05 + 0.5 * 0.3 = 0.175
    x = sentiment_step(np.array([0.1]), np.array([0.0]), np.array([0.5]), np.array([0.5]), params)
    np.testing.assert_allclose(x, [0.175])


def test_step_clipped() -> None:
    params = SentimentParams()
    x = sentiment_step(
        np.array([2.9, -2.9]),
        np.array([-2.9, 2.9]),
        np.array([0.0, 0.0]),
        np.array([1.0, 1.0]),
        params,
        noise=np.array([5.0, -5.0]),
    )
    np.testing.assert_array_equal(x, [3.0, -3.0])


def test_bubble_index() -> None:
    np.testing.assert_allclose(
        bubble_index(np.array([2.0, 3.0, 5.0]), np.array([1.0, 0.0, -2.0])), [2.0, 1.0, 1.0]
    )
    total = bubble_index(np.asarray(10.0), np.asarray(4.0))
    assert float(total) == 2.5


@settings(max_examples=60, deadline=None)
@given(
    arrays(np.float64, (5,), elements=st.floats(-1e3, 1e3)),
    arrays(np.float64, (5,), elements=st.floats(-1e3, 1e3)),
    st.floats(0.0, 10.0),
)
def test_fractions_sum_to_one(uf: np.ndarray, ut: np.ndarray, beta: float) -> None:
    n1, n2 = strategy_fractions(uf, ut, beta)
    assert np.isfinite(n1).all() and np.isfinite(n2).all()
    np.testing.assert_allclose(n1 + n2, 1.0)
    assert (n1 >= 0).all() and (n2 >= 0).all()


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.floats(0.0, 10.0), st.floats(1.5, 3.0))
def test_long_simulation_stays_finite(seed: int, beta: float, g: float) -> None:
    rng = np.random.default_rng(seed)
    params = SentimentParams(reversion=0.7, trend=g, choice_intensity=beta, memory=0.7, gross_return=1.01)
    n = 4
    x2 = np.zeros(n)
    x1 = rng.normal(0, 0.1, n)
    u_f = np.zeros(n)
    u_t = np.zeros(n)
    f1_prev = fundamentalist_forecast(x2, params.reversion)
    f2_prev = trend_forecast(x2, x2, params.trend)
    for _ in range(200):
        n1, n2 = strategy_fractions(u_f, u_t, params.choice_intensity)
        x = sentiment_step(x1, x2, n1, n2, params, rng.normal(0, 0.05, n))
        u_f = accumulated_fitness(u_f, forecast_profit(x, x1, f1_prev, params.gross_return), params.memory)
        u_t = accumulated_fitness(u_t, forecast_profit(x, x1, f2_prev, params.gross_return), params.memory)
        f1_prev = fundamentalist_forecast(x1, params.reversion)
        f2_prev = trend_forecast(x1, x2, params.trend)
        x2, x1 = x1, x
        assert np.isfinite(x).all() and (np.abs(x) <= 3.0).all()
        assert np.isfinite(u_f).all() and np.isfinite(u_t).all()
