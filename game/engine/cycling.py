"""How much money goes round in circles: Finn cycling index and round-trip revenue share.

Notation: ``F[i, j]`` is money flowing from firm i to firm j in the period (payments for
compute and chips, and investments); ``z`` is money entering each firm from outside (end
customers, outside investors).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from game.engine.arrays import identity_minus, inverse

FloatArray = NDArray[np.float64]

# Used only if I - G is exactly singular (a closed loop with no leak, cycling index 1):
# shrink G by this factor so the inverse exists; the index then is 1 - O(1e-9).
_SINGULAR_SHRINK = 1.0 - 1e-9


def finn_cycling_index(F: FloatArray, z: FloatArray) -> tuple[FloatArray, float]:
    """Finn cycling index: per-firm cycled share ``c`` and the system index ``FCI``.

    Finn, J. T. (1976) "Measures of ecosystem structure and function derived from analysis
    of flows", Journal of Theoretical Biology 56:363-380 (reference code: R package enaR,
    ``enaFlow``). Equations:
    ``T = maximum(F.sum(0) + z, F.sum(1))`` (throughflow), ``G = F / T[:, None]``,
    ``N = inv(I - G)``, ``c = (diag(N) - 1) / diag(N)``, ``FCI = (c * T).sum() / T.sum()``.

    ``c[i]`` is the share of the money passing through i that has passed through i before
    (equivalently the probability that a unit leaving i comes back to i).

    Simplification (not in Finn, who assumes steady state): a quarter's flows are not
    balanced, so the change in each firm's cash is counted as a boundary flow by taking the
    larger of inflow and outflow as throughflow. Every row of G then sums to at most 1 and
    the index stays in [0, 1]. Firms with no throughflow get c = 0; FCI = 0 if there is no
    flow at all. A closed loop with no leak at all (I - G singular) gives c = 1 there.
    """
    out_flow = np.add.reduce(F, axis=1)  # F.sum(axis=1), without the method's overhead
    in_flow = np.add.reduce(F, axis=0)
    T = np.maximum(in_flow + z, out_flow)
    total = float(np.add.reduce(T))
    n = T.shape[0]
    c = np.zeros(n)
    if total <= 0.0:
        return c, 0.0
    # Money can only come back through firms that both receive from and pay to other firms,
    # so diag(N) is 1 (c = 0) outside that core and the inverse is needed on the core alone:
    # every closed path of flows stays inside it, so diag(inv(I - G))[core] equals
    # diag(inv(I - G[core, core])).
    in_core = (in_flow > 0.0) & (out_flow > 0.0)
    size = np.count_nonzero(in_core)
    if size == 0:
        return c, 0.0
    if size == n:  # everybody: no need to pick the core out
        G = F / T[:, None]
    else:
        core = in_core.nonzero()[0]
        G = F[core[:, None], core] / T[core, None]  # T > 0 on the core
    try:
        N = inverse(identity_minus(G))
    except np.linalg.LinAlgError:
        N = inverse(identity_minus(_SINGULAR_SHRINK * G))
    # In exact arithmetic diag(N) >= 1 (N = I + G + G^2 + ...). abs() and the floor of 1 keep
    # rounding garbage from a nearly singular I - G (huge values of either sign, meaning
    # "almost no leak", c close to 1) inside [0, 1] without warnings.
    cycled = 1.0 - 1.0 / np.maximum(np.abs(N.diagonal()), 1.0)
    if size == n:
        c = cycled
    else:
        c[core] = cycled
    return c, float(c @ T / total)


def round_trip_share(
    F: FloatArray, investment: FloatArray, inflow: FloatArray, revenue: FloatArray
) -> FloatArray:
    """One-hop round-trip (vendor-financed) share of each firm's revenue.

    ``RT[j] = sum_i F[i, j] * (Inv[j, i] / inflow[i]) / revenue[j]`` (docs/model.md,
    section 6; no standard published metric exists, cf. the vendor-financing
    ratios quoted for Lucent in 1999). ``investment[j, i]`` is money j invested into i in
    the window, ``inflow[i]`` all money i received: of what i paid j, the part attributed
    pro rata to j's own investment money coming back.

    Guards: ``inflow[i] <= 0`` gives ratio 0; each ratio is clipped to [0, 1];
    ``revenue[j] <= 0`` gives 0; the result is clipped to [0, 1]. Longer loops
    (j -> i -> k -> j) are not counted here; the Finn index catches them.
    """
    # Zero or negative denominators are replaced by +inf, so their ratios become exactly 0.
    col = np.where(inflow > 0.0, inflow, np.inf)[:, None]
    # ratio[i, j] = Inv[j, i] / inflow[i], clipped to [0, 1] (clipping first avoids overflow)
    ratio = np.minimum(np.maximum(investment.T, 0.0), col) / col
    returned = np.add.reduce(F * ratio, axis=0)
    rt = returned / np.where(revenue > 0.0, revenue, np.inf)
    return np.minimum(np.maximum(rt, 0.0), 1.0)
