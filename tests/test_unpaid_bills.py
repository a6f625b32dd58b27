"""Who received less when a firm could not pay: the tutorial's debrief asks "When Cirrus
could not pay, who received less?", and neither the quarter summary ("Could not pay all
they owed: Cirrus Compute"), the debrief, its Markdown nor the history CSV said."""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest

from game.engine.actions import Choose
from game.engine.clearing import shortfalls
from game.engine.game import Game
from game.scenario.loader import load_scenario
from game.ui import analysis

LINE = "Cirrus Compute paid $1.25 bn of $4 bn it owed: Quartz Semiconductors got $2.75 bn less"


def test_clearing_lists_each_obligation_paid_in_part() -> None:
    owed = np.array([[0.0, 4.0, 2.0], [0.0, 0.0, 0.0], [1.0, 0.0, 0.0]])
    paid = np.array([[0.0, 1.0, 0.5], [0.0, 0.0, 0.0], [1.0, 0.0, 0.0]])
    assert shortfalls(owed, paid) == [(0, 1, 4.0, 1.0), (0, 2, 2.0, 0.5)]


@pytest.fixture(scope="module")
def tutorial() -> Game:
    """Tutorial seed 3 with Atlas's first answer to every lesson: lesson 6 lets the clearing run."""
    game = Game(load_scenario("tutorial").scenario, 3, ("atlas",))
    world = game.world
    while not world.finished:
        while world.pending and world.pending[0].chooser == world.index["atlas"]:
            game.act(Choose("atlas", world.pending[0].event, 0))
        game.end_quarter()
    return game


def test_the_quarter_s_report_and_the_summary_line_name_the_creditor(tutorial: Game) -> None:
    world = tutorial.world
    [report] = [r for r in tutorial.reports if r.unpaid]
    assert [(world.ids[s.debtor], world.ids[s.creditor]) for s in report.unpaid] == [("cirrus", "quartz")]
    assert analysis.unpaid_text(world, report.unpaid) == [LINE]


def test_the_debrief_and_its_exports_keep_the_shortfall(tutorial: Game) -> None:
    world = tutorial.world
    atlas = world.index["atlas"]
    assert any(p.quarter == "2026-Q2" and p.text == LINE for p in analysis.turning_points(world, [atlas]))
    assert f"- 2026-Q2: {LINE}" in analysis.debrief_markdown(tutorial, [("atlas", "you")])
    rows = list(csv.DictReader(io.StringIO(analysis.history_csv(world))))
    unpaid = {(r["quarter"], r["firm"]): float(r["unpaid"]) for r in rows if r["unpaid"] != "0"}
    assert unpaid == {("2026-Q2", "cirrus"): pytest.approx(2.75e9)}
