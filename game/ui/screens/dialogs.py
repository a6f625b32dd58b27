"""Small dialogs: confirm, quit (offering to save), an unexpected error, load a save."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Label, OptionList, Static
from textual.widgets.option_list import Option

from game.saves import SaveFile, list_saves, peek, shown_path
from game.ui.screens.base import Dialog
from game.ui.widgets import DialogFooter, show_key, show_keys


class ConfirmDialog(Dialog[bool]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="yes"),
        Binding("n,escape", "answer(False)", "No", id="no"),
    ]

    def __init__(
        self,
        title: str,
        body: str,
        *,
        yes: str = "Yes",
        no: str = "No",
        focus_no: bool = False,
        escape_yes: bool = False,
    ) -> None:
        """``focus_no``: enter answers no, where yes would lose something the player may want;
        ``escape_yes``: escape answers yes, where yes keeps things as they were ("Resume").
        The footer names y and n as the buttons do ("y Resume", not "y Yes")."""
        super().__init__()
        self.title_text, self.body, self.yes, self.no = title, body, yes, no
        self.focus_no = focus_no
        show_key(self, "y", "answer(True)", yes, "yes")
        show_key(self, "n", "answer(False)", no, "no")
        if escape_yes:
            show_keys(self, "escape", [("answer(True)", yes, "escape_yes")], show=False)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Static(self.body)
            with Horizontal(classes="buttons"):
                yield Button(f"{self.yes} (y)", id="yes", variant="primary", compact=True)
                yield Button(f"{self.no} (n)", id="no", compact=True)
        yield DialogFooter()

    def on_mount(self) -> None:
        self.query_one("#no" if self.focus_no else "#yes", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class MessageDialog(Dialog[None]):
    """A message to read (it scrolls if long), closed with enter or escape."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,enter", "close", "OK", id="ok")]

    def __init__(self, title: str, body: str) -> None:
        super().__init__()
        self.title_text, self.body = title, body

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            with VerticalScroll(id="message-body"):
                yield Static(self.body, markup=False)
            with Horizontal(classes="buttons"):
                yield Button("OK (enter)", id="ok", variant="primary", compact=True)
        yield DialogFooter()

    @on(Button.Pressed)
    def action_close(self) -> None:
        self.dismiss(None)


class QuitDialog(Dialog[str]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "choose('save')", "Save and quit", id="save_quit"),
        Binding("q", "choose('quit')", "Quit", id="quit_anyway"),
        Binding("escape,c", "choose('cancel')", "Cancel", id="cancel"),
    ]

    def __init__(
        self,
        save_name: str,
        autosave: str = "",
        *,
        quarter_start: bool = True,
        played: bool = True,
        autosave_failed: str = "",
    ) -> None:
        """``autosave``: the autosave's name when it holds every move so far, else "";
        ``quarter_start``: whether an autosave of this quarter's start was written (none is
        until a quarter ends); ``played``: whether any move was made; ``autosave_failed``: why
        the last autosave could not be written, if it could not."""
        super().__init__()
        self.save_name, self.autosave = save_name, autosave
        self.quarter_start, self.played = quarter_start, played
        self.autosave_failed = autosave_failed

    def compose(self) -> ComposeResult:
        if self.autosave:
            body = (
                f"Every move so far is in the autosave, {self.autosave} (Load resumes it). "
                f"Save the game as {self.save_name} too?"
            )
        else:
            state = "has moves that are not saved" if self.played else "is not saved"
            if self.autosave_failed:
                autosave = f"The autosave could not be written: {self.autosave_failed}."
            elif self.quarter_start:
                autosave = "The autosave keeps the start of the current quarter either way."
            else:
                autosave = "No autosave is written until this quarter ends."
            body = f"This game {state}. Save it as {self.save_name} first? ({autosave})"
        with Vertical(classes="dialog"):
            yield Label("Quit Circular?", classes="dialog-title")
            yield Static(body)
            with Horizontal(classes="buttons"):
                yield Button("Save and quit (s)", id="save", variant="primary", compact=True)
                yield Button("Quit (q)", id="quit", variant="error", compact=True)
                yield Button("Cancel (esc)", id="cancel", compact=True)
        yield DialogFooter()

    def on_mount(self) -> None:
        self.query_one("#save", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or "cancel")

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)


