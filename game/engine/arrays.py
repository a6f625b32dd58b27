"""Small array helpers shared by the formula modules.

They do what the numpy one-liners do, minus numpy's Python-level overhead, which dominates
for the game's small matrices (a dozen firms) because they run several times a quarter.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]


def identity(n: int) -> FloatArray:
    """``np.eye(n)``: a new n x n identity matrix."""
    eye = np.zeros((n, n))
    eye.reshape(-1)[:: n + 1] = 1.0
    return eye


def identity_minus(C: FloatArray) -> FloatArray:
    """``np.eye(n) - C``, as a new matrix: ``-C`` with 1 added on the diagonal."""
    out = np.negative(C, order="C")  # C order, so that reshape(-1) is a view
    out.reshape(-1)[:: C.shape[0] + 1] += 1.0
    return out
