"""The roulette table: its arithmetic (game/engine/roulette.py: odds, bets, hedges) and, with
the pilot, what the screen says on the history scenario as Anthropic, a lab, at 80x24."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from textual.pilot import Pilot
from textual.widgets import Button, DataTable
from ui_helpers import (
    LARGE,
    SMALL,
    footer_keys,
    play_to_the_end,
    press_at_once,
    screen_text,
    text_of,
    type_into,
)

from game.engine import roulette
from game.engine.actions import Bet
from game.engine.state import shares_bought
from game.ui import analysis, fmt
from game.ui.app import CircularApp
from game.ui.screens.dashboard import DashboardScreen
from game.ui.screens.roulette import RouletteScreen
from game.ui.widgets import TextField

positive = st.floats(min_value=1e6, max_value=1e13, allow_nan=False, allow_infinity=False)
share = st.floats(min_value=0.0, max_value=0.9, allow_nan=False)


def test_chances_are_shares_of_the_table_and_skip_failed_labs() -> None:
    chances = roulette.implied_chances([30.0, 10.0, 60.0, -5.0], [True, True, False, True])
    assert chances == pytest.approx([0.75, 0.25, 0.0, 0.0])
    assert roulette.implied_chances([0.0, 0.0], [True, True]) == [0.0, 0.0]
    assert roulette.table_value([30.0, 10.0, 60.0], [True, True, False]) == 40.0


def test_payout_is_the_fair_odds() -> None:
    assert roulette.payout(0.25) == pytest.approx(3.0)
    assert roulette.payout(0.5) == pytest.approx(1.0)
    assert roulette.payout(0.0) == 0.0
    assert roulette.payout(math.nan) == 0.0


def test_quote_matches_the_rules_dilution(make_game) -> None:
    game = make_game("cloudco")
    world = game.world
    lab = world.index["redlab"]
    value = float(world.metrics["valuation"][lab])
    quote = roulette.quote_bet(
        2e9, value, 0.0, value + float(world.metrics["valuation"][world.index["blacklab"]])
    )
    assert game.act(Bet("cloudco", "redlab", 2e9)).ok
    assert world.stakes[world.index["cloudco"], lab] == pytest.approx(quote.bought)
    assert quote.stake_after == pytest.approx(quote.bought)
    assert quote.loss_if_fails == pytest.approx(2e9)


@given(cash=positive, value=positive, held=share, others=st.floats(min_value=0, max_value=1e13))
def test_a_bet_is_fair_at_the_market_odds(cash: float, value: float, held: float, others: float) -> None:
    quote = roulette.quote_bet(cash, value, held, value + others)
    assert quote.valid
    assert abs(quote.expected_gain) <= 1e-9 * max(cash, 1.0)
    assert 0 < quote.bought < 1
    assert held <= quote.stake_after <= 1
    assert quote.gain_if_wins == pytest.approx(quote.bet_if_wins - cash)
    assert quote.pays == pytest.approx(quote.bet_if_wins / cash - 1, rel=1e-6, abs=1e-9)


@given(value=positive, held=share, target=share)
def test_the_hedge_reaches_its_target_share(value: float, held: float, target: float) -> None:
    cash = roulette.hedge_cash(held, value, target)
    if target <= held:
        assert cash == 0.0
    else:
        assert roulette.stake_after(held, cash, value) == pytest.approx(target, rel=1e-9, abs=1e-12)


def test_hedged_chips_pay_the_same_whoever_wins() -> None:
    valuations, active = [100.0, 50.0, 20.0], [True, True, False]
    stakes = [0.2, 0.05, 0.5]
    hedge = roulette.plan_hedge(stakes, valuations, active, 1, cash=math.inf)
    assert hedge.target == 0.2 and hedge.source == 0  # the failed lab does not count
    cash = roulette.hedge_cash(stakes[1], valuations[1], hedge.target)
    assert hedge.cash == cash
    stakes[1] = roulette.stake_after(stakes[1], cash, valuations[1])
    valuations[1] += cash
    pays = roulette.winnings_by_winner(stakes, valuations, active)
    assert pays[0] == pytest.approx(pays[1])
    assert pays[2] == 0.0


@given(value=positive, held=share, other=share, cash=st.floats(min_value=0, max_value=1e13))
def test_the_hedge_never_asks_for_more_than_your_cash(
    value: float, held: float, other: float, cash: float
) -> None:
    hedge = roulette.plan_hedge([held, other], [value, value], [True, True], 0, cash)
    assert hedge.target == other and hedge.held == held
    assert hedge.source == (1 if other > 0 else None)
    assert hedge.cost == roulette.hedge_cash(held, value, other)
    assert hedge.cash == min(hedge.cost, cash)
    assert hedge.partial == (cash < hedge.cost * (1 - roulette.ROUNDING))
    if not hedge.partial:
        assert hedge.reaches == pytest.approx(max(other, held), rel=1e-9, abs=1e-12)
    else:
        assert held <= hedge.reaches < other


def test_cash_a_rounding_error_short_of_the_hedge_is_enough() -> None:
    """Hypothesis found it: 0.6 held, 0.8 of the other lab, $1 m each and $1 m of cash. The
    cost works out at $1,000,000.0000000005 and the bet reaches 80% all the same."""
    hedge = roulette.plan_hedge([0.6, 0.8], [1e6, 1e6], [True, True], 0, 1e6)
    assert not hedge.partial and hedge.reaches == pytest.approx(0.8)


def test_a_hedge_60_times_your_cash_is_cut_to_your_cash() -> None:
    """Anthropic holding 33% of xAI, with $430 m: hedging on OpenAI ($54 bn) would cost $27 bn."""
    hedge = roulette.plan_hedge([0.0, 0.0, 0.33], [5.2e9, 54.2e9, 5e9], [True] * 3, 1, 430e6)
    assert hedge.source == 2 and hedge.target == 0.33
    assert hedge.cost == pytest.approx(54.2e9 * 0.33 / 0.67)
    assert hedge.partial and hedge.cash == 430e6
    assert hedge.reaches == pytest.approx(430e6 / (54.2e9 + 430e6))


def test_invalid_bets_quote_nothing() -> None:
    assert not roulette.quote_bet(0.0, 10.0, 0.0, 20.0).valid
    assert not roulette.quote_bet(5.0, 0.0, 0.0, 20.0).valid
    assert shares_bought(-1.0, 10.0) == 0.0


def test_implied_valuation_matches_the_deal_rules() -> None:
    post, pre = roulette.implied_valuation(2e9, 0.1)
    assert (post, pre) == (pytest.approx(20e9), pytest.approx(18e9))
    assert roulette.implied_valuation(2e9, 0.0) == (0.0, 0.0)
    assert roulette.implied_valuation(0.0, 0.1) == (0.0, 0.0)


@pytest.mark.parametrize(
    ("change", "word"),
    [(0.3, "surging"), (0.05, "rising"), (0.0, "flat"), (-0.05, "falling"), (-0.5, "sliding")],
)
def test_momentum_words(change: float, word: str) -> None:
    assert roulette.momentum(change) == word


@given(
    st.lists(
        st.tuples(st.sampled_from(["Anthropic", "OpenAI", "xAI", "Mistral AI"]), st.floats(0.001, 1.0)),
        min_size=1,
        max_size=6,
    ),
    st.integers(1, 120),
)
def test_wheel_slices_fill_the_width_and_never_run_together(entries, width) -> None:
    from game.ui.widgets import _slice_label

    total = sum(chance for _, chance in entries)
    edges, running = [0], 0.0
    for _, chance in entries:
        running += chance / total
        edges.append(round(running * width))
    wheel = ""
    for (name, chance), left, right in zip(entries, edges[:-1], edges[1:], strict=True):
        span = right - left
        label = _slice_label(name, chance / total, span, first=left == 0)
        assert len(label) == span
        if span and left:  # a space before each name but the first: they never run together
            assert label[0] == " "
        shown = label.split()
        if shown:  # the name, or a short form of it ("Anth.", "M"), never a word cut short
            word = shown[0]
            assert (
                word in name.split() or (word.endswith(".") and name.startswith(word[:-1])) or word == name[0]
            )
        wheel += label
    assert len(wheel) == width


@pytest.mark.parametrize(
    ("name", "span", "first", "label"),
    [
        ("Anthropic", 6, True, "Anthr."),  # 80 columns: it was "Anth"
        ("Anthropic", 6, False, " Anth."),
        ("Anthropic", 9, True, "Anthropic"),  # 120 columns: it was "Anthropi"
        ("xAI", 4, False, " xAI"),  # it was "xA"
        ("Mistral AI", 9, False, " Mistral "),
        ("Mistral AI", 2, False, " M"),
        ("Mistral AI", 1, False, " "),
    ],
)
def test_wheel_labels_shorten_into_words_that_still_read(
    name: str, span: int, first: bool, label: str
) -> None:
    from game.ui.widgets import _slice_label

    assert _slice_label(name, 0.05, span, first) == label


@pytest.mark.parametrize(
    ("pays", "odds"),
    [(0.2, "0.2 to 1"), (4.56, "4.6 to 1"), (11.2, "11 to 1"), (149.3, "149 to 1"), (0.0, "—")],
)
def test_long_odds_are_whole_numbers(pays: float, odds: str) -> None:
    assert fmt.odds(pays) == odds


# -- the screen --------------------------------------------------------------------------------


def anthropic(make_app, bundled) -> CircularApp:
    """The play-tester's game: history, playing Anthropic (a lab)."""
    return make_app(loaded=bundled("history"), firm="anthropic", start_playing=True)


