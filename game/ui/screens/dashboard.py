"""The dashboard: the quarter, your firm, every firm in a sortable table, charts and news."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Static

from game.engine.game import GoalResult
from game.engine.rules import bet_refusal
from game.engine.state import World
from game.ui import analysis, fmt
from game.ui.screens.base import GameScreen, guarded
from game.ui.widgets import GameFooter, GameHeader, Gauge, Trend, WholeColumnTable, say_if_more, show_keys

NEWS_SHOWN = 40
SORT_ROOM = "  "  # every heading keeps room for the sort arrow, which any column may get
NEWS_TAG = {"event": "news", "deal": "deal", "failure": "FAIL", "market": "mkt", "choice": "pick"}


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    sort: Callable[[World, int], float | str]
    cell: Callable[[World, int], Text | str]
    descending: bool = True


def _metric(name: str) -> Callable[[World, int], float]:
    def value(world: World, i: int) -> float:
        x = float(world.metrics[name][i])
        return x if math.isfinite(x) else -math.inf

    return value


def _right(text: str | Text) -> Text:
    out = Text(text) if isinstance(text, str) else text
    out.justify = "right"
    return out


COLUMNS: tuple[Column, ...] = (
    Column("firm", "Firm", lambda w, i: w.names[i].lower(), lambda w, i: fmt.firm_label(w, i), False),
    Column(
        "valuation",
        "Value",
        _metric("valuation"),
        lambda w, i: _right(fmt.money(w, w.metrics["valuation"][i])),
    ),
    Column(
        "change",
        "Change",
        lambda w, i: float(analysis.valuation_changes(w)[i]),
        lambda w, i: _right(fmt.change_text(float(analysis.valuation_changes(w)[i]))),
    ),
    Column(
        "revenue", "Revenue", _metric("revenue"), lambda w, i: _right(fmt.money(w, w.metrics["revenue"][i]))
    ),
    Column(
        "round_trip",
        "Round",
        _metric("round_trip"),
        lambda w, i: _right(fmt.flow_share(w, float(w.metrics["round_trip"][i]))),
    ),
    Column(
        "cycling",
        "Cycle",
        _metric("cycling"),
        lambda w, i: _right(fmt.flow_share(w, float(w.metrics["cycling"][i]))),
    ),
    Column(
        "bubble", "Bubble", _metric("bubble"), lambda w, i: _right(fmt.ratio(float(w.metrics["bubble"][i])))
    ),
    Column("status", "Status", lambda w, i: float(w.failed[i]), lambda w, i: fmt.status(w, i)),
    Column("cash", "Cash", lambda w, i: float(w.cash[i]), lambda w, i: _right(fmt.money(w, w.cash[i]))),
    Column(
        "exposure",
        "Exposure",
        _metric("exposure"),
        lambda w, i: _right(fmt.share(float(w.metrics["exposure"][i]))),
    ),
    Column(
        "debtrank",
        "DebtRank",
        _metric("debtrank"),
        lambda w, i: _right(fmt.share(float(w.metrics["debtrank"][i]))),  # a share of the value, as help says
    ),
)


class FirmTable(WholeColumnTable):
    """The firms, where enter opens the highlighted one. Its keys act on the table, which asks
    its own screen: an action on "screen" asks whichever screen is on top, and under the command
    palette that allowed the first use ("Bet on it" beside a cloud instead of "Money map")."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_firm":
            return self.screen.check_action(action, parameters)
        return super().check_action(action, parameters)

    def action_open_firm(self, where: str) -> None:
        screen = self.screen
        if isinstance(screen, DashboardScreen):
            screen.action_open_firm(where)


