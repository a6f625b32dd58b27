"""Systemic importance of each firm: DebtRank.

Source: Battiston, S., Puliga, M., Kaushik, R., Tasca, P. & Caldarelli, G. (2012)
"DebtRank: Too Central to Fail? Financial Networks, the FED and Systemic Risk",
Scientific Reports 2:541, doi:10.1038/srep00541.

Each firm has a distress level h in [0, 1] (1 = all its equity lost) and a state:
Undistressed, Distressed (passes its distress on, once) or Inactive (has passed it on).
This is the original 2012 algorithm (distress propagates once per firm, using the firm's
whole distress level); the Bardoscia et al. (2015) PLoS ONE variant is not used.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from game.engine.arrays import identity

FloatArray = NDArray[np.float64]


def impact_matrix(exposure: FloatArray, equity: FloatArray) -> FloatArray:
    """Impact ``W[i, j] = min(1, exposure[j, i] / equity[j])`` of firm i on firm j.

    ``exposure[j, i]`` is what j has at stake in i (stake value plus receivables)
    (Battiston et al. 2012, Sci. Rep. 2:541, impact definition, with equity in place of capital).
    A firm with equity <= 0 has no buffer: impact 1 wherever it is exposed.
    Simplifications: negative exposures count as 0, and the diagonal is forced to 0
    (a firm does not propagate distress to itself).
    """
    exp_t = np.maximum(exposure.T, 0.0)  # exp_t[i, j] = exposure[j, i]
    positive = equity > 0.0
    if np.count_nonzero(positive) == positive.size:  # every firm has a buffer
        W = np.minimum(exp_t, equity) / equity  # = min(1, ratio), cannot overflow
    else:
        safe = np.where(positive, equity, 1.0)
        W = np.minimum(exp_t, safe[None, :]) / safe[None, :]
        W = np.where(positive[None, :], W, (exp_t > 0.0).astype(np.float64))
    np.fill_diagonal(W, 0.0)  # in place whatever W's memory order (W follows exposure.T's)
    return W


def debtrank(W: FloatArray, weights: FloatArray, start: int) -> float:
    """DebtRank of firm ``start``: the share of economic value lost if it fails alone.

    Battiston et al. (2012), Sci. Rep. 2:541, Methods. Start: ``h[start] = 1``, state D;
    others h = 0, state U. Each step:
    ``h = minimum(1, h + W.T @ (h * distressed))``; the distressed become Inactive; the
    undistressed with ``h > 0`` become Distressed. Stops when nobody is distressed
    (at most n steps). Result ``h_final @ w - h_initial @ w`` with ``w`` the economic weights
    (e.g. value shares summing to 1); it lies in [0, 1 - w[start]] when ``w`` sums to 1.

    Implementation note: a firm has h > 0 exactly when it is Distressed or Inactive, so the
    Inactive set after a step is ``h_before > 0`` and the new Distressed set is
    ``(h_after > 0) & ~(h_before > 0)``; no separate state array is needed.
    """
    n = W.shape[0]
    h = np.zeros(n)
    h[start] = 1.0
    hit = h > 0.0
    distressed = hit
    for _ in range(n):
        h = np.minimum(1.0, h + (h * distressed) @ W)  # (h * d) @ W == W.T @ (h * d)
        now = h > 0.0
        distressed = now > hit  # for booleans a > b is a & ~b
        if not distressed.any():
            break
        hit = now
    return float(h @ weights) - float(weights[start])


def debtrank_all(W: FloatArray, weights: FloatArray) -> FloatArray:
    """DebtRank of every firm failing alone, all scenarios at once.

    Same algorithm as :func:`debtrank` (Battiston et al. 2012, Sci. Rep. 2:541), vectorised:
    row s of the distress matrix ``H`` is the scenario in which firm s fails. One step is
    ``H = minimum(1, H + (H * D) @ W)`` for all scenarios at once, where ``H * D`` keeps the
    distress of the firms that became distressed in the previous step (the first step starts
    from ``H = D = I``). At most n steps.

    Implementation: networks of 64 firms or more whose impact matrix is sparse take
    :func:`_debtrank_all_sparse`, which only follows the impact links of the newly distressed
    firms; the results agree up to rounding.
    """
    n = W.shape[0]
    if n >= SPARSE_FROM:
        links = np.count_nonzero(W != 0.0)
        if links * SPARSE_DENSITY <= n * n:
            return _debtrank_all_sparse(W, weights)
    # Step 1, from H = D = I, is H + I @ W = I + W: the product I @ W is W exactly (W finite).
    h = identity(n)  # row s: distress in the scenario where s fails
    after = h + W
    np.minimum(after, 1.0, out=after)
    fresh = after * (h == 0.0)  # the newly distressed firms' distress, which they pass on next
    h = after
    for _ in range(n - 1):
        if not np.count_nonzero(fresh):
            break
        after = h + fresh @ W
        np.minimum(after, 1.0, out=after)
        fresh = after * (h == 0.0)  # became distressed in this step (h was 0, now > 0)
        h = after
    return h @ weights - weights


SPARSE_FROM = 64  # firms: below this, dense products cost less than following links
SPARSE_DENSITY = 8  # use links when at most one entry in this many of W is non-zero


def _debtrank_all_sparse(W: FloatArray, weights: FloatArray) -> FloatArray:
    """:func:`debtrank_all` following links: each step adds ``h[s, k] * W[k, j]`` for the
    newly distressed (s, k) only and each link k -> j of W, instead of a dense product."""
    n = W.shape[0]
    source, target = (W != 0.0).nonzero()  # links k -> j, grouped by k (bool: faster)
    strength = W[source, target]
    first = np.searchsorted(source, np.arange(n + 1))  # links of k: first[k]:first[k + 1]
    degree = first[1:] - first[:-1]
    h = identity(n).reshape(-1)  # h[s * n + j]
    scenario = np.arange(n)  # the newly distressed (scenario, firm) and their distress
    firm = scenario
    distress = np.ones(n)
    for _ in range(n):
        counts = degree[firm]
        total = int(counts.sum())
        if total == 0:
            break
        # One entry per link k -> j of each newly distressed (s, k): the cell s * n + j and
        # the distress h[s, k] * W[k, j] it receives.
        offset = first[firm] - (np.cumsum(counts) - counts)
        link = np.repeat(offset, counts) + np.arange(total)
        cell = np.repeat(scenario * n, counts) + target[link]
        push = np.bincount(cell, np.repeat(distress, counts) * strength[link], minlength=n * n)
        cells = (push > 0.0).nonzero()[0]
        before = h[cells]
        after = np.minimum(1.0, before + push[cells])
        h[cells] = after
        fresh = before == 0.0  # became distressed in this step
        scenario, firm = np.divmod(cells[fresh], n)
        distress = after[fresh]
    return h.reshape(n, n) @ weights - weights