async def table_on(pilot: Pilot[int], lab: str) -> RouletteScreen:
    """Open the table (b) and put the cursor on ``lab``'s row, as a click would."""
    app = pilot.app
    if not isinstance(app.screen, RouletteScreen):
        await pilot.press("b")
        await pilot.pause()
    screen = app.screen
    assert isinstance(screen, RouletteScreen) and isinstance(app, CircularApp) and app.session
    table = screen.query_one("#labs", DataTable)
    table.focus()
    table.move_cursor(row=screen.labs.index(app.session.world.index[lab]))
    await pilot.pause()
    return screen


async def test_a_lab_is_told_at_once_that_it_cannot_bet_on_itself(make_app, bundled) -> None:
    app = anthropic(make_app, bundled)
    async with app.run_test(size=SMALL) as pilot:
        screen = await table_on(pilot, "anthropic")
        quote = text_of(app, "#quote")
        assert "Anthropic is your own lab. A lab cannot bet on itself" in quote  # before any amount
        assert "outside investors" in quote and "o (other moves)" in quote
        assert screen.query_one("#place", Button).disabled
        await pilot.press("1")  # typed on the table: the amount starts, and still no quote
        await pilot.pause()
        assert screen.query_one("#amount", TextField).value == "1"
        assert "cannot bet on itself" in text_of(app, "#quote") and "Buys" not in text_of(app, "#quote")


