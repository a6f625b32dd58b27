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
    safe = np.where(positive, equity, 1.0)
    W = np.minimum(exp_t, safe[None, :]) / safe[None, :]  # = min(1, ratio), cannot overflow
    W = np.where(positive[None, :], W, (exp_t > 0.0).astype(np.float64))
    np.fill_diagonal(W, 0.0)
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
    ``H = minimum(1, H + (H * D) @ W)`` for all scenarios still running; scenarios with no
    distressed firm left are set aside, so later steps only touch the live rows. At most
    n steps.
    """
    n = W.shape[0]
    H = np.eye(n)  # final distress, one row per scenario
    # Step 1 needs no product: only the failed firm itself is distressed, so H * D = I.
    h = np.minimum(1.0, H + W)
    hit = H > 0.0
    now = h > 0.0
    distressed = now > hit  # (h > 0) and not already hit; for booleans a > b is a & ~b
    rows = np.arange(n)
    compact = n >= 64  # for small n, setting finished scenarios aside costs more than it saves
    for _ in range(n):
        if not distressed.any():
            H[rows] = h
            break
        if compact:
            alive = distressed.any(axis=1)
            if 2 * int(alive.sum()) <= rows.size:  # at most half still running: shrink
                done = ~alive
                H[rows[done]] = h[done]
                rows = rows[alive]
                h = h[alive]
                now = now[alive]
                distressed = distressed[alive]
        hit = now
        h = np.minimum(1.0, h + np.where(distressed, h, 0.0) @ W)
        now = h > 0.0
        distressed = now > hit
    else:  # unreachable in exact logic (at most n steps); keeps H complete anyway
        H[rows] = h
    return H @ weights - weights
