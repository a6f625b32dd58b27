"""The quarter summary's cause of a big valuation move (game/ui/analysis/causes.py)."""

from __future__ import annotations

import pytest

from game.engine.game import Game
from game.ui import analysis


def test_the_parts_add_up_to_the_change() -> None:
    causes = analysis.split_change(400.0, 300.0, 250.0, 260.0, 200.0, 220.0)
    assert causes is not None
    assert causes.mood + causes.revenue + causes.rest == pytest.approx(300.0 - 400.0)
    assert causes.mood == pytest.approx((300 / 260 - 400 / 250) * 260)
    assert causes.revenue == pytest.approx(400 / 250 * 20)


def test_the_main_cause_is_the_biggest_part_the_way_the_value_went() -> None:
    # the business grew, but the market's mood fell further: sentiment is the cause of the fall
    cooled = analysis.split_change(400.0, 300.0, 250.0, 260.0, 200.0, 220.0)
    assert cooled is not None and analysis.main_cause(cooled) == "mood"
    # the mood held; revenue halved
    shrank = analysis.split_change(200.0, 120.0, 200.0, 120.0, 160.0, 80.0)
    assert shrank is not None and analysis.main_cause(shrank) == "revenue"
    # the mood and the business held; cash was spent
    spent = analysis.split_change(100.0, 80.0, 100.0, 80.0, 50.0, 50.0)
    assert spent is not None and analysis.main_cause(spent) == "rest"
    assert analysis.split_change(100.0, 80.0, -5.0, 80.0, 50.0, 50.0) is None  # no mood to speak of


def test_a_big_move_in_a_game_gets_a_line_and_a_small_one_none(mini) -> None:
    game = Game(mini, 7, ("redlab",))
    game.play_out()
    world = game.world
    lines = {}
    for firm in range(world.n):
        for row in range(1, world.turn + 1):
            v0, v1 = world.history["valuation"][row - 1 : row + 1, firm]
            line = analysis.cause_line(world, firm, row)
            assert (line is not None) == (abs(v1 / v0 - 1) >= 0.10), (firm, row, line)
            if line:
                lines[line.split(" ")[0]] = line
    assert lines  # mini's labs move more than a tenth in some quarters
    assert analysis.cause_line(world, 0, 0) is None  # the start has no quarter before it
