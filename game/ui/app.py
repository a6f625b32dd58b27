"""The Circular terminal app: screens, key bindings and navigation; the flow of a quarter is
in quarter_flow.py, saving and loading in persistence.py, the hot seat in hotseat.py.

The app holds one ``Session`` (the game being played). Screens read the session and send
actions through it; after every change the app posts ``StateChanged`` to the screens so
they refresh. Nothing here decides what happens in the game: the engine does.
"""

from __future__ import annotations

import gc
import os
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.worker import Worker

from game.scenario.loader import LoadedScenario, bundled_ids
from game.ui import hotseat, persistence, quarter_flow
from game.ui.commands import CircularCommands
from game.ui.forecast import Forecasts
from game.ui.keys import game_bindings
from game.ui.messages import GameChoice, LoadRequested, NewGameRequested, StateChanged
from game.ui.serve import SERVED
from game.ui.wrapping import keep_figures_whole
from game.words import listing

if TYPE_CHECKING:
    from game.engine.actions import Action
    from game.engine.quarter import QuarterReport
    from game.engine.rules import Outcome
    from game.ui.analysis import Position
    from game.ui.screens.summary import SummaryScreen
    from game.ui.session import Session

# The engine (and numpy) load only when a game starts, so that the title screen opens quickly.

# The app's actions that would show or change a seat's game: none works while the hand-over
# screen hides the game between two seats of a hot-seat game.
HIDDEN_DURING_HANDOVER = frozenset(
    [
        "end_quarter",
        "end_turn",
        "view",
        "facilitator",
        "reveal_debrief",
        "answer",
        "moves",
        "command_palette",
        "reload_scenario",
    ]
)
DARK, LIGHT = "textual-dark", "textual-light"
# For bench/ui_speed.py: when set to a file name, the app writes the wall-clock time at which
# its first screen was mounted and drawn (and the CPU time used until then) into that file,
# then exits.
STARTUP_PROBE = "CIRCULAR_STARTUP_PROBE"
DEBRIEF_BOT_GAMES = 1000  # bot games the debrief sets the player's result against (0: none)
# How long a toast stays, in seconds: a routine confirmation goes soon, as toasts cover the
# lower right corner (the roulette's quote, the deal room's offers, the news); a problem stays.
ROUTINE_TIMEOUT = 3.0
ALERT_TIMEOUT = 12.0
# Keys typed ahead: how many recent keys the app remembers the screen they were typed on.
TYPED_AHEAD = 64


