"""The title screen: choose a scenario, a firm, your name, a seed and a difficulty; or load a
save. Hot seat: "Add a player" adds seats (a firm and a name each, up to six) for people
sharing this keyboard; the facilitator switch starts the game in facilitator mode."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Label, OptionList, Select, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from game.scenario.loader import BUNDLED_DIR, DEFAULT_SCENARIO, LoadedScenario, ScenarioError, load_scenario
from game.scenario.model import MAX_SEED, Scenario
from game.seats import MAX_NAME, MAX_SEATS, check_names, check_seats, clean_name
from game.ui import fmt
from game.ui.messages import GameChoice, LoadRequested, NewGameRequested
from game.ui.widgets import Dropdown, GameHeader, LeanFooter, TextField, Tick

TITLE_FORECAST_GAMES = 20
TAGLINE = (
    "Clouds invest in AI labs, and the labs spend the money on the clouds' compute. Who is left standing?"
)


@dataclass(eq=False)
class Entry:
    """A scenario on the list: loaded, or the reason it cannot be."""

    name: str
    loaded: LoadedScenario | None = None
    problem: str = ""

    @property
    def tutorial(self) -> bool:
        return self.loaded is not None and self.loaded.scenario.meta.tutorial


def listed(entries: list[Entry]) -> list[Entry]:
    """The scenarios in the order the list shows them: tutorials first (``tutorial = true`` in
    their meta), where a newcomer looks; then a file of the player's own; then the default
    scenario (history) and the other bundled ones by id: the same order however the screen was
    reached (it followed the game just left), with the default near the top of a short list."""

    def bundled(entry: Entry) -> bool:
        return entry.loaded is None or Path(entry.loaded.path).resolve().parent == BUNDLED_DIR.resolve()

    return sorted(entries, key=lambda e: (not e.tutorial, bundled(e), e.name != DEFAULT_SCENARIO, e.name))


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


def name_field(value: str = "", *, id: str | None = None, placeholder: str = "") -> TextField:
    """A player's name: plain text, at most MAX_NAME characters; enter starts the game."""
    field = TextField(value, id=id, placeholder=placeholder, submit="Start")
    field.max_length = MAX_NAME
    field.add_class("seat-name")
    return field


def firm_choices(scenario: Scenario) -> list[tuple[str, str]]:
    """The firms a person may play, as "Name (kind)" and id."""
    firms = {f.id: f for f in scenario.firms}
    return [(f"{firms[f].name} ({fmt.KIND_LABEL[firms[f].kind]})", f) for f in scenario.meta.playable]


def difficulty_choices(scenario: Scenario) -> list[tuple[str, str]]:
    """The presets by name alone ("Historian"), so that the field and its list fit 80 columns:
    the rest of a label ("as it happened") is the note under the field."""
    return [(difficulty_parts(d.label)[0], d.id) for d in scenario.meta.difficulties]


def difficulty_parts(label: str) -> tuple[str, str]:
    """A difficulty's label as its name and the note in brackets after it: "Historian (as it
    happened)" is ("Historian", "as it happened"); a label without one is all name."""
    name, bracket, rest = label.partition(" (")
    if bracket and rest.endswith(")") and name.strip() and rest[:-1].strip():
        return name.strip(), rest[:-1].strip()
    return label, ""


def facilitator_label(on: bool) -> str:
    """The switch says its state in words (meaning never rests on colour)."""
    return "on: shocks, grants, penalties" if on else "off"


class SeatRow(Vertical):
    """Another player at this keyboard (hot seat): a firm and a name, and a way to leave."""

    def __init__(self, number: int, choices: list[tuple[str, str]], firm: str, name: str = "") -> None:
        super().__init__(classes="seat")
        self.number = number
        self.choices = choices
        self.firm = firm  # kept up to date by the title screen, as its select changes
        self.player = name
        self.focus_when_mounted = False

    def compose(self) -> ComposeResult:
        with Horizontal(classes="seat-row"):
            yield Label(f"Player {self.number}", classes="seat-number")
            yield Dropdown(
                self.choices, value=self.firm, compact=True, allow_blank=False, classes="seat-firm"
            )
        with Horizontal(classes="seat-row"):
            yield Label("Name")
            yield name_field(self.player, placeholder="optional")
            yield Button("Remove", classes="remove-seat", compact=True)

    def on_mount(self) -> None:
        if self.focus_when_mounted:  # a row just added: its firm is the next thing to choose
            self.query_one(".seat-firm", Select).focus()

    def renumber(self, number: int) -> None:
        self.number = number
        self.query_one(".seat-number", Label).update(f"Player {number}")

    @property
    def typed_name(self) -> str:
        """Until its field is mounted (keys can come faster than that), the name it was given."""
        fields = self.query(".seat-name")
        return fields.first(TextField).value if fields else self.player


