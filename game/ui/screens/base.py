"""What every game screen and dialog shares: the session, refreshing, and error guarding."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from game.ui.keys import game_bindings
from game.ui.messages import StateChanged
from game.ui.session import Session

if TYPE_CHECKING:
    from game.ui.app import CircularApp

F = TypeVar("F", bound=Callable[..., Any])
R = TypeVar("R")

# The smallest terminal the game is laid out for (README): every screen fits it.
MIN_SIZE = (80, 24)


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
    """A screen that shows the game: it refreshes when the game changes.

    A screen with a form names its main list (``MAIN``), the form (``FORM``) and what the
    list is called (``MAIN_NAME``): escape in the form goes back to the list, where the
    game's single-letter keys work again; escape anywhere else goes back to the dashboard."""

    VIEW: ClassVar[str] = ""
    MAIN: ClassVar[str] = ""  # selector of the screen's main list
    FORM: ClassVar[str] = ""  # selector of the container holding the screen's fields
    MAIN_NAME: ClassVar[str] = "List"
    # A screen that cannot be read in a smaller terminal (columns, lines) and what the player
    # calls it: below that size it shows only a note saying so, its widget "#too-small" (the
    # screen's stylesheet hides the rest while the screen has the class -too-small).
    MIN_SIZE: ClassVar[tuple[int, int] | None] = None
    NAME: ClassVar[str] = ""
    MESSAGE: ClassVar[str] = ""  # selector of the line that answers the player's last action

    # The game's keys first in every game screen's footer (the app binds them too: keys.py).
    BINDINGS: ClassVar[list[BindingType]] = [
        *game_bindings("app."),
        Binding("escape", "leave_form", "List", id="leave_form"),
        Binding("escape", "back", "Back", id="back"),
    ]
    SHARED: ClassVar[frozenset[str | None]] = frozenset(b.id for b in BINDINGS if isinstance(b, Binding))

    def __init__(self) -> None:
        super().__init__()
        self._shown_version: tuple[int, ...] = ()
        keys = self._bindings.key_to_bindings
        keys["escape"] = [
            dataclasses.replace(b, description=self.MAIN_NAME) if b.action == "leave_form" else b
            for b in keys.get("escape", [])
        ]
        # A screen's own keys come after the game's in the footer, a key that takes a game key's
        # letter too (Textual keeps only the screen's): the deal room's a (accept) stays by its r
        # and c, instead of in the game key a's place.
        for key in [k for k, bindings in keys.items() if any(b.id not in self.SHARED for b in bindings)]:
            keys[key] = keys.pop(key)

    @property
    def circular(self) -> CircularApp:
        return cast("CircularApp", self.app)

    @property
    def session(self) -> Session:
        session = self.circular.session
        assert session is not None, "a game screen needs a game"
        return session

    # -- focus: the form and the main list -------------------------------------------------
    def in_form(self) -> bool:
        """True if the focus is on one of the screen's fields (or its buttons)."""
        if not self.FORM or not self.is_mounted:
            return False
        forms = self.query(self.FORM)
        return bool(forms) and forms.first().has_focus_within

    def focus_main(self) -> None:
        """Back to the main list, where the game's keys work (after an action, or escape)."""
        if self.MAIN:
            self.query_one(self.MAIN).focus()

    def action_leave_form(self) -> None:
        self.focus_main()

    def action_back(self) -> None:
        self.circular.view("dashboard")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "leave_form":
            return self.in_form()
        if action == "back":
            return self.VIEW != "dashboard" and not self.in_form()
        return True

    def say(self, message: str, ok: bool = False) -> bool:
        """Show the answer to the player's last action in the screen's message line, in place
        of the last one ("" clears it); False if no such line shows (the app then uses a toast)."""
        if not self.MESSAGE or not self.is_mounted or self.too_small:
            return False
        box = self.query_one(self.MESSAGE, Static)
        box.update(message)
        box.set_class(ok, "-ok")
        return True

    # -- a terminal too small for the screen ---------------------------------------------------
    @property
    def too_small(self) -> bool:
        return self.has_class("-too-small")

    def on_resize(self) -> None:
        self.check_size()

    def check_size(self) -> None:
        """Below ``MIN_SIZE`` show the note instead of a screen cut short, and take the focus
        off the hidden widgets (the footer keeps the keys that lead elsewhere)."""
        if self.MIN_SIZE is None or not self.is_mounted:
            return
        (columns, lines), (width, height) = self.MIN_SIZE, self.app.size
        small = width < columns or height < lines
        if small:
            note = Text()
            note.append(f"This terminal is too small for {self.NAME}.", style="bold")
            note.append(f"\n\nIt needs {columns} columns by {lines} lines; this one has {width} by {height}.")
            note.append("\nMake the window bigger (or the font smaller), or press esc to go back.")
            self.query_one("#too-small", Static).update(note)
        if small == self.too_small:
            return
        self.set_class(small, "-too-small")
        if small:
            self.set_focus(None)
        else:
            self.focus_main()
        self.refresh_bindings()

    def on_state_changed(self, message: StateChanged) -> None:
        stack = self.app.screen_stack
        above = stack[stack.index(self) + 1 :] if self in stack else []
        if not any(isinstance(screen, GameScreen) for screen in above):
            self.safe_refresh()  # a view under another one catches up when it is shown again

    def on_screen_resume(self) -> None:
        self.safe_refresh(only_if_changed=True)  # back from a dialog: often nothing changed

    def _game_version(self) -> tuple[int, ...]:
        """Changes whenever the game does (every move and every quarter is logged)."""
        session = self.circular.session
        if session is None:
            return ()
        world = session.world
        return (id(session), len(session.game.log), world.turn, len(world.news), len(world.offers))

    @guarded
    def safe_refresh(self, only_if_changed: bool = False) -> None:
        if self.circular.session is None or not self.is_mounted:
            return
        version = self._game_version()
        if only_if_changed and version == self._shown_version:
            return
        self._shown_version = version
        self.refresh_view()

    def refresh_view(self) -> None:
        """Show the current state of the game (override)."""


class Dialog(ModalScreen[R]):
    """A modal dialog; help still opens over it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "app.help", "Help", id="dialog_help", key_display="?")
    ]

    def __init__(self) -> None:
        super().__init__()
        bindings = self._bindings.key_to_bindings  # the dialog's own keys first in its footer
        bindings["question_mark"] = bindings.pop("question_mark")

    @property
    def circular(self) -> CircularApp:
        return cast("CircularApp", self.app)


class ReadsOn:
    """For a dialog whose text scrolls while a button or a list keeps the focus: PgDn and
    PgUp (priority bindings, as the focused widget would take them) page through the body
    ``BODY``; "Read on" shows in the footer only when there is more to read."""

    BODY: ClassVar[str] = ""
    READ_BINDINGS: ClassVar[list[BindingType]] = [
        Binding("pagedown", "read(1)", "Read on", id="read_on", priority=True),
        Binding("pageup", "read(-1)", "Read back", id="read_back", show=False, priority=True),
    ]

    def reading_box(self) -> VerticalScroll | None:
        found = cast(Screen[Any], self).query(self.BODY)
        return found.first(VerticalScroll) if found else None

    def action_read(self, pages: int) -> None:
        body = self.reading_box()
        if body is not None:
            body.scroll_to(y=body.scroll_y + pages * max(1, body.size.height - 1), animate=False)

    def can_read_on(self) -> bool:
        body = self.reading_box()
        return body is not None and body.max_scroll_y > 0