class CircularApp(App[int]):
    """Circular in the terminal. Build it with ``run_app`` or directly in tests."""

    CSS_PATH = "app.tcss"
    TITLE = "Circular"
    SUB_TITLE = "circular AI financing"
    COMMANDS: ClassVar = App.COMMANDS | {CircularCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        *game_bindings(),
        Binding("f1", "help", "Help", id="help_f1", show=False, priority=True),
        Binding("t", "toggle_theme", "Theme", id="theme", show=False),
        Binding("ctrl+r", "reload_scenario", "Reload scenario", id="reload_scenario", show=False),
        Binding("escape", "hide_help_panel", "Hide keys", id="hide_keys", show=False),
        Binding("ctrl+q", "request_quit", "Quit", id="quit", priority=True),
    ]

    def __init__(
        self,
        loaded: LoadedScenario,
        *,
        seed: int | None = None,
        firm: str | None = None,
        difficulty: str | None = None,
        load: str | Path | None = None,
        start_playing: bool = False,
        saves_dir: Path | None = None,
        catalogue: Callable[[], list[str]] = bundled_ids,
        help_guide: bool = True,
        player: str = "",
        seats: Sequence[tuple[str, str]] = (),
        facilitator: bool = False,
    ) -> None:
        """``firm`` and ``player``: one seat and its player's name; ``seats``: hot seat, every
        seat in turn order as (firm, player name); ``facilitator``: a class facilitator's game."""
        super().__init__()
        keep_figures_whole()
        self.loaded = loaded
        self.start = GameChoice(loaded, seed, firm, difficulty, player, tuple(seats), facilitator)
        self.load_path = Path(load) if load is not None else None
        self.start_playing = start_playing
        self._saves_dir = saves_dir
        self.catalogue = catalogue
        self.help_guide = help_guide  # append the instructors' model guide to the help
        self.session: Session | None = None
        self.last_report: QuarterReport | None = None
        self.errors: list[str] = []
        self._summary: SummaryScreen | None = None
        self.autosave_due = False
        # hot seat: the seats yet to see the last quarter's summary, with their position
        # before and after it
        self.unseen: dict[str, tuple[Position, Position]] = {}
        self.hold_debrief = True  # in facilitator mode, the debrief waits until it is revealed
        self.debrief_revealed = False
        # which firm a game started without --as runs: (title, message), told once the
        # opening questions are out of the way (see _say_which_firm)
        self.start_note: tuple[str, str] | None = None
        self.forecasts = Forecasts(DEBRIEF_BOT_GAMES)
        self.theme = DARK
        self._startup_probe = os.environ.get(STARTUP_PROBE, "")
        self.served = os.environ.get(SERVED) == "1"  # one of the games `circular serve` runs
        # each recent key (by id) with the screen on top when it was typed: see on_key
        self._typed_on: dict[int, tuple[events.Key, Screen[Any]]] = {}
        self.farewell = ""  # printed in the shell once the app is gone: where the game is kept

    @property
    def saves_dir(self) -> Path:
        """Where saves and exports go: saves/ where the game was started unless it was given one."""
        if self._saves_dir is None:
            from game.saves import SAVES_DIR

            self._saves_dir = SAVES_DIR
        return self._saves_dir

    def saves_label(self) -> str:
        """The saves folder as the player can find it: "saves/" from the folder the game was
        started in, else its whole path."""
        from game.saves import SAVES_DIR, shown_path

        if self.saves_dir != SAVES_DIR:
            return str(self.saves_dir)
        return f"{shown_path(SAVES_DIR)}/"

    # -- keys typed ahead ---------------------------------------------------------------------
    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:  # from the terminal
            self._remember_key(event, self.screen)
        await super().on_event(event)

    def _remember_key(self, event: events.Key, screen: Screen[Any]) -> None:
        self._typed_on[id(event)] = (event, screen)
        while len(self._typed_on) > TYPED_AHEAD:  # keys a widget took never come back here
            del self._typed_on[next(iter(self._typed_on))]

    def on_key(self, event: events.Key) -> None:
        """A key typed just after a key that opens a screen (``b`` then ``15`` and enter,
        faster than the screen opens) went to the screen that was on top when it was typed,
        which had no use for it, and comes back here once the new screen is on top: give it to
        the new screen's focused widget, as if typed there, in the order typed."""
        typed = self._typed_on.pop(id(event), None)
        if typed is None or typed[0] is not event or typed[1] is self.screen:
            return
        event.prevent_default()  # the new screen's bindings see the key again, from its focus
        again = events.Key(event.key, event.character)
        self._remember_key(again, self.screen)
        (self.focused or self.screen)._forward_event(again)

    # -- starting -----------------------------------------------------------------------------
    def on_mount(self) -> None:
        if self.load_path is not None:
            self.show_title(f"Loading {self.load_path.name}…")
            persistence.load_game(self, self.load_path)
        elif self.start_playing:
            self.start_game(self.start)
        else:
            self.show_title()

    def show_title(self, message: str = "") -> None:
        from game.ui.screens.title import TitleScreen

        screen = TitleScreen(replace(self.start, loaded=self.loaded))
        screen.initial_message = message
        self.sub_title = self.SUB_TITLE
        self.reset_stack(screen)

    def reset_stack(self, screen: Screen[None], callback: Callable[[None], None] | None = None) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(screen, callback)
        if self._startup_probe:
            screen.call_after_refresh(self._first_screen_drawn, Path(self._startup_probe))
            self._startup_probe = ""

    def _first_screen_drawn(self, probe: Path) -> None:
        drawn = f"{time.time():.6f} {time.process_time():.6f} {type(self.screen).__name__}\n"
        probe.write_text(drawn, encoding="utf-8")
        self.exit(0)

    def start_game(self, choice: GameChoice) -> None:
        from game.ui.session import Session

        try:
            session = Session.new(
                choice.loaded,
                seed=choice.seed,
                firm=choice.firm,
                difficulty=choice.difficulty,
                saves_dir=self.saves_dir,
                seats=choice.seats,
                player=choice.player,
                facilitator=choice.facilitator,
                tag=self.file_tag(),
            )
        except ValueError as err:  # an unknown firm, seats or a bad difficulty from the command line
            self.show_title(str(err))
            return

        def play() -> None:
            self.loaded = choice.loaded
            self.begin(session)
            if choice.firm is None and not choice.seats and not self.served:
                self._say_which_firm(session)

        persistence.start_new(self, session, play)

    def _say_which_firm(self, session: Session) -> None:
        """A game started without --as runs the first playable firm: say which, and how to
        run another, once (the title screen always names the firm it starts). Not over the
        opening question, whose buttons and last lines the toast covered at 80x24 (its title
        names the firm already): once the questions are answered or put off."""
        others = [firm for firm in session.game.scenario.meta.playable if firm != session.firm]
        if others:
            self.start_note = (
                f"You run {session.world.names[session.me]}",
                f"To run another firm, start the game with {listing([f'--as {f}' for f in others], 'or')}.",
            )

    def tell_start_note(self) -> None:
        if self.start_note is not None:
            title, message = self.start_note
            self.start_note = None
            self.notify(message, title=title, timeout=ALERT_TIMEOUT)

    def file_tag(self) -> str:
        """A game in a browser gets a tag of its own for its file names (see ``new_tag``)."""
        from game.ui.session import new_tag

        return new_tag() if self.served else ""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A save loaded or a scenario reloaded (in worker threads)."""
        persistence.worker_state_changed(self, event)

    def begin(self, session: Session) -> None:
        from game.ui.screens.dashboard import DashboardScreen

        self.flush_autosave()
        self.session = session
        self.last_report = None
        self.debrief_revealed = False
        self.start_note = None
        self.sub_title = f"class code {self.class_code()}"
        self.unseen = {}
        if session.hot_seat:  # whoever started or loaded the game may not be the seat to play
            hotseat.hand_over(self)
            return
        self.reset_stack(DashboardScreen())
        self.call_after_refresh(self.ask_questions)

    def on_new_game_requested(self, message: NewGameRequested) -> None:
        self.start_game(message.choice)

    def on_load_requested(self, message: LoadRequested) -> None:
        persistence.load_game(self, message.path)

    # -- what is allowed now ------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        session = self.session
        in_game = session is not None
        if action in HIDDEN_DURING_HANDOVER and hotseat.handing_over(self):
            return False  # nothing of the game shows until the next seat's player is there
        if action in ("end_quarter", "end_turn"):  # hot seat: a turn ends before the quarter does
            if session is None or session.finished:
                return False
            return (action == "end_turn") == (session.hot_seat and not session.last_turn)
        if action == "view":
            target = parameters[0] if parameters else ""
            if not in_game or self._showing(str(target)):
                return False
            if target == "debrief":
                return session is not None and session.finished and not self.holding_debrief()
            if target in ("roulette", "deals"):  # no bet nor deal left: "Bet" would be refused
                return session is not None and not session.out_of_play()
            return True
        if action == "facilitator":  # at the end no move is left: f reveals a held debrief
            return session is not None and session.game.facilitator and not session.finished
        if action == "reveal_debrief":
            return session is not None and session.finished and self.holding_debrief()
        if action == "answer":
            return session is not None and bool(session.my_questions())
        if action == "moves":
            return session is not None and not session.out_of_play()
        if action == "save":
            return in_game
        if action == "hide_help_panel":  # the palette's Keys panel; else escape is the screen's
            return bool(self.screen.query("HelpPanel"))
        return True

    def _showing(self, view: str) -> bool:
        """True if the screen on top is that view (its own key is then hidden)."""
        from game.ui.screens.base import GameScreen

        for screen in reversed(self.screen_stack):
            if isinstance(screen, GameScreen):
                return view == screen.VIEW
        return False

    # -- acting -------------------------------------------------------------------------------
    def act(self, action: Action) -> Outcome:
        """Send an action to the engine; refresh every screen if it was accepted.

        A refusal is an outcome to show; an exception is a bug, reported in the error dialog."""
        from game.engine.rules import Outcome

        if self.session is None:
            return Outcome(False, "there is no game in progress")
        self.flush_autosave()  # the autosave keeps the start of the quarter
        try:
            outcome = self.session.act(action)
        except Exception as err:
            self.report_error(err)
            return Outcome(False, f"unexpected error: {err}")
        if outcome.ok:
            self.changed()
        return outcome

    def changed(self) -> None:
        from game.ui.screens.base import GameScreen

        for screen in self.screen_stack:
            if isinstance(screen, GameScreen):
                screen.post_message(StateChanged())
        self.refresh_bindings()

    def action_end_quarter(self) -> None:
        quarter_flow.request_end(self)

    def action_end_turn(self) -> None:
        quarter_flow.request_end(self)  # the seat's turn ends; the last seat's ends the quarter

    def end_quarter(self) -> None:
        quarter_flow.end_quarter(self)

    def summary_screen(self) -> SummaryScreen:
        """The quarter summary: one screen, kept, so that it is built only once."""
        from game.ui.screens.summary import SummaryScreen

        if self._summary is None:
            self._summary = SummaryScreen()
            self.install_screen(self._summary, "quarter-summary")
        return self._summary

    def flush_autosave(self) -> None:
        """Write the autosave of the quarter just played, if it is not written yet."""
        if self.autosave_due and self.session is not None:
            self.autosave_due = False
            self.autosave()

    def autosave(self) -> str:
        assert self.session is not None
        try:
            return self.session.autosave().name
        except OSError as err:
            self.alert(f"Autosave failed: {err.strerror or err}")
            return ""

    def after_summary(self, _result: object = None) -> None:
        quarter_flow.after_summary(self)

    # -- the facilitator ----------------------------------------------------------------------
    def holding_debrief(self) -> bool:
        """True while a finished game in facilitator mode waits for the debrief to be revealed."""
        session = self.session
        return (
            session is not None
            and session.game.facilitator
            and self.hold_debrief
            and not self.debrief_revealed
        )

    def show_debrief(self) -> None:
        """The debrief at the end, unless the facilitator holds it back for now."""
        if self.holding_debrief():
            from game.ui.screens.facilitator import DebriefHeld

            self.push_screen(DebriefHeld())
        else:
            self.view("debrief")

    def action_facilitator(self) -> None:
        """The facilitator's panel, while the game goes on."""
        from game.ui.screens.facilitator import FacilitatorDialog

        session = self.session
        if session is None or not session.game.facilitator or isinstance(self.screen, FacilitatorDialog):
            return
        if not session.finished:
            self.push_screen(FacilitatorDialog())

    def action_reveal_debrief(self) -> None:
        """The end of a held game: the facilitator shows the class the debrief."""
        from game.ui.screens.facilitator import DebriefHeld

        session = self.session
        if session is None or not session.finished or not self.holding_debrief():
            return
        self.debrief_revealed = True
        if isinstance(self.screen, DebriefHeld):
            self.screen.dismiss(None)
        self.view("debrief")

    # -- reloading the scenario file after an edit --------------------------------------------
    def action_reload_scenario(self) -> None:
        persistence.reload_scenario(self)

    def class_code(self) -> str:
        """The code that gives every student this game's world (in the header and the exports)."""
        from game.classcode import class_code

        return "" if self.session is None else class_code(self.session.game, self.session.loaded.source)

    # -- the bot games the debrief compares with ----------------------------------------------
    def request_forecast(self, session: Session) -> None:
        """Start the debrief's bot games for this game's world, unless they are played already."""
        key = self.forecasts.wanted(session)
        if key is None:
            return
        self.forecasts.running.add(key)

        def play() -> None:
            self.forecasts.settle(key)
            self.call_from_thread(self.changed)  # the debrief shows the result

        self.run_worker(play, thread=True, group="forecast", exit_on_error=False)

    def action_answer(self) -> None:
        quarter_flow.ask_questions(self)

    def ask_questions(self) -> None:
        quarter_flow.ask_questions(self)

    # -- moving between views -----------------------------------------------------------------
    def action_view(self, name: str) -> None:
        self.view(name)

    def view(self, name: str) -> None:
        """Show one of the game's main views over the dashboard (the dashboard itself: pop)."""
        from game.ui.screens.dashboard import DashboardScreen
        from game.ui.screens.deals import DealRoomScreen
        from game.ui.screens.debrief import DebriefScreen
        from game.ui.screens.money_map import MoneyMapScreen
        from game.ui.screens.roulette import RouletteScreen

        if self.session is None:
            return
        kinds: dict[str, type[Screen[None]]] = {
            "dashboard": DashboardScreen,
            "roulette": RouletteScreen,
            "deals": DealRoomScreen,
            "map": MoneyMapScreen,
            "debrief": DebriefScreen,
        }
        kind = kinds[name]
        if type(self.screen) is kind:
            return
        while len(self.screen_stack) > 2 and not isinstance(self.screen, DashboardScreen):
            self.pop_screen()
        if kind is not DashboardScreen:
            self.push_screen(kind())

    def open_roulette(self, lab: str) -> None:
        from game.ui.screens.roulette import RouletteScreen

        self.view("roulette")
        if isinstance(self.screen, RouletteScreen):
            self.screen.select_lab(lab)

    def open_map(self, firm: str) -> None:
        from game.ui.screens.money_map import MoneyMapScreen

        self.view("map")
        if isinstance(self.screen, MoneyMapScreen):
            self.screen.select_firm(firm)

    def open_deal(self, counterparty: str) -> None:
        from game.ui.screens.deals import DealRoomScreen

        self.view("deals")
        if isinstance(self.screen, DealRoomScreen):
            self.screen.compose_for(counterparty)

    def action_help(self) -> None:
        from game.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_moves(self, kind: str = "") -> None:
        from game.ui.screens.moves import MoveDialog, MovesMenu

        if self.session is None or self.session.out_of_play():
            return  # o is not shown then, nor are the moves in the command palette
        if kind:
            self.push_screen(MoveDialog(kind))
        else:
            self.push_screen(MovesMenu())

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT if self.theme == DARK else DARK

    # -- saving, loading and quitting: persistence.py -----------------------------------------
    def action_save(self) -> None:
        persistence.save(self)

    def action_load(self) -> None:
        persistence.choose_save(self)

    def action_new_game(self) -> None:
        persistence.leave_game(self)

    def action_request_quit(self) -> None:
        persistence.request_quit(self)

    def exit(self, *args: Any, **kwargs: Any) -> None:
        self.flush_autosave()
        self.forecasts.stop()
        super().exit(*args, **kwargs)

    # -- telling the player -------------------------------------------------------------------
    def tell(self, message: str, title: str = "") -> None:
        """A routine confirmation (saved, a move made, an answer taken): in the message line of
        the screen on top if it has one (the roulette table, the deal room, the debrief: under
        the controls, where the answers to the player's actions show), else in a toast that goes
        after ROUTINE_TIMEOUT."""
        from game.ui.screens.base import GameScreen

        screen = self.screen
        if isinstance(screen, GameScreen) and screen.say(message, ok=True):
            return
        self.notify(message, title=title, timeout=ROUTINE_TIMEOUT)

    def alert(self, message: str, title: str = "", severity: SeverityLevel = "error") -> None:
        """A problem the player must not miss (a save or a load that failed): a toast that
        stays ALERT_TIMEOUT."""
        self.notify(message, title=title, severity=severity, timeout=ALERT_TIMEOUT)

    # -- errors -------------------------------------------------------------------------------
    def report_error(self, error: BaseException) -> None:
        """An unexpected error: log it, keep the autosave, and tell the player in a dialog."""
        from game.ui.screens.dialogs import ErrorDialog

        details = "".join(traceback.format_exception(error))
        self.errors.append(details)
        log = self.saves_dir / "circular-errors.log"
        try:
            self.saves_dir.mkdir(parents=True, exist_ok=True)
            with log.open("a", encoding="utf-8") as stream:
                stream.write(details + "\n")
        except OSError:
            pass
        autosave = self.session.last_autosave if self.session is not None else None
        if isinstance(self.screen, ErrorDialog):
            return
        self.push_screen(ErrorDialog(f"{type(error).__name__}: {error}", autosave, log), self._error_choice)

    def _error_choice(self, choice: str | None) -> None:
        if choice == "reload" and self.session is not None and self.session.last_autosave is not None:
            persistence.load_game(self, self.session.last_autosave)
        elif choice == "quit":
            self.exit(1)

    # -- the command palette (the game's own commands: commands.py) ---------------------------
    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            if command.title not in ("Quit", "Theme"):
                yield command


def spare_the_collector() -> None:
    """Leave what is loaded by now (modules, Textual, the scenario: half the objects the game
    ever has) out of the garbage collector's full passes, which otherwise stall a quarter's
    redraw now and then. Those objects live as long as the program anyway."""
    gc.freeze()


def run_app(
    loaded: LoadedScenario,
    *,
    seed: int | None = None,
    firm: str | None = None,
    difficulty: str | None = None,
    load: str | Path | None = None,
    start_playing: bool = False,
    saves_dir: Path | None = None,
    player: str = "",
    seats: Sequence[tuple[str, str]] = (),
    facilitator: bool = False,
) -> int:
    """Run the app until the player quits; the exit status for the shell. ``seats`` (hot
    seat) lists every seat in turn order as (firm, player name)."""
    spare_the_collector()
    app = CircularApp(
        loaded,
        seed=seed,
        firm=firm,
        difficulty=difficulty,
        load=load,
        start_playing=start_playing,
        saves_dir=saves_dir,
        player=player,
        seats=seats,
        facilitator=facilitator,
    )
    result = app.run()
    if app.farewell and not app.served:  # a served game's output is the browser's channel
        print(app.farewell)
    return app.return_code or (result if isinstance(result, int) else 0)
