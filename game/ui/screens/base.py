"""What every game screen and dialog shares: the session, refreshing, and error guarding."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

from textual.binding import Binding, BindingType
from textual.screen import ModalScreen, Screen

from game.ui.messages import StateChanged
from game.ui.session import Session

if TYPE_CHECKING:
    from game.ui.app import CircularApp

F = TypeVar("F", bound=Callable[..., Any])
R = TypeVar("R")


def guarded(method: F) -> F:
    """Catch an unexpected error in a handler: show it in a dialog instead of crashing.

    Refused actions are not errors (the engine returns them as outcomes); this is for bugs.
    """

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except Exception as err:
            self.app.report_error(err)
            return None

    return cast(F, wrapper)


class GameScreen(Screen[None]):
    """A screen that shows the game: it refreshes when the game changes."""

    VIEW: ClassVar[str] = ""

    # The game's keys, first in every game screen's footer. The app binds the same keys
    # (same ids, so a keymap changes both) for the screens that are not game screens.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "app.end_quarter", "End quarter", id="end_quarter"),
        Binding("e", "app.view('debrief')", "Debrief", id="debrief"),
        Binding("b", "app.view('roulette')", "Roulette", id="roulette"),
        Binding("d", "app.view('deals')", "Deals", id="deal_room"),
        Binding("m", "app.view('map')", "Map", id="money_map"),
        Binding("question_mark", "app.help", "Help", id="help", key_display="?"),
        Binding("ctrl+s", "app.save", "Save", id="save"),
        Binding("escape", "app.view('dashboard')", "Back", id="back"),
    ]

    @property
    def circular(self) -> CircularApp:
        return cast("CircularApp", self.app)

    @property
    def session(self) -> Session:
        session = self.circular.session
        assert session is not None, "a game screen needs a game"
        return session

    def on_state_changed(self, message: StateChanged) -> None:
        self.safe_refresh()

    def on_screen_resume(self) -> None:
        self.safe_refresh()

    @guarded
    def safe_refresh(self) -> None:
        if self.circular.session is not None and self.is_mounted:
            self.refresh_view()

    def refresh_view(self) -> None:
        """Show the current state of the game (override)."""


class Dialog(ModalScreen[R]):
    """A modal dialog; help still opens over it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "app.help", "Help", id="dialog_help", key_display="?")
    ]

    @property
    def circular(self) -> CircularApp:
        return cast("CircularApp", self.app)
