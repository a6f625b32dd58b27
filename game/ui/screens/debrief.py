"""The debrief at the end: score against the goal, ranking, charts, turning points, questions."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar, NamedTuple

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Static

from game.calendar import quarter_name
from game.facilitation import facilitator_moves
from game.ui import analysis, fmt
from game.ui.screens.base import GameScreen, guarded
from game.ui.widgets import GameFooter, GameHeader, Trend, titles_in_one_column

MAX_TRENDS = 8
NAME_FLOOR = 8  # a ranking narrower than this wraps its lines rather than cut names to nothing


class RankEntry(NamedTuple):
    name: str
    rest: str  # the score and what the firm is worth: "1.83× $214 bn"
    bold: bool  # a player's firm


def ranking_lines(entries: Sequence[RankEntry], width: int) -> Text:
    """Numbered lines, the names in a column as wide as the longest so that the scores line
    up; a name is shortened (with "…") only when its line would not fit ``width`` cells."""
    rest = max((cell_len(e.rest) for e in entries), default=0)
    longest = max((cell_len(e.name) for e in entries), default=0)
    room = max(min(longest, width - len(" 1. ") - 1 - rest), NAME_FLOOR)
    lines = []
    for k, entry in enumerate(entries, start=1):
        name = fmt.fit(entry.name, room)
        line = f"{k:>2}. {name}{' ' * (room - cell_len(name))} {entry.rest}"
        lines.append(Text(line, style="bold" if entry.bold else ""))
    return Text("\n").join(lines)


class Ranking:
    """The ranking, laid out at the width it is drawn at: the wider the panel, the more of a
    long name ("Crosswire Telecom") it shows."""

    def __init__(self, entries: Sequence[RankEntry]) -> None:
        self.entries = entries

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield ranking_lines(self.entries, options.max_width)


class Headline:
    """Parts in a line, apart by " · ", a part that would not fit starting a line of its own:
    a long scenario title is read whole on a second line rather than cut with "…"."""

    def __init__(self, parts: Sequence[Text]) -> None:
        self.parts = parts

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lines = [Text()]
        for part in self.parts:
            line = lines[-1]
            if line and line.cell_len + len(" · ") + part.cell_len > options.max_width:
                line = Text()
                lines.append(line)
            if line:
                line.append(" · ")
            line.append_text(part)
        yield Text("\n").join(lines)


class DebriefScreen(GameScreen):
    VIEW = "debrief"
    MESSAGE = "#db-message"
    AUTO_FOCUS = "#db-left"
    CSS_PATH = "debrief.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x", "export", "Export", id="export"),
        Binding("n", "app.new_game", "New game", id="debrief_new_game"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.exported: list[Path] = []
        self.comparison_due = False  # exported before the bot games were played: add them then

    def compose(self) -> ComposeResult:
        yield GameHeader()
        yield Static(id="db-status", classes="status-line")
        with Horizontal(id="db-body"):
            with VerticalScroll(id="db-left", classes="panel") as left:
                left.border_title = "Result"
                yield Static(id="db-result")
            with VerticalScroll(id="db-right", classes="panel") as right:
                right.border_title = "The whole game"
                with Vertical(id="db-charts"):
                    for k in range(MAX_TRENDS + 2):
                        yield Trend(id=f"db-trend-{k}")
                yield Static(id="db-questions")
        yield Static(id="db-message", classes="message")
        yield GameFooter()

    def on_mount(self) -> None:
        self.safe_refresh()
        if self.session.finished:
            self.circular.request_forecast(self.session)

    def _perspective(self, firm: int) -> analysis.Perspective | None:
        outcomes = self.circular.forecasts.of(self.session)
        if outcomes is None:
            return None
        return analysis.perspective(outcomes, self.session.world, firm)

    def refresh_view(self) -> None:
        self._add_the_comparison()
        session = self.session
        game = session.game
        world = session.world
        seats = [world.index[firm] for firm in session.seats]
        status = Headline(
            [
                Text("Debrief" if world.finished else "Debrief (so far)", style="bold"),
                Text(f"seed {game.seed}"),
                Text(f"{quarter_name(world.first_quarter)} to {quarter_name(world.last_quarter)}"),
                Text(game.scenario.meta.title),
            ]
        )
        self.query_one("#db-status", Static).update(status)

        text = self._players() if session.hot_seat else self._you()
        self._comparison(text)
        ranked = shown = analysis.ranking(world)
        if session.hot_seat:
            text.append("Ranking\n", style="bold underline")
            text.append("by growth: share price now over at the start", style="italic")
        else:
            overall = next(k for k, r in enumerate(ranked, start=1) if r.firm == session.me)
            group, peers = analysis.peer_group(world, session.me)
            shown = [r for r in ranked if r.firm in peers]
            place = next(k for k, r in enumerate(shown, start=1) if r.firm == session.me)
            text.append(f"Ranking: you came {place} of {len(shown)}\n", style="bold underline")
            text.append(
                f"among the {group}, by growth: share price now over at the start "
                f"({overall} of {world.n} firms in all)",
                style="italic",
            )
        scores = max((len(analysis.format_score(r.score)) for r in shown), default=5)  # 133.46× over 67.98×
        entries = [
            RankEntry(
                world.names[r.firm],
                f"{analysis.format_score(r.score):>{scores}} "
                + ("failed" if r.failed else fmt.money(world, world.metrics["valuation"][r.firm])),
                r.firm in seats,
            )
            for r in shown
        ]
        after = Text()
        after.append("\nTurning points", style="bold underline")
        after.append(" (at each quarter's close)\n", style="italic")
        points = analysis.turning_points(world, seats)
        for p in points:
            after.append(f" {p.quarter}: {p.text}\n")
        if not points:
            after.append(" A quiet game: no failures or big moves.\n", style="italic")
        moves = facilitator_moves(game)
        if moves:
            after.append("\nThe facilitator's moves\n", style="bold underline")
            for quarter, move in moves:
                after.append(f" {quarter}: {move}\n")
        self.query_one("#db-result", Static).update(Group(text, Ranking(entries), after))

        trends = self.query(Trend)
        order = [r.firm for r in ranked][:MAX_TRENDS]
        for k, trend in enumerate(trends):
            if k < len(order):
                i = order[k]
                trend.display = True
                trend.show(
                    world.names[i],
                    fmt.money(world, world.metrics["valuation"][i]),
                    analysis.series(world, "valuation", i),
                )
            elif k == len(order):
                trend.display = True
                trend.show(
                    "Cycling",
                    fmt.share(float(world.metrics["system_cycling"])),
                    analysis.series(world, "system_cycling"),
                    fmt.SHARE_SPARK_SPAN,
                )
            elif k == len(order) + 1:
                trend.display = True
                trend.show(
                    "Bubble",
                    fmt.ratio(float(world.metrics["system_bubble"])),
                    analysis.series(world, "system_bubble"),
                )
            else:
                trend.display = False
        titles_in_one_column(trends)

        questions = Text()
        debrief = game.scenario.teaching.debrief
        if debrief:
            questions.append("\nQuestions to discuss\n", style="bold underline")
            for k, q in enumerate(debrief, start=1):
                questions.append(f"{k}. {q}\n")
        questions.append(
            "\nx: export the debrief (Markdown) and the history (CSV) to the saves folder.", style="italic"
        )
        self.query_one("#db-questions", Static).update(questions)

    def _you(self) -> Text:
        """One player: the verdict, the goal, the score and the comparison with the bots."""
        session = self.session
        result = session.game.goal(session.firm)
        text = Text()
        if result.collapse:
            verdict, style = analysis.collapse_sentence(session.game.scenario), "bold red"
        elif result.won:
            verdict, style = "You won.", "bold green"
        elif result.lost:
            verdict, style = "You lost.", "bold red"
        else:
            verdict, style = "You did not reach your goal.", "bold yellow"
        text.append(verdict + "\n", style=style)
        text.append(f"Goal ({analysis.goal_owner(session.game, result)}): {result.description}\n")
        self._goal_parts(text, session.firm)
        text.append(f"Score: {analysis.format_score(result.score)} your share price at the start\n")
        view = self._perspective(session.me)
        if view is not None:
            text.append(analysis.perspective_line(session.game, session.me, view) + "\n", style="bold")
        return text

    def _players(self) -> Text:
        """Hot seat: every player's verdict, goal, score and comparison with the bots."""
        session = self.session
        world = session.world
        text = Text()
        if session.game.goal(session.seats[0]).collapse:
            text.append(analysis.collapse_sentence(session.game.scenario) + "\n\n", style="bold red")
        for k, firm in enumerate(session.seats):
            result = session.game.goal(firm)
            if k:
                text.append("\n")
            lost = result.lost or result.collapse
            style = "bold green" if result.won else ("bold red" if lost else "bold yellow")
            text.append(f"{session.seat_label(firm)}: ", style="bold")
            text.append(f"{analysis.verdict(result)}\n", style=style)
            text.append(f"  Goal ({analysis.goal_owner(session.game, result)}): {result.description}\n")
            self._goal_parts(text, firm, indent="  ")
            text.append(f"  Score: {analysis.format_score(result.score)} the share price at the start\n")
            view = self._perspective(world.index[firm])
            if view is not None:
                text.append(f"  {analysis.perspective_line(session.game, world.index[firm], view)}\n")
        return text

    def _goal_parts(self, text: Text, firm: str, indent: str = "") -> None:
        """The goal's checklist, as the You panel shows it: which part was missed."""
        for met, line in analysis.goal_parts(self.session.game, firm):
            text.append(f"{indent}{line}\n", style="green" if met else "")

    def _comparison(self, text: Text) -> None:
        """Why the comparison with the bots is missing, if it is (then a blank line)."""
        forecasts, session = self.circular.forecasts, self.session
        if forecasts.of(session) is None:
            if forecasts.error(session):
                note = f"The bot games to compare with could not be played: {forecasts.error(session)}\n"
                text.append(note, style="italic")
            elif session.world.finished and forecasts.runs:
                note = f"Playing {forecasts.runs:,} bot games of this scenario to compare…\n"
                text.append(note, style="italic")
        text.append("\n")

    @guarded
    def action_export(self) -> None:
        if not self._export():
            return
        markdown, csv = self.exported
        forecasts, session = self.circular.forecasts, self.session
        # A student who exports at once, while the bot games are still played, would hand in a
        # debrief without its fairest grade: it is added to the file when they are done.
        self.comparison_due = (
            forecasts.of(session) is None and not forecasts.error(session) and bool(forecasts.runs)
        )
        later = (
            f" The bot games are still being played: {markdown.name} gets their comparison when they end."
            if self.comparison_due
            else ""
        )
        where = self.circular.saves_label()
        self.say(f"Exported {markdown.name} and {csv.name} to {where}.{later}", ok=True)

    def _add_the_comparison(self) -> None:
        """Write the export again once the bot games it was made without are played."""
        if not self.comparison_due or self.circular.forecasts.of(self.session) is None:
            return
        self.comparison_due = False
        if self._export():
            self.say(f"Added the comparison with the bot games to {self.exported[0].name}.", ok=True)

    def _export(self) -> bool:
        """Write the debrief (Markdown) and the history (CSV); False, said, if they could not be."""
        session = self.session
        folder = session.saves_dir
        stem = session.file_stem
        try:
            folder.mkdir(parents=True, exist_ok=True)
            markdown = folder / f"{stem}.debrief.md"
            csv = folder / f"{stem}.history.csv"
            code = self.circular.class_code()
            players = [(firm, session.seat_label(firm)) for firm in session.seats]
            markdown.write_text(
                analysis.debrief_markdown(session.game, players, code, self.circular.forecasts.of(session)),
                encoding="utf-8",
            )
            csv.write_text(analysis.history_csv(session.world, code), encoding="utf-8")
        except OSError as err:
            self.say(f"Could not export: {err.strerror or err}")
            return False
        self.exported = [markdown, csv]
        return True
