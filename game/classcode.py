"""Class codes: one short string that gives every student the same world.

A code names the scenario, the seed, the difficulty and the first four hex digits of the
scenario file's SHA-256, e.g. ``history-1k7-96ff`` or ``bubble-5-hard-db5a``. The digest
part catches a student whose copy of the scenario differs from the instructor's.
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
        return scenario_digest(source) == self.digest


def scenario_digest(source: str) -> str:
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:4]


def make_code(scenario: str, seed: int, difficulty: str | None, source: str) -> ClassCode:
    return ClassCode(scenario, seed, difficulty, scenario_digest(source))


def parse_code(text: str) -> ClassCode:
    """Read a code typed by a student; raise ValueError with a message they can act on."""
    match = _CODE.match(text.strip().lower())
    if match is None:
        raise ValueError(f"'{text.strip()}' is not a class code; it looks like history-1k7-96ff")
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
