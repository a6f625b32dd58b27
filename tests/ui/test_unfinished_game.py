"""Starting the same game again (scenario, seed, seats and names: the same file names) used to
overwrite the previous game's autosave after the first quarter, without a word. The previous
game, left unfinished, is now offered to resume; starting afresh keeps its files under
another name and says so. Played with real files in the test's saves folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ui_helpers import SMALL, finish_quarter, footer_keys, screen_text

from game.ui.screens.dashboard import DashboardScreen
from game.ui.screens.dialogs import ConfirmDialog
from game.ui.screens.title import TitleScreen

AUTOSAVE = "mini-seed7-cloudco.autosave.json"


def actions(path: Path) -> list[object]:
    moves: list[object] = json.loads(path.read_text(encoding="utf-8"))["actions"]
    return moves


async def play_two_quarters_and_leave(make_app) -> list[object]:
    """The first game: two quarters played, then the window closed (the autosave holds them)."""
    app = make_app(firm="cloudco", start_playing=True)
    async with app.run_test(size=SMALL) as pilot:
        await finish_quarter(pilot)
        await finish_quarter(pilot)
        app.flush_autosave()
    return actions(app.saves_dir / AUTOSAVE)


@pytest.mark.parametrize("key", ["y", "escape"])
async def test_the_same_game_started_again_offers_the_unfinished_one(make_app, saves: Path, key: str) -> None:
    """y resumes it, and so does escape, which backs out of the question: nothing is moved."""
    before = await play_two_quarters_and_leave(make_app)
    app = make_app(firm="cloudco", start_playing=True)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        said = screen_text(app)
        assert "left unfinished" in said and AUTOSAVE in said and "stopped at 2024-Q3" in said
        keys = footer_keys(app)  # the footer named them "Yes" and "No" beside "Resume (y)"
        assert keys["y"] == "Resume" and keys["n"] == "New game"
        await pilot.press(key)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert app.session is not None and len(app.session.game.log) == len(before)
        assert [path.name for path in saves.glob("*.json")] == [AUTOSAVE]


async def test_a_new_game_keeps_the_unfinished_one_under_another_name(make_app, saves: Path) -> None:
    before = await play_two_quarters_and_leave(make_app)
    app = make_app(firm="cloudco", start_playing=True)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen) and app.session is not None
        assert not app.session.game.log
        [kept] = [path for path in saves.glob("*.json")]
        assert kept.name.startswith("mini-seed7-cloudco-") and kept.name.endswith(".autosave.json")
        assert any(kept.name in n.message for n in app._notifications)
        await finish_quarter(pilot)  # the new game's autosave takes the name; the old one stays
        app.flush_autosave()
    assert actions(kept) == before
    assert len(actions(saves / AUTOSAVE)) < len(before)


async def test_the_title_screen_offers_it_too(make_app, saves: Path) -> None:
    await play_two_quarters_and_leave(make_app)
    app = make_app(firm="cloudco")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog) and AUTOSAVE in screen_text(app)


async def test_a_finished_game_is_not_offered(make_app, saves: Path) -> None:
    saves.mkdir(parents=True)
    await play_two_quarters_and_leave(make_app)
    data = json.loads((saves / AUTOSAVE).read_text(encoding="utf-8"))
    data["snapshot"]["finished"] = True  # as written, not replayed: the offer only reads it
    (saves / AUTOSAVE).write_text(json.dumps(data), encoding="utf-8")
    app = make_app(firm="cloudco", start_playing=True)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
