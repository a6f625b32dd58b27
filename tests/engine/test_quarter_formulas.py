"""The small formulas of a quarter, against hand-worked numbers."""

from __future__ import annotations

import numpy as np
import pytest

from game.engine.quarter import debt_repayment, rented_compute, sentiment_shocks
from game.engine.valuation import failure_bar, failure_line


def test_a_cloud_rents_at_cost_only_the_compute_sold_beyond_its_capacity() -> None:
    owed_to = np.array([12.0, 5.0, 9.0])  # the third firm sells chips: not compute
    capacity = np.array([10.0, 8.0, 0.0])
    sells = np.array([True, True, False])
    assert rented_compute(owed_to, capacity, sells).tolist() == [2.0, 0.0, 0.0]


def test_debt_is_repaid_from_a_quarter_of_the_cash_beyond_a_year_of_costs() -> None:
    cash, costs = np.array([10.0, 10.0, 3.0]), np.array([1.0, 1.0, 1.0])
    debt = np.array([0.5, 5.0, 5.0])
    # surplus 10 - 4 = 6: a quarter is 1.5; all 0.5 repaid, 1.5 of 5; no surplus, nothing
    assert debt_repayment(cash, costs, debt).tolist() == [0.5, 1.5, 0.0]


def test_sentiment_shocks_mix_the_market_s_draw_with_each_firm_s_and_keep_their_spread() -> None:
    assert sentiment_shocks(0.1, 1.0, np.array([0.0, 1.0])) == pytest.approx([0.06, 0.14])
    rng = np.random.default_rng(1)
    draws = [
        sentiment_shocks(0.2, float(rng.standard_normal()), rng.standard_normal(1))[0] for _ in range(20000)
    ]
    assert np.std(draws) == pytest.approx(0.2, rel=0.03)


def test_the_failure_bar_is_a_share_of_the_best_recent_outside_value_and_the_line_its_valuation() -> None:
    reference = np.array([100.0, -5.0])
    assert failure_bar(reference, 0.3).tolist() == [30.0, 0.0]  # a negative reference: no bar
    outside = np.array([0.5, 0.0])  # outsiders hold half the first firm; none of the second
    assert failure_line(reference, 0.3, outside).tolist() == [60.0, 0.0]