async def test_every_digit_typed_on_the_table_counts_however_fast(make_app, bundled) -> None:
    """The play-tester typed b then 15 within 50 ms and the amount read 5: the second digit
    came before the focus had moved to the field, and replaced the first."""
    app = anthropic(make_app, bundled)
    async with app.run_test(size=SMALL) as pilot:
        await press_at_once(pilot, "b", "1", "5")  # faster than the table opens
        screen = app.screen
        assert isinstance(screen, RouletteScreen)
        field = screen.query_one("#amount", TextField)
        assert field.value == "15" and app.focused is field
        await press_at_once(pilot, "2")  # in the field now: added at the end
        assert field.value == "152"
        await pilot.press("escape")  # back on the table: a digit starts a new amount
        await pilot.pause()
        await press_at_once(pilot, "0", ".", "2", "5")  # the table is open: faster than the focus
        assert field.value == "0.25" and app.focused is field
        assert "Buys" in text_of(app, "#quote")


async def test_a_sign_typed_on_the_table_reaches_the_field_and_is_refused(make_app, bundled) -> None:
    """ "-5" typed as the table opened lost its minus on the way to the field, and enter bet a
    real $5 bn: every character an amount may hold reaches the field, and the quote refuses it."""
    app = anthropic(make_app, bundled)
    async with app.run_test(size=SMALL) as pilot:
        assert app.session is not None
        before = app.session.game.fingerprint()
        await press_at_once(pilot, "b", "-", "5")
        field = app.screen.query_one("#amount", TextField)
        assert field.value == "-5"
        assert "must be above zero" in text_of(app, "#quote") and "Buys" not in text_of(app, "#quote")
        await press_at_once(pilot, "enter")
        assert app.session.game.fingerprint() == before
        await pilot.press("escape")
        await press_at_once(pilot, "+", "1", ",", "5")  # a comma is refused, not dropped
        assert field.value == "+1,5" and "for a decimal write +1.5" in text_of(app, "#quote")


