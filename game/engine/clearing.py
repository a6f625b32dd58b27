"""Clearing of payment obligations in a network of firms.

Source: Eisenberg, L. & Noe, T. H. (2001) "Systemic Risk in Financial Systems",
Management Science 47(2):236-249, doi:10.1287/mnsc.47.2.236.9835.

Notation: ``L[i, j]`` is what firm i owes firm j this period; ``pbar = L.sum(axis=1)`` is
each firm's total obligation; ``Pi = L / pbar[:, None]`` the relative liabilities (rows of
firms that owe nothing are zero); ``e >= 0`` each firm's own resources (cash plus outside
revenue minus operating costs). A clearing vector p satisfies
``p = minimum(pbar, maximum(0, e + Pi.T @ p))``; we return the greatest one.

Simplification: no default (bankruptcy) costs, i.e. the original Eisenberg-Noe model, not
the Rogers & Veraart (2013) extension. Input is assumed well-formed (L >= 0, e >= 0).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from game.engine.arrays import identity_minus

FloatArray = NDArray[np.float64]


def relative_liabilities(L: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Total obligations and the relative-liabilities matrix.

    ``pbar[i] = sum_j L[i, j]``; ``Pi[i, j] = L[i, j] / pbar[i]``, zero rows where
    ``pbar[i] == 0`` (Eisenberg & Noe 2001, Management Science 47(2), section 2).
    """
    pbar = L.sum(axis=1)
    safe = np.where(pbar > 0.0, pbar, 1.0)
    return pbar, L / safe[:, None]


def clearing_vector(
    L: FloatArray, e: FloatArray, pbar: FloatArray | None = None, owed_to: FloatArray | None = None
) -> FloatArray:
    """Greatest clearing payment vector by the fictitious-default algorithm.

    Eisenberg & Noe (2001), Management Science 47(2):236-249, section 3.
    Equation: ``p = minimum(pbar, maximum(0, e + Pi.T @ p))``.
    Algorithm: assume everybody pays in full; the firms that cannot (``e + Pi.T @ p < pbar``)
    are the defaulters D; with the solvent firms S paying ``pbar``, solve the linear system
    ``(I - Pi[D, D].T) p[D] = e[D] + Pi[S, D].T @ pbar[S]`` (each defaulter pays all it has);
    repeat with the new p until no new firm defaults (at most n rounds; D only grows).
    Fast path: if every firm can pay in full, return ``pbar`` at once.

    If a defaulters' sub-system is singular (a closed ring of defaulters with no resources
    of their own), fall back to fixed-point iteration from ``pbar``, which converges to the
    same greatest clearing vector.

    ``pbar`` (``L.sum(axis=1)``) and ``owed_to`` (``L.sum(axis=0)``) may be passed when the
    caller has them already.
    """
    if pbar is None:
        pbar = L.sum(axis=1)
    if owed_to is None:
        owed_to = L.sum(axis=0)
    # Pi.T @ pbar is simply what everybody is owed, L.sum(axis=0): no division needed.
    # Tolerance relative to the size of the obligations, so rounding creates no defaults.
    tol = 1e-12 * (1.0 + float(np.maximum.reduce(pbar, initial=0.0)))
    default = e + owed_to < pbar - tol
    if not default.any():
        return pbar
    _, Pi = relative_liabilities(L)
    pi_t = Pi.T
    n = pbar.shape[0]
    p = pbar
    for _ in range(n):
        # Defaulters D solve (I - Pi[D, D].T) p_D = e_D + Pi[S, D].T @ pbar_S; S pay pbar.
        d = np.flatnonzero(default)
        p_s = np.where(default, 0.0, pbar)
        sub = pi_t[d[:, None], d]
        try:
            p_d = np.linalg.solve(identity_minus(sub), e[d] + pi_t[d] @ p_s)
        except np.linalg.LinAlgError:
            return clearing_vector_by_iteration(L, e)
        p = p_s
        p[d] = p_d
        new_default = (e + pi_t @ p < pbar - tol) | default
        if (new_default == default).all():
            break
        default = new_default
    return np.minimum(np.maximum(p, 0.0), pbar)


def clearing_vector_by_iteration(
    L: FloatArray, e: FloatArray, tol: float = 1e-12, max_iter: int = 100_000
) -> FloatArray:
    """Greatest clearing vector by plain fixed-point iteration from ``p = pbar``.

    Eisenberg & Noe (2001), Management Science 47(2), Theorem 1: the map
    ``Phi(p) = minimum(pbar, maximum(0, e + Pi.T @ p))`` is monotone, so iterating it from
    the top element ``pbar`` decreases to the greatest fixed point. Slower than
    :func:`clearing_vector`: the cross-check in tests, and its fallback when the defaulters'
    equations are singular. Stops when the largest change
    is at most ``tol`` (absolute) or after ``max_iter`` steps.
    """
    pbar, Pi = relative_liabilities(L)
    p = pbar.astype(np.float64, copy=True)
    pi_t = Pi.T
    for _ in range(max_iter):
        p_new = np.minimum(pbar, np.maximum(0.0, e + pi_t @ p))
        if float(np.abs(p_new - p).max(initial=0.0)) <= tol:
            return p_new
        p = p_new
    return p


def shortfalls(L: FloatArray, payments: FloatArray) -> list[tuple[int, int, float, float]]:
    """(debtor, creditor, owed, paid) for each obligation paid in part, debtor by debtor:
    ``payments[i, j]`` is what i paid j of ``L[i, j]``."""
    short = (payments < L * (1.0 - 1e-9)) & (L > 0.0)
    return [
        (int(i), int(j), float(L[i, j]), float(payments[i, j])) for i, j in zip(*short.nonzero(), strict=True)
    ]
