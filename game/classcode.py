"""Class codes: one short string that gives every student the same world.

A code names the scenario, the seed, the difficulty and a check: the first four hex digits
of a SHA-256 over all three and the scenario file's text, e.g. ``history-1k7-92b9`` or
``bubble-5-hard-86d9``. The check catches a typo anywhere in the code (a wrong seed digit
started another world without a word) as well as a student whose copy of the scenario
differs from the instructor's.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from game.engine.game import Game

DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_CODE = re.compile(
    r"^(?P<id>[a-z][a-z0-9_]*)-(?P<seed>[0-9a-z]{1,13})(?:-(?P<difficulty>[a-z][a-z0-9_]*))?"
    r"-(?P<digest>[0-9a-f]{4})$"
)


@dataclass(frozen=True)
class ClassCode:
    scenario: str
    seed: int
    difficulty: str | None
    digest: str

    def __str__(self) -> str:
        parts = [
            self.scenario,
            _base36(self.seed),
            *([self.difficulty] if self.difficulty else []),
            self.digest,
        ]
        return "-".join(parts)

    def matches(self, source: str) -> bool:
        return world_digest(self.scenario, self.seed, self.difficulty, source) == self.digest


def world_digest(scenario: str, seed: int, difficulty: str | None, source: str) -> str:
    """The code's check: a mistyped scenario, seed or difficulty changes it as an edited
    scenario file does."""
    world = f"{scenario}\n{seed}\n{difficulty or ''}\n{source}"
    return hashlib.sha256(world.encode("utf-8")).hexdigest()[:4]


def make_code(scenario: str, seed: int, difficulty: str | None, source: str) -> ClassCode:
    return ClassCode(scenario, seed, difficulty, world_digest(scenario, seed, difficulty, source))


def parse_code(text: str) -> ClassCode:
    """Read a code typed by a student; raise ValueError with a message they can act on."""
    match = _CODE.match(text.strip().lower())
    if match is None:
        raise ValueError(f"'{text.strip()}' is not a class code; it looks like history-1k7-92b9")
    return ClassCode(match["id"], int(match["seed"], 36), match["difficulty"], match["digest"])


def _base36(number: int) -> str:
    if number == 0:
        return "0"
    out = ""
    while number:
        number, digit = divmod(number, 36)
        out = DIGITS[digit] + out
    return out


def code_for_game(scenario_id: str, seed: int, difficulty: str | None, source: str) -> str:
    """The class code that gives a student this game's world (shown in the game and exports)."""
    return str(make_code(scenario_id, seed, difficulty, source))


def class_code(game: Game, source: str) -> str:
    """The class code of ``game``, played on the scenario text ``source`` (the game's header,
    its exports, and the class report of its save)."""
    return code_for_game(game.scenario.meta.id, game.seed, game.world_difficulty, source)