async def test_editing_keys_typed_fast_keep_their_order(make_app, bundled) -> None:
    """Backspace and the arrows used to run after the characters typed just after them:
    "2.5", backspace twice, "7" read "2." instead of "27"."""
    app = anthropic(make_app, bundled)
    async with app.run_test(size=SMALL) as pilot:
        await press_at_once(pilot, "b", "2", ".", "5")
        field = app.screen.query_one("#amount", TextField)
        assert field.value == "2.5"
        await press_at_once(pilot, "backspace", "backspace", "7", "left", "1")
        assert field.value == "217"


async def test_the_bet_button_says_bet_then_bet_more(make_app, bundled) -> None:
    app = anthropic(make_app, bundled)
    async with app.run_test(size=SMALL) as pilot:
        screen = await table_on(pilot, "xai")
        place = screen.query_one("#place", Button)
        assert str(place.label) == "Bet" and not place.disabled
        assert screen.query_one("#sell", Button).disabled  # nothing held: nothing to sell
        await type_into(pilot, "#amount", "1")
        await pilot.press("enter")
        await pilot.pause()
        assert str(place.label) == "Bet more" and not place.disabled
        assert not screen.query_one("#sell", Button).disabled
        assert place.region.right <= screen.query_one("#sell", Button).region.x  # all on one line
        assert screen.query_one("#sell", Button).region.right <= screen.query_one("#rl-bet").region.right


async def test_a_bet_does_not_call_its_own_lab_surging(make_app, bundled) -> None:
    """$2 bn bet on a lab worth $3.5 bn lifted its valuation by the cash put in, and the word
    beside its name, read from that change, said "surging": it reads the share price now."""
    app = anthropic(make_app, bundled)
    async with app.run_test(size=SMALL) as pilot:
        assert app.session is not None
        world = app.session.world
        assert app.session.game.act(Bet("anthropic", "xai", 2e9)).ok
        app.changed()
        await table_on(pilot, "xai")
        assert analysis.valuation_changes(world)[world.index["xai"]] > 0.5
        detail = text_of(app, "#rl-detail-text").splitlines()
        assert detail[0].endswith("xAI (G) · price flat")
        # beside the table's change (the valuation's) the panel says where it comes from
        change = fmt.change(float(analysis.valuation_changes(world)[world.index["xai"]]))
        table = app.screen.query_one("#labs", DataTable)
        assert str(table.get_row("xai")[2]) == change
        assert f"{change} with new shares" in " ".join(" ".join(detail[1:4]).split())


