"""One game being played in the app: the scenario, the Game, the player's firm and its saves.

The session is the only door from the UI to the engine: every action goes through
``act``, so the UI never changes the world itself. It knows nothing about Textual.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from game.engine.actions import Action, EndQuarter
from game.engine.game import Game
from game.engine.quarter import QuarterReport
from game.engine.rules import Outcome
from game.engine.state import World
from game.saves import SaveError, default_save_path, read_save, write_save
from game.scenario.loader import LoadedScenario


@dataclass
class Session:
    loaded: LoadedScenario
    game: Game
    firm: str
    saves_dir: Path
    saved_actions: int = -1  # length of the log at the last save the player made (-1: never)
    last_save: Path | None = None
    last_autosave: Path | None = None
    loaded_from: Path | None = None
    seen_news: int = field(default=0)

    @classmethod
    def new(
        cls,
        loaded: LoadedScenario,
        *,
        seed: int | None,
        firm: str | None,
        difficulty: str | None,
        saves_dir: Path,
    ) -> Session:
        meta = loaded.scenario.meta
        firm = firm or meta.playable[0]
        game = Game(
            loaded.scenario, meta.seed if seed is None else seed, humans=(firm,), difficulty=difficulty
        )
        return cls(loaded, game, firm, saves_dir)

    @classmethod
    def load(cls, path: Path, saves_dir: Path) -> Session:
        """Resume a save; raises SaveError with a message for the player."""
        game, document = read_save(path)
        loaded = LoadedScenario(game.scenario, document.scenario.source, document.scenario.path)
        if not document.humans:
            raise SaveError(f"{path} is a game played by bots alone; there is no firm for you to run")
        return cls(loaded, game, document.humans[0], saves_dir, saved_actions=len(game.log), loaded_from=path)

    # -- reading -----------------------------------------------------------------------------
    @property
    def world(self) -> World:
        return self.game.world

    @property
    def me(self) -> int:
        return self.world.index[self.firm]

    @property
    def unsaved(self) -> bool:
        return len(self.game.log) != self.saved_actions

    @property
    def finished(self) -> bool:
        return self.world.finished

    def my_questions(self) -> list[str]:
        """Events waiting for the player's answer, by id."""
        return [p.event for p in self.world.pending if p.chooser == self.me]

    def open_offers_for_me(self) -> int:
        return sum(1 for o in self.world.offers if o.receiver == self.me and o.status == "open")

    # -- acting ------------------------------------------------------------------------------
    def act(self, action: Action) -> Outcome:
        return self.game.act(action)

    def end_quarter(self) -> QuarterReport | None:
        """Close the quarter; None if the engine refused (the game is over)."""
        outcome = self.game.act(EndQuarter(actor=""))
        return self.game.reports[-1] if outcome.ok else None

    # -- saving ------------------------------------------------------------------------------
    def save_path(self, *, autosave: bool = False) -> Path:
        name = default_save_path(self.game.scenario.meta.id, self.game.seed, autosave=autosave).name
        return self.saves_dir / name

    def save(self, target: Path | None = None) -> Path:
        path = write_save(self.game, self.loaded.source, self.loaded.path, target or self.save_path())
        self.saved_actions = len(self.game.log)
        self.last_save = path
        return path

    def autosave(self) -> Path:
        path = write_save(self.game, self.loaded.source, self.loaded.path, self.save_path(autosave=True))
        self.last_autosave = path
        return path
