"""Pilot tests: the small forms (other moves, the roulette's amount, the deal room's terms) say
what they would do as they are filled in, and take what is typed where the player expects."""

from __future__ import annotations

from textual.widgets import Button, Label, OptionList, Select
from ui_helpers import SMALL, text_of, type_into

from game.engine import rules
from game.engine.actions import ProposeDeal
from game.ui import fmt
from game.ui.screens.deals import DealRoomScreen
from game.ui.screens.moves import MoveDialog
from game.ui.screens.roulette import RouletteScreen
from game.ui.widgets import FormCheckbox, TextField


def microsoft(make_app, bundled):
    """A reviewer's game: history, seed 5, playing Microsoft (49% of OpenAI, a goal of 5%)."""
    return make_app(loaded=bundled("history"), firm="microsoft", seed=5, start_playing=True)


async def test_a_sale_says_which_goal_part_it_would_break(make_app, bundled) -> None:
    """Selling 45% of OpenAI left Microsoft 4%, under its goal's 5%, and the dialog said only
    what the sale brings in: it says so as the share is typed, as a deal or an answer does."""
    app = microsoft(make_app, bundled)
    async with app.run_test(size=SMALL) as pilot:
        app.action_moves("sell")
        await pilot.pause()
        assert isinstance(app.screen, MoveDialog)
        await type_into(pilot, "#share", "45")
        info = " ".join(text_of(app, "#move-info").split())
        assert "Selling 45% of OpenAI" in info
        assert "✗ breaks your goal part: own ≥ 5% of OpenAI (4% after it;" in info
        await type_into(pilot, "#share", "10")  # 39% left: nothing to say about the goal
        assert "goal part" not in text_of(app, "#move-info")


def anthropic(make_app, bundled):
    """A reviewer's game: history, seed 3, playing Anthropic (a lab: Google deals with it)."""
    return make_app(loaded=bundled("history"), firm="anthropic", seed=3, start_playing=True)


def label_stands_out(field: TextField) -> bool:
    """The label beside a field, drawn bold (the focused field's is; the others' are not)."""
    label = field.parent.query_one(Label) if field.parent else None
    return label is not None and bool(label.rich_style.bold)


async def test_the_roulette_s_amount_takes_typing_wherever_the_focus_is(make_app, bundled) -> None:
    """One tab from the table reached the lab's panel, and a digit typed there went nowhere
    though the panel said "Type an amount"; the focused field looked like the others."""
    app = microsoft(make_app, bundled)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("b")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RouletteScreen)
        field = screen.query_one("#amount", TextField)
        assert not label_stands_out(field)
        await pilot.press("tab")
        assert app.focused is field and label_stands_out(field)
        await pilot.press("escape")  # back on the table
        screen.query_one("#rl-detail").focus()  # the lab's panel, which scrolls
        await pilot.press("4", "2")
        assert field.value == "42" and app.focused is field
        screen.query_one("#hedge", Button).focus()
        await pilot.press("$", "3")  # from a button too: a new amount
        assert field.value == "$3" and app.focused is field


async def test_a_counter_starts_in_the_cash_and_shows_which_field_types(make_app, bundled) -> None:
    """The cursor started in Stake with nothing to show it, and ctrl+u then "2bn" went into it."""
    app = anthropic(make_app, bundled)
    async with app.run_test(size=SMALL) as pilot:
        game = app.session.game
        assert game.act(ProposeDeal("google", "anthropic", 2e9, 0.1)).ok
        app.changed()
        await pilot.press("d")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DealRoomScreen)
        await pilot.press("c")
        await pilot.pause()
        cash, stake = screen.query_one("#cash", TextField), screen.query_one("#stake", TextField)
        assert app.focused is cash and label_stands_out(cash) and not label_stands_out(stake)
        await pilot.press("ctrl+u", "3", "b", "n")
        assert (cash.value, stake.value) == ("3bn", "10%")