async def test_after_the_game_no_bet_is_quoted(make_app, bundled) -> None:
    app = anthropic(make_app, bundled)
    async with app.run_test(size=SMALL) as pilot:
        screen = await table_on(pilot, "xai")
        await type_into(pilot, "#amount", "1")
        assert "Buys" in text_of(app, "#quote")
        await play_to_the_end(app, pilot)
        assert text_of(app, "#quote") == "The game is over: no more bets."
        assert all(screen.query_one(b, Button).disabled for b in ("#place", "#hedge", "#sell"))
        assert screen.query_one("#amount", TextField).disabled
        screen.query_one("#labs").focus()
        await pilot.press("2")  # a digit no longer starts a bet
        await pilot.pause()
        assert screen.query_one("#amount", TextField).value == "1"
        assert "Buys" not in text_of(app, "#quote")


async def test_the_hedge_says_what_it_would_be_and_stays_within_your_cash(make_app, bundled) -> None:
    """The play-tester's case: Anthropic holding a third of xAI, with $550 m of cash left."""
    app = anthropic(make_app, bundled)
    async with app.run_test(size=SMALL) as pilot:
        assert app.session is not None
        world, game = app.session.world, app.session.game
        me, xai, openai = (world.index[f] for f in ("anthropic", "xai", "openai"))
        screen = await table_on(pilot, "xai")
        await pilot.press("h")
        await pilot.pause()
        assert "Nothing to hedge: you hold no chips on any lab" in text_of(app, "#rl-message")
        await type_into(pilot, "#amount", "1.7")
        await pilot.press("enter", "enter")  # more than half the cash: a second enter confirms it
        await pilot.pause()
        assert world.stakes[me, xai] == pytest.approx(1 / 3, abs=0.01)
        await pilot.press("h")  # on the lab you hold: the hedge is a bet on another one
        await pilot.pause()
        message = text_of(app, "#rl-message")
        assert "your only chips are on xAI (33%)" in message and "bet on another lab" in message
        await table_on(pilot, "openai")
        cash = float(world.cash[me])
        await pilot.press("h")
        await pilot.pause()
        message = text_of(app, "#rl-message")
        assert "Full hedge (33% of OpenAI, like your xAI stake)" in message
        assert "more than your cash" in message and "All your cash is filled in" in message
        filled = fmt.read_amount(screen.query_one("#amount", TextField).value)
        assert cash - 1e6 < filled <= cash
        await pilot.press("enter", "enter")  # within the cash: the engine takes it (all of it: twice)
        await pilot.pause()
        assert "Bought" in text_of(app, "#rl-message")
        assert 0 < world.stakes[me, openai] < 0.02 and float(world.cash[me]) < 1e6
        await table_on(pilot, "xai")  # more of xAI than of OpenAI: nothing to add on xAI
        await pilot.press("h")
        await pilot.pause()
        assert "Hedged already: you hold 33% of xAI" in text_of(app, "#rl-message")
        before = game.fingerprint()
        await table_on(pilot, "anthropic")  # your own lab: no hedge, and the quote says why
        await pilot.press("h")
        await pilot.pause()
        assert game.fingerprint() == before and not screen.query_one("#rl-message").display
        assert "cannot bet on itself" in text_of(app, "#quote")


