"""Market sentiment with fundamentalists and trend followers.

Source: Brock, W. A. & Hommes, C. H. (1998) "Heterogeneous beliefs and routes to chaos in a
simple asset pricing model", Journal of Economic Dynamics and Control 22:1235-1274,
doi:10.1016/S0165-1889(98)00011-6.

State variable: ``x = log(m / m_star)``, the log-deviation of a firm's market multiple from
its fundamental anchor (BH98 use the price deviation itself; using the log keeps the multiple
positive). All functions work elementwise on per-firm vectors.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

#: Bound on x so that exp(x) (the multiple relative to its anchor) stays finite and sane:
#: e^3 is about 20 times the fundamental multiple, e^-3 about 1/20.
X_BOUND = 3.0


@dataclass(frozen=True, slots=True)
class SentimentParams:
    """Parameters of the Brock-Hommes (1998) two-type market.

    reversion (v, 0 <= v < 1): fundamentalists expect the deviation to shrink to v times.
    trend (g): trend followers extrapolate the last change with weight g (BH98: g > 1).
    choice_intensity (beta): how strongly traders switch to the better-performing rule.
    memory (w, 0 <= w <= 1): weight of past fitness in accumulated fitness.
    gross_return (R > 1): gross return of the risk-free asset, 1 + r.
    """

    reversion: float = 0.7
    trend: float = 2.0
    choice_intensity: float = 3.0
    memory: float = 0.5
    gross_return: float = 1.01


def fundamentalist_forecast(x1: FloatArray, v: float) -> FloatArray:
    """Fundamentalist forecast ``f1 = v * x[t-1]`` (BH98, JEDC 22, section 4, with the
    fundamental at x = 0 and reversion factor v instead of pure fundamentalists' 0)."""
    return v * x1


def trend_forecast(x1: FloatArray, x2: FloatArray, g: float) -> FloatArray:
    """Trend-follower forecast ``f2 = x[t-1] + g * (x[t-1] - x[t-2])`` (BH98, JEDC 22,
    section 4 uses linear rules ``g * x[t-1] + b``; we use the extrapolation of the last
    change, the trend-following rule of Anufriev & Hommes 2012, AEJ: Microeconomics 4(4))."""
    return x1 + g * (x1 - x2)


def strategy_fractions(
    profit_f: FloatArray, profit_t: FloatArray, beta: float
) -> tuple[FloatArray, FloatArray]:
    """Fractions of fundamentalists ``n1`` and trend followers ``n2`` (discrete choice).

    ``n_h = exp(beta * U_h) / sum_k exp(beta * U_k)`` (BH98, JEDC 22, section 2), where
    ``U_h`` is each rule's accumulated fitness. Computed after subtracting the maximum so it
    cannot overflow; ``n1 + n2 == 1``.
    """
    a = beta * profit_f
    b = beta * profit_t
    m = np.maximum(a, b)
    ea = np.exp(a - m)
    eb = np.exp(b - m)
    s = ea + eb
    return ea / s, eb / s


def forecast_profit(
    x: FloatArray,
    x1: FloatArray,
    forecast: FloatArray,
    gross_return: float,
    cost: float = 0.0,
) -> FloatArray:
    """Realised profit of a forecasting rule, ``pi = (x_t - R x_{t-1}) (f - R x_{t-1}) - C``.

    BH98, JEDC 22, section 3 (realised profits), with risk aversion times variance
    ``a * sigma^2`` set to 1: the excess return ``x_t - R x_{t-1}`` times the demand of a
    trader who used the forecast ``f = f_{h,t-1}`` (the rule's forecast of ``x_t``, made one
    period earlier). ``cost`` is the per-period cost of using the rule (BH98's C_h; default 0).
    """
    anchor = gross_return * x1
    profit = (x - anchor) * (forecast - anchor)
    return profit - cost if cost else profit


def accumulated_fitness(previous: FloatArray, profit: FloatArray, memory: float) -> FloatArray:
    """Fitness with memory ``U_t = memory * U_{t-1} + pi_t``.

    BH98, JEDC 22, section 3 (fitness with memory parameter).
    """
    return memory * previous + profit


def sentiment_step(
    x1: FloatArray,
    x2: FloatArray,
    n1: FloatArray,
    n2: FloatArray,
    params: SentimentParams,
    noise: FloatArray | float = 0.0,
    forecasts: tuple[FloatArray, FloatArray] | None = None,
) -> FloatArray:
    """One market step ``R x_t = n1 f1 + n2 f2 + noise``.

    BH98, JEDC 22, section 3 (market equilibrium in deviations from the fundamental).

    Returns ``x_t = (n1 * f1 + n2 * f2 + noise) / R``, clipped to ``[-3, 3]``.
    Simplification: the clip is not in BH98; it keeps ``exp(x)`` (the multiple relative to
    its anchor) finite and between about 1/20 and 20 times fundamental.
    ``forecasts``: ``(f1, f2)`` when the caller has computed them already.
    """
    if forecasts is None:
        f1 = fundamentalist_forecast(x1, params.reversion)
        f2 = trend_forecast(x1, x2, params.trend)
    else:
        f1, f2 = forecasts
    x = (n1 * f1 + n2 * f2 + noise) / params.gross_return
    return np.minimum(np.maximum(x, -X_BOUND), X_BOUND)


def bubble_index(market: FloatArray | float, fundamental: FloatArray | float) -> FloatArray:
    """Bubble index ``market / fundamental``, elementwise (1 = fairly priced, 2 = double).

    Simplification: where the fundamental value is <= 0 the ratio is undefined; we return
    1.0 there (no measurable bubble) so the result never contains NaN or inf. For the whole
    system pass the sums, e.g. ``bubble_index(market.sum(), fundamental.sum())`` as 0-d arrays
    or plain floats.
    """
    if isinstance(market, float) and isinstance(fundamental, float):  # plain numbers: no arrays
        return np.array(market / fundamental if fundamental > 0.0 else 1.0)
    positive = fundamental > 0.0
    if (
        isinstance(market, np.ndarray)
        and isinstance(fundamental, np.ndarray)
        and market.shape == fundamental.shape
        and np.count_nonzero(positive) == market.size
    ):
        return market / fundamental  # every fundamental is positive: the plain ratio
    shape = np.shape(market)
    if shape != np.shape(fundamental):
        shape = np.broadcast(market, fundamental).shape
    out = np.ones(shape)
    np.divide(market, fundamental, out=out, where=positive)
    return out
