"""Small array helpers shared by the formula modules.

They do what the numpy one-liners do, minus numpy's Python-level overhead, which dominates
for the game's small matrices (a dozen firms) because they run several times a quarter.
"""

from __future__ import annotations

from typing import Any, cast

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

_inv: Any = None
try:  # the compiled kernel behind np.linalg.inv, without the wrapper's checks and conversions
    from numpy.linalg import _umath_linalg

    _inv = _umath_linalg.inv
except (ImportError, AttributeError):  # pragma: no cover - another numpy layout
    pass


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


def _singular(err: object, flag: object) -> None:
    raise np.linalg.LinAlgError("Singular matrix")


def inverse(a: FloatArray) -> FloatArray:
    """``np.linalg.inv(a)`` for a square float64 matrix: the same LAPACK routine, so the same
    numbers, and the same ``LinAlgError`` for a singular matrix, without the wrapper's checks
    and type conversions (about half the cost of inverting a dozen-firm matrix)."""
    if _inv is None:  # pragma: no cover
        return cast(FloatArray, np.linalg.inv(a))
    with np.errstate(call=_singular, invalid="call", over="ignore", divide="ignore", under="ignore"):
        return cast(FloatArray, _inv(a, signature="d->d"))


def inverse_of_regular(a: FloatArray) -> FloatArray:
    """:func:`inverse` for a matrix known to be invertible (e.g. strictly diagonally
    dominant), so no error state needs to be set up: the LAPACK routine alone."""
    if _inv is None:  # pragma: no cover
        return cast(FloatArray, np.linalg.inv(a))
    return cast(FloatArray, _inv(a, signature="d->d"))
