"""Tests for game.engine.cycling (Finn 1976 cycling index, round-trip share)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from game.engine.cycling import finn_cycling_index, round_trip_share


def test_chain_has_no_cycling() -> None:
    F = np.zeros((3, 3))
    F[0, 1] = 10.0
    F[1, 2] = 10.0
    c, fci = finn_cycling_index(F, np.array([10.0, 0.0, 0.0]))
    np.testing.assert_array_equal(c, 0.0)
    assert fci == 0.0


def test_two_cycle_with_outside_input_hand_worked() -> None:
    # 0 -> 1 and 1 -> 0 ten each, 10 enters 0 from outside.
    # T = [20, 10]; G[0, 1] = 0.5, G[1, 0] = 1; N = inv([[1, -0.5], [-1, 1]]) = [[2, 1], [2, 2]]
    # c = [1/2, 1/2]; FCI = (0.5 * 20 + 0.5 * 10) / 30 = 0.5
    F = np.array([[0.0, 10.0], [10.0, 0.0]])
    c, fci = finn_cycling_index(F, np.array([10.0, 0.0]))
    np.testing.assert_allclose(c, [0.5, 0.5])
    assert np.isclose(fci, 0.5)


def test_pure_two_cycle_is_fully_cycled() -> None:
    # No outside input and no leak: all money has been round before, FCI = 1.
    F = np.array([[0.0, 7.0], [7.0, 0.0]])
    c, fci = finn_cycling_index(F, np.zeros(2))
    np.testing.assert_allclose(c, [1.0, 1.0], atol=1e-6)
    assert np.isclose(fci, 1.0, atol=1e-6)


def test_no_flow() -> None:
    c, fci = finn_cycling_index(np.zeros((3, 3)), np.zeros(3))
    np.testing.assert_array_equal(c, 0.0)
    assert fci == 0.0


def test_round_trip_all_own_money() -> None:
    # Vendor 0 invests 10 into lab 1, the lab's only money, and the lab pays it back
    # to the vendor as its whole revenue: RT[0] = 10 * (10 / 10) / 10 = 1.
    F = np.array([[0.0, 10.0], [10.0, 0.0]])
    inv = np.array([[0.0, 10.0], [0.0, 0.0]])
    rt = round_trip_share(F, inv, inflow=np.array([0.0, 10.0]), revenue=np.array([10.0, 0.0]))
    np.testing.assert_allclose(rt, [1.0, 0.0])


def test_round_trip_partial_hand_worked() -> None:
    # Lab 1 gets 10 from vendor 0 and 30 from customers (inflow 40, ratio 0.25), pays 20 to
    # the vendor; the vendor's revenue is 20 + 30 from others = 50: RT[0] = 20 * 0.25 / 50.
    F = np.array([[0.0, 10.0], [20.0, 0.0]])
    inv = np.array([[0.0, 10.0], [0.0, 0.0]])
    rt = round_trip_share(F, inv, inflow=np.array([20.0, 40.0]), revenue=np.array([50.0, 30.0]))
    np.testing.assert_allclose(rt, [0.1, 0.0])


def test_round_trip_guards() -> None:
    F = np.array([[0.0, 10.0], [10.0, 0.0]])
    inv = np.array([[0.0, 50.0], [0.0, 0.0]])
    rt = round_trip_share(F, inv, inflow=np.array([0.0, 0.0]), revenue=np.array([0.0, -1.0]))
    np.testing.assert_array_equal(rt, [0.0, 0.0])
    # investment larger than inflow: ratio clipped to 1; result clipped to 1
    rt = round_trip_share(F, inv, inflow=np.array([1.0, 5.0]), revenue=np.array([4.0, 1.0]))
    np.testing.assert_allclose(rt, [1.0, 0.0])


@st.composite
def flows(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    n = draw(st.integers(2, 9))
    F = draw(arrays(np.float64, (n, n), elements=st.floats(0.0, 100.0)))
    F = F * draw(arrays(np.bool_, (n, n)))
    np.fill_diagonal(F, 0.0)
    z = draw(arrays(np.float64, (n,), elements=st.floats(0.0, 100.0)))
    return F, z


@settings(max_examples=80, deadline=None)
@given(flows())
def test_finn_in_unit_interval(fz: tuple[np.ndarray, np.ndarray]) -> None:
    F, z = fz
    c, fci = finn_cycling_index(F, z)
    assert np.isfinite(c).all() and np.isfinite(fci)
    assert (c >= 0.0).all() and (c <= 1.0).all()
    assert 0.0 <= fci <= 1.0


@settings(max_examples=50, deadline=None)
@given(flows())
def test_finn_zero_on_acyclic(fz: tuple[np.ndarray, np.ndarray]) -> None:
    F, z = fz
    c, fci = finn_cycling_index(np.triu(F, 1), z)  # upper-triangular flows have no loop
    np.testing.assert_allclose(c, 0.0, atol=1e-12)
    assert abs(fci) <= 1e-12


@settings(max_examples=50, deadline=None)
@given(flows(), st.data())
def test_round_trip_in_unit_interval(fz: tuple[np.ndarray, np.ndarray], data: st.DataObject) -> None:
    F, z = fz
    n = F.shape[0]
    inv = data.draw(arrays(np.float64, (n, n), elements=st.floats(0.0, 100.0)))
    rt = round_trip_share(F, inv, F.sum(axis=0) + z, F.sum(axis=0))
    assert np.isfinite(rt).all()
    assert (rt >= 0.0).all() and (rt <= 1.0).all()


def test_the_opening_round_trip_counts_the_opening_revenue_as_received() -> None:
    """A reviewer saw Stratus's round trip read 48% at the start of the bubble and 4% a quarter
    later with nothing changed between it and Ember: at the opening, only the investments made
    before the game counted as money received, so each looked like all of its customers' money."""
    from game.engine.game import Game
    from game.engine.quarter import due_payments, outside_revenue
    from game.scenario.loader import load_scenario

    world = Game(load_scenario("bubble").scenario, 11).world
    owed = due_payments(world)
    revenue = outside_revenue(world, owed)[0] + owed.sum(axis=0)
    expected = round_trip_share(owed, world.invested, world.received + revenue, revenue)
    np.testing.assert_allclose(world.history["round_trip"][0], expected)
    assert world.history["round_trip"][0][world.index["stratus"]] < 0.3