async def test_a_dialog_with_one_field_keeps_typing_in_it(make_app, bundled) -> None:
    """One tab moved the focus to "Do it", and what was typed next went nowhere."""
    app = microsoft(make_app, bundled)
    async with app.run_test(size=SMALL) as pilot:
        app.action_moves("sell")
        await pilot.pause()
        field = app.screen.query_one("#share", TextField)
        await pilot.press("1", "tab")
        assert app.focused is app.screen.query_one("#do")  # tab still reaches "Do it"
        await pilot.press("0", "space", "%")
        assert field.value == "10 %" and app.focused is field
        assert "Selling 10% of OpenAI" in text_of(app, "#move-info")


async def google_deal_room(pilot) -> DealRoomScreen:
    """The deal room, the form set to deal with Google."""
    await pilot.press("d")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, DealRoomScreen)
    screen.query_one("#counterparty", Select).value = "google"
    await pilot.pause()
    return screen


async def test_an_answer_goes_once_the_terms_change(make_app, bundled) -> None:
    """Google's no to $3 bn for 20% stayed under "Send offer" beside the preview of new terms."""
    app = anthropic(make_app, bundled)
    async with app.run_test(size=SMALL) as pilot:
        await google_deal_room(pilot)
        await type_into(pilot, "#cash", "3")
        await type_into(pilot, "#stake", "20")
        await pilot.press("enter")
        await pilot.pause()
        assert text_of(app, "#deal-message").startswith("Google says no")
        await type_into(pilot, "#quarters", "8")  # the same terms: the answer is still theirs
        assert text_of(app, "#deal-message").startswith("Google says no")
        await type_into(pilot, "#cash", "2")
        assert text_of(app, "#deal-message") == ""
        listed = str(app.screen.query_one("#offers", OptionList).get_option_at_index(0).prompt)
        assert "The stake is not worth the cash" in listed  # the reason is in the list again


async def test_a_signed_deal_s_message_stays_as_the_form_empties(make_app, bundled) -> None:
    app = anthropic(make_app, bundled)
    async with app.run_test(size=SMALL) as pilot:
        await google_deal_room(pilot)
        await type_into(pilot, "#cash", "500 m")
        await type_into(pilot, "#stake", "20")
        await pilot.press("enter")
        for _ in range(3):
            await pilot.pause()
        assert text_of(app, "#deal-message").startswith("Deal signed")
        assert app.screen.query_one("#cash", TextField).value == ""


async def said_then_enter(pilot, field: str, typed: str) -> tuple[str, str]:
    """What the dialog says as ``typed`` goes into ``field`` (enter's last answer stays under
    the buttons while it still holds, and is then left out above them), then what enter says."""
    app = pilot.app
    await type_into(pilot, field, typed)
    live = " ".join(f"{text_of(app, '#move-info')} {text_of(app, '#move-message')}".split())
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, MoveDialog), f"{typed!r} was done"
    return live, text_of(app, "#move-message")


async def test_an_order_of_chips_is_checked_as_it_is_typed(make_app, bundled) -> None:
    """The order said nothing of "abc", "0" or "-2 bn" until enter, nothing of a valid order,
    and "1e20" read as "less than the over $1,000,000 tn of commitments" where enter said
    "absurdly large": it says what enter would, in the same words, or what the order does."""
    app = microsoft(make_app, bundled)
    async with app.run_test(size=SMALL) as pilot:
        app.action_moves("chips")
        await pilot.pause()
        for typed in ("abc", "0", "-2 bn", "1e20"):
            live, enter = await said_then_enter(pilot, "#amount", typed)
            assert enter and enter in live  # the same words, live and on enter
        assert "absurdly large" in live and "commitments" not in live
        await type_into(pilot, "#amount", "8 bn")
        live = " ".join(text_of(app, "#move-info").split())
        assert "You pay $2 bn a quarter for 4 quarters" in live
        assert "Each payment adds $333 m a quarter of compute to sell" in live  # capacity_cost 6