class TitleScreen(Screen[None]):
    CSS_PATH = "title.tcss"
    AUTO_FOCUS = "#firm"  # focused as the screen is built (focusing later restyles it again)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "start", "Start", id="start"),
        Binding("l", "load", "Load", id="load"),
        Binding("f", "forecast", "Forecast", id="forecast"),
        Binding("p", "add_seat", "Add player", id="add_seat"),
    ]

    def __init__(self, first: GameChoice) -> None:
        """``first``: the scenario shown first and the choices filled in for it (seed, seats,
        difficulty, facilitator), as the command line gave them."""
        super().__init__()
        self.entries: list[Entry] = [Entry(first.loaded.scenario.meta.id, first.loaded)]
        # the scenario the app opened with (the default, history, for `circular`): chosen at
        # first wherever the list shows it, and the command line's choices apply to it
        self.first_entry = self.entries[0]
        self.start = first
        self.first_firm = first.seats[0][0] if first.seats else first.firm
        self.first_player = first.seats[0][1] if first.seats else first.player
        self.current = 0
        self.initial_message = ""

    def compose(self) -> ComposeResult:
        scenario = self.start.loaded.scenario
        yield GameHeader()
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
                # the fields scroll; Start and the message stay in view however many seats
                with VerticalScroll(id="setup-fields") as fields:
                    fields.can_focus = False  # tab goes from field to field, not to the panel
                    with Vertical(id="seats"):
                        with Horizontal(classes="seat-row"):
                            yield Label("Play as", id="first-seat-label")
                            # the first scenario's firms now, so the list has no blank entry
                            yield Dropdown(firm_choices(scenario), id="firm", compact=True, allow_blank=False)
                        with Horizontal(classes="seat-row"):
                            yield Label("Your name", id="first-name-label")
                            yield name_field(self.first_player, id="name", placeholder="for the class report")
                    with Horizontal(classes="field-row", id="add-seat-row"):
                        yield Label("Hot seat")
                        yield Button("+ Add a player (p)", id="add-seat", compact=True)
                    with Horizontal(classes="field-row"):
                        yield Label("Seed")
                        yield TextField(id="seed", placeholder="a whole number", submit="Start")
                    yield Static(
                        "Same seed, same dice: share it so a class plays the same game.", classes="hint"
                    )
                    with Horizontal(classes="field-row", id="difficulty-row"):
                        yield Label("Difficulty")
                        offered = difficulty_choices(scenario)
                        yield Dropdown(offered, id="difficulty", compact=True, allow_blank=not offered)
                    yield Static(id="difficulty-note", classes="hint")
                    with Horizontal(classes="field-row"):
                        yield Label("Facilitator")
                        yield Tick(
                            facilitator_label(self.start.facilitator),
                            self.start.facilitator,
                            id="facilitator",
                            compact=True,
                        )
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
        if self.start.seats[1:]:  # the command line's further seats
            self._add_seats(self.start.seats[1:])
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
            options.highlighted = self.current  # the same scenario, wherever it moved to
            self.call_after_refresh(self._list_from_the_top)

    def _list_from_the_top(self) -> None:
        """Once the list has its new height (it grows as the catalogue arrives): from its first
        line, the tutorial's, as long as the chosen scenario still shows."""
        found = self.query("#scenarios")
        if found:
            options = found.first(OptionList)
            options.scroll_home(animate=False, immediate=True)
            options.scroll_to_highlight()

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
        # The player may have started a game meanwhile, or a failed load may be replacing this
        # screen with another title screen: then its list is gone or going.
        if not self.is_attached or not self.query("#scenarios"):
            return
        chosen = self.entries[self.current]
        self.entries = listed([*self.entries, *found])
        self.current = self.entries.index(chosen)  # still chosen, perhaps lower down the list
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
        self.query_one("#scenario-scroll", VerticalScroll).scroll_home(animate=False)  # a new text
        choices = firm_choices(scenario)
        firm_select = self.query_one("#firm", Select)
        firm_select.set_options(choices)
        first = entry is self.first_entry
        wanted = self.first_firm if first and self.first_firm in scenario.meta.playable else None
        firm_select.value = wanted or scenario.meta.playable[0]
        self._refit_seats(choices)
        seed = self.start.seed if first and self.start.seed is not None else scenario.meta.seed
        self.query_one("#seed", TextField).value = str(seed)
        difficulty = self.query_one("#difficulty", Select)
        row = self.query_one("#difficulty-row")
        offered = difficulty_choices(scenario)
        row.display = bool(offered)
        if offered:
            difficulty.set_options(offered)
            ids = [d for _, d in offered]
            # the preset that changes nothing, as when playing from the command line
            neutral = next((d.id for d in scenario.meta.difficulties if d.changes_nothing), ids[0])
            difficulty.value = self.start.difficulty if first and self.start.difficulty in ids else neutral
        self._show_difficulty_note()
        self._show_goal()
        self.say("")

    @on(Select.Changed, "#difficulty")
    def _show_difficulty_note(self) -> None:
        entry = self.entries[self.current]
        chosen = self.query_one("#difficulty", Select).value
        labels = {d.id: d.label for d in entry.loaded.scenario.meta.difficulties} if entry.loaded else {}
        note = difficulty_parts(labels[chosen])[1] if chosen in labels else ""
        hint = self.query_one("#difficulty-note", Static)
        hint.update(f"{note[:1].upper()}{note[1:]}." if note else "")
        hint.display = bool(note)

    @on(Select.Changed, "#firm")
    def _show_goal(self) -> None:
        entry = self.entries[self.current]
        firm = self.query_one("#firm", Select).value
        if entry.loaded is None or not isinstance(firm, str):
            return
        scenario = entry.loaded.scenario
        kind = next(f.kind for f in scenario.firms if f.id == firm)
        goal = scenario.goals.of(firm, "lab" if kind == "lab" else "hyperscaler")
        name = next(f.name for f in scenario.firms if f.id == firm)
        text = Text()
        text.append(f"\nYour goal as {name}: ", style="bold")
        text.append(" ".join(goal.description.split()))
        collapse = " ".join(scenario.goals.collapse_text.split())
        # quoted: the scenario writes it as the verdict, which read as if it had happened
        text.append(f'\nIf the system collapses, everyone loses. The game then says: "{collapse}"')
        self.query_one("#goal", Static).update(text)

    def say(self, message: str) -> None:
        self.query_one("#title-message", Static).update(message)

    # -- hot seat: more players at this keyboard ---------------------------------------------
    def _seat_rows(self) -> list[SeatRow]:
        return list(self.query(SeatRow))

    def _firm_choices(self) -> list[tuple[str, str]]:
        entry = self.entries[self.current]
        if entry.loaded is None:
            return []
        return firm_choices(entry.loaded.scenario)

    def _taken(self) -> set[str]:
        first = self.query_one("#firm", Select).value
        taken = {first} if isinstance(first, str) else set()
        return taken | {row.firm for row in self._seat_rows()}

    @on(Button.Pressed, "#add-seat")
    def action_add_seat(self) -> None:
        """Another person at this keyboard runs another firm (up to six seats)."""
        choices = self._firm_choices()
        seats = 1 + len(self._seat_rows())
        if seats >= MAX_SEATS:
            self.say(f"At most {MAX_SEATS} players share a game.")
            return
        free = [firm for _, firm in choices if firm not in self._taken()]
        if not free:
            self.say(f"This scenario lets people play {len(choices)} firms, and each has a player already.")
            return
        row = self._add_seats([(free[0], "")])[0]
        row.focus_when_mounted = True
        self.say("")

    def _add_seats(self, seats: tuple[tuple[str, str], ...] | list[tuple[str, str]]) -> list[SeatRow]:
        choices = self._firm_choices()
        playable = {firm for _, firm in choices}
        number = 1 + len(self._seat_rows())
        rows: list[SeatRow] = []
        for firm, name in seats:
            if firm not in playable or number >= MAX_SEATS:
                continue
            number += 1
            rows.append(SeatRow(number, choices, firm, name))
        if rows:
            self.query_one("#seats", Vertical).mount_all(rows)
        self._label_seats(number)
        return rows

    @on(Button.Pressed, ".remove-seat")
    def _remove_seat(self, event: Button.Pressed) -> None:
        row = next(node for node in event.button.ancestors if isinstance(node, SeatRow))
        row.remove()
        remaining = [r for r in self._seat_rows() if r is not row]
        for number, other in enumerate(remaining, start=2):
            other.renumber(number)
        self._label_seats(1 + len(remaining))
        self.query_one("#add-seat", Button).focus()

    @on(Checkbox.Changed, "#facilitator")
    def _facilitator_label(self, event: Checkbox.Changed) -> None:
        event.checkbox.label = facilitator_label(event.value)

    @on(Select.Changed, ".seat-firm")
    def _seat_firm_changed(self, event: Select.Changed) -> None:
        row = next(node for node in event.select.ancestors if isinstance(node, SeatRow))
        if isinstance(event.value, str):
            row.firm = event.value

    def _label_seats(self, seats: int) -> None:
        """One player: "Play as" and "Your name"; several: "Player 1" and "Name"."""
        alone = seats <= 1
        self.query_one("#first-seat-label", Label).update("Play as" if alone else "Player 1")
        self.query_one("#first-name-label", Label).update("Your name" if alone else "Name")

    def _refit_seats(self, choices: list[tuple[str, str]]) -> None:
        """Another scenario: every seat chooses among its firms; seats beyond them go."""
        rows = self._seat_rows()
        if not rows:
            return
        first = self.query_one("#firm", Select).value
        free = [firm for _, firm in choices if firm != first]
        kept: list[SeatRow] = []
        for row in rows:
            keep = row.firm if row.firm in free else (free[0] if free else None)
            if keep is None:
                row.remove()
                continue
            free.remove(keep)
            row.firm = keep
            select = row.query_one(".seat-firm", Select)
            select.set_options(choices)
            select.value = keep
            kept.append(row)
        for number, row in enumerate(kept, start=2):
            row.renumber(number)
        self._label_seats(1 + len(kept))

    # -- actions -----------------------------------------------------------------------------
    @on(Button.Pressed, "#start")
    @on(TextField.Submitted, "#seed")
    @on(TextField.Submitted, ".seat-name")
    def action_start(self) -> None:
        entry = self.entries[self.current]
        if entry.loaded is None:
            self.say(f"{entry.name} cannot be played: {entry.problem}")
            return
        world = self._chosen_world(entry.loaded)
        if world is None:
            return
        seed, difficulty = world
        firm = self.query_one("#firm", Select).value
        if not isinstance(firm, str):
            self.say("choose a firm to play")
            return
        seats = [(firm, self.query_one("#name", TextField).value)]
        seats += [(row.firm, row.typed_name) for row in self._seat_rows()]
        scenario = entry.loaded.scenario
        firms = [f for f, _ in seats]
        twice = next((f for f in firms if firms.count(f) > 1), None)
        if twice is not None:
            name = next(f.name for f in scenario.firms if f.id == twice)
            self.say(f"{name} has two players: each player runs a different firm.")
            return
        try:
            check_seats(firms, scenario.firm_ids(), scenario.meta.playable)
            seats = [(f, clean_name(name)) for f, name in seats]
            check_names(name for _, name in seats)
        except ValueError as err:
            self.say(str(err)[:1].upper() + str(err)[1:] + ".")
            return
        self.post_message(
            NewGameRequested(
                GameChoice(
                    entry.loaded,
                    seed,
                    firm,
                    difficulty,
                    player=seats[0][1],
                    seats=tuple(seats) if len(seats) > 1 else (),
                    facilitator=self.query_one("#facilitator", Checkbox).value,
                )
            )
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

    def _chosen_world(self, loaded: LoadedScenario) -> tuple[int, str | None] | None:
        """The seed typed and the difficulty chosen; None, having said why, if the seed cannot
        be read."""
        try:
            seed = fmt.read_whole(self.query_one("#seed", TextField).value, "the seed", MAX_SEED)
        except ValueError as err:
            self.say(str(err))
            return None
        chosen = self.query_one("#difficulty", Select).value if loaded.scenario.meta.difficulties else None
        return seed, chosen if isinstance(chosen, str) else None

    @on(Button.Pressed, "#forecast")
    def action_forecast(self) -> None:
        entry = self.entries[self.current]
        if entry.loaded is None:
            return
        world = self._chosen_world(entry.loaded)
        if world is None:
            return
        self.say(f"Forecasting {TITLE_FORECAST_GAMES} games played by bots alone…")
        self._forecast(entry.loaded, *world)

    @work(thread=True, exclusive=True, group="forecast")
    def _forecast(self, loaded: LoadedScenario, seed: int, difficulty: str | None) -> None:
        """Many runs with bots at every seat: slow work, so it runs in a worker thread. The
        seeds are derived from the seed typed as the debrief's are, so a class shares them."""
        from game.simulate import forecast_seeds, run_many, summarise

        seeds = forecast_seeds(seed, TITLE_FORECAST_GAMES)
        outcomes = run_many(loaded.source, seeds, processes=1, difficulty=difficulty)
        if get_current_worker().is_cancelled:
            return
        summary = summarise(loaded.scenario, outcomes)
        failures = summary["failures"]
        labels = {d.id: difficulty_parts(d.label)[0] for d in loaded.scenario.meta.difficulties}
        world = f"{labels[difficulty]}, seed {seed}" if difficulty in labels else f"seed {seed}"
        text = (
            f"In {summary['runs']} games played by bots ({world}): the system collapsed in "
            f"{fmt.share(summary['collapse_rate'])}, "
            f"some firm failed in {fmt.share(failures['share_with_any'])}, "
            f"{failures['mean']:.2f} failures on average; "
            f"peak cycling {fmt.share(summary['peak_cycling_median'])}, "
            f"peak bubble {summary['peak_bubble_median']:.2f} (medians)."
        )
        self.app.call_from_thread(self.say, text)