class DashboardScreen(GameScreen):
    VIEW = "dashboard"
    AUTO_FOCUS = "#firms"
    NARROW = 110  # below this width the charts sit above the news instead of beside it
    CSS_PATH = "dashboard.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "app.moves", "Moves", id="moves"),  # the game's o, shown here (keys.UNLISTED)
        Binding("s", "sort", "Sort", id="sort", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.sort_key = "valuation"
        self.sort_descending = True
        self.selected: int | None = None

    def compose(self) -> ComposeResult:
        yield GameHeader()
        yield Static(id="dash-status", classes="status-line")
        with Vertical(id="dash-body"):
            table = FirmTable(id="firms", cursor_type="row", zebra_stripes=True)
            table.fixed_columns = 1  # the firm's name stays as ←→ scroll the other columns
            table.add_class("panel")
            yield table
            with Horizontal(id="dash-lower"):
                with VerticalScroll(id="you", classes="panel") as you:
                    you.border_title = "You"
                    yield Static(id="you-text")
                with Horizontal(id="dash-right"):
                    with VerticalScroll(id="charts", classes="panel") as charts:
                        charts.border_title = "Over time"
                        yield Gauge(id="gauge-bubble")
                        yield Gauge(id="gauge-cycling")
                        yield Trend(id="trend-selected")
                        yield Trend(id="trend-you")
                        yield Trend(id="trend-cycling")
                        yield Trend(id="trend-bubble")
                        world = self.session.world
                        for j in range(world.n):
                            if world.is_lab[j]:
                                yield Trend(id=f"trend-lab-{j}", classes="lab-trend")
                    with VerticalScroll(id="news", classes="panel") as news:
                        news.border_title = "News"
                        yield Static(id="news-text")
        yield GameFooter()

    def on_resize(self) -> None:
        self._narrow(self.size.width < self.NARROW)
        self.call_after_refresh(self._columns_hint)  # once the table has its new width
        self._name_enter()
        if self.circular.session is not None:
            self._status(self.session.world)  # the long or the compact line, whichever fits
        self.call_after_refresh(self._say_if_more)
        self.call_after_refresh(self._charts_edge)  # once the panel has its new width
        self.call_after_refresh(self._table_edge)

    def _charts_edge(self) -> None:
        """When the gauges' figures are from: the bubble is priced now (a bet or the news since
        the close moves it), cycling counts the flows of the last close. Shorter where the long
        line would be cut ("cycling at 2023-Q4's clo..." at 120 columns)."""
        charts = self.query("#charts")
        if not charts or self.circular.session is None:  # called after a refresh
            return
        panel = charts.first()
        closed = analysis.last_close_name(self.session.world)
        long = f"bubble now · cycling at {closed}"
        short = "bubble now · cycling " + closed.replace("'s close", " close")  # "2023-Q4 close"
        room = panel.size.width - 4  # the corners and a space either side
        panel.border_subtitle = long if panel.size.width == 0 or len(long) <= room else short

    def _table_edge(self) -> None:
        """When the table's figures are from. The change is not "now against the close": it is
        against the value when the last turn ended, as the quarter summary's, so the close and
        the news since are both in it (lesson 5's "wave of enthusiasm" stood beside Quartz's
        -31%, while the border said "change: now · the rest: 2025-Q4's close")."""
        tables = self.query("#firms")
        if not tables or self.circular.session is None:  # called after a refresh
            return
        table = tables.first()
        world = self.session.world
        now = "value, bubble, cash, exposure: now"
        if world.turn <= 0:
            long = f"{now} · change: since the start · the rest: the start"
            short = f"{now} · change since, rest at: the start"
        else:
            closed = analysis.last_close_name(world)
            long = f"{now} · change: since the last turn · the rest: {closed}"
            short = f"{now}; change: last turn; rest: " + closed.replace("'s close", " close")
        room = table.size.width - 4  # the corners and a space either side
        table.border_subtitle = long if table.size.width == 0 or len(long) <= room else short

    def _narrow(self, narrow: bool) -> None:
        self.set_class(narrow, "-narrow")
        self._columns_hint()

    def _columns_hint(self) -> None:
        """The table's title: how to sort, and ←→ whenever some columns are out of view."""
        tables = self.query("#firms")
        if not tables:  # called after a refresh, once the screen may be gone (a reload)
            return
        table = tables.first(WholeColumnTable)
        click = "" if self.app.size.width < self.NARROW else ", click a heading"
        more = " · ←→ more columns" if table.hidden_columns() else ""
        table.border_title = f"Firms (s: sort{click}{more})"

    def _name_enter(self) -> None:
        """Enter opens the highlighted firm, and the footer says where (check_action chooses)
        when it has room: below GameFooter.WIDE columns the facilitator's key takes it (enter
        still works)."""
        wide = self.app.size.width >= GameFooter.WIDE
        circular = self.circular
        f_shows = any(circular.check_action(action, ()) for action in ("facilitator", "reveal_debrief"))
        room = wide or circular.session is None or not f_shows
        show_keys(
            self.query_one("#firms", DataTable),
            "enter",
            [
                ("open_firm('roulette')", "Bet on it", "bet_on_row"),
                ("open_firm('map')", "Money map", "map_of_row"),
            ],
            show=room,
        )

    def on_mount(self) -> None:
        self._narrow(self.app.size.width < self.NARROW)
        self.selected = self.session.me
        table = self.query_one("#firms", DataTable)
        for column in COLUMNS:
            table.add_column(column.label + SORT_ROOM, key=column.key)
        # the hint goes once the panel is scrolled to its end, and comes back scrolled up
        self.watch(self.query_one("#you", VerticalScroll), "scroll_y", self._say_if_more, init=False)
        self.safe_refresh()

    # -- refreshing --------------------------------------------------------------------------
    def refresh_view(self) -> None:
        session = self.session
        world = session.world
        self._status(world)
        self._table(world)
        self._you(world)
        self._charts(world)
        self._news(world)
        self._name_enter()  # the facilitator's key goes once the debrief is revealed
        self.refresh_bindings()

    def _status(self, world: World) -> None:
        """One line whatever the width: the long form when it fits, else a compact one whose
        player name is cut short last (the badges for questions and offers always show)."""
        status = self.query_one("#dash-status", Static)
        width = status.content_size.width or self.app.size.width - status.styles.gutter.width  # before layout
        text = self._status_text(world, compact=False)
        if text.cell_len > width:
            text = self._status_text(world, compact=True, room=width)
        status.update(text)

    def _status_text(self, world: World, compact: bool, room: int = 0) -> Text:
        session = self.session
        text = Text()
        if world.finished:
            text.append("Game over", style="bold")
            held = self.circular.holding_debrief()
            text.append(" · debrief held: f reveals it" if held else " · e: debrief")
        else:
            left = analysis.quarters_left(world)
            text.append(analysis.current_quarter_name(world), style="bold")
            plural = "s" if left != 1 else ""
            text.append(f" ({left} left)" if compact else f" · {left} quarter{plural} left")
        badges = Text()
        questions = len(session.my_questions())
        if questions:
            badges.append(" · ")
            badges.append(f"{questions} question{'s' if questions > 1 else ''} (a)", style="bold reverse")
        offers = session.open_offers_for_me()
        if offers:
            badges.append(" · ")
            badges.append(f"{offers} offer{'s' if offers > 1 else ''} (d)", style="bold reverse")
        firm = world.names[session.me]  # its kind is in the You panel
        if not session.hot_seat:
            text.append(" · You: " if compact else " · You run ")
        elif compact:
            seat = f"{session.turn + 1}/{len(session.seats)}"
            name = session.player or "Seat"
            spare = room - text.cell_len - len(f" ·  {seat}: {firm}") - badges.cell_len
            name = fmt.fit(name, max(spare, 2))
            text.append(f" · {name} {seat}: ")
        else:
            seat = f"seat {session.turn + 1}/{len(session.seats)}"
            who = f"{session.player} ({seat})" if session.player else seat.capitalize()
            text.append(f" · {who} runs ")
        text.append(firm, style="bold")
        return text + badges

    def _table(self, world: World) -> None:
        table = self.query_one("#firms", DataTable)
        column = next(c for c in COLUMNS if c.key == self.sort_key)
        order = sorted(range(world.n), key=lambda i: (column.sort(world, i), i), reverse=self.sort_descending)
        selected = self.selected
        table.clear()
        me = self.session.me
        for i in order:
            cells = [c.cell(world, i) for c in COLUMNS]
            if i == me:
                cells[0] = fmt.firm_label(world, i, me)
            table.add_row(*cells, key=world.ids[i])
        for c in COLUMNS:
            arrow = (" ▼" if self.sort_descending else " ▲") if c.key == self.sort_key else SORT_ROOM
            table.columns[c.key].label = Text(c.label + arrow)  # type: ignore[index]
        if selected is not None:
            table.move_cursor(row=order.index(selected), animate=False)
        self._table_edge()
        table.refresh()
        self.call_after_refresh(self._columns_hint)  # once the columns have their new widths

    def _you(self, world: World) -> None:
        """Your firm: its money, then the goal (so that 24 rows show it), then the rest, and
        the goal's description last (the checklist above says it part by part)."""
        session = self.session
        me = session.me
        pos = analysis.position(world, me)
        text = Text()
        text.append(f"{world.names[me]}", style="bold")
        text.append(f" · {fmt.KIND_LABEL[world.kinds[me]]}\n")
        if pos.failed:
            text.append("Your firm has failed.\n", style="bold red")
        change = fmt.change(float(analysis.valuation_changes(world)[me]))
        rows = [
            ("Valuation", f"{fmt.money(world, pos.valuation)} {change}"),
            ("Cash", fmt.money(world, pos.cash)),
        ]
        if pos.debt > 0:
            rows.append(("Debt", fmt.money(world, pos.debt)))
        margin = analysis.failure_margin(world, me)
        if margin is not None:  # the bar is otherwise invisible, and it moves with the best value
            rows.append(("Fails", f"below {fmt.money(world, analysis.failure_line(world, me))}"))
        for label, value in rows:
            text.append(f"{label:<10}{value}\n")
        for warning in (
            analysis.runway_warning(analysis.net_runway(world, me)) if not pos.failed else "",
            analysis.failure_warning(margin),
        ):  # about the figures just above
            if warning:
                text.append(warning + "\n", style="bold yellow")
        result = session.game.goal(session.firm)
        goal = self._goal(text, result)
        rest = Text("\n")
        self._holdings(world, pos.stakes_value, rest)
        rest.append("\n" + " ".join(result.description.split()), style="italic")
        self.query_one("#you-text", Static).update(Group(text, goal, rest))
        self.call_after_refresh(self._say_if_more)

    def _goal(self, text: Text, result: GoalResult) -> Table:
        """The headline after ``text``; the checklist returned, each part's words and figures
        wrapping under its own words (a long either/or part ran under the marks)."""
        game, firm = self.session.game, self.session.firm
        checks = game.goal_checklist(firm)
        if result.collapse:  # every player has lost, whatever the checklist says
            text.append(analysis.collapse_sentence(game.scenario) + "\n", style="bold red")
        text.append(analysis.goal_headline(checks, over=game.world.finished), style="bold")
        rows = []
        for check in checks:
            style = "green" if check.met else ""
            lines = analysis.goal_check_lines(self.session.world, check)
            rows.append((Text(f"{analysis.goal_check_mark(check)} ", style), Text("\n".join(lines), style)))
        return fmt.hanging(rows)

    def _holdings(self, world: World, stakes_value: float, text: Text) -> None:
        """Stakes, contracts, options and training: the lines below the goal."""
        me = self.session.me
        text.append(f"{'Stakes':<10}{fmt.money(world, stakes_value)}\n")
        held = [(float(world.stakes[me, j]), j) for j in range(world.n) if world.stakes[me, j] > 1e-9]
        for stake, j in sorted(held, reverse=True):
            gone = " (failed)" if world.failed[j] else ""  # a stake in a failed firm is worth nothing
            text.append(f"  {fmt.holding(stake):>5} {world.names[j]}{gone}\n")  # as the goal counts it
        pays = sum(c.per_quarter for c in world.contracts if c.buyer == me)
        gets = sum(c.per_quarter for c in world.contracts if c.seller == me)
        text.append(f"{'You pay':<10}{fmt.money(world, pays)}/q\n")
        text.append(f"{'You get':<10}{fmt.money(world, gets)}/q\n")
        for o in (o for o in world.options if o.holder == me and not o.used):
            # an option kept to decide later is easily forgotten until it has lapsed
            last = o.deadline <= world.quarter
            when = "last quarter to use it (o)" if last else f"until {fmt.quarter(o.deadline)}"
            text.append(
                f"Option: {fmt.money(world, o.amount)} in {world.names[o.firm]}, {when}\n",
                style="bold yellow" if last else "italic",
            )
        if world.is_lab[me]:
            text.append(f"{'Training':<10}{fmt.share(float(world.training_share[me]))} of compute\n")

    def _say_if_more(self) -> None:
        """The You panel's bottom edge says when lines are hidden below it: at 80x24 half of
        them are, and nothing else showed that the panel scrolls."""
        panels = self.query("#you")
        if panels:  # called after a refresh, once the screen may be gone
            say_if_more(panels.first(VerticalScroll))

    def _charts(self, world: World) -> None:
        me = self.session.me
        bubble = float(world.metrics["system_bubble"])
        self.query_one("#gauge-bubble", Gauge).show(
            "Bubble ",
            fmt.ratio(bubble),
            (bubble - 1.0) / 2.0 if math.isfinite(bubble) else 0.0,
            fmt.bubble_words(bubble),
        )
        cycling = float(world.metrics["system_cycling"])
        words = _cycling_words(cycling) if analysis.money_has_gone_round(world) else "no quarter played yet"
        self.query_one("#gauge-cycling", Gauge).show(
            "Cycling", fmt.flow_share(world, cycling), cycling, words
        )
        self._charts_edge()
        selected = self.selected if self.selected is not None else me
        if selected != me:
            theirs = float(world.metrics["valuation"][selected])
            self.query_one("#trend-selected", Trend).show(
                world.names[selected],
                fmt.money(world, theirs),
                analysis.series(world, "valuation", selected, now=theirs),
            )
        else:
            total = float(world.metrics["total_valuation"])
            self.query_one("#trend-selected", Trend).show(
                "All firms", fmt.money(world, total), analysis.series(world, "total_valuation", now=total)
            )
        mine = float(world.metrics["valuation"][me])
        self.query_one("#trend-you", Trend).show(
            "You", fmt.money(world, mine), analysis.series(world, "valuation", me, now=mine)
        )
        self.query_one("#trend-cycling", Trend).show(
            "Cycling", fmt.share(cycling), analysis.series(world, "system_cycling"), fmt.SHARE_SPARK_SPAN
        )
        self.query_one("#trend-bubble", Trend).show(
            "Bubble", fmt.ratio(bubble), analysis.series(world, "system_bubble", now=bubble)
        )
        for trend in self.query(".lab-trend").results(Trend):
            j = int(str(trend.id).rsplit("-", 1)[1])
            now = float(world.metrics["valuation"][j])
            value = "failed" if world.failed[j] else fmt.money(world, now)
            if world.colours[j] != "other":  # the colour's letter stays, as the name gives way
                value = f"{world.colours[j][:1].upper()} {value}"
            trend.show(world.names[j], value, analysis.series(world, "valuation", j, now=now))

    def _news(self, world: World) -> None:
        text = Text()
        items = world.news[-NEWS_SHOWN:]
        current = world.quarter
        for item in reversed(items):
            fresh = item.quarter >= current - 1
            tag = NEWS_TAG.get(item.kind, item.kind)
            style = "bold red" if item.kind == "failure" else ("bold" if fresh else "")
            text.append(f"{_short_quarter(item.quarter)} ", style="dim")
            text.append(f"[{tag}] ", style="italic")
            text.append(item.headline + "\n", style=style)
        if not items:
            text.append("No news yet. End the quarter (e) to see what happens.", style="italic")
        self.query_one("#news-text", Static).update(text)

    # -- interaction -------------------------------------------------------------------------
    @on(DataTable.RowHighlighted, "#firms")
    @guarded
    def _row(self, event: DataTable.RowHighlighted) -> None:
        key = event.row_key.value
        world = self.session.world
        if key in world.index and world.index[key] != self.selected:
            self.selected = world.index[key]
            self._charts(world)
            self.refresh_bindings()  # enter's name in the footer depends on the firm

    def _opens(self, firm: int) -> str:
        """Where enter (or a click) on a firm's row leads: the roulette table at a lab you can
        bet on, else the money map at the firm."""
        world = self.session.world
        return "roulette" if bet_refusal(world, self.session.me, firm) is None else "map"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_firm":
            if self.circular.session is None or not self.is_mounted or self.selected is None:
                return False
            return parameters == (self._opens(self.selected),)
        return super().check_action(action, parameters)

    @guarded
    def action_open_firm(self, where: str) -> None:
        if self.selected is not None:
            self._open(self.selected)

    @on(DataTable.RowSelected, "#firms")
    @guarded
    def _open_firm(self, event: DataTable.RowSelected) -> None:
        """A click on a highlighted row (enter is action_open_firm)."""
        world = self.session.world
        self._open(world.index[str(event.row_key.value)])

    def _open(self, firm: int) -> None:
        firm_id = self.session.world.ids[firm]
        if self._opens(firm) == "roulette":
            self.circular.open_roulette(firm_id)
        else:
            self.circular.open_map(firm_id)

    @on(DataTable.HeaderSelected, "#firms")
    @guarded
    def _header(self, event: DataTable.HeaderSelected) -> None:
        key = str(event.column_key.value)
        if key == self.sort_key:
            self.sort_descending = not self.sort_descending
        else:
            self.sort_key = key
            self.sort_descending = next(c.descending for c in COLUMNS if c.key == key)
        self._table(self.session.world)

    @guarded
    def action_sort(self) -> None:
        keys = [c.key for c in COLUMNS]
        self.sort_key = keys[(keys.index(self.sort_key) + 1) % len(keys)]
        self.sort_descending = next(c.descending for c in COLUMNS if c.key == self.sort_key)
        self._table(self.session.world)


def _short_quarter(quarter: int) -> str:
    from game.calendar import quarter_name

    name = quarter_name(quarter)
    return f"{name[2:4]}{name[5:]}"  # 2025-Q3 -> 25Q3


def _cycling_words(cycling: float) -> str:
    if not math.isfinite(cycling):
        return ""
    if cycling >= 0.5:
        return "most money goes round"
    if cycling >= 0.2:
        return "money goes round"
    return "mostly outside money"
