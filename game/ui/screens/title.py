"""The title screen: choose a scenario, a firm, a seed and a difficulty; or load a save."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Header, Label, OptionList, Select, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from game.scenario.loader import LoadedScenario, ScenarioError, load_scenario
from game.scenario.model import Scenario
from game.ui import fmt
from game.ui.messages import LoadRequested, NewGameRequested
from game.ui.widgets import LeanFooter, TextField

FORECAST_RUNS = 20
TAGLINE = (
    "Clouds invest in AI labs, and the labs spend the money on the clouds' compute. Who is left standing?"
)


@dataclass
class Entry:
    """A scenario on the list: loaded, or the reason it cannot be."""

    name: str
    loaded: LoadedScenario | None = None
    problem: str = ""


def describe(scenario: Scenario) -> Text:
    meta = scenario.meta
    kinds = {f.id: f for f in scenario.firms}
    text = Text()
    text.append(meta.title, style="bold")
    text.append(f"\n{meta.summary}\n", style="")
    labs = sum(1 for f in scenario.firms if f.kind == "lab")
    text.append(
        f"{meta.quarters} quarters from {meta.start} · {len(scenario.firms)} firms, {labs} labs\n",
        style="italic",
    )
    roles = ", ".join(f"{kinds[f].name} ({fmt.KIND_LABEL[kinds[f].kind]})" for f in meta.playable)
    text.append(f"You can play: {roles}")
    return text


class TitleScreen(Screen[None]):
    CSS_PATH = "title.tcss"
    AUTO_FOCUS = "#firm"  # focused as the screen is built (focusing later restyles it again)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "start", "Start", id="start"),
        Binding("l", "load", "Load", id="load"),
        Binding("f", "forecast", "Forecast", id="forecast"),
    ]

    def __init__(
        self,
        loaded: LoadedScenario,
        *,
        seed: int | None = None,
        firm: str | None = None,
        difficulty: str | None = None,
    ) -> None:
        super().__init__()
        self.entries: list[Entry] = [Entry(loaded.scenario.meta.id, loaded)]
        self.first_seed = seed
        self.first_firm = firm
        self.first_difficulty = difficulty
        self.current = 0
        self.initial_message = ""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(TAGLINE, id="tagline", classes="status-line")
        with Horizontal(id="title-main"):
            with Vertical(id="scenario-column", classes="panel") as column:
                column.border_title = "Scenario"
                yield OptionList(id="scenarios")
                with VerticalScroll(id="scenario-scroll"):
                    yield Static(id="scenario-info")
                    yield Static(id="goal")
            with Vertical(id="setup", classes="panel") as setup:
                setup.border_title = "New game"
                with Horizontal(classes="field-row"):
                    yield Label("Play as")
                    yield Select[str]([], id="firm", compact=True, allow_blank=True)
                with Horizontal(classes="field-row"):
                    yield Label("Seed")
                    yield TextField(id="seed", placeholder="a whole number", submit="Start")
                yield Static("Same seed, same dice: share it so a class plays the same game.", classes="hint")
                with Horizontal(classes="field-row", id="difficulty-row"):
                    yield Label("Difficulty")
                    yield Select[str]([], id="difficulty", compact=True, allow_blank=True)
                with Horizontal(classes="buttons"):
                    yield Button("Start", id="start", variant="primary", compact=True)
                    yield Button("Load", id="load", compact=True)
                    yield Button("Forecast", id="forecast", compact=True)
                    yield Button("Quit", id="quit", compact=True)
                yield Static(id="title-message", classes="message")
        yield LeanFooter()

    def on_mount(self) -> None:
        self._fill_list()
        self.query_one("#scenarios", OptionList).highlighted = 0
        self._show(0)
        if self.initial_message:
            self.say(self.initial_message)
        self.set_timer(0.5, self._load_catalogue)  # after the screen is up: it is slow work

    # -- the scenario list -------------------------------------------------------------------
    def _fill_list(self) -> None:
        options = self.query_one("#scenarios", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        for entry in self.entries:
            label = entry.loaded.scenario.meta.title if entry.loaded else f"{entry.name} (cannot load)"
            options.add_option(Option(label))
        if highlighted is not None:
            options.highlighted = highlighted

    @work(thread=True, exclusive=True, group="catalogue")
    def _load_catalogue(self) -> None:
        """Read the other bundled scenarios without holding up the first screen."""
        app: Any = self.app
        shown = {e.loaded.path for e in self.entries if e.loaded}
        found: list[Entry] = []
        for scenario_id in app.catalogue():
            try:
                loaded = load_scenario(scenario_id)
            except ScenarioError as err:
                found.append(Entry(scenario_id, problem=err.problems[0].message))
                continue
            if loaded.path not in shown:
                found.append(Entry(scenario_id, loaded))
        if found and not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._add_entries, found)

    def _add_entries(self, found: list[Entry]) -> None:
        if not self.is_attached:  # the player started a game meanwhile
            return
        self.entries.extend(found)
        self._fill_list()

    @on(OptionList.OptionHighlighted, "#scenarios")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_index != self.current:
            self._show(event.option_index)

    @on(OptionList.OptionSelected, "#scenarios")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._show(event.option_index)
        self.query_one("#firm", Select).focus()

    def _show(self, index: int) -> None:
        self.current = index
        entry = self.entries[index]
        info = self.query_one("#scenario-info", Static)
        if entry.loaded is None:
            info.update(Text(f"{entry.name} cannot be loaded: {entry.problem}", style="bold"))
            return
        scenario = entry.loaded.scenario
        info.update(describe(scenario))
        firms = {f.id: f for f in scenario.firms}
        choices = [(f"{firms[f].name} ({fmt.KIND_LABEL[firms[f].kind]})", f) for f in scenario.meta.playable]
        firm_select = self.query_one("#firm", Select)
        firm_select.set_options(choices)
        first = index == 0
        wanted = self.first_firm if first and self.first_firm in scenario.meta.playable else None
        firm_select.value = wanted or scenario.meta.playable[0]
        seed = self.first_seed if first and self.first_seed is not None else scenario.meta.seed
        self.query_one("#seed", TextField).value = str(seed)
        difficulty = self.query_one("#difficulty", Select)
        row = self.query_one("#difficulty-row")
        offered = [(d.label, d.id) for d in scenario.meta.difficulties]
        row.display = bool(offered)
        if offered:
            difficulty.set_options(offered)
            ids = [d for _, d in offered]
            neutral = next(
                (
                    d.id
                    for d in scenario.meta.difficulties
                    if d.player_cash == 1.0 and d.volatility == 1.0 and d.bot_appetite == 1.0
                ),
                ids[0],
            )  # the preset that changes nothing, as when playing from the command line
            difficulty.value = self.first_difficulty if first and self.first_difficulty in ids else neutral
        self._show_goal()
        self.say("")

    @on(Select.Changed, "#firm")
    def _show_goal(self) -> None:
        entry = self.entries[self.current]
        firm = self.query_one("#firm", Select).value
        if entry.loaded is None or not isinstance(firm, str):
            return
        scenario = entry.loaded.scenario
        kind = next(f.kind for f in scenario.firms if f.id == firm)
        goal = scenario.goals.lab if kind == "lab" else scenario.goals.hyperscaler
        name = next(f.name for f in scenario.firms if f.id == firm)
        text = Text()
        text.append(f"\nYour goal as {name}: ", style="bold")
        text.append(goal.description)
        self.query_one("#goal", Static).update(text)

    def say(self, message: str) -> None:
        self.query_one("#title-message", Static).update(message)

    # -- actions -----------------------------------------------------------------------------
    @on(Button.Pressed, "#start")
    @on(TextField.Submitted, "#seed")
    def action_start(self) -> None:
        entry = self.entries[self.current]
        if entry.loaded is None:
            self.say(f"{entry.name} cannot be played: {entry.problem}")
            return
        try:
            seed = fmt.read_whole(self.query_one("#seed", TextField).value, "the seed")
        except ValueError as err:
            self.say(str(err))
            return
        firm = self.query_one("#firm", Select).value
        difficulty = (
            self.query_one("#difficulty", Select).value if entry.loaded.scenario.meta.difficulties else None
        )
        if not isinstance(firm, str):
            self.say("choose a firm to play")
            return
        self.post_message(
            NewGameRequested(entry.loaded, seed, firm, difficulty if isinstance(difficulty, str) else None)
        )

    @on(Button.Pressed, "#load")
    def action_load(self) -> None:
        from game.ui.screens.dialogs import LoadDialog

        app: Any = self.app
        self.app.push_screen(LoadDialog(app.saves_dir), self._load_chosen)

    def _load_chosen(self, path: object) -> None:
        from pathlib import Path

        if isinstance(path, Path):
            self.post_message(LoadRequested(path))

    @on(Button.Pressed, "#quit")
    def _quit(self) -> None:
        self.app.exit(0)

    @on(Button.Pressed, "#forecast")
    def action_forecast(self) -> None:
        entry = self.entries[self.current]
        if entry.loaded is None:
            return
        self.say(f"Forecasting {FORECAST_RUNS} games played by bots alone…")
        self._forecast(entry.loaded)

    @work(thread=True, exclusive=True, group="forecast")
    def _forecast(self, loaded: LoadedScenario) -> None:
        """Many runs with bots at every seat: slow work, so it runs in a worker thread."""
        from game.simulate import run_many, summarise

        seed = loaded.scenario.meta.seed
        outcomes = run_many(loaded.source, list(range(seed, seed + FORECAST_RUNS)), processes=1)
        if get_current_worker().is_cancelled:
            return
        summary = summarise(loaded.scenario, outcomes)
        failures = summary["failures"]
        text = (
            f"In {summary['runs']} games played by bots: the system collapsed in "
            f"{fmt.share(summary['collapse_rate'])}, "
            f"some firm failed in {fmt.share(failures['share_with_any'])}, "
            f"{failures['mean']:.1f} failures on average; peak cycling {summary['peak_cycling_median']:.2f}, "
            f"peak bubble {summary['peak_bubble_median']:.2f} (medians)."
        )
        self.app.call_from_thread(self.say, text)
