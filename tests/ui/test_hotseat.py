"""Hot seat: two to six people share one game at one keyboard, each running a firm.

Driven by keys as the players would: the hand-over screen hides everything between two seats,
each seat sees only its own offers and questions, an offer from a later seat reaches an
earlier one on its next turn, the quarter is played after the last seat, and a save taken
mid-rotation resumes with the seat whose turn it was and every player's name. Also the
title screen's seats, the command line's ``--players`` and ``--facilitator``, and a snapshot
of the hand-over screen.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Checkbox, Select, Static
from ui_helpers import LARGE, SMALL, end_turn, footer_keys, screen_text, summary_text, text_of, type_into

from game.classroom import build_report
from game.classroom_export import leaderboard_text
from game.engine.actions import EndQuarter, ProposeDeal
from game.saves import write_save
from game.scenario.loader import LoadedScenario, parse_scenario
from game.seats import check_seats, names_in_file_name, parse_players
from game.ui import analysis, fmt
from game.ui.app import CircularApp
from game.ui.screens.dashboard import DashboardScreen
from game.ui.screens.deals import DealRoomScreen
from game.ui.screens.debrief import DebriefScreen
from game.ui.screens.dialogs import ConfirmDialog
from game.ui.screens.event import EventDialog
from game.ui.screens.handoff import HandoffScreen
from game.ui.screens.summary import SummaryScreen
from game.ui.screens.title import SeatRow, TitleScreen
from game.ui.session import Session
from game.ui.widgets import TextField

TWO = (("cloudco", "Ada"), ("redlab", "Bo"))
Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def three(mini_loaded: LoadedScenario) -> LoadedScenario:
    """The mini world with a third playable firm, SkyHost."""
    source = mini_loaded.source.replace(
        'playable = ["cloudco", "redlab"]', 'playable = ["cloudco", "redlab", "skyhost"]'
    )
    assert source != mini_loaded.source
    return LoadedScenario(parse_scenario(source, "mini3.toml"), source, "mini3.toml")


def handing_to(app: CircularApp) -> str:
    assert isinstance(app.screen, HandoffScreen), type(app.screen).__name__
    return text_of(app, "#handoff-title")


async def ready(pilot: Pilot[int]) -> None:
    """The next player says they are at the keyboard."""
    assert isinstance(pilot.app.screen, HandoffScreen)
    await pilot.press("enter")
    await pilot.pause()


def session_of(app: CircularApp) -> Any:
    assert app.session is not None
    return app.session


# --- passing the keyboard --------------------------------------------------------------------


async def test_two_seats_take_turns_and_the_quarter_is_played_after_the_last(make_app, saves: Path) -> None:
    app = make_app(seats=TWO, start_playing=True)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        session = session_of(app)
        assert (session.seats, session.names) == (("cloudco", "redlab"), {"cloudco": "Ada", "redlab": "Bo"})
        assert "Ada — CloudCo" in handing_to(app)  # whoever started the game may not be Ada
        assert "Press Enter when Ada is at the keyboard" in text_of(app, "#handoff-enter")
        assert "seat 1 of 2" in screen_text(app)
        await ready(pilot)
        assert isinstance(app.screen, DashboardScreen) and session.firm == "cloudco"
        assert "Ada (seat 1/2) runs CloudCo" in text_of(app, "#dash-status")

        await end_turn(pilot)
        assert "Bo — Red Lab" in handing_to(app)
        assert "Ada (CloudCo) is done for 2024-Q1" in screen_text(app)
        assert session.firm == "redlab" and not session.game.reports  # not played yet
        await ready(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert "Bo (seat 2/2) runs Red Lab" in text_of(app, "#dash-status")

        await end_turn(pilot)
        assert len(session.game.reports) == 1  # the last seat played the quarter
        assert "Ada — CloudCo" in handing_to(app)
        assert "2024-Q1 has been played" in screen_text(app)
        assert "2024-Q2 · seat 1 of 2" in screen_text(app)
        autosave = json.loads((saves / "mini-seed7-cloudco-redlab-ada-bo.autosave.json").read_text())
        assert autosave["snapshot"]["quarter"] == "2024-Q2"  # the start of the quarter
        assert (autosave["playing"], autosave["players"]) == ("cloudco", {"cloudco": "Ada", "redlab": "Bo"})
        await ready(pilot)
        assert isinstance(app.screen, SummaryScreen)  # each seat reads the quarter it missed
        assert "2024-Q1 is over" in str(app.screen.query_one("#summary-title").render())
        await pilot.press("enter")
        await pilot.pause()
        await end_turn(pilot)
        await ready(pilot)
        assert isinstance(app.screen, SummaryScreen) and session.firm == "redlab"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)  # no question for Red Lab


async def test_three_seats_pass_in_order(make_app, three: LoadedScenario) -> None:
    seats = (("redlab", "Bo"), ("skyhost", ""), ("cloudco", "Ada"))
    app = make_app(loaded=three, seats=seats, start_playing=True)
    async with app.run_test(size=LARGE) as pilot:
        await pilot.pause()
        session = session_of(app)
        order = []
        for _ in range(3):
            order.append((handing_to(app), session.firm))
            await ready(pilot)
            assert not session.game.reports
            await end_turn(pilot)
        assert [firm for _, firm in order] == ["redlab", "skyhost", "cloudco"]
        assert "Bo — Red Lab" in order[0][0] and "Ada — CloudCo" in order[2][0]
        assert "whoever runs SkyHost" in order[1][0]  # a seat without a name
        assert len(session.game.reports) == 1 and session.firm == "redlab"
        assert "seat 1 of 3" in screen_text(app)


async def test_the_hand_over_screen_hides_the_previous_seat_and_takes_no_game_keys(make_app) -> None:
    app = make_app(seats=TWO, start_playing=True)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await ready(pilot)
        session = session_of(app)
        sent = app.act(ProposeDeal("cloudco", "blacklab", 1e9, 0.2))  # Ada's private talks
        assert sent.ok, sent.message
        app.notify(sent.message)
        await end_turn(pilot)
        assert [type(s).__name__ for s in app.screen_stack[1:]] == ["HandoffScreen"]  # nothing under it
        shown = screen_text(app)
        assert "Black Lab" not in shown and "$" not in shown and "offer #" not in shown.lower()
        assert not app._notifications  # Ada's messages are gone
        for key in ("d", "b", "m", "a", "o", "e", "f", "ctrl+p"):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, HandoffScreen), key
        assert session.firm == "redlab" and not session.game.reports
        await pilot.press("question_mark")  # help still opens, and closes back to the hand-over
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("d")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"  # still no game behind the help
        await pilot.press("escape")
        await pilot.pause()
        await ready(pilot)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DealRoomScreen)
        offers = screen_text(app)
        assert "Black Lab" not in offers  # Ada's offer is not Bo's business
        assert "You run" not in offers and "you are Red Lab" in text_of(app, "#deal-status")


async def test_seat_2_s_offer_reaches_seat_1_who_accepts_it(make_app) -> None:
    app = make_app(seats=TWO, start_playing=True)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await ready(pilot)
        await end_turn(pilot)  # Ada has nothing to do this quarter
        await ready(pilot)
        session = session_of(app)
        await pilot.press("d")  # Bo, for Red Lab, offers CloudCo shares for cash
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DealRoomScreen)
        counterparty = screen.query_one("#counterparty", Select)
        counterparty.value = "cloudco"
        await type_into(pilot, "#cash", "2")
        await type_into(pilot, "#stake", "3")
        await pilot.press("enter")
        await pilot.pause()
        offer = session.world.offers[-1]
        world = session.world
        assert (world.ids[offer.proposer], world.ids[offer.receiver], offer.status) == (
            "redlab",
            "cloudco",
            "open",
        )
        assert "waits for an answer" in text_of(app, "#deal-message")
        await pilot.press("escape", "escape")  # the focus stayed in the form: to the offers, then out
        await pilot.pause()
        await end_turn(pilot)  # the quarter is played; the offer stays open for Ada
        assert offer.status == "open"
        assert "Ada" in handing_to(app)
        await ready(pilot)
        assert isinstance(app.screen, SummaryScreen)
        assert "1 offer in the deal room" in summary_text(app)
        await pilot.press("enter")
        await pilot.pause()
        while isinstance(app.screen, EventDialog):  # CloudCo's question: later
            await pilot.press("escape")
            await pilot.pause()
        assert "1 offer (d)" in text_of(app, "#dash-status")
        stake = float(session.world.stakes[session.world.index["cloudco"], session.world.index["redlab"]])
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DealRoomScreen)
        await pilot.press("a")
        await pilot.pause()
        assert offer.status == "accepted"
        after = float(session.world.stakes[session.world.index["cloudco"], session.world.index["redlab"]])
        assert after > stake


async def test_questions_are_asked_to_their_seat_on_its_turn(make_app) -> None:
    """CloudCo's question (mini's chip discount, from 2024-Q2) waits for CloudCo's turn, even
    when CloudCo plays second."""
    app = make_app(seats=(("redlab", "Bo"), ("cloudco", "Ada")), start_playing=True)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        session = session_of(app)
        for _ in range(2):  # 2024-Q1: no question yet
            await ready(pilot)
            await end_turn(pilot)
        assert [session.world.ids[p.chooser] for p in session.world.pending] == ["cloudco"]
        await ready(pilot)  # Bo first: his summary, then his dashboard, and no question
        assert isinstance(app.screen, SummaryScreen)
        assert "Waiting for your answer" not in summary_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen) and session.firm == "redlab"
        assert "question" not in text_of(app, "#dash-status")
        assert app.check_action("answer", ()) is False
        await end_turn(pilot)
        assert "Ada" in handing_to(app)
        await ready(pilot)
        assert "1 question (next)" in summary_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EventDialog)  # now, for Ada
        await pilot.press("2")  # decline the discount
        await pilot.pause()
        assert not session.world.pending
        assert any(n.headline == "CloudCo: Decline" for n in session.world.news)


async def test_ending_a_turn_with_a_question_waiting_asks_first(make_app) -> None:
    app = make_app(seats=(("cloudco", "Ada"), ("redlab", "Bo")), start_playing=True)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        for _ in range(2):
            await ready(pilot)
            await end_turn(pilot)
        await ready(pilot)
        await pilot.press("enter")  # the summary
        await pilot.pause()
        assert isinstance(app.screen, EventDialog)
        await pilot.press("escape")  # decide later
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert app.screen.title_text == "End your turn?" and app.screen.yes == "End turn"
        await pilot.press("escape")  # answer first
        await pilot.pause()
        assert isinstance(app.screen, EventDialog)


# --- saving and loading ----------------------------------------------------------------------


async def test_save_and_load_mid_rotation_resume_with_the_right_seat_and_names(
    make_app, saves: Path, run_cli: Run, tmp_path: Path
) -> None:
    app = make_app(seats=TWO, start_playing=True)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await ready(pilot)
        await end_turn(pilot)
        await ready(pilot)  # Bo's turn
        await pilot.press("ctrl+s")
        await pilot.pause()
        log = len(session_of(app).game.log)
    data = json.loads((saves / "mini-seed7-cloudco-redlab-ada-bo.json").read_text())
    assert (data["player"], data["players"], data["playing"]) == ("Ada", dict(TWO), "redlab")

    resumed = make_app(load=saves / "mini-seed7-cloudco-redlab-ada-bo.json")
    async with resumed.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await resumed.workers.wait_for_complete()
        await pilot.pause()
        session = session_of(resumed)
        assert (session.firm, session.names, len(session.game.log)) == ("redlab", dict(TWO), log)
        assert session.roster == TWO and session.turn == 1 and session.last_turn
        assert "Bo — Red Lab" in handing_to(resumed)  # the loader may not be Bo
        await ready(pilot)
        assert "Bo (seat 2/2) runs Red Lab" in text_of(resumed, "#dash-status")
        await end_turn(pilot)
        assert len(session.game.reports) == 1 and "Ada — CloudCo" in handing_to(resumed)

    [group] = build_report([saves / "mini-seed7-cloudco-redlab-ada-bo.json"]).groups
    assert sorted((seat.player, seat.firm) for seat in group.seats) == [("Ada", "cloudco"), ("Bo", "redlab")]
    result = run_cli(
        "report", str(saves / "mini-seed7-cloudco-redlab-ada-bo.json"), "--out", str(tmp_path / "report")
    )
    assert result.returncode == 0, result.stderr
    assert "Ada" in result.stdout and "Bo" in result.stdout
    assert (
        leaderboard_text(build_report([saves / "mini-seed7-cloudco-redlab-ada-bo.json"])).count("CloudCo")
        == 1
    )


async def test_one_player_s_name_goes_into_the_save_and_the_report(make_app, saves: Path) -> None:
    app = make_app(firm="redlab")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await type_into(pilot, "#name", "  Zoë  ")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)  # one player: no hand-over
        session = session_of(app)
        assert (session.seats, session.player, session.hot_seat) == (("redlab",), "Zoë", False)
        await pilot.press("ctrl+s")
        await pilot.pause()
    data = json.loads(
        (saves / "mini-seed7-redlab-zoë.json").read_text()
    )  # the name keeps a class's files apart
    assert data["player"] == "Zoë" and "players" not in data and "playing" not in data
    [group] = build_report([saves / "mini-seed7-redlab-zoë.json"]).groups
    assert [(seat.player, seat.firm) for seat in group.seats] == [("Zoë", "redlab")]


# --- seats and sessions, without the screen -----------------------------------------------------


def test_players_are_read_and_checked() -> None:
    assert parse_players(" anthropic : Ada ,microsoft:Bo Li,google") == [
        ("anthropic", "Ada"),
        ("microsoft", "Bo Li"),
        ("google", ""),
    ]
    assert parse_players("openai:Ana:B") == [("openai", "Ana:B")]  # the first colon splits
    with pytest.raises(ValueError, match="plain text"):
        parse_players("openai:Ada\x1b[2J")
    check_seats(["redlab", "cloudco"], ["cloudco", "redlab", "chipco"], ["cloudco", "redlab"])
    with pytest.raises(ValueError, match="no firm to play"):
        check_seats([], ["cloudco"], ["cloudco"])


def test_a_session_refuses_seats_the_scenario_does_not_allow(
    mini_loaded: LoadedScenario, tmp_path: Path
) -> None:
    def new(**options: Any) -> Any:
        return Session.new(mini_loaded, seed=None, firm=None, difficulty=None, saves_dir=tmp_path, **options)

    with pytest.raises(ValueError, match="two seats"):
        new(seats=[("cloudco", "Ada"), ("cloudco", "Bo")])
    with pytest.raises(ValueError, match="chipco cannot be played"):
        new(seats=[("cloudco", "Ada"), ("chipco", "Bo")])
    with pytest.raises(ValueError, match="60 characters"):
        new(player="x" * 61)
    one = new(player=" Ada ", facilitator=True)
    assert (one.seats, one.names, one.hot_seat, one.facilitator) == (
        ("cloudco",),
        {"cloudco": "Ada"},
        False,
        True,
    )
    two = new(seats=TWO)
    assert (two.firm, two.next_seat, two.seat_label(), two.seat_label("redlab")) == (
        "cloudco",
        "redlab",
        "Ada — CloudCo",
        "Bo — Red Lab",
    )
    assert two.pass_turn() == "redlab" and two.last_turn and two.next_seat is None
    with pytest.raises(ValueError):
        two.pass_turn()
    assert two.end_quarter() is not None and two.firm == "cloudco"


def test_an_old_save_with_one_player_name_loads_with_it(
    make_game, mini_loaded: LoadedScenario, tmp_path: Path
) -> None:
    path = write_save(make_game("redlab"), mini_loaded.source, mini_loaded.path, tmp_path / "old.json", "Ada")
    data = json.loads(path.read_text())
    assert "players" not in data  # as saves were before hot seat
    session = Session.load(path, tmp_path)
    assert (session.firm, session.names, session.hot_seat) == ("redlab", {"redlab": "Ada"}, False)


# --- the title screen ------------------------------------------------------------------------


async def test_the_title_screen_adds_seats_and_starts_a_hot_seat_game(
    make_app, three: LoadedScenario
) -> None:
    app = make_app(loaded=three)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TitleScreen)
        await type_into(pilot, "#name", "Ada")
        screen.query_one("#facilitator", Checkbox).focus()
        await pilot.press("space")  # facilitator mode on
        await pilot.press("p")
        await pilot.pause()
        rows = list(screen.query(SeatRow))
        assert [row.firm for row in rows] == ["redlab"]  # the first firm nobody has
        assert app.focused is rows[0].query_one(".seat-firm", Select)
        assert "Player 1" in str(screen.query_one("#first-seat-label").render())
        rows[0].query_one(".seat-name", TextField).value = "Bo"
        await pilot.press("p")
        await pilot.pause()
        rows = list(screen.query(SeatRow))
        assert [row.firm for row in rows] == ["redlab", "skyhost"]
        await pilot.press("p")  # three firms, three players
        await pilot.pause()
        assert "each has a player already" in text_of(app, "#title-message")
        rows[1].query_one(".seat-firm", Select).value = "redlab"
        await pilot.pause()
        screen.action_start()
        await pilot.pause()
        assert "Red Lab has two players" in text_of(app, "#title-message")
        remove = rows[1].query_one(".remove-seat", Button)
        remove.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert len(screen.query(SeatRow)) == 1
        screen.query_one("#seed", TextField).focus()
        await pilot.press("enter")
        await pilot.pause()
        session = session_of(app)
        assert session.seats == ("cloudco", "redlab")
        assert session.names == {"cloudco": "Ada", "redlab": "Bo"}
        assert session.game.facilitator
        assert "Ada — CloudCo" in handing_to(app)


async def test_two_players_with_the_same_name_are_refused_where_they_are_typed(
    make_app, three: LoadedScenario, tmp_path: Path
) -> None:
    """The hand-over screen, the file name and the class report could not tell two Adas apart:
    the title screen keeps its rows and says so; Session.new refuses them too."""
    app = make_app(loaded=three)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TitleScreen)
        await type_into(pilot, "#name", "Ada")
        screen.query_one("#facilitator", Checkbox).focus()  # out of the name field: p adds a seat
        await pilot.press("p")
        await pilot.pause()
        [row] = list(screen.query(SeatRow))
        row.query_one(".seat-name", TextField).value = " ADA "
        screen.action_start()
        await pilot.pause()
        assert app.screen is screen and len(screen.query(SeatRow)) == 1
        message = text_of(app, "#title-message")
        assert "Two players are called ADA; give each player a different name." in message
        row.query_one(".seat-name", TextField).value = "Bo"
        screen.action_start()
        await pilot.pause()
        assert session_of(app).names == {"cloudco": "Ada", "redlab": "Bo"}
    with pytest.raises(ValueError, match="two players are called ada"):
        Session.new(
            three, seed=None, firm=None, difficulty=None, saves_dir=tmp_path,
            seats=[("cloudco", "Ada"), ("redlab", "ada")],
        )  # fmt: skip
    unnamed = Session.new(
        three,
        seed=None,
        firm=None,
        difficulty=None,
        saves_dir=tmp_path,
        seats=[("cloudco", ""), ("redlab", "")],
    )
    assert unnamed.names == {"cloudco": "", "redlab": ""}  # seats left without a name are fine


async def test_the_title_screen_fits_six_seats(make_app, bundled) -> None:
    history = bundled("history")
    app = make_app(loaded=history)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TitleScreen)
        for _ in range(6):
            screen.query_one("#add-seat", Button).focus()
            await pilot.press("p")
            await pilot.pause()
        assert len(screen.query(SeatRow)) == 5
        assert "At most 6 players" in text_of(app, "#title-message")
        await pilot.resize_terminal(*LARGE)
        await pilot.pause()
        screen.query_one("#start", Button).press()
        await pilot.pause()
        session = session_of(app)
        assert len(session.seats) == 6 and len(set(session.seats)) == 6


async def test_the_command_line_s_seats_reach_the_title_screen_after_a_mistake(make_app) -> None:
    app = make_app(seats=(("cloudco", "Ada"), ("skyhost", "Eve")), start_playing=True)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)  # SkyHost cannot be played in mini
        assert "skyhost cannot be played" in text_of(app, "#title-message")


# --- the command line ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "phrase"),
    [
        (["--players", "cloudco:Ada,cloudco:Bo"], "--players: cloudco has two seats"),
        (["--players", "nobody:Ada"], "--players: 'nobody' is not a firm in this scenario"),
        (["--players", "cloudco:Ada,chipco:Bo"], "--players: chipco cannot be played"),
        (["--players", ",".join(["cloudco"] * 7)], "at most 6 players"),
        (["--players", ":Ada"], "a seat has no firm"),
        (["--players", "cloudco:" + "x" * 61], "at most 60 characters"),
        (["--as", "redlab", "--players", "cloudco:Ada"], "--as and --players"),
        (["--players", "cloudco:Ada,redlab: ada "], "--players: two players are called ada; give each"),
        (["--load", "x.json", "--players", "cloudco:Ada"], "--players: a save resumes"),
        (["--load", "x.json", "--facilitator"], "--facilitator: a save resumes"),
    ],
)
def test_bad_players_are_one_line_errors(
    run_cli: Run, mini_path: Path, arguments: list[str], phrase: str
) -> None:
    result = run_cli("play", str(mini_path), *arguments)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("circular: ") and phrase in lines[0], result.stderr
    assert "Traceback" not in result.stderr


def test_serve_checks_and_forwards_the_seats(mini_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from game.cli import build_parser, main
    from game.ui.serve import game_command

    args = build_parser().parse_args(
        ["serve", str(mini_path), "--players", "cloudco:Ada,redlab:Bo Li", "--facilitator"]
    )
    command = game_command(args)
    assert "--players 'cloudco:Ada,redlab:Bo Li'" in command and command.endswith("--facilitator")
    assert main(["serve", str(mini_path), "--players", "cloudco,cloudco", "--port", "8123"]) == 2
    assert "--players: cloudco has two seats" in capsys.readouterr().err
    plain = build_parser().parse_args(["serve"])
    assert "play" not in game_command(plain)  # nothing given: the title screen, as before


def test_play_passes_seats_and_facilitator_to_the_app(
    mini_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from game import cli
    from game.ui import app as app_module

    seen: dict[str, Any] = {}
    monkeypatch.setattr(app_module, "run_app", lambda loaded, **options: seen.update(options) or 0)
    assert cli.main(["play", str(mini_path), "--players", "redlab:Bo,cloudco", "--facilitator"]) == 0
    assert seen["seats"] == [("redlab", "Bo"), ("cloudco", "")] and seen["facilitator"] is True
    assert cli.main(["play", str(mini_path), "--players", "redlab:Ada"]) == 0  # one named player
    assert seen["seats"] == [("redlab", "Ada")] and seen["facilitator"] is False


# --- snapshot --------------------------------------------------------------------------------


async def _between_seats(pilot: Pilot[int]) -> None:
    """Ada has ended her turn: the keyboard goes to Bo."""
    await pilot.pause()
    await ready(pilot)
    await end_turn(pilot)


async def _new_quarter(pilot: Pilot[int]) -> None:
    """Both seats have played 2024-Q1: the keyboard goes back to the first, who has no name."""
    await pilot.pause()
    for _ in range(2):
        await ready(pilot)
        await end_turn(pilot)


HANDOVERS = {
    "between-seats": (TWO, _between_seats),
    "new-quarter-unnamed": ((("cloudco", ""), ("redlab", "Bo")), _new_quarter),
}


@pytest.mark.parametrize("moment", list(HANDOVERS))
def test_hand_over_snapshot(snap_compare, make_app, moment: str) -> None:
    seats, setup = HANDOVERS[moment]
    app = make_app(seats=seats, start_playing=True, help_guide=False)
    assert snap_compare(app, terminal_size=SMALL, run_before=setup)


async def test_the_debrief_gives_every_player_s_result(make_app, saves: Path) -> None:
    app = make_app(seats=TWO, start_playing=True)
    app.forecasts.runs = 4
    async with app.run_test(size=LARGE) as pilot:
        await pilot.pause()
        await ready(pilot)
        game = session_of(app).game
        while game.world.quarter < game.world.last_quarter:
            game.act(EndQuarter(""))
        app.changed()
        await pilot.pause()
        await end_turn(pilot)
        await ready(pilot)
        await end_turn(pilot)
        # the game is over: each seat, in turn, reads its own last quarter, then the debrief
        assert "Ada — CloudCo" in handing_to(app)
        assert "the game is over" in screen_text(app)
        for firm in ("cloudco", "redlab"):
            await ready(pilot)
            assert isinstance(app.screen, SummaryScreen) and session_of(app).firm == firm
            valuation = analysis.position(game.world, game.world.index[firm]).valuation
            assert f"→ {fmt.money(game.world, valuation)}" in summary_text(app)  # this seat's own
            if firm == "cloudco":
                assert "the last quarter: Bo reads theirs, then the debrief" in summary_text(app)
            await pilot.press("enter")
            await pilot.pause()
            if firm == "cloudco":
                assert "Bo — Red Lab" in handing_to(app)
                assert "Ada (CloudCo) has seen the last quarter" in screen_text(app)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        result = text_of(app, "#db-result")
        for seat, firm in (("Ada — CloudCo", "CloudCo"), ("Bo — Red Lab", "Red Lab")):
            assert f"{seat}: " in result and f"{firm}'s valuation" in result
        assert "of 4 bot games" in result and "You " not in result and "you came" not in result
        await pilot.press("x")
        await pilot.pause()
        markdown = (saves / "mini-seed7-cloudco-redlab-ada-bo.debrief.md").read_text()
        assert "## The players" in markdown and "2 players in turn" in markdown
        assert "| Ada — CloudCo | hyperscaler:" in markdown and "| Bo — Red Lab | lab:" in markdown
        assert "**CloudCo**" in markdown and "**Red Lab**" in markdown  # both bold in the ranking
        for seat, firm in (("Ada — CloudCo", "cloudco"), ("Bo — Red Lab", "redlab")):
            parts = [line for _, line in analysis.goal_parts(game, firm)]
            assert all(f"  {line}" in result for line in parts)  # under the seat's goal
            assert f"- {seat}\n" + "".join(f"  - {line}\n" for line in parts) in markdown


async def test_e_ends_a_turn_until_the_last_seat_whose_e_ends_the_quarter(make_app) -> None:
    app = make_app(seats=TWO, start_playing=True)
    async with app.run_test(size=LARGE) as pilot:
        await pilot.pause()
        await ready(pilot)
        assert "Ada (seat 1/2)" in text_of(app, "#dash-status")
        assert footer_keys(app)["e"] == "End turn"
        await end_turn(pilot)
        await ready(pilot)
        assert "Bo (seat 2/2)" in text_of(app, "#dash-status")
        assert footer_keys(app)["e"] == "End quarter"


def test_players_names_keep_a_class_s_files_apart() -> None:
    assert names_in_file_name(["Ada", "  Bo van Dijk ", ""]) == "ada-bo-van-dijk"
    assert names_in_file_name(["Zoë", "O'Neil/../x"]) == "zoë-o-neil-x"  # no path in a name
    assert names_in_file_name(["", "  "]) == ""
    assert len(names_in_file_name(["a" * 60] * 6)) == 40


async def test_the_status_line_stays_one_line_with_long_names(make_app) -> None:
    """At 80 columns a long player name is cut short before anything else; resized wider, the
    long form comes back."""
    long_name = "Alexandra Konstantinopoulou-Vanderbilt of the Northern Isles"
    app = make_app(seats=(("cloudco", long_name), ("redlab", "Bo")), start_playing=True)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await ready(pilot)
        status = app.screen.query_one("#dash-status", Static)
        line = text_of(app, "#dash-status")
        assert line.startswith("2024-Q1 (8 left) · Alexandra Konstantinopoulou") and "… 1/2: CloudCo" in line
        assert len(line) <= SMALL[0] and status.size.height == 1
        await pilot.resize_terminal(*LARGE)
        await pilot.pause()
        assert f"{long_name} (seat 1/2) runs CloudCo" in text_of(app, "#dash-status")
