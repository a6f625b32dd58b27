"""The flow of a quarter in the app: asking before ending it, the summary, the autosave,
then the player's questions or the debrief. Hot seat: a seat's turn ends instead, and the
keyboard passes (hotseat.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.screen import ModalScreen

from game.ui import hotseat

if TYPE_CHECKING:
    from game.ui.app import CircularApp


def request_end(app: CircularApp) -> None:
    """End the quarter (or the seat's turn), first asking when questions wait for an answer."""
    session = app.session
    if session is None or session.finished:
        return
    questions = session.my_questions()
    if questions:
        from game.engine.events import default_choice
        from game.ui.screens.dialogs import ConfirmDialog

        event = session.game.book.by_id(questions[0])
        default = event.choices[default_choice(event)].label if event is not None and event.choices else ""
        body = (
            f"{len(questions)} question{'s are' if len(questions) > 1 else ' is'} waiting for you. "
            f'Unanswered questions take their default answer ("{default}").'
        )
        title, yes = "End the quarter?", "End quarter"
        if session.hot_seat and not session.last_turn:
            title, yes = "End your turn?", "End turn"
            body += " You cannot answer them after your turn."
        app.push_screen(
            # enter answers first: ending with the default answer may break the goal
            ConfirmDialog(title, body, yes=yes, no="Answer first", focus_no=True),
            lambda confirmed: _confirm_end_quarter(app, confirmed),
        )
        return
    app.end_quarter()


def _confirm_end_quarter(app: CircularApp, confirmed: bool | None) -> None:
    if confirmed:
        app.end_quarter()
    else:
        app.ask_questions()


def end_quarter(app: CircularApp) -> None:
    """Close the quarter, show the summary, autosave, then any new questions or the debrief.

    The autosave is written just after the screen is drawn (it syncs the file to disk,
    which takes longer than the rest); any move before it is written writes it first.
    Hot seat: a seat that is not the last of the quarter passes the keyboard instead; after
    the last, the quarter is played and each seat sees its summary when its turn comes."""
    from game.calendar import quarter_name
    from game.ui import analysis

    session = app.session
    if session is None:
        return
    if session.hot_seat and not session.last_turn:
        hotseat.pass_turn(app)
        return
    app.flush_autosave()
    try:
        world = session.world
        before = analysis.position(world, session.me)
        befores = (
            {firm: analysis.position(world, world.index[firm]) for firm in session.seats}
            if session.hot_seat
            else {}
        )
        report = session.end_quarter()
    except Exception as err:
        app.report_error(err)
        return
    if report is None:
        return
    app.last_report = report
    app.autosave_due = True
    if session.hot_seat:
        app.unseen = {
            firm: (was, analysis.position(world, world.index[firm])) for firm, was in befores.items()
        }
        played = f"{quarter_name(report.quarter)} has been played"
        hotseat.hand_over(app, f"{played}: the game is over." if session.finished else f"{played}.")
        app.call_after_refresh(app.flush_autosave)
        return
    app.view("dashboard")
    app.changed()
    summary = app.summary_screen()
    summary.show(report, before, session.save_path(autosave=True).name)
    app.push_screen(summary, app.after_summary)
    app.call_after_refresh(app.flush_autosave)


def after_summary(app: CircularApp) -> None:
    """After a summary: the seat's questions; at the end of the game, hot seat, the next
    seat's last summary (behind a hand-over), then the debrief."""
    session = app.session
    if session is None or not session.finished:
        app.ask_questions()
    elif session.hot_seat and app.unseen and session.next_seat is not None:
        done = hotseat.seat_playing(app)
        session.pass_turn()
        hotseat.hand_over(app, f"{done} has seen the last quarter: the game is over.")
    else:
        app.show_debrief()


def ask_questions(app: CircularApp) -> None:
    """Open the dialog for the first question waiting for the player, if any."""
    from game.ui import analysis, fmt
    from game.ui.screens.event import EventDialog

    session = app.session
    if session is None or isinstance(app.screen, ModalScreen):
        return  # a dialog is open (the summary asks again when it closes)
    if hotseat.handing_over(app):
        return  # the seat's player is not at the keyboard yet
    for event_id in session.my_questions():
        event = session.game.book.by_id(event_id)
        if event is not None:
            notes = analysis.choice_goal_notes(session.game, session.firm, event_id, len(event.choices))
            who = f"{session.firm_name()} ({fmt.KIND_LABEL[session.world.kinds[session.me]]})"
            app.push_screen(EventDialog(event, who, notes), _answered(app, event_id, session.firm))
            return
    app.tell_start_note()


def _answered(app: CircularApp, event_id: str, firm: str) -> Callable[[int | None], None]:
    from game.engine.actions import Choose

    def answer(choice: int | None) -> None:
        if choice is None or app.session is None or app.session.firm != firm:
            app.tell_start_note()
            return  # decide later: the question stays on the dashboard
        outcome = app.act(Choose(firm, event_id, choice))
        if outcome.ok:
            app.tell(outcome.message)
        else:
            app.alert(outcome.message, severity="warning")
        app.call_after_refresh(app.ask_questions)

    return answer
