"""Pilot tests for the classroom tools in the game: the facilitator's panel, the debrief held
back until it is revealed, the class code in the header and the exports, the debrief's
comparison with bot games, and reloading an edited scenario file."""

from __future__ import annotations

import csv
import io
import threading
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Checkbox, Select, Static
from ui_helpers import SMALL, finish_quarter, footer_keys, text_of, type_into

from game.classcode import code_for_game, parse_code
from game.engine.actions import FACILITATOR, Adjudicate, Bet, EndQuarter, InjectShock, WithdrawShock
from game.scenario.loader import LoadedScenario, load_scenario
from game.ui.app import CircularApp
from game.ui.screens.dashboard import DashboardScreen
from game.ui.screens.debrief import DebriefScreen
from game.ui.screens.dialogs import ConfirmDialog, MessageDialog
from game.ui.screens.facilitator import DebriefHeld, FacilitatorDialog
from game.ui.screens.handoff import HandoffScreen
from game.ui.screens.money_map import MoneyMapScreen
from game.ui.serve import SERVED
from game.ui.widgets import TextField

SHOCKS = """
[[events]]
id = "shock_slump"
shock = true
headline = "Shock: customers cut their AI budgets"
body = "Demand falls by a quarter."
effects = [{ do = "market", field = "demand", multiply = 0.75 }]

[[events]]
id = "shock_outage"
shock = true
target = "skyhost"
headline = "Shock: a data-centre outage"
body = "A third of the target's capacity goes offline."
effects = [{ do = "adjust", firm = "target", field = "capacity", multiply = 0.67 }]
"""


@pytest.fixture
def shocks_file(mini_loaded: LoadedScenario, tmp_path: Path) -> Path:
    """The mini scenario with two shocks, as a file an author can edit."""
    path = tmp_path / "classroom.toml"
    source = mini_loaded.source.replace('id = "mini"', 'id = "classroom"', 1)
    path.write_text(source.replace("\n[goals]", SHOCKS + "\n[goals]", 1), encoding="utf-8")
    return path


def play_to_the_last_quarter(app: CircularApp) -> None:
    assert app.session is not None
    game = app.session.game
    while game.world.quarter < game.world.last_quarter:
        game.act(EndQuarter(""))
    app.changed()


async def open_panel(pilot: Pilot[int]) -> FacilitatorDialog:
    await pilot.press("f")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, FacilitatorDialog)
    return screen


# -- the facilitator ----------------------------------------------------------------------------


async def test_the_facilitator_key_is_only_there_in_facilitator_mode(make_app, shocks_file) -> None:
    app = make_app(load_scenario(shocks_file), firm="cloudco", start_playing=True)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert "f" not in footer_keys(app)
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)


async def test_at_80_columns_the_facilitator_s_key_takes_the_room_of_enter_s_name(
    make_app, shocks_file
) -> None:
    """On the dashboard, enter's name ("Money map") would push "o Moves" and "^q Quit" off the
    footer at 80 columns in facilitator mode: it shows from 96 columns, and enter always works."""
    app = make_app(load_scenario(shocks_file), firm="cloudco", start_playing=True, facilitator=True)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        keys = footer_keys(app)
        assert "enter" not in keys and {"f", "o", "ctrl+q"} <= set(keys)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MoneyMapScreen)
        await pilot.press("escape")
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert footer_keys(app)["enter"] == "Money map"


