"""The money map: who owns whom, who pays whom, the loops, and the money that came back."""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from game.engine.state import World
from game.ui import analysis, fmt
from game.ui.screens.base import GameScreen, guarded
from game.ui.widgets import GameFooter, GameHeader, say_if_more

LOOPS_SHOWN = 12
NAME_WIDTH = 14  # in the firm list: "SoftBank Group" whole, with #map-firms-panel 34 wide


class MoneyMapScreen(GameScreen):
    VIEW = "map"
    AUTO_FOCUS = "#map-firms"
    CSS_PATH = "money_map.tcss"
    BINDINGS: ClassVar[list[BindingType]] = []

    def __init__(self) -> None:
        super().__init__()
        self.firm: int | None = None
        self.order: list[int] = []

    def compose(self) -> ComposeResult:
        yield GameHeader()
        yield Static(id="map-status", classes="status-line")
        with Vertical(id="map-body"):
            with VerticalScroll(id="loops", classes="panel") as loops:
                loops.border_title = "Loops: money that goes round"
                yield Static(id="loops-text")
            with Horizontal(id="map-lower"):
                with Vertical(id="map-firms-panel", classes="panel") as firms:
                    firms.border_title = "Came back round"
                    yield OptionList(id="map-firms")
                with VerticalScroll(id="map-detail", classes="panel"):
                    yield Static(id="map-detail-text")
        yield GameFooter()

    def on_mount(self) -> None:
        if self.firm is None:  # unless opened at a firm (enter on the dashboard's table)
            self.firm = self.session.me
        # as the dashboard's You panel: the hint goes once the loops are scrolled to their end
        self.watch(self.query_one("#loops", VerticalScroll), "scroll_y", self._say_if_more, init=False)
        self.safe_refresh()

    def select_firm(self, firm_id: str) -> None:
        self.firm = self.session.world.index[firm_id]
        self.safe_refresh()

    def refresh_view(self) -> None:
        world = self.session.world
        links = analysis.money_links(world)
        loops = analysis.find_loops(world, links)
        status = Text()
        status.append("Money map", style="bold")
        status.append(f" · {len(loops)} loop{'s' if len(loops) != 1 else ''} · system cycling ")
        status.append(fmt.flow_share(world, float(world.metrics["system_cycling"])), style="bold")
        status.append(" · ⟳ marks money that comes back")
        self.query_one("#map-status", Static).update(status)
        self._loops(world, links, loops)
        self._firms(world, loops)
        self._detail(world, links, loops)

    def _loops(self, world: World, links: list[analysis.Link], loops: list[list[int]]) -> None:
        parts: list[RenderableType] = [Text(_cycling_counts(world), style="dim")]
        me = self.session.me
        if not loops:
            parts.append(Text(_no_loops(world), style="italic"))
        for loop in loops[:LOOPS_SHOWN]:
            mine = me in loop
            text = Text(f"{fmt.LOOP} ", style="bold")
            names = [world.names[i] for i in loop] + [world.names[loop[0]]]
            text.append(" → ".join(names), style="bold" if mine else "")
            steps = []
            for k, source in enumerate(loop):
                target = loop[(k + 1) % len(loop)]
                for link in analysis.link_between(links, source, target):
                    if link.kind == "stake":
                        steps.append(
                            f"{world.names[source]} owns {fmt.share(link.share)} of {world.names[target]} "
                            f"({fmt.money(world, link.amount)})"
                        )
                    else:
                        steps.append(
                            f"{world.names[source]} pays {fmt.money(world, link.amount)}/q for {link.kind}"
                        )
            parts.append(text)  # the steps indented under the loop, also as they wrap
            parts.append(Padding(Text("; ".join(steps), style="dim" if not mine else ""), (0, 0, 0, 3)))
        if len(loops) > LOOPS_SHOWN:
            parts.append(Text(f"… and {len(loops) - LOOPS_SHOWN} more", style="italic"))
        self.query_one("#loops-text", Static).update(Group(*parts))
        self.call_after_refresh(self._say_if_more)

    def on_resize(self) -> None:
        self.call_after_refresh(self._say_if_more)

    def on_descendant_focus(self) -> None:
        self._say_if_more()  # the way to the loops depends on where the focus is

    def _say_if_more(self) -> None:
        """The panel's bottom edge says when loops are hidden below it, and the key that
        reaches them from the focus: the loops come first in the focus order, so from the firm
        list (where the map opens) it is shift+tab ("tab here" only moved on to the details)."""
        panels = self.query("#loops")
        if not panels:  # called after a refresh, once the screen may be gone
            return
        loops = panels.first(VerticalScroll)
        if loops.has_focus:
            how = "↓"
        elif self.focused is not None and self.focused.id == "map-detail":
            how = "tab here, then ↓"  # the last in the order: tab goes round to the first
        else:
            how = "shift+tab here, then ↓"
        say_if_more(loops, f"more below: {how}")

    def _firms(self, world: World, loops: list[list[int]]) -> None:
        options = self.query_one("#map-firms", OptionList)
        round_trip = world.metrics["round_trip"]
        self.order = sorted(range(world.n), key=lambda i: (-float(round_trip[i]), i))
        options.clear_options()
        for i in self.order:
            line = Text()
            looped = any(i in loop for loop in loops)
            line.append(f"{fmt.LOOP if looped else ' '} ")
            name = fmt.fit(world.names[i], NAME_WIDTH)
            line.append(name, style="strike" if world.failed[i] else "")
            line.append(" " * (NAME_WIDTH - cell_len(name) + 1))
            share = float(round_trip[i])
            line.append(f"{fmt.flow_share(world, share):>4} ")
            line.append(fmt.bar(share if analysis.money_has_gone_round(world) else 0.0, 6))
            options.add_option(Option(line, id=world.ids[i]))
        if self.firm is not None:
            options.highlighted = self.order.index(self.firm)

    def _detail(self, world: World, links: list[analysis.Link], loops: list[list[int]]) -> None:
        firm = self.firm
        if firm is None:
            return
        text = Text()
        text.append_text(fmt.firm_label(world, firm, self.session.me))
        text.append(f" · {fmt.KIND_LABEL[world.kinds[firm]]}")
        if world.failed[firm]:
            text.append(" · failed", style="bold red")
        text.append(f"\nRevenue {fmt.money(world, world.metrics['revenue'][firm])}/q; ")
        if analysis.money_has_gone_round(world):
            share = fmt.share(float(world.metrics["round_trip"][firm]))
            text.append(f"{share} of it was its own investment coming back.")
        else:
            text.append("what comes back round shows once a quarter is played.")
        text.append(f"\nCycling index {fmt.flow_share(world, float(world.metrics['cycling'][firm]))}; ")
        text.append(
            f"exposure {fmt.share(float(world.metrics['exposure'][firm]))} of its value sits in stakes."
        )
        outgoing = [link for link in links if link.source == firm]
        incoming = [link for link in links if link.target == firm]
        out_rows = [
            (link, f"{analysis.describe_link(world, link)} {self._of(world, link)}") for link in outgoing
        ]
        in_rows = [
            (link, f"{world.names[link.source]} {analysis.describe_link(world, link)}") for link in incoming
        ]
        outside = world.outside_share(firm)
        parts = [
            text,
            Text("\nMoney out", style="bold underline"),
            self._link_lines(loops, out_rows),
            Text("Money in", style="bold underline"),
            self._link_lines(loops, in_rows),
            Text(f"Outside shareholders own {fmt.share(outside)}.", style="dim"),
        ]
        self.query_one("#map-detail-text", Static).update(Group(*parts))
        self.query_one("#map-detail", VerticalScroll).border_title = world.names[firm]

    @staticmethod
    def _link_lines(loops: list[list[int]], rows: list[tuple[analysis.Link, str]]) -> RenderableType:
        if not rows:
            return Text("   none", style="italic")
        return fmt.hanging(
            [
                (f" {fmt.LOOP if analysis.in_loop(loops, link.source, link.target) else ' '} ", line)
                for link, line in rows
            ]
        )

    @staticmethod
    def _of(world: World, link: analysis.Link) -> str:
        return f"of {world.names[link.target]}" if link.kind == "stake" else f"to {world.names[link.target]}"

    @on(OptionList.OptionHighlighted, "#map-firms")
    @guarded
    def _highlight(self, event: OptionList.OptionHighlighted) -> None:
        world = self.session.world
        key = event.option.id
        if key is not None and key in world.index and world.index[key] != self.firm:
            self.firm = world.index[key]
            links = analysis.money_links(world)
            self._detail(world, links, analysis.find_loops(world, links))


def _cycling_counts(world: World) -> str:
    """What the header's cycling index counts: a quarter's flows, not the loops listed below
    (a loop whose stake was bought in an earlier quarter adds nothing to it)."""
    played = analysis.last_played_name(world)
    if played is None:
        return "Cycling counts a played quarter's payments and investments: none yet."
    return f"Cycling: the share of {played}'s payments and investments that came back."


def _no_loops(world: World) -> str:
    """No loop of stakes and running contracts now, which is not to say no money came back:
    the round trip counts about a year of investments, and contracts that have run out since
    (at the end of the tutorial "No loops: nobody's investment comes back" stood beside Atlas's
    3.2% come back)."""
    none = "No loops now: no chain of stakes and running contracts leads back to where it starts."
    came_back = analysis.money_has_gone_round(world) and float(world.metrics["round_trip"].max()) > 0
    if came_back:
        none += " Money still came back round (below): from the past year's investments and contracts."
    return none