async def test_the_hedge_note_goes_once_the_amount_is_edited(make_app, bundled) -> None:
    """ "A hedge: 57% of Anthropic ... Enter to place it." stayed above the quote of an amount
    typed in its place."""
    app = anthropic(make_app, bundled)
    async with app.run_test(size=SMALL) as pilot:
        assert app.session is not None
        assert app.session.game.act(Bet("anthropic", "xai", 0.5e9)).ok
        app.changed()
        screen = await table_on(pilot, "mistral")
        await pilot.press("h")
        await pilot.pause()
        assert text_of(app, "#rl-message").startswith("A hedge:")
        await pilot.pause()  # the field's Changed for the amount filled in keeps the note
        assert screen.query_one("#rl-message").display
        await type_into(pilot, "#amount", "0.05")
        assert not screen.query_one("#rl-message").display and "Buys" in text_of(app, "#quote")
        await pilot.press("escape", "h", "enter")  # placed as filled in: its outcome stays
        await pilot.pause()
        assert text_of(app, "#rl-message").startswith("Bought")
        assert screen.query_one("#amount", TextField).value == ""


async def test_each_problem_shows_once_and_each_action_shows_its_outcome(make_app, bundled) -> None:
    app = anthropic(make_app, bundled)
    async with app.run_test(size=SMALL) as pilot:
        assert app.session is not None
        world, game = app.session.world, app.session.game
        screen = await table_on(pilot, "xai")
        await type_into(pilot, "#amount", "1.5")
        await pilot.press("enter", "enter")  # more than half the cash: twice
        await pilot.pause()
        assert text_of(app, "#rl-message") == "Bought 30.2% of xAI."  # shown, not wiped by the redraw
        before = game.fingerprint()
        for typed, problem in (("abc", "cannot read 'abc' as money"), ("1,5", "for a decimal write 1.5")):
            await type_into(pilot, "#amount", typed)
            await pilot.press("enter")
            await pilot.pause()
            assert screen_text(app).count(problem) == 1, typed  # in the quote, not also under the buttons
            assert not screen.query_one("#rl-message").display
            assert game.fingerprint() == before  # nothing was sent
        assert app.focused is screen.query_one("#amount", TextField)
        await pilot.press("escape")
        await pilot.press("x")  # sell a tenth: the outcome shows, the old problem goes
        await pilot.pause()
        assert text_of(app, "#rl-message").startswith("Sold 3.02% of xAI for $")  # a tenth of 30.2%
        # x sells a tenth of the stake, not 10% of the company: the line says both figures
        assert text_of(app, "#rl-message").endswith(": a tenth of your stake, 27.2% of xAI left.")
        assert str(screen.query_one("#sell", Button).label) == "Sell a tenth (x)"
        assert "cannot read" not in screen_text(app)
        assert screen.query_one("#amount", TextField).value == ""
        me, xai = world.index["anthropic"], world.index["xai"]
        assert float(world.stakes[me, xai]) == pytest.approx(0.27, abs=0.01)


@pytest.mark.parametrize("size", [SMALL, (120, 40)])
async def test_the_table_and_the_wheel_fit_their_text(make_app, bundled, size) -> None:
    """At 80 columns "You hold" read "Yo", 13% read "13" and the wheel said "Anth" and "xA"."""
    app = anthropic(make_app, bundled)
    async with app.run_test(size=size) as pilot:
        assert app.session is not None
        world, game = app.session.world, app.session.game
        game.act(Bet("anthropic", "mistral", 0.2e9))  # a holding and long odds in the table
        for lab in ("xai", "openai"):
            game.act(Bet("anthropic", lab, 0.1e9))
        app.changed()
        screen = await table_on(pilot, "xai")
        table = screen.query_one("#labs", DataTable)
        assert table.virtual_size.width <= table.scrollable_content_region.width  # nothing cut
        header = " ".join(str(column.label) for column in table.columns.values())
        assert header == "Lab Value Change Capab. Chance Pays You hold"
        mistral = world.index["mistral"]
        assert str(table.get_cell("mistral", "mine")) == fmt.deal_share(
            float(world.stakes[world.index["anthropic"], mistral])
        )
        assert str(table.get_cell("anthropic", "lab")) == "Anthropic (R) (you)"
        assert str(table.get_cell("mistral", "pays")).endswith(" to 1")
        wheel = str(screen.query_one("#wheel").render())
        assert len(wheel) == screen.query_one("#wheel").size.width
        names = wheel.split()
        assert ("Anthropic" if size != SMALL else "Anthr.") in names and "xAI" in names
        assert not any(word in ("Anth", "xA", "Anthropi") for word in names)