async def test_facilitator_queues_a_shock_aimed_at_one_firm(make_app, shocks_file) -> None:
    app = make_app(load_scenario(shocks_file), firm="cloudco", start_playing=True, facilitator=True)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert footer_keys(app)["f"] == "Facilitator"
        panel = await open_panel(pilot)
        target = panel.query_one("#target", Select)
        shock = panel.query_one("#shock", Select)
        assert shock.value == "shock_slump" and "no shocks" not in str(shock._options)  # no blank line
        assert target.disabled  # the first shock hits the whole market: it cannot be aimed
        assert "Demand falls" in text_of(app, "#shock-body")
        panel.query_one("#shock", Select).value = "shock_outage"
        await pilot.pause()
        assert not target.disabled and target.value == "skyhost"  # the event's own target first
        aims = {firm for _, firm in target._options if firm}
        assert {"cloudco", "skyhost"} <= aims and not aims & {"redlab", "blacklab"}  # labs have no capacity
        target.value = "cloudco"
        await pilot.click("#queue")
        await pilot.pause()
        assert "next quarter" in text_of(app, "#shock-message")
        queued = text_of(app, "#queued")
        assert "Queued for next quarter: Shock: a data-centre outage (hits CloudCo)" in queued
        assert "Q1: Shock: a data-centre outage on CloudCo" in text_of(app, "#fac-log")
        session = app.session
        assert session.game.log[-1] == InjectShock(FACILITATOR, "shock_outage", target="cloudco")
        me = session.me
        capacity = float(session.world.capacity[me])
        await pilot.press("escape")
        await pilot.pause()
        await finish_quarter(pilot)
        assert "shock_outage" in session.world.event_fired
        assert session.world.capacity[me] < capacity
        headlines = [n.headline for n in session.world.news]
        assert "Shock: a data-centre outage (hits CloudCo)" in headlines  # the news names the target


async def test_facilitator_withdraws_the_last_queued_shock(make_app, shocks_file) -> None:
    app = make_app(load_scenario(shocks_file), firm="cloudco", start_playing=True, facilitator=True)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        panel = await open_panel(pilot)
        withdraw = panel.query_one("#withdraw", Button)
        assert withdraw.disabled  # nothing queued yet
        await pilot.click("#queue")
        await pilot.pause()
        assert not withdraw.disabled
        await pilot.click("#withdraw")
        await pilot.pause()
        assert "withdrawn: it will not strike" in text_of(app, "#shock-message")
        assert "No shock queued." in text_of(app, "#queued") and withdraw.disabled
        log = text_of(app, "#fac-log")
        assert "2024-Q1: withdrew shock: customers cut their AI budgets" in log  # both moves stay listed
        assert "2024-Q1: Shock: customers cut their AI budgets (withdrawn: it did not strike)" in log
        assert app.session.world.queued_shocks == []
        assert isinstance(app.session.game.log[-1], WithdrawShock)


async def test_facilitator_grants_and_penalises_with_a_reason(make_app, shocks_file) -> None:
    app = make_app(load_scenario(shocks_file), firm="cloudco", start_playing=True, facilitator=True)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        panel = await open_panel(pilot)
        world = app.session.world
        lab = world.index["redlab"]
        panel.query_one("#firm", Select).value = "redlab"
        cash = float(world.cash[lab])
        await type_into(pilot, "#amount", "2")
        await pilot.click("#grant")  # no reason: refused, nothing changes
        await pilot.pause()
        assert "give a reason" in text_of(app, "#fac-message")
        assert float(world.cash[lab]) == cash and app.session.game.log == []
        await type_into(pilot, "#amount", "lots")
        await type_into(pilot, "#reason", "won the pitch contest")
        await pilot.click("#grant")
        await pilot.pause()
        assert "cannot read 'lots' as money" in text_of(app, "#fac-message")
        await type_into(pilot, "#amount", "-3")  # a sign on Grant would have fined the firm
        await pilot.click("#grant")
        await pilot.pause()
        assert "without a sign: Grant adds it, Penalise takes it away" in text_of(app, "#fac-message")
        assert app.session.game.log == []
        await type_into(pilot, "#amount", "2")
        await pilot.click("#grant")
        await pilot.pause()
        assert float(world.cash[lab]) == pytest.approx(cash + 2e9)
        assert panel.query_one("#reason", TextField).value == ""  # ready for the next one
        await type_into(pilot, "#amount", "0.5")
        await type_into(pilot, "#reason", "broke a class rule")
        await pilot.click("#penalise")
        await pilot.pause()
        assert float(world.cash[lab]) == pytest.approx(cash + 1.5e9)
        log = app.session.game.log
        assert log == [
            Adjudicate(FACILITATOR, "redlab", 2e9, "won the pitch contest"),
            Adjudicate(FACILITATOR, "redlab", -0.5e9, "broke a class rule"),
        ]
        moves = text_of(app, "#fac-log")
        assert "granted Red Lab" in moves and "fined Red Lab" in moves and "2024-Q1" in moves
        assert any(n.headline.endswith("$2 bn: won the pitch contest") for n in world.news)


