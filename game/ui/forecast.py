"""The debrief's bot games: for each game world, many computer-played runs of the same
scenario to set the player's score against ("your score beat 83% of 1,000 bot games").

They are played once per world in a child process (``python -m game.simulate``), which uses
every core; the app runs threads and redirects its standard streams, so it must not fork a
process pool itself. Nothing here knows about Textual: the app runs ``play`` in a worker.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the simulator loads the engine: only when a forecast is played
    from game.simulate import RunOutcome
    from game.ui.session import Session

Key = tuple[str, int, "str | None", int]  # scenario text, seed, difficulty, runs


@dataclass
class Forecasts:
    runs: int  # bot games per forecast (0: no forecasts)
    done: dict[Key, list[RunOutcome]] = field(default_factory=dict)
    failed: dict[Key, str] = field(default_factory=dict)
    running: set[Key] = field(default_factory=set)
    children: list[subprocess.Popen[str]] = field(default_factory=list)

    def key(self, session: Session) -> Key:
        game = session.game
        return (session.loaded.source, game.seed, game.world_difficulty, self.runs)

    def of(self, session: Session) -> list[RunOutcome] | None:
        return self.done.get(self.key(session))

    def error(self, session: Session) -> str:
        return self.failed.get(self.key(session), "")

    def wanted(self, session: Session) -> Key | None:
        """The key of a forecast this game needs and nobody has started, or None."""
        key = self.key(session)
        if not self.runs or key in self.done or key in self.failed or key in self.running:
            return None
        return key

    def play(self, key: Key) -> list[RunOutcome]:
        """Play the forecast in a child process (blocking: call it from a worker thread)."""
        from game.simulate import forecast_command, forecast_request, read_forecast

        source, seed, difficulty, runs = key
        child = subprocess.Popen(
            forecast_command(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.children.append(child)
        try:
            answer, errors = child.communicate(forecast_request(source, seed, runs, difficulty))
        finally:
            self.children.remove(child)
        if child.returncode != 0:
            last = errors.strip().splitlines()[-1:] or [f"exit status {child.returncode}"]
            raise RuntimeError(last[0])
        return read_forecast(answer)

    def settle(self, key: Key) -> None:
        """Play the forecast and keep its outcomes, or why it could not be played."""
        try:
            self.done[key] = self.play(key)
        except Exception as err:  # shown in the debrief instead of the comparison
            self.failed[key] = str(err) or type(err).__name__
        finally:
            self.running.discard(key)

    def stop(self) -> None:
        """Stop the games still being played (the player is quitting)."""
        for child in list(self.children):
            child.kill()