async def test_a_bet_leaving_less_cash_than_the_payments_due_is_flagged(make_app, bundled) -> None:
    """The play-tester's Anthropic bet nearly all its cash while owing Amazon for compute."""
    from game.ui.analysis import short_of_commitments

    app = anthropic(make_app, bundled)
    async with app.run_test(size=SMALL) as pilot:
        await table_on(pilot, "xai")
        world = app.session.world
        me = app.session.me
        cash = float(world.cash[me])
        await type_into(pilot, "#amount", fmt.typed_amount(cash * 0.99))
        quote = text_of(app, "#quote")
        assert short_of_commitments(world, me, spend=cash * 0.99)  # Anthropic owes for compute
        assert "less than the" in quote and "of commitments due when the quarter ends" in quote
        await type_into(pilot, "#amount", "0.01")
        assert "commitments due" not in text_of(app, "#quote") and "Then it pays" in text_of(app, "#quote")


async def test_a_bet_of_most_of_your_cash_takes_a_second_enter(make_app, bundled) -> None:
    """A stray b, 2 and enter from the dashboard bet $2 bn of Anthropic's $2.25 bn at once,
    leaving $250 m against $350 m of compute due when the quarter ends."""
    app = anthropic(make_app, bundled)
    async with app.run_test(size=SMALL) as pilot:
        assert app.session is not None
        game, world = app.session.game, app.session.world
        me, openai = world.index["anthropic"], world.index["openai"]
        before = game.fingerprint()
        await press_at_once(pilot, "b", "2", "enter")
        screen = app.screen
        assert isinstance(screen, RouletteScreen) and screen.lab == openai
        assert game.fingerprint() == before  # not yet
        confirm = "Press Enter again to bet $2 bn: it leaves $250 m against $350 m due when the quarter ends."
        assert confirm in " ".join(text_of(app, "#quote").split())
        await pilot.press("backspace", "2")  # a change of amount, even back to the same one
        await pilot.pause()
        quote = " ".join(text_of(app, "#quote").split())
        assert "Press Enter again" not in quote and "Enter twice to bet it." in quote
        await pilot.press("enter")
        await pilot.pause()
        assert game.fingerprint() == before and "Press Enter again" in text_of(app, "#quote")
        await pilot.press("escape", "down", "enter")  # another lab: asked again
        await pilot.pause()
        assert screen.lab == world.index["xai"] and app.focused is screen.query_one("#amount", TextField)
        await pilot.press("enter")
        await pilot.pause()
        assert game.fingerprint() == before and "Press Enter again to bet $2 bn" in text_of(app, "#quote")
        await pilot.press("enter")  # the second enter on the same amount and lab: the bet
        await pilot.pause()
        assert text_of(app, "#rl-message").startswith("Bought") and float(world.cash[me]) < 0.3e9

    app = anthropic(make_app, bundled)
    async with app.run_test(size=SMALL) as pilot:
        assert app.session is not None
        world = app.session.world
        await table_on(pilot, "openai")
        await type_into(pilot, "#amount", "1.2")  # leaves enough for the payments: half the cash
        quote = " ".join(text_of(app, "#quote").split())
        assert "Then it pays" in quote and "More than half your cash: enter twice to bet it." in quote
        await pilot.press("enter")
        await pilot.pause()
        assert "Press Enter again to bet $1.2 bn: it is more than half your $2.25 bn of cash." in " ".join(
            text_of(app, "#quote").split()
        )
        await pilot.press("enter")
        await pilot.pause()
        assert text_of(app, "#rl-message").startswith("Bought")
        cash = float(world.cash[world.index["anthropic"]])
        await type_into(pilot, "#amount", "0.1")  # an ordinary bet: one enter
        assert "enter" not in text_of(app, "#quote").lower()
        await pilot.press("enter")
        await pilot.pause()
        assert text_of(app, "#rl-message").startswith("Bought")
        assert float(world.cash[world.index["anthropic"]]) == pytest.approx(cash - 0.1e9)