async def test_at_80x24_the_facilitator_sees_the_answer_beside_the_buttons(make_app, shocks_file) -> None:
    """The moves' log is below the fold at 80x24: a form that only cleared would invite a
    second Grant. The answer shows under the buttons pressed, one answer at a time."""
    app = make_app(load_scenario(shocks_file), firm="cloudco", start_playing=True, facilitator=True)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        panel = await open_panel(pilot)
        form = panel.query_one("#facilitator")
        await type_into(pilot, "#amount", "2")
        await type_into(pilot, "#reason", "won the hackathon")
        await pilot.click("#grant")
        await pilot.pause()
        answer = panel.query_one("#fac-message", Static)
        assert "grants CloudCo $2 bn: won the hackathon" in text_of(app, "#fac-message")
        assert form.region.contains_region(answer.region)
        assert answer.region.y == panel.query_one("#grant", Button).region.bottom  # right under it
        await pilot.click("#queue")
        await pilot.pause()
        assert "next quarter" in text_of(app, "#shock-message")
        assert form.region.contains_region(panel.query_one("#shock-message").region)
        assert not answer.display  # the grant's answer is gone: one at a time


async def test_the_debrief_waits_for_the_facilitator(make_app, shocks_file) -> None:
    app = make_app(load_scenario(shocks_file), firm="cloudco", start_playing=True, facilitator=True)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        play_to_the_last_quarter(app)
        await pilot.pause()
        await finish_quarter(pilot)
        assert isinstance(app.screen, DebriefHeld)
        assert app.check_action("view", ("debrief",)) is False
        await pilot.press("escape")  # the class can look at the dashboard; e does not open the debrief
        await pilot.pause()
        assert "Game over · debrief held: f reveals it" in text_of(app, "#dash-status")
        assert footer_keys(app)["f"] == "Reveal debrief"  # as the header says, not "Facilitator"
        await pilot.press("e")
        await pilot.pause()
        assert not isinstance(app.screen, DebriefScreen)
        await pilot.press("f")  # the facilitator reveals it
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        assert "f" not in footer_keys(app)  # nothing left for the facilitator to do


async def test_the_debrief_and_its_export_list_the_facilitator_s_moves(make_app, shocks_file, saves) -> None:
    app = make_app(load_scenario(shocks_file), firm="cloudco", start_playing=True, facilitator=True)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        app.act(Adjudicate(FACILITATOR, "redlab", -1e9, "broke a class rule"))
        app.act(InjectShock(FACILITATOR, "shock_outage", target="cloudco"))
        play_to_the_last_quarter(app)
        await pilot.pause()
        await finish_quarter(pilot)
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        shown = text_of(app, "#db-result")
        assert "The facilitator's moves" in shown
        assert "2024-Q1: fined Red Lab $1 bn: broke a class rule" in shown
        assert "2024-Q1: Shock: a data-centre outage on CloudCo (strikes in 2024-Q2)" in shown
        await pilot.press("x")
        await pilot.pause()
        markdown = (saves / "classroom-seed7-cloudco.debrief.md").read_text()
        assert "## The facilitator's moves\n\n- 2024-Q1: fined Red Lab $1 bn: broke a class rule" in markdown


async def test_the_facilitator_can_let_the_debrief_open_at_once(make_app, shocks_file) -> None:
    app = make_app(load_scenario(shocks_file), firm="cloudco", start_playing=True, facilitator=True)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        panel = await open_panel(pilot)
        hold = panel.query_one("#hold", Checkbox)
        assert str(hold.label).startswith("Pause before the debrief: on")
        hold.value = False
        await pilot.pause()
        assert str(hold.label).startswith("Pause before the debrief: off")  # says its state in words
        await pilot.press("escape")
        play_to_the_last_quarter(app)
        await pilot.pause()
        await finish_quarter(pilot)
        assert isinstance(app.screen, DebriefScreen)


