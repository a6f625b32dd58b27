"""Pilot tests: the small forms (other moves, the roulette's amount, the deal room's terms) say
what they would do as they are filled in, and take what is typed where the player expects."""

from __future__ import annotations

from ui_helpers import SMALL, text_of, type_into

from game.ui.screens.moves import MoveDialog


def microsoft(make_app, bundled):
    """A reviewer's game: history, seed 5, playing Microsoft (49% of OpenAI, a goal of 5%)."""
    return make_app(loaded=bundled("history"), firm="microsoft", seed=5, start_playing=True)


async def test_a_sale_says_which_goal_part_it_would_break(make_app, bundled) -> None:
    """Selling 45% of OpenAI left Microsoft 4%, under its goal's 5%, and the dialog said only
    what the sale brings in: it says so as the share is typed, as a deal or an answer does."""
    app = microsoft(make_app, bundled)
    async with app.run_test(size=SMALL) as pilot:
        app.action_moves("sell")
        await pilot.pause()
        assert isinstance(app.screen, MoveDialog)
        await type_into(pilot, "#share", "45")
        info = " ".join(text_of(app, "#move-info").split())
        assert "Selling 45% of OpenAI" in info
        assert "✗ breaks your goal part: own ≥ 5% of OpenAI (4% after it;" in info
        await type_into(pilot, "#share", "10")  # 39% left: nothing to say about the goal
        assert "goal part" not in text_of(app, "#move-info")