async def test_an_order_of_chips_says_one_problem_at_a_time_naming_its_field(make_app, bundled) -> None:
    """Enter on an empty Total said "type an amount, like 2 bn or 500 m" (which field?); then 8
    in Total showed the quarters' refusal while the Total message stayed under the buttons."""
    app = microsoft(make_app, bundled)
    async with app.run_test(size=SMALL) as pilot:
        app.action_moves("chips")
        await pilot.pause()
        await type_into(pilot, "#quarters", "99999999")
        await pilot.press("enter")
        await pilot.pause()
        assert text_of(app, "#move-message") == "Total: type an amount, like 2 bn or 500 m."
        assert "Total" not in text_of(app, "#move-info")  # said once, under the buttons
        await type_into(pilot, "#amount", "8")
        quarters = "Not possible: the order's quarters must be a whole number from 1 to 20."
        assert text_of(app, "#move-message") == ""  # the Total's message is gone
        assert quarters in " ".join(text_of(app, "#move-info").split())
        await pilot.press("enter")
        await pilot.pause()
        assert text_of(app, "#move-message") == quarters
        assert "quarters" not in text_of(app, "#move-info")


async def test_a_raise_is_checked_as_it_is_typed(make_app, bundled) -> None:
    """ "max" raised the limit on enter but showed no preview; "5 zillion" showed nothing."""
    app = anthropic(make_app, bundled)
    async with app.run_test(size=SMALL) as pilot:
        app.action_moves("raise")
        await pilot.pause()
        await type_into(pilot, "#amount", "max")
        assert "outside investors would get" in text_of(app, "#move-info")
        live, enter = await said_then_enter(pilot, "#amount", "5 zillion")
        assert live == "Cannot read '5 zillion' as money; write 2 bn or 500 m."
        assert enter == live  # one field: it needs no name


async def test_a_signed_deal_names_its_option_and_exclusivity(make_app, bundled) -> None:
    """ "Deal signed: $1 bn for 38.8%; $2 bn of compute over 8 quarters." left out the option
    and the exclusivity signed with them."""
    app = anthropic(make_app, bundled)
    async with app.run_test(size=SMALL) as pilot:
        screen = await google_deal_room(pilot)
        for field, typed in (("#cash", "1"), ("#stake", "38.8"), ("#compute", "2"), ("#option", "1")):
            await type_into(pilot, field, typed)
        screen.query_one("#exclusive", FormCheckbox).value = True
        await pilot.pause()
        await pilot.click("#send")
        for _ in range(3):
            await pilot.pause()
        until = fmt.quarter(app.session.world.quarter + rules.OPTION_QUARTERS)
        terms = "$1 bn for 38.8%; $2 bn of compute over 8 quarters"
        last = fmt.quarter(app.session.world.quarter + 7)  # the 8 quarters' last payment
        terms += f"; an option on $1 bn more until {until}; exclusive until {last}"
        assert text_of(app, "#deal-message") == f"Deal signed: {terms}."
        assert app.session.world.news[-1].body == terms  # the news alike


async def test_an_order_of_chips_says_which_payments_fall_after_the_end(make_app) -> None:
    """An order whose payments ran past the last quarter said only what it would add once all
    is paid: it says how many payments fall in the game, and that the rest never come."""
    app = make_app(firm="cloudco", start_playing=True)
    async with app.run_test(size=SMALL) as pilot:
        session = app.session
        assert session is not None
        app.action_moves("chips")
        await pilot.pause()
        await type_into(pilot, "#amount", "8")
        await type_into(pilot, "#quarters", "4")
        assert "once all is paid" in text_of(app, "#move-info")
        assert "after the end" not in text_of(app, "#move-info")
        await pilot.press("escape")
        while session.world.last_quarter - session.world.quarter > 2:  # three quarters left
            session.end_quarter()
        app.changed()
        await pilot.pause()
        app.action_moves("chips")
        await pilot.pause()
        await type_into(pilot, "#amount", "8")
        await type_into(pilot, "#quarters", "4")
        info = " ".join(text_of(app, "#move-info").split())
        assert "once all is paid" not in info
        added = fmt.money(session.world, 6e9 / session.world.market["capacity_cost"])
        assert (
            f"The game ends with 2025-Q4: only 3 of the 4 payments fall in it ($6 bn, adding {added} a "
            "quarter of compute). The last one ($2 bn) would come after the end: never paid, its "
            "chips never delivered." in info
        )
        await type_into(pilot, "#quarters", "8")
        info = " ".join(text_of(app, "#move-info").split())
        assert "only 3 of the 8 payments fall in it ($3 bn," in info and "The last 5 ($5 bn)" in info