# -- the class code and the comparison with bot games --------------------------------------------


async def test_class_code_in_the_header_and_exports_and_the_bot_comparison(make_app, saves: Path) -> None:
    app = make_app(firm="cloudco", start_playing=True)
    app.forecasts.runs = 16  # few games (in a child process, on two cores): enough for the sentence
    # the bot games wait until the debrief has been exported once, as when a student presses x at once
    exported = threading.Event()
    play = app.forecasts.play
    app.forecasts.play = lambda key: exported.wait(30) and play(key)  # type: ignore[method-assign]
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        code = app.class_code()
        assert app.sub_title == f"class code {code}"
        parsed = parse_code(code)
        assert (parsed.scenario, parsed.seed) == ("mini", 7) and parsed.matches(app.session.loaded.source)
        play_to_the_last_quarter(app)
        await pilot.pause()
        await finish_quarter(pilot)
        assert isinstance(app.screen, DebriefScreen)
        assert app.sub_title == f"class code {code}"  # in the header of every game screen
        await pilot.press("x")  # while the bot games are still being played
        await pilot.pause()
        early = (saves / "mini-seed7-cloudco.debrief.md").read_text()
        assert "bot games" not in early
        said = text_of(app, "#db-message")
        assert "still being played: mini-seed7-cloudco.debrief.md gets their comparison when they end" in said
        exported.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        result = text_of(app, "#db-result")
        assert "CloudCo's score (" in result and "of 16 bot games" in result and "beat" in result
        # written again without a second x: the student who exported at once has the comparison too
        assert (
            text_of(app, "#db-message")
            == "Added the comparison with the bot games to mini-seed7-cloudco.debrief.md."
        )
        markdown = (saves / "mini-seed7-cloudco.debrief.md").read_text()
        assert f"Class code {code}" in markdown and "of 16 bot games" in markdown
        await pilot.press("x")  # once they are played, an export says nothing of them
        await pilot.pause()
        assert "still being played" not in text_of(app, "#db-message")
        rows = list(csv.DictReader(io.StringIO((saves / "mini-seed7-cloudco.history.csv").read_text())))
        assert rows and {row["class_code"] for row in rows} == {code}


async def test_the_title_screen_s_default_difficulty_gives_the_command_line_s_class_code(make_app) -> None:
    """history's title screen chooses "Historian", which changes nothing: its class code was
    history-1k7-historian-7157 where `circular play history --seed 2023` gives history-1k7-7157."""
    loaded = load_scenario("history")
    app = make_app(loaded)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#difficulty", Select).value == "historian"
        app.screen.query_one("#start", Button).press()
        await pilot.pause()
        assert app.session is not None and app.session.game.difficulty == "historian"
        assert app.class_code() == code_for_game("history", 2023, None, loaded.source)


async def test_each_served_game_saves_under_its_own_name(
    make_app, saves: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`circular serve --code C`: every browser played the same world and wrote the same
    mini-seed7-cloudco.json; each game now has a tag of its own, after the player's name if given."""
    monkeypatch.setenv(SERVED, "1")
    stems = []
    for player in ("", "", "Ada"):
        app = make_app(firm="cloudco", player=player, start_playing=True)
        async with app.run_test(size=SMALL) as pilot:
            await pilot.pause()
            assert app.session is not None
            await pilot.press("ctrl+s")
            await pilot.pause()
            stems.append(app.session.file_stem)
    assert len(set(stems)) == 3 and stems[2].startswith("mini-seed7-cloudco-ada-")
    assert sorted(p.stem for p in saves.glob("*.json")) == sorted(stems)


async def test_the_comparison_is_played_once_per_game(make_app) -> None:
    app = make_app(firm="cloudco", start_playing=True)
    app.forecasts.runs = 4
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        play_to_the_last_quarter(app)
        await pilot.pause()
        await finish_quarter(pilot)
        await app.workers.wait_for_complete()
        outcomes = app.forecasts.of(app.session)
        assert outcomes is not None and len(outcomes) == 4
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        assert app.forecasts.of(app.session) is outcomes  # kept, not played again
        assert "of 4 bot games" in text_of(app, "#db-result")


# -- reloading an edited scenario -----------------------------------------------------------------


async def test_reload_replays_the_moves_on_the_edited_file(make_app, shocks_file) -> None:
    app = make_app(load_scenario(shocks_file), firm="cloudco", start_playing=True)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await finish_quarter(pilot)
        session = app.session
        log = list(session.game.log)
        code = app.class_code()
        text = shocks_file.read_text()
        shocks_file.write_text(text.replace("Demand falls by a quarter.", "Demand falls by a third."))
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.session is session and session.game.log == log
        assert session.world.turn == 1
        assert "a third" in session.loaded.source
        assert app.class_code() != code and app.sub_title == f"class code {app.class_code()}"
        await pilot.press("ctrl+r")  # nothing changed since: says so
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, MessageDialog)
        assert "has not changed" in str(app.screen.query_one("#message-body Static", Static).render())


