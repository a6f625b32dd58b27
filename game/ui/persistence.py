"""Saving, loading and leaving a game: the save key, the load dialog, a save that will not
load (and the autosave offered instead), a new game, quitting with moves unsaved, and
reloading the scenario file after its author has edited it.

Loading and reloading the scenario run in worker threads (a long game takes a moment to
replay); ``worker_state_changed`` takes their results."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.worker import Worker, WorkerState

if TYPE_CHECKING:
    from game.ui.app import CircularApp
    from game.ui.reload import Reload
    from game.ui.session import Session


def save(app: CircularApp) -> None:
    if app.session is None:
        return
    try:
        path = app.session.save()
    except OSError as err:
        app.alert(f"Could not save: {err.strerror or err}", title="Save failed")
        return
    app.tell(f"Saved to {path.name} (in {app.saves_label()}).", title="Saved")
    app.refresh_bindings()


def load_game(app: CircularApp, path: Path) -> None:
    """Resume a save in a worker thread (a long game takes a moment to replay)."""
    from game.ui.session import Session

    app.run_worker(
        lambda: Session.load(path, app.saves_dir, tag=app.file_tag()),
        thread=True,
        group="load",
        name=str(path),
        exit_on_error=False,
    )


def choose_save(app: CircularApp) -> None:
    """The load dialog: the saves in the saves folder."""
    from game.ui.screens.dialogs import LoadDialog

    def chosen(path: Path | None) -> None:
        if path is not None:
            load_game(app, path)

    app.push_screen(LoadDialog(app.saves_dir), chosen)


def worker_state_changed(app: CircularApp, event: Worker.StateChanged) -> None:
    from game.saves import SaveError, shown_path
    from game.ui.session import Session

    worker = event.worker
    if worker.group == "reload" and event.state == WorkerState.SUCCESS:
        from game.ui.reload import Reload

        if isinstance(worker.result, Reload):
            reloaded(app, worker.result)
        return
    if worker.group == "reload" and event.state == WorkerState.ERROR:
        app.report_error(worker.error or RuntimeError("the reload failed"))
        return
    if worker.group != "load" or event.state not in (WorkerState.SUCCESS, WorkerState.ERROR):
        return
    if event.state == WorkerState.SUCCESS and isinstance(worker.result, Session):
        resume(app, worker.result, Path(worker.name))
        return
    error = worker.error
    shown = shown_path(Path(worker.name))
    message = str(error) if isinstance(error, SaveError) else f"could not load {shown}: {error!r}"
    if isinstance(error, SaveError):
        offer_fallback(app, Path(worker.name), message)
        return
    if app.session is None:
        app.show_title(message)
    else:
        app.alert(message, title="Load failed")


def resume(app: CircularApp, session: Session, path: Path) -> None:
    """Play the loaded game; a ctrl+s save whose own autosave got further (played on after
    saving) first offers that autosave: resuming the save would quietly go back in time."""
    from game.calendar import quarter_name
    from game.saves import shown_path
    from game.ui.screens.dialogs import ConfirmDialog

    newer = session.newer_autosave

    def answer(load_autosave: bool | None) -> None:
        if load_autosave and newer is not None:
            load_game(app, newer[0])
            return
        app.loaded = session.loaded
        app.begin(session)
        app.tell(f"Resumed {path.name}.", title="Loaded")

    if newer is None:
        answer(False)
        return
    autosave, how_far = newer
    body = (
        f"{path.name} stopped at {quarter_name(session.world.quarter)}. This game's autosave, "
        f"{shown_path(autosave)}, is further along: {how_far}. Load the autosave instead?"
    )
    app.push_screen(
        ConfirmDialog("This game has a newer autosave", body, yes="Load autosave", no="Keep this save"),
        answer,
    )


def offer_fallback(app: CircularApp, failed: Path, message: str) -> None:
    """A save that will not load: say why, and offer the newest autosave that does."""
    from game.saves import fallback_for
    from game.ui.screens.dialogs import ConfirmDialog

    fallback = fallback_for(failed)
    if fallback is None:
        if app.session is None:
            app.show_title(message)
        else:
            app.alert(message, title="Load failed")
        return
    autosave = fallback[0]

    def answer(load_it: bool | None) -> None:
        if load_it:
            load_game(app, autosave)
        elif app.session is None:
            app.show_title(message)

    body = f"{message}\n\nThe previous autosave, {autosave.name}, loads. Resume from it instead?"
    app.push_screen(ConfirmDialog("This save cannot be loaded", body, yes="Load autosave"), answer)


def start_new(app: CircularApp, session: Session, play: Callable[[], None]) -> None:
    """Start a new game (``play``). The same game started before (scenario, seed, seats and
    names: its files' name) and left unfinished would be overwritten by this one's autosave:
    first offer to resume it; starting afresh keeps its files under another name, and says so."""
    from game.saves import keep_aside, reached, shown_path, unfinished_game
    from game.ui.screens.dialogs import ConfirmDialog
    from game.ui.session import new_tag

    found = unfinished_game(session.save_path())
    if found is None:
        play()
        return
    path, document = found

    def answer(resume: bool | None) -> None:
        if resume:
            load_game(app, path)
            return
        try:
            kept = keep_aside(session.save_path(), new_tag())
        except OSError as err:
            app.show_title(
                f"The new game was not started: could not keep {shown_path(path)}: {err.strerror or err}"
            )
            return
        play()
        files = " and ".join(shown_path(file) for file in kept)
        app.alert(
            f"Your previous game is kept in {files} (Load resumes it).", "Previous game kept", "information"
        )

    body = (
        f"A game of the same name was left unfinished: {shown_path(path)} ({reached(document)}). "
        "Resume it? (A new game keeps it under another name.)"
    )
    app.push_screen(
        ConfirmDialog("Resume the unfinished game?", body, yes="Resume", no="New game", escape_yes=True),
        answer,
    )


def leave_game(app: CircularApp) -> None:
    """Back to the title screen; a game with unsaved moves asks first."""
    from game.ui.screens.dialogs import ConfirmDialog

    def leave(confirmed: bool | None) -> None:
        if confirmed:
            app.flush_autosave()
            app.session = None
            app.show_title()

    session = app.session
    if session is not None and session.unsaved and not session.finished:
        body = "This game has moves that are not saved (ctrl+s saves it). Leave it anyway?"
        app.push_screen(ConfirmDialog("Start a new game?", body, yes="Leave", no="Stay"), leave)
    else:
        leave(True)


def request_quit(app: CircularApp) -> None:
    """Quit; a game with unsaved moves first offers to save them (and says what the autosave keeps)."""
    from game.ui.screens.dialogs import QuitDialog

    if isinstance(app.screen, QuitDialog):
        return
    session = app.session
    if session is None or not session.unsaved:
        app.farewell = where_kept(app)
        app.exit(0)
        return
    app.flush_autosave()
    autosave = session.save_path(autosave=True).name if session.autosaved else ""
    # in the first quarter played (of a new or a loaded game) no autosave is written yet
    written = session.last_autosave is not None and not session.autosave_error
    played = bool(session.game.log)
    dialog = QuitDialog(
        session.save_path().name,
        autosave,
        quarter_start=written,
        played=played,
        autosave_failed=session.autosave_error,
    )

    def choice(chosen: str | None) -> None:
        if chosen == "save":
            save(app)
            if app.session is not None and not app.session.unsaved:
                app.farewell = where_kept(app)
                app.exit(0)
        elif chosen == "quit":
            app.exit(0)

    app.push_screen(dialog, choice)


def where_kept(app: CircularApp) -> str:
    """Printed on quitting: the file to load to play on ("Your game is in saves/X.json"), as
    the screen that said where it was saved is gone; "" when no file holds every move."""
    from game.saves import shown_path

    kept = app.session.kept_in if app.session is not None else None
    return "" if kept is None else f"Your game is in {shown_path(kept)}"


def reload_scenario(app: CircularApp) -> None:
    """Re-read the scenario file and replay the moves on it (in a worker: a long game takes
    a moment to replay); a file with problems changes nothing."""
    from game.ui import reload

    session = app.session
    if session is None:
        return
    loaded, game = session.loaded, session.game
    app.run_worker(
        lambda: reload.reload_scenario(loaded, game), thread=True, group="reload", exit_on_error=False
    )


def reloaded(app: CircularApp, result: Reload) -> None:
    """Show what reloading found: the replayed game, or an offer to start the new version again."""
    from game.ui.messages import GameChoice
    from game.ui.screens.dialogs import ConfirmDialog, MessageDialog

    session = app.session
    if session is None:
        return
    if result.game is not None and result.loaded is not None:
        session.loaded, session.game = result.loaded, result.game
        app.loaded = result.loaded
        app.sub_title = f"class code {app.class_code()}"
        app.changed()
        app.tell(result.message, title="Scenario reloaded")
    elif result.loaded is not None:
        fresh = result.loaded

        def restart(yes: bool | None) -> None:
            if yes:
                game = session.game
                seats, facilitator = session.roster, session.facilitator
                app.start_game(
                    GameChoice(
                        fresh, game.seed, difficulty=game.difficulty, seats=seats, facilitator=facilitator
                    )
                )

        body = f"{result.message}\n\nStart a new game on the new version from its first quarter?"
        app.push_screen(ConfirmDialog("Reload the scenario", body, yes="Start again"), restart)
    else:
        app.push_screen(MessageDialog("Reload the scenario", result.message))
