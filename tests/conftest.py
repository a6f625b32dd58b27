"""Shared fixtures: the test scenario, games built from it, a deep digest of a world,
bundled scenarios (skipped while they do not exist yet) and a runner for the command line."""

from __future__ import annotations

import dataclasses
import hashlib
import math
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import strategies as st

from game.engine.actions import (
    Action,
    Bet,
    BuyChips,
    Choose,
    EndQuarter,
    ExerciseOption,
    ProposeDeal,
    RaiseOutside,
    Respond,
    SellStake,
    SetTraining,
)
from game.engine.game import Game
from game.scenario.loader import LoadedScenario, load_scenario, parse_scenario
from game.scenario.model import Scenario

REPO = Path(__file__).resolve().parents[1]
MINI_PATH = REPO / "tests" / "data" / "mini.toml"
BUNDLED_DIR = REPO / "scenarios"

# An event that ruins Red Lab at the start of the game, so it fails when the first quarter is
# played: its business is worth nothing and it owes far more than it has.
DOOM_EVENT = """
[[events]]
id = "scandal"
headline = "Red Lab collapses"
when = "2024-Q1"
effects = [
  { do = "adjust", firm = "redlab", field = "multiple", multiply = 0.0 },
  { do = "adjust", firm = "redlab", field = "debt", add = 1e11 },
]

[goals]"""


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def mini_path() -> Path:
    return MINI_PATH


@pytest.fixture(scope="session")
def mini_loaded() -> LoadedScenario:
    return load_scenario(MINI_PATH)


@pytest.fixture(scope="session")
def mini(mini_loaded: LoadedScenario) -> Scenario:
    return mini_loaded.scenario


@pytest.fixture(scope="session")
def doomed_source(mini_loaded: LoadedScenario) -> str:
    """The mini scenario plus an event that makes Red Lab fail in the first quarter."""
    source = mini_loaded.source
    assert source.count("\n[goals]") == 1
    return source.replace("\n[goals]", DOOM_EVENT)


@pytest.fixture(scope="session")
def doomed(doomed_source: str) -> Scenario:
    return parse_scenario(doomed_source, "doomed.toml")


@pytest.fixture(scope="session")
def make_game(mini: Scenario) -> Callable[..., Game]:
    """``make_game("cloudco", seed=7, scenario=None)``: a new game on mini (or ``scenario``)
    with the named firms played by people."""

    def make(*humans: str, seed: int = 7, scenario: Scenario | None = None) -> Game:
        return Game(scenario or mini, seed, humans)

    return make


@pytest.fixture(scope="session")
def bundled() -> Callable[[str], LoadedScenario]:
    """``bundled("history")``: a bundled scenario, or skip the test while it is not written."""

    def get(scenario_id: str) -> LoadedScenario:
        path = BUNDLED_DIR / f"{scenario_id}.toml"
        if not path.is_file():
            pytest.skip(f"bundled scenario {scenario_id!r} is not there yet")
        return load_scenario(path)

    return get


def _canonical(value: Any, out: list[bytes]) -> None:
    """Append a byte form of ``value`` that is equal exactly when the values are equal."""
    if isinstance(value, np.ndarray):
        out.append(f"array{value.dtype}{value.shape}".encode())
        out.append(np.ascontiguousarray(value).tobytes())
    elif isinstance(value, np.random.Generator):
        out.append(repr(value.bit_generator.state).encode())
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        out.append(type(value).__name__.encode())
        for f in dataclasses.fields(value):
            out.append(f.name.encode())
            _canonical(getattr(value, f.name), out)
    elif isinstance(value, dict):
        out.append(b"{")
        for key in sorted(value, key=repr):
            out.append(repr(key).encode())
            _canonical(value[key], out)
        out.append(b"}")
    elif isinstance(value, list | tuple):
        out.append(b"[")
        for item in value:
            _canonical(item, out)
        out.append(b"]")
    elif isinstance(value, float):
        out.append(np.float64(value).tobytes())
    else:
        out.append(repr(value).encode())