async def test_reload_of_a_broken_file_keeps_the_last_good_version(make_app, shocks_file) -> None:
    app = make_app(load_scenario(shocks_file), firm="cloudco", start_playing=True)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        session = app.session
        game, source = session.game, session.loaded.source
        broken = source.replace('kind = "lab"', 'kind = "labb"', 1).replace(
            "quarters = 8", "quarters = -1", 1
        )
        shocks_file.write_text(broken)
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, MessageDialog)
        message = str(app.screen.query_one("#message-body Static", Static).render())
        assert "2 problems" in message and "keeps the last good version" in message
        assert f"{shocks_file}:" in message and "kind" in message and "quarters" in message
        assert session.game is game and session.loaded.source == source
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)


async def test_reload_that_the_moves_do_not_fit_offers_a_fresh_start(make_app, shocks_file) -> None:
    app = make_app(load_scenario(shocks_file), firm="cloudco", start_playing=True)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert app.act(Bet("cloudco", "redlab", 50e9)).ok
        await pilot.pause()
        text = shocks_file.read_text()
        shocks_file.write_text(text.replace('cash = "60 bn"', 'cash = "5 bn"', 1))  # too poor for that bet
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        said = " ".join(str(s.render()) for s in app.screen.query(Static)).replace("\n", " ")
        assert "The move in 2024-Q1 (bet on Red Lab) no longer fits the new version" in said
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert app.session.game.log == [] and 'cash = "60 bn"' not in app.session.loaded.source


async def test_a_fresh_start_after_reload_keeps_the_seats_and_the_facilitator(make_app, shocks_file) -> None:
    seats = (("cloudco", "Ada"), ("redlab", "Bo"))
    app = make_app(load_scenario(shocks_file), seats=seats, facilitator=True, start_playing=True)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # Ada is at the keyboard
        await pilot.pause()
        assert app.act(Bet("cloudco", "redlab", 50e9)).ok
        text = shocks_file.read_text()
        shocks_file.write_text(text.replace('cash = "60 bn"', 'cash = "5 bn"', 1))
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        session = app.session
        assert session.game.log == [] and 'cash = "60 bn"' not in session.loaded.source
        assert session.roster == seats and session.facilitator and session.firm == "cloudco"
        assert isinstance(app.screen, HandoffScreen)


def test_reload_of_a_shorter_game_says_it_ends_before_a_quarter_played(shocks_file: Path) -> None:
    from game.engine.game import Game
    from game.ui.reload import reload_scenario

    loaded = load_scenario(shocks_file)
    game = Game(loaded.scenario, 7, ("cloudco",), facilitator=True)
    for _ in range(7):
        assert game.act(EndQuarter("")).ok
    shocks_file.write_text(loaded.source.replace("quarters = 8", "quarters = 6", 1))
    result = reload_scenario(loaded, game)
    assert result.game is None and result.message == (
        f"The new version of {shocks_file.name} ends before 2025-Q3, which was played: the game is over."
    )
