"""The command palette (ctrl+p): every action the player can take now, searchable by name."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from game.ui.app import CircularApp

# (title, help, what it does)
Command = tuple[str, str, Callable[[], object]]


def palette_commands(app: CircularApp) -> list[Command]:
    """Every action the player can take now, for the command palette."""
    commands: list[Command] = []
    session = app.session

    def add(title: str, help: str, callback: Callable[[], object]) -> None:
        commands.append((title, help, callback))

    if session is not None:
        world = session.world
        if session.hot_seat and not session.last_turn and not session.finished:
            add("End your turn", "the next player takes the keyboard (e)", app.action_end_quarter)
        elif not session.finished:
            add("End the quarter", "bots act, money moves, valuations update (e)", app.action_end_quarter)
        else:
            add("Debrief", "score, ranking, turning points and questions", lambda: app.view("debrief"))
        add("Dashboard", "your firm, all firms, charts and news (escape)", lambda: app.view("dashboard"))
        playing = not session.out_of_play()  # else b and d are off: the views are only to look at
        roulette = "bet on the red and black labs (b)" if playing else "the last odds (no more bets)"
        add("Roulette table", roulette, lambda: app.view("roulette"))
        deals = "compute-for-equity offers (d)" if playing else "the offers made (no more deals)"
        add("Deal room", deals, lambda: app.view("deals"))
        add("Money map", "stakes, payments and loops (m)", lambda: app.view("map"))
        if session.my_questions():
            add("Answer the waiting question", "an event asks you to choose (a)", app.ask_questions)
        if playing:
            me = session.me
            for j in range(world.n):
                if world.is_lab[j] and not world.failed[j] and j != me:
                    add(
                        f"Bet on {world.names[j]}",
                        "place or raise a bet at the roulette table",
                        partial(app.open_roulette, world.ids[j]),
                    )
            for j in range(world.n):
                if world.is_lab[j] != world.is_lab[me] and not world.failed[j]:
                    add(
                        f"Offer a deal to {world.names[j]}",
                        "compose a compute-for-equity offer",
                        partial(app.open_deal, world.ids[j]),
                    )
            from game.ui.screens.moves import available_moves

            for kind, title, help in available_moves(session):
                add(title, help, partial(app.action_moves, kind))
        add("Save the game", f"write {session.save_path().name} (ctrl+s)", app.action_save)
        if session.finished:
            export = partial(export_debrief, app)
            add("Export the debrief", "Markdown and CSV into the saves folder (x)", export)
    add("New game", "choose a scenario, a firm and a seed", app.action_new_game)
    add("Load a saved game", "resume from the saves folder", app.action_load)
    add("Help", "how the game works, every metric in plain words (?)", app.action_help)
    add("Toggle dark/light theme", "dark or light colours (t)", app.action_toggle_theme)
    add("Quit", "offers to save first (ctrl+q)", app.action_request_quit)
    return commands


def export_debrief(app: CircularApp) -> None:
    """Export the debrief from its screen, which says where the files went."""
    from game.ui.screens.debrief import DebriefScreen

    app.view("debrief")
    if isinstance(app.screen, DebriefScreen):
        app.screen.action_export()


class CircularCommands(Provider):
    def _commands(self) -> list[Command]:
        return palette_commands(cast("CircularApp", self.app))

    async def discover(self) -> Hits:
        for title, help, callback in self._commands():
            yield DiscoveryHit(title, callback, help=help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help)
