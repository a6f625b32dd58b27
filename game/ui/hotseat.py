"""Hot seat: passing the keyboard between the seats of a game played on one computer.

The hand-over screen hides the game between two seats; each seat sees the summary of a quarter
(kept in ``app.unseen``) when its turn comes, not when the quarter is played."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from game.ui.app import CircularApp


def pass_turn(app: CircularApp) -> None:
    """The seat playing now is done for the quarter: hide the game and pass the keyboard."""
    from game.ui import analysis

    session = app.session
    if session is None:
        return
    app.flush_autosave()  # the autosave keeps the start of the quarter, with the first seat
    done = seat_playing(app)
    session.pass_turn()
    hand_over(app, f"{done} is done for {analysis.current_quarter_name(session.world)}.")


def seat_playing(app: CircularApp) -> str:
    """The seat at the keyboard as a hand-over note names it: "Ada (Anthropic)"."""
    assert app.session is not None
    firm, player = app.session.firm_name(), app.session.player
    return f"{player} ({firm})" if player else firm


def hand_over(app: CircularApp, note: str = "") -> None:
    """Hide everything behind the hand-over screen until the seat to play says it is there."""
    from game.ui import analysis
    from game.ui.screens.handoff import HandoffScreen

    session = app.session
    if session is None:
        return
    app.clear_notifications()  # the last seat's messages are not for the next one
    quarter = analysis.current_quarter_name(session.world)
    where = f"{quarter} · seat {session.turn + 1} of {len(session.seats)}"
    screen = HandoffScreen(session.player, session.firm_name(), where=where, note=note)
    app.reset_stack(screen, lambda _result: seat_ready(app))
    app.refresh_bindings()


def handing_over(app: CircularApp) -> bool:
    """True while the hand-over screen hides the game (with help, say, over it)."""
    return any(getattr(screen, "HIDES_GAME", False) for screen in app.screen_stack)


def seat_ready(app: CircularApp) -> None:
    """The next seat's player is at the keyboard: their dashboard, the summary of the quarter
    just played if they have not seen it, then their questions."""
    from game.ui.screens.dashboard import DashboardScreen

    session = app.session
    if session is None:
        return
    app.reset_stack(DashboardScreen())
    app.refresh_bindings()
    unseen = app.unseen.pop(session.firm, None)
    if unseen is not None and app.last_report is not None:
        before, after = unseen
        summary = app.summary_screen()
        summary.show(app.last_report, before, session.save_path(autosave=True).name, after)
        app.push_screen(summary, app.after_summary)
    else:
        app.call_after_refresh(app.ask_questions)
