"""The lab capability race and end-customer demand.

These are Circular's own simple mechanisms (no single published model); each states
its assumption so an instructor can discuss it.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from game.engine.state import Vector

Mask = NDArray[np.bool_]


def demand_shares(capability: Vector, active: Mask, sensitivity: float) -> Vector:
    """Share of end-customer AI demand won by each lab: ``cap_i^a / sum_k cap_k^a``.

    A logit-style market-share rule (as in discrete-choice demand models, e.g. McFadden
    1974) with capability as quality; ``a`` (capability_sensitivity) sets how strongly
    customers follow the best model: 0 splits demand evenly, large values give
    winner-takes-most. Non-labs and failed labs get 0.
    """
    weight = np.where(active, np.power(np.maximum(capability, 0.0), sensitivity), 0.0)
    total = weight.sum()
    return weight / total if total > 0 else weight


def served_revenue(wanted: Vector, serving_compute: Vector, serving_yield: float) -> Vector:
    """Revenue a lab can actually serve: ``min(demand share, serving compute x yield)``.

    Compute spent on serving limits sales; compute spent on training does not sell today
    but raises capability (and so tomorrow's share). Unserved demand is lost.
    """
    return np.minimum(wanted, serving_compute * serving_yield)


def capability_gain(
    training_compute: Vector, efficiency: float, scale: float, luck_sd: float, luck: Vector
) -> Vector:
    """Capability gained this quarter: ``eff * log(1 + training / scale) * exp(s z - s^2/2)``.

    Diminishing returns to compute (the log) echo the empirical scaling laws (Kaplan et al.
    2020): each doubling of compute buys a similar step. The lognormal luck factor has mean
    1, so luck changes who wins a race without changing the expected pace.
    """
    factor = np.exp(luck_sd * luck - 0.5 * luck_sd**2)
    return efficiency * np.log1p(np.maximum(training_compute, 0.0) / scale) * factor


def next_demand(demand: float, growth: float, volatility: float, shock: float) -> float:
    """Next quarter's end-customer demand: ``D * (1 + g + sigma z)``, never below zero."""
    return max(0.0, demand * (1.0 + growth + volatility * shock))


def leader(capability: Vector, active: Mask) -> int | None:
    """Index of the most capable active lab (the first on ties), or None without labs."""
    if not np.count_nonzero(active):
        return None
    return int(np.where(active, capability, -np.inf).argmax())  # the method: no dispatch overhead
