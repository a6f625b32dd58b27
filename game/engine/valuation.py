"""Valuation of firms that hold stakes in each other, and the failure cascade.

Source: Elliott, M., Golub, B. & Jackson, M. O. (2014) "Financial Networks and Contagion",
American Economic Review 104(10):3115-3153, doi:10.1257/aer.104.10.3115.

Notation: ``C[i, j]`` is the fraction of firm j's equity held by firm i (diagonal 0, every
column sums to less than 1). ``base`` is the value of each firm's own business (the EGJ
"primitive assets" p times D, collapsed into one number per firm).

All functions are pure; they assume well-formed input (square C, columns summing to < 1)
and do not validate it, because they run every quarter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

import numpy as np
from numpy.typing import NDArray

from game.engine.arrays import identity, identity_minus, inverse_of_regular

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


def outside_shares(C: FloatArray) -> FloatArray:
    """Share of each firm held by outside (private) shareholders.

    Equation: ``Chat[j, j] = 1 - sum_i C[i, j]`` (EGJ 2014, AER 104(10)).
    Returned as the vector of the diagonal of Chat.
    """
    return 1.0 - C.sum(axis=0)


def cross_holding_inverse(C: FloatArray) -> FloatArray:
    """``inv(I - C)``: the one factorisation that every valuation of a quarter can share.

    Book values are ``V = inv(I - C) @ base`` (:func:`equity_values`) and the dependency
    matrix is ``A = Chat @ inv(I - C)`` (:func:`dependency_matrix`) (EGJ 2014, AER 104(10)).
    With the inverse at hand, the market and fundamental valuations, the limited-liability
    rounds and the failure cascade are matrix products instead of separate solves.

    When no chain of holdings loops back to where it started (C is nilpotent, ``C^k = 0``
    for some short k, as in most scenarios), the inverse is the finite sum
    ``I + C + ... + C^(k-1)``: a few small products, cheaper than an LU factorisation.
    Otherwise (or if the chains are longer than ``NILPOTENT_POWERS``, or the matrix is too
    large for trying to pay off) it is one LU.
    """
    n = C.shape[0]
    if n < NILPOTENT_UP_TO:
        inverse = identity(n) + C
        power = C
        for _ in range(NILPOTENT_POWERS):
            power = power @ C
            if not np.count_nonzero(power):
                return inverse
            inverse += power
    # Columns of C sum to less than 1, so I - C is strictly diagonally dominant: invertible.
    return inverse_of_regular(identity_minus(C))


NILPOTENT_POWERS = 4  # longest chain of holdings (minus one) summed before falling back to LU
NILPOTENT_UP_TO = 64  # firms: in larger worlds the trial products cost more than they save


@dataclass
class CrossHoldings:
    """What one cross-holdings matrix C implies, worked out once and kept while C is unchanged:
    ``inverse = inv(I - C)`` (:func:`cross_holding_inverse`), the outside shares
    ``outside = 1 - C.sum(axis=0)`` (:func:`outside_shares`) and, when first asked for, the
    dependency matrix ``A = outside[:, None] * inverse`` (:func:`dependency_matrix`).

    ``key`` is C's bytes: the state keeps the last one (``World.holdings``) and
    :func:`cross_holdings` reuses it whenever the stakes have not changed since, which is
    cheaper than the inverse by far. The arrays are shared: do not write to them.
    """

    key: bytes
    inverse: FloatArray
    outside: FloatArray
    _dependency: FloatArray | None = field(default=None, repr=False)

    @property
    def dependency(self) -> FloatArray:
        if self._dependency is None:
            self._dependency = self.outside[:, None] * self.inverse
        return self._dependency


def cross_holdings(C: FloatArray, known: CrossHoldings | None = None) -> CrossHoldings:
    """The :class:`CrossHoldings` of ``C``: ``known`` itself if it was worked out for the same
    matrix (same bytes), otherwise a new one (one inverse). The numbers are those of
    :func:`cross_holding_inverse`, :func:`outside_shares` and :func:`dependency_matrix`."""
    key = C.tobytes()
    if known is not None and known.key == key:
        return known
    return CrossHoldings(key, cross_holding_inverse(C), outside_shares(C))


def dependency_matrix(C: FloatArray, inverse: FloatArray | None = None) -> FloatArray:
    """EGJ dependency matrix ``A = Chat @ inv(I - C)``.

    ``A[i, j]`` is the share of firm j's own business value that ends up, through the chain of
    cross-holdings, in the hands of firm i's outside shareholders
    (EGJ 2014, AER 104(10), eq. for "market values" v = A D p).
    Every column of A sums to 1: cross-holdings redistribute value but create none.
    Computed with one LU solve instead of an explicit inverse, or from ``inverse``
    (:func:`cross_holding_inverse`) when the caller already has it.
    """
    if inverse is None:
        n = C.shape[0]
        inverse = cast(FloatArray, np.linalg.solve(identity_minus(C), identity(n)))
    return (1.0 - C.sum(axis=0))[:, None] * inverse


def equity_values(C: FloatArray, base: FloatArray, inverse: FloatArray | None = None) -> FloatArray:
    """Book (total) equity value of each firm including its stakes in others.

    Equation: ``V = C @ V + base``, so ``V = solve(I - C, base)``
    (EGJ 2014, AER 104(10), the book-value equation before the Chat correction).
    The game reports this as a firm's valuation (market cap). Note that ``V.sum()`` exceeds
    ``base.sum()`` when there are cross-holdings: the same value is counted more than once.
    To include failure costs, pass ``base - costs``. With ``inverse``
    (:func:`cross_holding_inverse`) it is the product ``inverse @ base``.
    """
    if inverse is not None:
        return inverse @ base
    V: FloatArray = np.linalg.solve(identity_minus(C), base).astype(np.float64, copy=False)
    return V


def failure_bar(reference: FloatArray, threshold: float) -> FloatArray:
    """The outside value below which each firm fails: ``vbar = theta x max(v_ref, 0)``, with
    ``v_ref`` its best outside value of the last four quarters and theta the market's
    ``failure_threshold`` (Elliott, Golub & Jackson 2014, AER 104(10), the failure threshold;
    the reference window is this game's choice, docs/model.md section 3)."""
    return threshold * np.maximum(reference, 0.0)


def failure_line(best_outside: FloatArray, threshold: float, outside: FloatArray) -> FloatArray:
    """The valuation below which each firm fails when the next quarter ends, all else equal:
    ``theta x best_outside / outside``.

    A firm fails when its outside value ``v = outside x valuation`` falls below ``theta``
    (``failure_threshold``) times its best outside value of the last four quarters, the coming
    one included (EGJ 2014's ``vbar = theta x v_ref``). The coming quarter cannot raise the bar
    above its own value (theta < 1), so ``best_outside`` is the best of the three quarters
    already played; dividing by the share outsiders hold turns the bar into a valuation the
    player can read beside the firm's own. Failures elsewhere can still pull a firm under it.
    A firm wholly owned by other firms (no outside share) has no bar: 0.
    """
    bar = failure_bar(best_outside, threshold)
    return np.divide(bar, outside, out=np.zeros_like(bar), where=outside > 0.0)


def failure_cascade(
    C: FloatArray,
    base: FloatArray,
    threshold: FloatArray | float,
    failure_cost: FloatArray | float,
    already_failed: BoolArray | None = None,
    dependency: FloatArray | None = None,
) -> tuple[BoolArray, list[list[int]]]:
    """EGJ failure cascade (domino effect) with discontinuous failure costs.

    Algorithm (EGJ 2014, AER 104(10), "hierarchies of failures" algorithm;
    cf. pabloestradac/Financial_Contagion_Crossholding ``cascade_failures``):
    start from ``already_failed``; repeat
    ``v = A @ (base - failure_cost * failed)``; ``newly = (v < threshold) & ~failed``
    until nothing changes. Each round's newly failed firms form one wave (``already_failed``
    firms are not a wave). Failures only accumulate, so it ends within n rounds.

    A is computed once (one LU factorisation), or passed in as ``dependency`` if the caller
    already has it; each round then updates v by subtracting only the new failure costs.
    Simplification: the failure cost is a fixed amount per firm (EGJ's ``beta_i``), not a
    function of how far below the threshold the firm fell.

    Returns the final boolean failure vector and the list of waves (firm indices).
    """
    n = C.shape[0]
    A = dependency_matrix(C) if dependency is None else dependency
    cost = failure_cost if isinstance(failure_cost, np.ndarray) else np.full(n, failure_cost)
    if already_failed is None or not np.count_nonzero(already_failed):
        failed = np.zeros(n, dtype=np.bool_)
        v = A @ base
    else:
        failed = already_failed.copy()
        v = A @ (base - cost * failed)
    waves: list[list[int]] = []
    for _ in range(n):
        newly = v < threshold
        if np.count_nonzero(failed):
            newly &= ~failed
        if not np.count_nonzero(newly):
            break
        waves.append(np.flatnonzero(newly).tolist())
        failed |= newly
        v = v - A @ (cost * newly)
    return failed, waves


def limited_liability_values(
    C: FloatArray, base: FloatArray, inverse: FloatArray | None = None
) -> FloatArray:
    """Equity values when shareholders cannot lose more than their shares:
    ``V = max(0, C @ V + base)``.

    EGJ (2014) let values go negative; real shareholders enjoy limited liability, so a firm
    whose debts exceed its assets is worth zero to them, and a stake in it is worth zero to
    its holders. This is our adaptation. The greatest solution is found as in the
    fictitious-default algorithm of Eisenberg & Noe (2001): solve the linear system, set the
    firms with negative value to zero, solve again for the others, and repeat until the set
    of worthless firms no longer changes (at most n rounds). ``base`` may hold several
    columns (one valuation per column). ``inverse`` (:func:`cross_holding_inverse`) turns
    each solve into products (see :func:`_zero_for`).
    """
    V = equity_values(C, base, inverse)
    if np.count_nonzero(V >= 0) == V.size:
        return V
    if V.ndim == 2:
        return np.column_stack([_floor_worthless(C, base[:, k], V[:, k], inverse) for k in range(V.shape[1])])
    return _floor_worthless(C, base, V, inverse)


def _floor_worthless(
    C: FloatArray, base: FloatArray, linear: FloatArray, inverse: FloatArray | None
) -> FloatArray:
    """The fictitious-default rounds of :func:`limited_liability_values` for one column,
    starting from its linear solution ``linear``."""
    if np.count_nonzero(linear >= 0) == linear.size:
        return linear
    n = C.shape[0]
    worthless = linear < 0
    V = linear
    for _ in range(n):
        if inverse is None:
            V = _solve_without(C, base, worthless)
        else:
            V = _zero_for(inverse, linear, np.flatnonzero(worthless), C, base)
        now = (C @ V + base) < 0
        if (now == worthless).all():
            break
        worthless = now
    return np.maximum(V, 0.0)


def _solve_without(C: FloatArray, base: FloatArray, worthless: BoolArray) -> FloatArray:
    """``V = C @ V + base`` for the firms not ``worthless``, with the worthless held at 0."""
    n = C.shape[0]
    keep = np.flatnonzero(~worthless)
    V = np.zeros(n)
    if keep.size:
        sub = identity_minus(C[np.ix_(keep, keep)])
        V[keep] = np.linalg.solve(sub, base[keep])
    return V


def _zero_for(
    inverse: FloatArray, linear: FloatArray, zero: NDArray[np.intp], C: FloatArray, base: FloatArray
) -> FloatArray:
    """The same as :func:`_solve_without`, from ``M = inv(I - C)`` and the linear solution.

    Holding the firms Z at zero is solving the full system with their base changed so that
    their value comes out 0: ``V = linear + M[:, Z] @ d`` with ``M[Z, Z] @ d = -linear[Z]``
    (a |Z| x |Z| solve instead of an n x n one; the two agree up to rounding).
    """
    V = np.zeros(inverse.shape[0])
    if zero.size == V.size:
        return V
    try:
        d = np.linalg.solve(inverse[np.ix_(zero, zero)], linear[zero])
    except np.linalg.LinAlgError:
        worthless = np.zeros(V.size, dtype=np.bool_)
        worthless[zero] = True
        return _solve_without(C, base, worthless)
    V = linear - inverse[:, zero] @ d
    V[zero] = 0.0
    return V
