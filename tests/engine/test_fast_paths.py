"""The engine's shortcuts give exactly the numbers of the plain computations they replace.

Each shortcut (a cached inverse, a fast path for plain floats, a cheaper array operation)
is checked against the straightforward reference, bit for bit where the shortcut promises
the same numbers.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from game.engine.actions import Bet, EndQuarter
from game.engine.arrays import identity_minus, inverse, inverse_of_regular
from game.engine.game import Game
from game.engine.negotiation import rival_bonus, rival_bonuses
from game.engine.quarter import appraise
from game.engine.rules import MAX_AMOUNT, Refused, amount, fraction
from game.engine.sentiment import bubble_index
from game.engine.state import build_world
from game.engine.valuation import (
    cross_holding_inverse,
    cross_holdings,
    dependency_matrix,
    outside_shares,
)
from game.scenario.model import Scenario

MakeGame = Callable[..., Game]


@st.composite
def stake_matrices(draw: st.DrawFn) -> np.ndarray:
    """Cross-holdings with every column summing to less than 1 (some with loops)."""
    n = draw(st.integers(1, 12))
    C = draw(arrays(np.float64, (n, n), elements=st.floats(0.0, 1.0)))
    C = C * draw(arrays(np.bool_, (n, n)))
    np.fill_diagonal(C, 0.0)
    return C * (0.9 / np.maximum(C.sum(axis=0), 0.9))  # columns summing to more are scaled to 0.9


@settings(max_examples=60, deadline=None)
@given(stake_matrices())
def test_cross_holdings_are_the_plain_formulas(C: np.ndarray) -> None:
    held = cross_holdings(C)
    np.testing.assert_array_equal(held.inverse, cross_holding_inverse(C))
    np.testing.assert_array_equal(held.outside, outside_shares(C))
    np.testing.assert_array_equal(held.dependency, dependency_matrix(C, cross_holding_inverse(C)))
    np.testing.assert_allclose(held.inverse @ identity_minus(C), np.eye(C.shape[0]), atol=1e-9)


def test_cross_holdings_are_reused_only_for_the_same_stakes() -> None:
    C = np.array([[0.0, 0.2, 0.0], [0.1, 0.0, 0.3], [0.0, 0.0, 0.0]])
    first = cross_holdings(C)
    assert cross_holdings(C.copy(), first) is first
    changed = C.copy()
    changed[2, 0] = 0.05
    second = cross_holdings(changed, first)
    assert second is not first
    np.testing.assert_array_equal(second.inverse, cross_holding_inverse(changed))


def test_the_world_keeps_valuations_exact_after_stakes_change(make_game: MakeGame) -> None:
    # Valuations with the kept inverse equal valuations worked out from scratch, after a bet
    # (new stakes) and after a quarter.
    game = make_game("cloudco")
    for action in (Bet("cloudco", "redlab", 1e9), EndQuarter("")):
        assert game.act(action).ok
        world = game.world
        kept = appraise(world, world.metrics["revenue"])
        world.holdings = None
        fresh = appraise(world, world.metrics["revenue"])
        for name in ("valuation", "fundamental", "outside"):
            np.testing.assert_array_equal(kept[name], fresh[name])
        np.testing.assert_array_equal(world.metrics["valuation"], fresh["valuation"])


@settings(max_examples=40, deadline=None)
@given(arrays(np.float64, (5, 5), elements=st.floats(-10.0, 10.0)))
def test_inverse_is_numpys(a: np.ndarray) -> None:
    try:
        expected = np.linalg.inv(a)
    except np.linalg.LinAlgError:
        with pytest.raises(np.linalg.LinAlgError):
            inverse(a)
        return
    np.testing.assert_array_equal(inverse(a), expected)


def test_inverse_of_a_singular_matrix_raises() -> None:
    with pytest.raises(np.linalg.LinAlgError):
        inverse(np.ones((3, 3)))
    regular = identity_minus(np.array([[0.0, 0.5], [0.25, 0.0]]))
    np.testing.assert_array_equal(inverse_of_regular(regular), np.linalg.inv(regular))


def _rival_bonuses_by_mask(
    stakes: np.ndarray, kinds: np.ndarray, investor: int, labs: np.ndarray
) -> np.ndarray:
    rivals = kinds == kinds[investor]
    rivals[investor] = False
    if not rivals.any():
        return np.zeros(len(labs))
    rival_hold = stakes[rivals][:, labs].max(axis=0)
    own = stakes[investor, labs]
    return np.where(rival_hold > 0, np.where(own >= rival_hold, 0.1, -0.1), 0.05)


def test_rival_bonuses_from_the_listed_rivals(make_game: MakeGame) -> None:
    world = make_game().world
    rng = np.random.default_rng(3)
    labs = np.flatnonzero(world.is_lab)
    for _ in range(20):
        world.stakes[:] = rng.uniform(0.0, 0.1, world.stakes.shape) * (rng.random(world.stakes.shape) < 0.5)
        np.fill_diagonal(world.stakes, 0.0)
        for investor in range(world.n):
            expected = _rival_bonuses_by_mask(world.stakes, world.kind_codes, investor, labs)
            np.testing.assert_array_equal(rival_bonuses(world, investor, labs), expected)
            for k, lab in enumerate(labs):
                assert rival_bonus(world, investor, int(lab)) == expected[k]


def test_rivals_include_the_first_firm(make_game: MakeGame) -> None:
    # Firm 0 is somebody's rival: an index array holding only 0 still counts as a rival.
    world = make_game().world
    same = [i for i in range(1, world.n) if world.kind_codes[i] == world.kind_codes[0]]
    assert same, "mini has two firms of the first firm's kind"
    assert 0 in world.rivals[same[0]].tolist()
    assert all(i not in world.rivals[i].tolist() for i in range(world.n))


@pytest.mark.parametrize(
    "value",
    [0.0, -0.0, 1.0, 2.5e9, MAX_AMOUNT, MAX_AMOUNT * 2, -1.0, math.nan, math.inf, -math.inf, 3, True, "1"],
)
@pytest.mark.parametrize("allow_zero", [False, True])
def test_amount_fast_path_agrees(value: object, allow_zero: bool) -> None:
    def reference(v: object) -> float:
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            raise Refused("not a number")
        number = float(v)
        if number < 0 or (number == 0 and not allow_zero) or number > MAX_AMOUNT:
            raise Refused("out of range")
        return number

    try:
        expected: float | None = reference(value)
    except Refused:
        expected = None
    if expected is None:
        with pytest.raises(Refused):
            amount(value, "x", allow_zero=allow_zero)
    else:
        got = amount(value, "x", allow_zero=allow_zero)
        assert got == expected and type(got) is float


@pytest.mark.parametrize("value", [0.0, 1e-9, 0.3, 0.49999, 0.5, 0.7, -0.1, math.nan, math.inf, 1, False])
def test_fraction_fast_path_agrees(value: object) -> None:
    upper = 0.5
    ok = not isinstance(value, bool) and isinstance(value, int | float) and math.isfinite(value)
    ok = ok and 0 < float(value) < upper  # type: ignore[arg-type]
    if ok:
        assert fraction(value, "x", upper) == value
    else:
        with pytest.raises(Refused):
            fraction(value, "x", upper)


def test_traits_and_market_read_as_model_dump(mini: Scenario) -> None:
    world = build_world(mini, 1)
    assert world.traits == [f.personality.model_dump() for f in mini.firms]
    market = mini.market.model_dump()
    market["sentiment"] = market.pop("initial_sentiment")
    assert world.market == market


@settings(max_examples=60, deadline=None)
@given(
    arrays(np.float64, (6,), elements=st.floats(-1e12, 1e12)),
    arrays(np.float64, (6,), elements=st.floats(-1e12, 1e12)),
)
def test_bubble_index_is_the_guarded_ratio(market: np.ndarray, fundamental: np.ndarray) -> None:
    with np.errstate(over="ignore"):  # a tiny fundamental gives inf in both
        expected = np.ones(6)
        np.divide(market, fundamental, out=expected, where=fundamental > 0.0)
        np.testing.assert_array_equal(bubble_index(market, fundamental), expected)
    positive = np.abs(fundamental) + 1.0
    np.testing.assert_array_equal(bubble_index(market, positive), market / positive)
