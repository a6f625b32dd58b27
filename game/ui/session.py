"""One game being played in the app: the scenario, the Game, the seats and their saves.

The session is the only door from the UI to the engine: every action goes through
``act``, so the UI never changes the world itself. It knows nothing about Textual.

A game has one seat (one person at the keyboard) or, hot seat, two to six: people sharing one
keyboard, each running a firm, in turn. ``firm`` is always the seat whose turn it is, so every
screen shows and acts for that seat; ``pass_turn`` moves to the next seat and ``end_quarter``,
after the last seat, plays the quarter and gives the turn back to the first.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from game.engine.actions import Action, EndQuarter
from game.engine.game import Game
from game.engine.quarter import QuarterReport
from game.engine.rules import Outcome
from game.engine.state import Offer, World
from game.saves import (
    SaveError,
    default_save_path,
    newer_autosave,
    reached,
    read_save,
    shown_path,
    write_save,
)
from game.scenario.loader import LoadedScenario
from game.seats import check_names, check_seats, clean_name, names_in_file_name

_TAG = re.compile(r"[0-9a-f]{6}")


def new_tag() -> str:
    """A short tag of a game's own for its file names ("3f9a0c"). Every browser that
    ``circular serve`` serves with a class code plays the same world, often with no name typed:
    without it, each browser's saves would overwrite the last one's. Six hex digits: two of a
    hundred browsers share one about once in three thousand classes."""
    return secrets.token_hex(3)


@dataclass
class Session:
    loaded: LoadedScenario
    game: Game
    firm: str  # the seat whose turn it is: the firm the screens show and act for
    saves_dir: Path
    saved_actions: int = -1  # length of the log at the last save the player made (-1: never)
    autosaved_actions: int = -1  # length of the log at the last autosave
    last_save: Path | None = None
    last_autosave: Path | None = None
    autosave_error: str = ""  # why the last autosave could not be written ("" when it was)
    loaded_from: Path | None = None
    newer_autosave: tuple[Path, str] | None = None  # loaded_from's autosave, further along: how far
    names: dict[str, str] = field(default_factory=dict)  # player name per seat ("" if none typed)
    tag: str = ""  # a game played in a browser: a tag of its own for its file names (new_tag)

    @classmethod
    def new(
        cls,
        loaded: LoadedScenario,
        *,
        seed: int | None,
        firm: str | None,
        difficulty: str | None,
        saves_dir: Path,
        seats: Sequence[tuple[str, str]] = (),
        player: str = "",
        facilitator: bool = False,
        tag: str = "",
    ) -> Session:
        """A new game. One seat: ``firm`` (default: the first playable) run by ``player``.
        Hot seat: ``seats``, every seat in turn order as (firm, player name). ``tag``: see
        ``new_tag``. Raises ValueError, in one line, for seats the scenario does not allow or a
        bad name."""
        meta = loaded.scenario.meta
        chosen = list(seats) or [(firm or meta.playable[0], player)]
        firms = tuple(f for f, _ in chosen)
        check_seats(firms, loaded.scenario.firm_ids(), meta.playable)
        names = {f: clean_name(name) for f, name in chosen}
        check_names(names.values())
        game = Game(
            loaded.scenario,
            meta.seed if seed is None else seed,
            humans=firms,
            difficulty=difficulty,
            facilitator=facilitator,
        )
        return cls(loaded, game, firms[0], saves_dir, names=names, tag=tag)

    @classmethod
    def load(cls, path: Path, saves_dir: Path, tag: str = "") -> Session:
        """Resume a save, with the seat whose turn it was; raises SaveError with a message for
        the player. A save whose file name ends in a tag (``new_tag``) keeps it, so that the
        game goes on writing the same files; else it takes ``tag``."""
        game, document = read_save(path)
        loaded = LoadedScenario(game.scenario, document.scenario.source, document.scenario.path)
        if not document.humans:
            bots = "is a game played by bots alone; there is no firm for you to run"
            raise SaveError(f"{shown_path(path)} {bots}")
        seats = document.humans
        names = {firm: document.players.get(firm, "").strip() for firm in seats}
        if not document.players:  # one seat, or a save from before hot seat
            names[seats[0]] = document.player.strip()
        firm = document.playing or seats[0]
        session = cls(
            loaded, game, firm, saves_dir, saved_actions=len(game.log), loaded_from=path, names=names
        )
        session.tag = session.tag_in(path) or tag
        newer = newer_autosave(path, document)
        if newer is not None:
            session.newer_autosave = (newer[0], reached(newer[1]))
        return session

    # -- reading -----------------------------------------------------------------------------
    @property
    def world(self) -> World:
        return self.game.world

    @property
    def me(self) -> int:
        return self.world.index[self.firm]

    # -- seats -------------------------------------------------------------------------------
    @property
    def seats(self) -> tuple[str, ...]:
        """The firms run by people, in turn order (one for a game with one player)."""
        return self.game.humans

    @property
    def hot_seat(self) -> bool:
        """True when several people share the game, taking turns at the keyboard."""
        return len(self.seats) > 1

    @property
    def turn(self) -> int:
        """The position of the seat whose turn it is (0 for the first)."""
        return self.seats.index(self.firm)

    @property
    def last_turn(self) -> bool:
        """True when the seat playing now is the last of the quarter: ending its turn plays
        the quarter."""
        return self.turn == len(self.seats) - 1

    @property
    def next_seat(self) -> str | None:
        """The seat that plays after this one in the same quarter, or None for the last."""
        return None if self.last_turn else self.seats[self.turn + 1]

    @property
    def roster(self) -> tuple[tuple[str, str], ...]:
        """Every seat in turn order as (firm, player name): what ``Session.new(seats=...)``
        takes to start the same seats again."""
        return tuple((firm, self.names.get(firm, "")) for firm in self.seats)

    @property
    def player(self) -> str:
        """The name typed for the seat whose turn it is ("" if none)."""
        return self.names.get(self.firm, "")

    @property
    def facilitator(self) -> bool:
        return self.game.facilitator

    def firm_name(self, firm: str | None = None) -> str:
        """The firm's name as the scenario writes it (the seat playing now by default)."""
        world = self.world
        return world.names[world.index[firm or self.firm]]

    def seat_label(self, firm: str | None = None) -> str:
        """The seat as people call it: "Ada — Anthropic", or "Anthropic" when no name was typed."""
        firm = firm or self.firm
        name = self.names.get(firm, "")
        return f"{name} — {self.firm_name(firm)}" if name else self.firm_name(firm)

    def pass_turn(self) -> str:
        """The seat playing now is done for this quarter: the next seat plays (returned)."""
        following = self.next_seat
        if following is None:
            raise ValueError("the last seat of the quarter ends the quarter; it does not pass")
        self.firm = following
        return following

    @property
    def unsaved(self) -> bool:
        return len(self.game.log) != self.saved_actions

    @property
    def kept_in(self) -> Path | None:
        """The file that holds every move made so far, if one does: the last ctrl+s save,
        else the save this game was loaded from, else the autosave."""
        if not self.unsaved:
            return self.last_save or self.loaded_from
        return self.last_autosave if self.autosaved else None

    @property
    def autosaved(self) -> bool:
        """True when the autosave holds every move made so far."""
        return len(self.game.log) == self.autosaved_actions

    @property
    def finished(self) -> bool:
        return self.world.finished

    def out_of_play(self) -> str:
        """Why the seat playing now can make no more moves ("the game is over", "Red Lab has
        failed"), or "" while it can: the screens hide the keys and forms it could not use."""
        if self.finished:
            return "the game is over"
        if self.world.failed[self.me]:
            return f"{self.firm_name()} has failed"
        return ""

    def my_questions(self) -> list[str]:
        """Events waiting for the player's answer, by id."""
        return [p.event for p in self.world.pending if p.chooser == self.me]

    def awaits_me(self, offer: Offer) -> bool:
        """True if the offer waits for the answer of the seat playing now (never once that seat
        can make no more moves: it could only be refused)."""
        return offer.receiver == self.me and offer.status == "open" and not self.out_of_play()

    def open_offers_for_me(self) -> int:
        return sum(1 for o in self.world.offers if self.awaits_me(o))

    # -- acting ------------------------------------------------------------------------------
    def act(self, action: Action) -> Outcome:
        return self.game.act(action)

    def end_quarter(self) -> QuarterReport | None:
        """Close the quarter; None if the engine refused (the game is over). The first seat
        plays first in the next quarter."""
        outcome = self.game.act(EndQuarter(actor=""))
        if not outcome.ok:
            return None
        self.firm = self.seats[0]
        return self.game.reports[-1]

    # -- saving ------------------------------------------------------------------------------
    def save_path(self, *, autosave: bool = False) -> Path:
        return self.saves_dir / f"{self.file_stem}{'.autosave' if autosave else ''}.json"

    @property
    def file_stem(self) -> str:
        """What the game's files are called: scenario, seed, the seats, the players' names and
        the tag, if any ("history-seed2023-microsoft-amazon-ada-bo",
        "history-seed2023-openai-3f9a0c"), so that a class's saves do not overwrite each other,
        nor one seat's game another's on the same seed."""
        return "-".join(part for part in (self._named_stem, self.tag) if part)

    @property
    def _named_stem(self) -> str:
        stem = default_save_path(self.game.scenario.meta.id, self.game.seed).stem
        names = names_in_file_name(self.names.get(firm, "") for firm in self.seats)
        return "-".join(part for part in (stem, *self.seats, names) if part)

    def tag_in(self, path: Path) -> str:
        """The tag at the end of a save's file name made by this game ("" if none)."""
        name = path.name.removesuffix(".json").removesuffix(".autosave")
        rest = name.removeprefix(self._named_stem + "-")
        return rest if rest != name and _TAG.fullmatch(rest) else ""

    def save(self, target: Path | None = None) -> Path:
        path = self._write(target or self.save_path())
        self.saved_actions = len(self.game.log)
        self.last_save = path
        return path

    def autosave(self) -> Path:
        try:
            path = self._write(self.save_path(autosave=True))
        except OSError as err:
            self.autosave_error = err.strerror or str(err)
            raise
        self.autosave_error = ""
        self.last_autosave = path
        self.autosaved_actions = len(self.game.log)
        return path

    def _write(self, target: Path) -> Path:
        """The save with its seats: the first seat's name as ``player`` and, hot seat, every
        seat's name and whose turn it is."""
        seats = self.seats
        players = {firm: self.names.get(firm, "") for firm in seats} if self.hot_seat else None
        playing = self.firm if self.hot_seat else ""
        first = self.names.get(seats[0], "")
        return write_save(self.game, self.loaded.source, self.loaded.path, target, first, players, playing)
