"""Names and figures fit where they are drawn: a name too long for its room ends in "…" (never
silently cut: "Anthropi R"), and a figure is never cut or split over two lines. The play-test
found names cut in the dashboard's trends and the money map's list, the title screen's
difficulty wrapping out of its field at 80 columns, and a figure in the roulette table's
detail split over two lines ("$21.4" / "m/q")."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from textual.app import App, ComposeResult
from textual.widget import Widget
from textual.widgets import Button, Label, OptionList, Select, Static
from ui_helpers import LARGE, SMALL, list_lines, text_of, type_into

from game.engine.actions import Bet, ProposeDeal
from game.ui import analysis, fmt
from game.ui.app import CircularApp
from game.ui.screens.dashboard import DashboardScreen
from game.ui.screens.debrief import RankEntry, ranking_lines
from game.ui.screens.event import EventDialog
from game.ui.screens.money_map import MoneyMapScreen
from game.ui.screens.roulette import RouletteScreen
from game.ui.screens.title import TitleScreen, difficulty_parts
from game.ui.widgets import FormCheckbox, Trend, TrendTitle, WrappedOptionList

SIZES = [SMALL, (100, 30), (120, 40)]


def drawn(widget: Widget) -> list[str]:
    """The lines of the screen where ``widget`` is, as plain text: what it and any widget over
    it (a dropdown) show now. The widget must be in view."""
    strips = widget.screen._compositor.render_strips()
    region = widget.region
    return [strips[y].crop(region.x, region.right).text.rstrip() for y in range(region.y, region.bottom)]


def lines_of(widget: Widget) -> list[str]:
    """The lines a widget with no children draws, in view or scrolled out of it."""
    return [widget.render_line(y).text.rstrip() for y in range(widget.size.height)]


def shortened(shown: str, name: str) -> bool:
    """``shown`` is ``name`` whole, or its beginning with an ellipsis."""
    return shown == name or (shown.endswith("…") and len(shown) > 1 and name.startswith(shown[:-1]))


@pytest.mark.parametrize(
    ("name", "room", "shown"),
    [
        ("Anthropic", 9, "Anthropic"),
        ("Anthropic", 8, "Anthrop…"),
        ("SoftBank Group", 10, "SoftBank…"),  # no space left before the ellipsis
        ("SoftBank Group", 12, "SoftBank Gr…"),
        ("智谱 AI", 4, "智…"),  # wide letters count two cells
        ("Anthropic", 1, "…"),
        ("Anthropic", 0, ""),
    ],
)
def test_a_name_too_long_for_its_room_ends_in_an_ellipsis(name: str, room: int, shown: str) -> None:
    assert fmt.fit(name, room) == shown


@pytest.mark.parametrize(("label", "parts"), [
    ("Historian (as it happened)", ("Historian", "as it happened")),
    ("Analyst (calmer markets, more cash)", ("Analyst", "calmer markets, more cash")),
    ("Hard", ("Hard", "")),
    ("Hard (", ("Hard (", "")),
    ("(only a note)", ("(only a note)", "")),
])  # fmt: skip
def test_a_difficulty_label_is_a_name_and_the_note_in_brackets(label: str, parts: tuple[str, str]) -> None:
    assert difficulty_parts(label) == parts


def _history(make_app, bundled, firm: str = "microsoft") -> CircularApp:
    return make_app(loaded=bundled("history"), firm=firm, start_playing=True)


@pytest.mark.parametrize("size", SIZES)
async def test_the_dashboard_trends_shorten_names_and_keep_colour_and_figure(make_app, bundled, size) -> None:
    app = _history(make_app, bundled)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DashboardScreen) and app.session is not None
        world = app.session.world
        for j in range(world.n):
            if not world.is_lab[j]:
                continue
            line = lines_of(screen.query_one(f"#trend-lab-{j}", Trend).query_one(TrendTitle))[0]
            figure = fmt.money(world, world.metrics["valuation"][j])
            if world.colours[j] != "other":
                figure = f"{world.colours[j][0].upper()} {figure}"
            assert line.endswith(f" {figure}"), line  # the colour's letter and the whole figure
            assert shortened(line.removesuffix(f" {figure}"), world.names[j]), line
        anthropic = screen.query_one(f"#trend-lab-{world.index['anthropic']}", Trend)
        assert lines_of(anthropic.query_one(TrendTitle))[0].startswith("Anthropic R $")  # room for it whole
        screen.selected = world.index["softbank"]  # the firm highlighted in the table
        screen.refresh_view()
        await pilot.pause()
        line = lines_of(screen.query_one("#trend-selected", Trend).query_one(TrendTitle))[0]
        money = fmt.money(world, world.metrics["valuation"][world.index["softbank"]])
        assert line.endswith(f" {money}") and shortened(line.removesuffix(f" {money}"), "SoftBank Group")


async def test_a_trend_title_leaves_a_space_before_its_chart(make_app, bundled) -> None:
    app = _history(make_app, bundled)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        for title in app.screen.query(TrendTitle):
            line = lines_of(title)[0]
            assert 0 < len(line) < title.size.width, line


async def test_the_money_map_lists_whole_names_or_shortened_ones(make_app, bundled) -> None:
    app = _history(make_app, bundled)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("m")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MoneyMapScreen) and app.session is not None
        world = app.session.world
        firms = screen.query_one("#map-firms", OptionList)
        for k in range(firms.option_count):
            option = firms.get_option_at_index(k)
            name = world.names[world.index[str(option.id)]]
            shown = str(option.prompt)[2:].split("  ")[0].rstrip()
            assert shortened(shown, name), (shown, name)
            assert option.prompt.cell_len <= firms.scrollable_content_region.width  # type: ignore[union-attr]
        names = [str(firms.get_option_at_index(k).prompt) for k in range(firms.option_count)]
        assert any("SoftBank Group" in line for line in names)  # 14 letters: whole
        assert any("Other investo…" in line for line in names)


async def test_the_title_screen_fits_80_columns(make_app, bundled) -> None:
    """The difficulty showed "Historian (as it" and its list wrapped over the buttons; the firm
    "Microsoft", its kind wrapped out of sight; the facilitator's switch below the fold."""
    app = make_app(loaded=bundled("history"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TitleScreen)
        difficulty = screen.query_one("#difficulty", Select)
        assert [prompt for prompt, _ in difficulty._options] == ["Analyst", "Historian", "Bubble"]
        firm = screen.query_one("#firm", Select)
        assert drawn(difficulty)[0].removesuffix("▼").strip() == "Historian"
        assert drawn(firm)[0].removesuffix("▼").strip() == "Microsoft (hyperscaler)"
        note = screen.query_one("#difficulty-note", Static)
        assert note.display and drawn(note)[0].strip() == "As it happened."
        assert screen.query_one("#setup-fields").max_scroll_y == 0  # every field in view
        difficulty.value = "analyst"
        await pilot.pause()
        assert drawn(note)[0].strip() == "Calmer markets, more cash."
        difficulty.focus()
        await pilot.press("enter")  # the list of difficulties: a line each
        await pilot.pause()
        overlay = difficulty.query_one("SelectOverlay", OptionList)
        assert [line.strip() for line in drawn(overlay)] == ["Analyst", "Historian", "Bubble"]


async def test_a_choice_too_long_for_its_field_ends_in_an_ellipsis(make_app, bundled) -> None:
    app = make_app(loaded=bundled("amazon_option"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
        shown = drawn(app.screen.query_one("#firm", Select))[0].strip().removesuffix("▼").strip()
        assert shortened(shown, "Delta Web Services (hyperscaler)") and shown.endswith("…")


@pytest.mark.parametrize("size", [SMALL, (100, 30)])
async def test_the_roulette_detail_never_splits_a_figure(make_app, bundled, size) -> None:
    app = _history(make_app, bundled)
    async with app.run_test(size=size) as pilot:
        assert app.session is not None
        game, world = app.session.game, app.session.world
        for lab in ("anthropic", "xai"):
            assert game.act(Bet("microsoft", lab, 1e9)).ok
        app.changed()
        await pilot.press("b")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RouletteScreen)
        me = world.index["microsoft"]
        for lab in screen.labs:
            screen.lab = lab
            screen.refresh_view()
            await pilot.pause()
            lines = lines_of(screen.query_one("#rl-detail-text", Static))
            assert "" not in lines[:2], lines  # no blank line: nothing wrapped into the panel's edge
            figures = [
                fmt.money(world, world.metrics["valuation"][lab]),
                fmt.money(world, world.cash[lab]),
                f"{fmt.money(world, world.metrics['revenue'][lab])}/q",
                f"{fmt.share(float(world.metrics['market_share'][lab]))} of demand",
            ]
            figures += [
                f"{fmt.deal_share(float(world.stakes[i, lab]))} {world.names[i]}"
                for i in range(world.n)
                if world.stakes[i, lab] > 1e-9
            ]
            for figure in figures:
                assert any(figure in line for line in lines), (world.names[lab], figure, lines)
            chips = [i for i in screen.labs if world.stakes[me, i] > 1e-9]
            assert len(chips) == 3  # OpenAI from the start, Anthropic and xAI from the bets
            for i in chips:
                assert any(world.names[i] in line and "$" in line for line in lines[-4:]), lines


async def test_the_deal_room_s_choice_of_firm_ends_in_an_ellipsis_rather_than_losing_words(
    make_app, bundled
) -> None:
    """With a preview below it the form takes a scrollbar: "Microsoft (hyperscaler)" lost its
    kind to a second line out of sight and read "Microsoft"; then it read "Microsoft
    (hyperscale…". Now the choice drops its kind where it would be cut, and says so whole."""
    app = _history(make_app, bundled, firm="anthropic")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("d")
        await pilot.pause()
        for field, value in (("#cash", "4"), ("#stake", "5"), ("#compute", "4")):
            await type_into(pilot, field, value)
        shown = drawn(app.screen.query_one("#counterparty", Select))[0].removesuffix("▼").strip()
        assert shown == "Microsoft", shown  # whole, never cut mid-word
        implied = text_of(app, "#implied").rstrip()
        assert "above the market's" in implied and implied.endswith(".")  # a sentence ends before the preview


async def test_the_debrief_ranking_keeps_its_columns_for_a_score_of_100_and_more(
    make_app, monkeypatch
) -> None:
    """ "1. Anthropic      133.46×" stood a column right of " 2. xAI            67.98×"."""
    from game.ui import analysis

    ranking = analysis.ranking

    def grown(world):
        ranked = ranking(world)
        return [replace(ranked[0], score=ranked[0].score * 100), *ranked[1:]]

    monkeypatch.setattr(analysis, "ranking", grown)
    app = make_app(firm="cloudco", start_playing=True)
    async with app.run_test(size=LARGE) as pilot:
        assert app.session is not None
        app.session.game.play_out()
        app.changed()
        app.view("debrief")
        await pilot.pause()
        lines = [line for line in text_of(app, "#db-result").splitlines() if line[:3].strip().endswith(".")]
        world = app.session.world
        assert len(lines) == len(analysis.peer_group(world, world.index["cloudco"])[1])  # its role's
        assert len({line.index("× ") for line in lines}) == 1, lines


@pytest.mark.parametrize("size", [SMALL, LARGE])
async def test_the_debrief_status_shows_the_whole_title_and_keeps_the_seed(make_app, bundled, size) -> None:
    """At 80 columns history's long title pushed "· seed 2023" onto a second line; then it was
    cut ("Red and Black: the circular AI deals,…"). It starts a line of its own when it does
    not fit beside the seed and the dates, and is read whole."""
    app = make_app(bundled("history"), firm="nvidia", start_playing=True)
    async with app.run_test(size=size) as pilot:
        assert app.session is not None
        app.view("debrief")
        await pilot.pause()
        lines = drawn(app.screen.query_one("#db-status"))
        head = "Debrief (so far) · seed 2023 · 2023-Q3 to 2026-Q4"
        title = "Red and Black: the circular AI deals, 2023-2026"
        if size == SMALL:
            assert [line.strip() for line in lines] == [head, title]
        else:
            assert [line.strip() for line in lines] == [f"{head} · {title}"]


@pytest.mark.parametrize(
    ("scenario", "firm", "labs", "status"),
    [
        ("history", "amazon", ["openai"], "Deal room · you are Amazon (hyperscaler), cash $"),
        ("amazon_option", "delta", ["crimson", "jet"], "Deal room · Delta Web Services, cash $"),
    ],
)
async def test_the_deal_room_status_is_one_line_at_80_columns(
    make_app, bundled, scenario: str, firm: str, labs: list[str], status: str
) -> None:
    """ "Deal room · you are Amazon (hyperscaler), cash $61.5 bn · 1 offer waits" wrapped "for
    your answer" onto a second line; a long name drops "you are" and the kind to fit."""
    app = make_app(bundled(scenario), firm=firm, start_playing=True)
    async with app.run_test(size=SMALL) as pilot:
        game = app.session.game
        for lab in labs:  # offers waiting for the player's answer
            assert game.act(ProposeDeal(lab, firm, 1e9, 0.01)).ok
        app.changed()
        await pilot.pause()
        while isinstance(app.screen, EventDialog):  # a question at the start: decided later
            await pilot.press("escape")
            await pilot.pause()
        app.view("deals")
        await pilot.pause()
        waiting = f"{len(labs)} offer{'s' if len(labs) > 1 else ''} to answer"
        line = text_of(app, "#deal-status")
        assert line.startswith(status) and line.endswith(waiting)
        assert app.screen.query_one("#deal-status").size.height == 1


class ListApp(App[None]):
    CSS = "WrappedOptionList { width: 38; height: auto; max-height: 12; border: none; padding: 0; }"

    def compose(self) -> ComposeResult:
        yield WrappedOptionList()


async def test_a_list_entry_shows_all_its_lines_once_a_scrollbar_narrows_it() -> None:
    """Each entry's height was worked out when it was added: one added before the scrollbar
    appeared lost the line its text wrapped onto once the scrollbar narrowed it."""
    entry = "Offer to Red Lab · 2024-Q1 · rejected\n" + "x" * 37  # a line as wide as the list less one
    app = ListApp()
    async with app.run_test(size=SMALL) as pilot:
        options = app.query_one(WrappedOptionList)
        for _ in range(7):  # one by one: the seventh brings the scrollbar
            options.add_option(entry)
            await pilot.pause()
        assert options.show_vertical_scrollbar
        lines = await list_lines(pilot, options)
        assert lines.count("x" * 36) == 7 and lines.count("x") == 7  # every entry whole


async def test_a_lone_offer_shows_whole_in_the_deal_room() -> None:
    """At 80x24 a lone offer ended "OpenAI commits to buy" above blank rows, a scrollbar
    beside it: the list's height was measured without the scrollbar its text then needed."""
    from game.engine.actions import ProposeDeal
    from game.scenario.loader import load_scenario

    app = CircularApp(load_scenario("history"), seed=7, firm="amazon", start_playing=True, help_guide=False)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("d")
        await pilot.pause()
        assert app.session is not None
        app.session.act(ProposeDeal("amazon", "openai", 10e9, 0.05, 200e9, 8))
        app.changed()
        await pilot.pause()
        offers = app.screen.query_one("#offers", WrappedOptionList)
        assert offers.size.height == offers.virtual_size.height  # nothing hidden below
        assert "compute" in " ".join(" ".join(await list_lines(pilot, offers)).split())


@pytest.mark.parametrize("size", [SMALL, LARGE])
async def test_every_label_of_the_deal_room_s_form_reads_whole(make_app, bundled, size) -> None:
    """At 80 columns the form's scrollbar, there once the preview fills it, cut the ticked
    checkbox to "yes: only this clou…"."""
    app = _history(make_app, bundled)
    async with app.run_test(size=size) as pilot:
        await pilot.press("d")
        await pilot.pause()
        for field, value in (("#cash", "2"), ("#stake", "3"), ("#compute", "2")):
            await type_into(pilot, field, value)
        exclusive = app.screen.query_one("#exclusive", FormCheckbox)
        exclusive.value = True
        await pilot.pause()
        form = app.screen.query_one("#compose")
        assert form.show_vertical_scrollbar == (size == SMALL)  # the case that cut it
        for label in form.query(Label):
            assert drawn(label)[0].strip() == str(label.content).strip()
        assert drawn(exclusive)[0].endswith("▐X▌ yes: only this cloud")
        for button in form.query(Button):
            assert str(button.label) in drawn(button)[0]


def test_the_ranking_shortens_names_only_when_a_line_would_not_fit() -> None:
    entries = [
        RankEntry("Crosswire Telecom", "0.00× failed", False),
        RankEntry("Shopwave.com", "1.83× $214 bn", True),
    ]
    wide = ranking_lines(entries, 40).plain.splitlines()
    assert wide == [" 1. Crosswire Telecom 0.00× failed", " 2. Shopwave.com      1.83× $214 bn"]
    narrow = ranking_lines(entries, 34).plain.splitlines()
    assert narrow == [" 1. Crosswire Telec… 0.00× failed", " 2. Shopwave.com     1.83× $214 bn"]
    assert ranking_lines(entries, 10).plain.splitlines()[0] == " 1. Crosswi… 0.00× failed"  # then it wraps


@pytest.mark.parametrize("size", [SMALL, LARGE])
async def test_the_debrief_shows_long_names_whole_where_they_fit(make_app, bundled, size) -> None:
    """At 120 columns the ranking read "Continental B…" and "Public invest…" (cut at 14
    letters whatever the room) and the charts' titles "Netgarden.c… $10.8 bn"."""
    app = make_app(bundled("dotcom"), firm="lantern", start_playing=True)
    async with app.run_test(size=size) as pilot:
        assert app.session is not None
        app.session.game.play_out()
        app.changed()
        app.view("debrief")
        await pilot.pause()
        world = app.session.world
        lines = lines_of(app.screen.query_one("#db-result", Static))
        ranked = [m.group(1) for m in map(re.compile(r"^ ?\d+\. (.+?) +\d+\.\d\d× ").match, lines) if m]
        titles = [
            lines_of(trend.query_one(TrendTitle))[0] for trend in app.screen.query(Trend) if trend.display
        ]
        charted = [title.split(" $")[0] for title in titles]  # the firms', then Cycling and Bubble
        names = [world.names[r.firm] for r in analysis.ranking(world)]
        _, peers = analysis.peer_group(world, world.index["lantern"])  # one player: its role's ranking
        ranked_names = [world.names[r.firm] for r in analysis.ranking(world) if r.firm in peers]
        assert all(shortened(shown, name) for shown, name in zip(ranked, ranked_names, strict=True)), ranked
        assert all(shortened(shown, name) for shown, name in zip(charted, names, strict=False)), charted
        if size == LARGE:
            assert ranked == ranked_names and charted[: len(names)] == names
        else:
            assert "Continental Bell" in ranked  # room for it whole at 80 columns


@pytest.mark.parametrize("size", [SMALL, LARGE])
async def test_the_deal_room_shows_the_goal_note_without_scrolling(make_app, bundled, size) -> None:
    """At 80x24 the goal part a deal would meet was the form's last line, below the fold, and
    nothing said the form scrolls: it comes before the engine's figures, in view, and the
    form's edge says "more below ↓" while lines are hidden."""
    app = make_app(loaded=bundled("history"), firm="microsoft", start_playing=True)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        app.screen.query_one("#counterparty", Select).value = "anthropic"
        await type_into(pilot, "#cash", "10")
        await type_into(pilot, "#stake", "5")
        await type_into(pilot, "#compute", "20")
        await pilot.pause()
        form = app.screen.query_one("#compose")
        shown = " ".join(line.strip("│ ") for line in drawn(form))
        assert "✓ meets your goal part: own ≥ 5% of" in shown
        if size == SMALL:
            assert form.max_scroll_y > 0 and form.border_subtitle == "more below ↓"
            form.scroll_end(animate=False, immediate=True)
            await pilot.pause()
            assert form.border_subtitle == ""
        else:
            assert form.max_scroll_y == 0 and not form.border_subtitle


@pytest.mark.parametrize("size", [SMALL, LARGE])
async def test_the_deal_room_s_choices_and_the_charts_edge_are_never_cut(make_app, bundled, size) -> None:
    """ "Microsoft (hyperscale…" beside the form's scrollbar; "cycling at 2023-Q4's clo…"."""
    from game.ui.screens.deals import DealRoomScreen

    app = make_app(loaded=bundled("history"), firm="openai", start_playing=True)
    async with app.run_test(size=size) as pilot:
        await pilot.press("e")  # a close to name on the charts' edge
        await pilot.pause()
        while not isinstance(app.screen, DashboardScreen):
            await pilot.press("escape")
            await pilot.pause()
        charts = app.screen.query_one("#charts")
        assert "2023-Q3" in str(charts.border_subtitle)
        assert len(str(charts.border_subtitle)) <= charts.size.width - 4
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DealRoomScreen)
        for name, typed in (("#cash", "2"), ("#stake", "5")):  # a preview long enough to scroll
            await type_into(pilot, name, typed)
        select = app.screen.query_one("#counterparty", Select)
        select.focus()
        await pilot.pause()
        label = select.query_one("SelectCurrent #label", Static)
        shown = str(label.render())
        assert shown.startswith("Microsoft") and len(shown) <= label.size.width