class ErrorDialog(Dialog[str]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,c", "choose('continue')", "Continue", id="continue"),
        Binding("r", "choose('reload')", "Reload autosave", id="reload"),
        Binding("q", "choose('quit')", "Quit", id="error_quit"),
    ]

    def __init__(self, message: str, autosave: Path | None, log: Path) -> None:
        super().__init__()
        self.message, self.autosave, self.log_path = message, autosave, log

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Something went wrong", classes="dialog-title")
            yield Static(f"An unexpected error stopped that action:\n{self.message}\n")
            if self.autosave is not None:
                yield Static(f"Your autosave is safe: {self.autosave.name}. You can reload it or carry on.")
            else:
                yield Static("There is no autosave yet (one is made after each quarter).")
            yield Static(f"Details were written to {shown_path(self.log_path)}.", classes="hint")
            with Horizontal(classes="buttons"):
                yield Button("Continue (esc)", id="continue", variant="primary", compact=True)
                if self.autosave is not None:
                    yield Button("Reload autosave (r)", id="reload", compact=True)
                yield Button("Quit (q)", id="quit", variant="error", compact=True)
        yield DialogFooter()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or "continue")

    def action_choose(self, choice: str) -> None:
        if choice == "reload" and self.autosave is None:
            return
        self.dismiss(choice)


def describe_save(path: Path) -> str:
    """A save's file name with its scenario, quarter and firms, read without replaying it."""
    from game.calendar import quarter_index

    try:
        document = SaveFile.model_validate(peek(path))
        snapshot = document.snapshot
        quarter_index(snapshot.quarter)  # an edited quarter ("2025-Q5") is no quarter to show
        state = "finished" if snapshot.finished else snapshot.quarter
        names = firm_names(document.scenario.source)
        who = ", ".join(names.get(firm, firm) for firm in document.humans) or "bots"
        return f"{path.name}  ·  {document.scenario.id} · {state} · as {who}"
    except ValueError:  # not a save (a ValidationError is one)
        return f"{path.name}  ·  (unreadable)"


@functools.lru_cache(maxsize=16)
def firm_names(source: str) -> dict[str, str]:
    """The firms' names by id in a save's own scenario text (the game it holds was played
    with these, whether the scenario is bundled or not); none when the text does not parse:
    the save then shows ids. Parsed once per scenario, however many saves use it."""
    from game.scenario.loader import ScenarioError, parse_scenario

    try:
        return {firm.id: firm.name for firm in parse_scenario(source).firms}
    except ScenarioError:
        return {}


class LoadDialog(Dialog[Path | None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="cancel_load")]

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder
        self.paths: list[Path] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Load a saved game", classes="dialog-title")
            saves = OptionList(id="saves")
            show_key(saves, "enter", "select", "Load", "load_save")
            yield saves
            yield Static(id="load-note", classes="hint")
            with Horizontal(classes="buttons"):
                yield Button("Cancel (esc)", id="cancel", compact=True)
        yield DialogFooter()

    def on_mount(self) -> None:
        try:
            self.paths = list_saves(self.folder) if self.folder.is_dir() else []
        except OSError:
            self.paths = []
        options = self.query_one("#saves", OptionList)
        for path in self.paths:
            options.add_option(Option(describe_save(path)))
        note = self.query_one("#load-note", Static)
        if self.paths:
            note.update("Enter loads the highlighted save; newest first.")
            options.highlighted = 0
            options.focus()
        else:
            options.display = False
            note.update("No saves yet. Press ctrl+s during a game to save it; each quarter is autosaved.")

    @on(OptionList.OptionSelected, "#saves")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.paths[event.option_index])

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