async def test_the_quote_says_at_once_what_enter_would_about_the_amount(make_app, bundled) -> None:
    """1e99 was quoted as a huge figure with "chance 100%" until enter said "absurdly large"."""
    app = anthropic(make_app, bundled)
    async with app.run_test(size=SMALL) as pilot:
        assert app.session is not None
        game = app.session.game
        screen = await table_on(pilot, "openai")
        before = game.fingerprint()
        for typed, problem in (
            ("1e99", "The bet is absurdly large."),
            ("5", "Anthropic has only $2.25 bn of cash."),
            ("0", "The bet must be above zero."),
        ):
            await type_into(pilot, "#amount", typed)
            assert text_of(app, "#quote") == problem, typed
            await pilot.press("enter", "enter")
            await pilot.pause()
            assert game.fingerprint() == before and not screen.query_one("#rl-message").display
            assert screen_text(app).count(problem) == 1


async def test_the_chips_line_says_what_each_lab_s_chips_are_worth_if_it_takes_the_table(
    make_app, bundled
) -> None:
    """ "Your chips pay, if the winner is: Ember AI $0 · Onyx Labs $110 bn" read as if the
    player's other chips were worth nothing when Ember won; it was the chips on Ember."""
    app = anthropic(make_app, bundled)
    async with app.run_test(size=LARGE) as pilot:
        assert app.session is not None
        world, game = app.session.world, app.session.game
        for lab, cash in (("xai", 0.5e9), ("openai", 0.2e9)):
            assert game.act(Bet("anthropic", lab, cash)).ok
        app.changed()
        screen = await table_on(pilot, "xai")
        me = world.index["anthropic"]
        table = screen._table_value(world)
        worth = {
            lab: fmt.money(world, float(world.stakes[me, world.index[lab]]) * table)
            for lab in ("openai", "xai")
        }
        detail = " ".join(text_of(app, "#rl-detail-text").split())
        line = (
            "Your chips, if their lab takes the table: "
            f"OpenAI {worth['openai']} xAI {worth['xai']} None on Mistral AI."
        )
        assert line in detail and "$0" not in detail


async def test_a_terminal_too_small_for_the_table_says_so_and_what_it_needs(make_app) -> None:
    """Below 80x24 the table's columns and the quote were cut without a word."""
    app = make_app(firm="cloudco", start_playing=True)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("b")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RouletteScreen) and screen.too_small and app.session is not None
        note = text_of(app, "#too-small")
        assert "too small for the roulette table" in note and "80 columns by 24 lines" in note
        assert "this one has 60 by 20" in note and "esc to go back" in note
        assert not screen.query_one("#rl-body").display
        assert (
            app.focused is None and "enter" not in footer_keys(app) and footer_keys(app)["escape"] == "Back"
        )
        before = app.session.game.fingerprint()
        await pilot.press("1", "h", "x", "enter")  # the hidden table and form take no keys
        await pilot.pause()
        assert app.session.game.fingerprint() == before and app.focused is None
        assert screen.query_one("#amount", TextField).value == ""
        await pilot.resize_terminal(*SMALL)
        await pilot.pause()
        assert not screen.too_small and screen.query_one("#rl-body").display
        assert not screen.query_one("#too-small").display
        assert app.focused is screen.query_one("#labs") and footer_keys(app)["enter"] == "Bet"
        await pilot.resize_terminal(80, 23)
        await pilot.pause()
        assert screen.too_small and "this one has 80 by 23" in text_of(app, "#too-small")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