def world_digest(game: Game) -> str:
    """A hash of everything in the world (more than ``Game.fingerprint``: contracts, options,
    offers, questions, news, the market, the random generator's state) and of the log."""
    parts: list[bytes] = []
    _canonical(game.world, parts)
    parts.append(f"log={len(game.log)} reports={len(game.reports)}".encode())
    return hashlib.sha256(b"\x00".join(parts)).hexdigest()


@pytest.fixture(scope="session")
def digest() -> Callable[[Game], str]:
    return world_digest


def _cli_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("PYTHONHASHSEED", None)
    return env


@pytest.fixture(scope="session")
def run_cli() -> Callable[..., subprocess.CompletedProcess[str]]:
    """``run_cli("validate", "x.toml")``: run ``python -m game ...`` in a real subprocess."""

    def run(
        *args: str, python_args: tuple[str, ...] = (), env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, *python_args, "-m", "game", *args],
            cwd=REPO,
            env={**_cli_env(), **(env or {})},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    return run


@pytest.fixture(scope="session")
def run_python() -> Callable[..., subprocess.CompletedProcess[str]]:
    """``run_python(code)``: run ``python -c code`` in a real subprocess from the repository."""

    def run(code: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", code],
            cwd=REPO,
            env={**_cli_env(), **(env or {})},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    return run


# --- random moves for property tests ------------------------------------------------------

WEIRD: list[Any] = [math.nan, math.inf, -math.inf, -1.0, 0.0, 1e20, "1e9", True, None]
KINDS = ("bet", "propose", "respond", "exercise", "sell", "training", "raise", "chips", "choose", "end")


class Mover:
    """Draws one move: usually a sensible one (the right kind of firm, an amount it can
    afford), sometimes anything at all (unknown firms, NaN, strings, other firms' offers)."""

    def __init__(self, data: st.DataObject, game: Game) -> None:
        self.data, self.game, self.world = data, game, game.world
        self.sensible = data.draw(st.integers(0, 3), label="sensible?") > 0

    def pick(self, choices: list[Any], label: str) -> Any:
        return self.data.draw(st.sampled_from(choices), label=label)

    def firm(self, label: str, among: list[str] | None = None) -> str:
        world = self.world
        if self.sensible and among:
            return str(self.pick(among, label))
        return str(self.pick([*world.ids, "nosuch"], label))

    def active(self, *, labs: bool | None = None) -> list[str]:
        world = self.world
        return [
            world.ids[i]
            for i in range(world.n)
            if not world.failed[i] and (labs is None or bool(world.is_lab[i]) == labs)
        ]

    def amount(self, scale: float) -> Any:
        if not self.sensible and self.data.draw(st.booleans(), label="weird amount?"):
            return self.pick(WEIRD, "weird amount")
        return max(scale, 1e6) * self.data.draw(st.floats(0.001, 0.6), label="amount share")

    def fraction(self, high: float) -> Any:
        if not self.sensible and self.data.draw(st.booleans(), label="weird fraction?"):
            return self.pick([*WEIRD, 1.5, 0.99], "weird fraction")
        return self.data.draw(st.floats(0.001, high), label="fraction")

    def cash(self, firm: str) -> float:
        return float(self.world.cash[self.world.index[firm]]) if firm in self.world.index else 1e9

    def value(self, firm: str) -> float:
        world = self.world
        return abs(float(world.metrics["valuation"][world.index[firm]])) if firm in world.index else 1e9

    def draw(self) -> Action:
        kind = self.pick(list(KINDS), "kind")
        return getattr(self, f"_{kind}")()

    def _bet(self) -> Action:
        actor = self.firm("bettor", self.active())
        lab = self.firm("lab", [f for f in self.active(labs=True) if f != actor])
        return Bet(actor, lab, self.amount(min(self.cash(actor), 0.3 * self.value(lab))))

    def _propose(self) -> Action:
        world = self.world
        actor = self.firm("proposer", self.active())
        is_lab = actor in world.index and bool(world.is_lab[world.index[actor]])
        other = self.firm("counterparty", self.active(labs=not is_lab))
        reply = self.pick([None, None, *[o.id for o in world.offers if o.status == "open"]], "reply to")
        if reply is not None and self.sensible:
            previous = next(o for o in world.offers if o.id == reply)
            actor, other = world.ids[previous.receiver], world.ids[previous.proposer]
        lab, investor = (actor, other) if is_lab else (other, actor)
        sells = investor in world.index and bool(world.sells_compute[world.index[investor]])
        return ProposeDeal(
            actor,
            other,
            cash=self.amount(min(self.cash(investor), 0.3 * self.value(lab))),
            stake=self.fraction(0.3),
            compute_total=self.pick([0.0, 1e9, 5e9] if self.sensible else [1e9, -1.0, math.nan], "compute"),
            compute_quarters=self.pick([8, 4, 1] if self.sensible else [0, 3.5, 41], "quarters"),
            option_amount=self.pick([0.0, 5e8, 2e9] if self.sensible else [math.inf, -5.0], "option"),
            exclusive=self.data.draw(st.booleans(), label="exclusive") and (sells or not self.sensible),
            reply_to=reply,
        )

    def _respond(self) -> Action:
        world = self.world
        numbers = [o.id for o in world.offers if o.status == "open" or not self.sensible] or [1]
        number = self.pick(numbers, "offer")
        target = next((o for o in world.offers if o.id == number), None)
        actor = world.ids[target.receiver] if target is not None and self.sensible else self.firm("answerer")
        return Respond(actor, number, self.data.draw(st.booleans(), label="accept"))

    def _exercise(self) -> Action:
        world = self.world
        number = self.pick([o.id for o in world.options] or [1], "option")
        target = next((o for o in world.options if o.id == number), None)
        actor = world.ids[target.holder] if target is not None and self.sensible else self.firm("holder")
        return ExerciseOption(actor, number)

    def _sell(self) -> Action:
        world = self.world
        held = [(world.ids[i], world.ids[j]) for i, j in zip(*np.nonzero(world.stakes), strict=True)]
        if self.sensible and held:
            actor, firm = self.pick(held, "holding")
            share = float(world.stakes[world.index[actor], world.index[firm]])
            return SellStake(actor, firm, share * self.data.draw(st.floats(0.01, 1.0), label="part"))
        return SellStake(self.firm("seller"), self.firm("firm"), self.fraction(0.5))

    def _training(self) -> Action:
        return SetTraining(self.firm("lab", self.active(labs=True)), self.fraction(0.95))

    def _raise(self) -> Action:
        lab = self.firm("lab", self.active(labs=True))
        return RaiseOutside(lab, self.amount(0.5 * self.value(lab)))

    def _chips(self) -> Action:
        world = self.world
        buyers = [f for f in self.active() if not world.sells_chips[world.index[f]]]
        sellers = [f for f in self.active() if world.sells_chips[world.index[f]]]
        actor = self.firm("buyer", buyers)
        quarters = self.pick([4, 1, 8] if self.sensible else [0, 2.5, 21], "quarters")
        return BuyChips(actor, self.firm("chipmaker", sellers), self.amount(self.cash(actor)), quarters)

    def _choose(self) -> Action:
        world = self.world
        asked = [(world.ids[p.chooser], p.event) for p in world.pending]
        if not (self.sensible and asked):
            asked += [(self.firm("chooser"), "chip_question"), ("cloudco", "nosuch")]
        who, event_id = self.pick(asked, "question")
        choice = self.pick([0, 1] if self.sensible else [2, -1, True, "0"], "choice")
        return Choose(who, event_id, choice)

    def _end(self) -> Action:
        return EndQuarter("")


@pytest.fixture(scope="session")
def random_move() -> Callable[[st.DataObject, Game], Action]:
    """``random_move(data, game)``: one move drawn with Hypothesis, legal or not."""
    return lambda data, game: Mover(data, game).draw()
