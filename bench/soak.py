"""Soak test: thousands of games with random legal and illegal moves on every bundled
scenario, checking the invariants after every move and every quarter.

Run: python bench/soak.py [--games 3000] [--seed 1] [--quarters N]

Each game gets a random seed, random seats for people (the bots play the rest), sometimes a
difficulty and a facilitator, and between quarters a random number of random moves: mostly
sensible ones (the right kind of firm, an amount it can afford), some absurd (unknown firms,
NaN, infinity, negative or huge amounts, other firms' offers, questions nobody asked). After
every accepted move and every quarter it checks the books with the engine tests' own checks
(``check_world`` and ``check_report`` in ``tests/engine/test_invariants.py``): money is
conserved (cash before + money in from outside - money out = cash after, and moves between
quarters go through the same ledger), no firm is owned 100% or more, nothing is NaN or
infinite. A refused move must leave the game exactly as it was. At the end the game is
replayed from its log and must come out identical (fingerprint, full state digest and every
quarter's report); some games also go through a save file and back.

The short version runs in the suite (``tests/hardening/test_soak.py``).
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from game.engine.actions import (  # noqa: E402
    FACILITATOR,
    Action,
    Adjudicate,
    Bet,
    BuyChips,
    Choose,
    EndQuarter,
    ExerciseOption,
    InjectShock,
    ProposeDeal,
    RaiseOutside,
    Respond,
    SellStake,
    SetTraining,
)
from game.engine.game import Game  # noqa: E402
from game.engine.state import build_world  # noqa: E402
from game.saves import read_save, write_save  # noqa: E402
from game.scenario.loader import LoadedScenario, bundled_ids, load_scenario  # noqa: E402
from game.scenario.model import Scenario  # noqa: E402


def _module(name: str, path: Path) -> ModuleType:
    """A module of the test suite, imported once under its own name."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def invariants() -> ModuleType:
    """``tests/engine/test_invariants.py``: check_world and check_report, reused as they are."""
    return _module("test_invariants", ROOT / "tests" / "engine" / "test_invariants.py")


def world_digest() -> Callable[[Game], str]:
    """``world_digest`` from ``tests/conftest.py``: a hash of everything in a world."""
    conftest = _module("circular_tests_conftest", ROOT / "tests" / "conftest.py")
    digest: Callable[[Game], str] = conftest.world_digest
    return digest


WEIRD: list[Any] = [math.nan, math.inf, -math.inf, -1.0, 0.0, 1e20, 1e308, 1e-300, "1e9", True, None, 10**30]
KINDS = ["bet", "propose", "respond", "exercise", "sell", "training", "raise", "chips", "choose"]


class RandomMover:
    """Draws one move with ``random.Random``: usually a sensible one, sometimes anything."""

    def __init__(self, rng: random.Random, game: Game) -> None:
        self.rng, self.game, self.world = rng, game, game.world
        self.sensible = True

    def draw(self) -> Action:
        self.sensible = self.rng.random() < 0.75
        kinds = KINDS + ["shock", "adjudicate"] * (self.game.facilitator or not self.sensible)
        kind = self.rng.choice(kinds)
        action: Action = getattr(self, f"_{kind}")()
        return action

    # -- pieces ------------------------------------------------------------------------------
    def active(self, labs: bool | None = None) -> list[str]:
        world = self.world
        return [
            firm
            for i, firm in enumerate(world.ids)
            if not world.failed[i] and (labs is None or bool(world.is_lab[i]) == labs)
        ]

    def firm(self, among: list[str] | None = None) -> str:
        if self.sensible and among:
            return self.rng.choice(among)
        return self.rng.choice([*self.world.ids, "nobody", "", FACILITATOR])

    def amount(self, high: float) -> Any:
        if not self.sensible and self.rng.random() < 0.5:
            return self.rng.choice(WEIRD)
        if self.rng.random() < 0.1:
            return self.rng.choice([1.0, high])  # the smallest and the largest affordable
        return self.rng.uniform(0.0, max(high, 1.0))

    def fraction(self, high: float) -> Any:
        if not self.sensible and self.rng.random() < 0.5:
            return self.rng.choice([*WEIRD, 1.5, 0.99, 1.0])
        return self.rng.uniform(0.001, high)

    def odd(self, sensible: list[Any], absurd: list[Any]) -> Any:
        """One of the sensible values, or of the absurd ones (of any type) when not sensible."""
        return self.rng.choice(sensible if self.sensible else absurd)

    def cash(self, firm: str) -> float:
        world = self.world
        return float(world.cash[world.index[firm]]) if firm in world.index else 1e9

    def value(self, firm: str) -> float:
        world = self.world
        return abs(float(world.metrics["valuation"][world.index[firm]])) if firm in world.index else 1e9

    # -- moves -------------------------------------------------------------------------------
    def _bet(self) -> Action:
        actor = self.firm(self.active())
        lab = self.firm([f for f in self.active(labs=True) if f != actor])
        return Bet(actor, lab, self.amount(min(self.cash(actor), 0.3 * self.value(lab))))

    def _propose(self) -> Action:
        world, rng = self.world, self.rng
        actor = self.firm(self.active())
        is_lab = actor in world.index and bool(world.is_lab[world.index[actor]])
        other = self.firm(self.active(labs=not is_lab))
        open_offers = [o for o in world.offers if o.status == "open"]
        reply = rng.choice([None, None, *[o.id for o in open_offers]])
        if reply is not None and self.sensible:
            previous = next(o for o in open_offers if o.id == reply)
            actor, other = world.ids[previous.receiver], world.ids[previous.proposer]
            is_lab = bool(world.is_lab[world.index[actor]])
        lab, investor = (actor, other) if is_lab else (other, actor)
        sells = investor in world.index and bool(world.sells_compute[world.index[investor]])
        return ProposeDeal(
            actor,
            other,
            cash=self.amount(min(self.cash(investor), 0.3 * self.value(lab))),
            stake=self.fraction(0.3),
            compute_total=rng.choice([0.0, 1e9, 5e9] if self.sensible else [1e9, -1.0, math.nan, 1e300]),
            compute_quarters=self.odd([8, 4, 1], [0, 3.5, 41, -2]),
            option_amount=rng.choice([0.0, 5e8, 2e9] if self.sensible else [math.inf, -5.0]),
            exclusive=rng.random() < 0.3 and (sells or not self.sensible),
            reply_to=reply if self.sensible or rng.random() < 0.5 else rng.choice([0, -1, 10**9]),
        )

    def _respond(self) -> Action:
        world = self.world
        offers = [o for o in world.offers if o.status == "open" or not self.sensible]
        if not offers:
            return Respond(self.firm(), self.rng.choice([1, 0, -1]), True)
        offer = self.rng.choice(offers)
        actor = world.ids[offer.receiver] if self.sensible else self.firm()
        return Respond(actor, offer.id, self.rng.random() < 0.6)

    def _exercise(self) -> Action:
        world = self.world
        if not world.options:
            return ExerciseOption(self.firm(), self.rng.choice([1, 0, -1]))
        option = self.rng.choice(world.options)
        actor = world.ids[option.holder] if self.sensible else self.firm()
        return ExerciseOption(actor, option.id)

    def _sell(self) -> Action:
        world = self.world
        held = [(world.ids[i], world.ids[j]) for i, j in zip(*np.nonzero(world.stakes), strict=True)]
        if self.sensible and held:
            actor, firm = self.rng.choice(held)
            share = float(world.stakes[world.index[actor], world.index[firm]])
            return SellStake(actor, firm, share * self.rng.uniform(0.01, 1.0))
        return SellStake(self.firm(), self.firm(), self.fraction(0.5))

    def _training(self) -> Action:
        return SetTraining(self.firm(self.active(labs=True)), self.fraction(0.95))

    def _raise(self) -> Action:
        lab = self.firm(self.active(labs=True))
        return RaiseOutside(lab, self.amount(0.5 * self.value(lab)))

    def _chips(self) -> Action:
        world = self.world
        buyers = [f for f in self.active() if not world.sells_chips[world.index[f]]]
        sellers = [f for f in self.active() if world.sells_chips[world.index[f]]]
        actor = self.firm(buyers)
        quarters = self.odd([4, 1, 8], [0, 2.5, 21, -1])
        return BuyChips(actor, self.firm(sellers), self.amount(self.cash(actor)), quarters)

    def _choose(self) -> Action:
        world = self.world
        asked = [(world.ids[p.chooser], p.event) for p in world.pending]
        if self.sensible and asked:
            who, event = self.rng.choice(asked)
            return Choose(who, event, self.rng.choice([0, 1]))
        who, event = self.rng.choice([*asked, (self.firm(), "nosuch"), (self.firm(), "")])
        return Choose(who, event, self.odd([0, 1], [0, 1, 2, -1, True, "0", None]))

    def _shock(self) -> Action:
        shocks = [e.id for e in self.game.scenario.events if e.shock]
        event = self.rng.choice(shocks if self.sensible and shocks else [*shocks, "nosuch", ""])
        target = self.rng.choice([None, self.firm(self.active())])
        actor = FACILITATOR if self.sensible else self.rng.choice([FACILITATOR, self.firm()])
        return InjectShock(actor, event, target)

    def _adjudicate(self) -> Action:
        firm = self.firm(self.active())
        size = self.amount(0.2 * self.cash(firm))
        amount = size if self.rng.random() < 0.5 or not isinstance(size, float) else -size
        reasons = ["fair play", "a cartel", ""] if self.sensible else ["", " ", "x" * 500, None]
        reason = self.rng.choice(reasons)
        actor = FACILITATOR if self.sensible else self.rng.choice([FACILITATOR, self.firm()])
        return Adjudicate(actor, firm, amount, reason)  # type: ignore[arg-type]


# --- one game -------------------------------------------------------------------------------


@dataclass
class GameRecord:
    scenario: str
    seed: int
    quarters: int = 0
    accepted: Counter[str] = field(default_factory=Counter)
    refused: Counter[str] = field(default_factory=Counter)
    saved: bool = False


def play(
    loaded: LoadedScenario,
    seed: int,
    rng: random.Random,
    *,
    moves: int = 8,
    save_to: Path | None = None,
) -> GameRecord:
    """Play one game with random seats and moves, checking everything; raise AssertionError
    (with the scenario and seed in the message) on the first broken invariant."""
    scenario = loaded.scenario
    checks = invariants()
    firms = scenario.firm_ids()
    humans = tuple(rng.sample(firms, rng.randint(0, min(3, len(firms)))))
    difficulties = [None, *(d.id for d in scenario.meta.difficulties)]
    difficulty = rng.choice(difficulties) if rng.random() < 0.3 else None
    facilitator = rng.random() < 0.4
    record = GameRecord(scenario.meta.id, seed)
    where = f"{scenario.meta.id} seed {seed} humans {humans} difficulty {difficulty}"
    where += f" facilitator {facilitator}"
    try:
        game = Game(scenario, seed, humans, difficulty, facilitator=facilitator)
        cash = float(build_world(scenario, seed, humans, difficulty).cash.sum())  # before any event
        checks.check_world(game)
        mover = RandomMover(rng, game)
        while not game.world.finished:
            for _ in range(rng.randint(0, moves)):
                action = mover.draw()
                fingerprint, logged = game.fingerprint(), len(game.log)
                outcome = game.act(action)
                assert isinstance(outcome.message, str) and outcome.message, (action, outcome)
                if not outcome.ok:
                    record.refused[action.kind] += 1
                    assert game.fingerprint() == fingerprint and len(game.log) == logged, f"refused {action}"
                    continue
                record.accepted[action.kind] += 1
                checks.check_world(game)
            outcome = game.act(EndQuarter(""))
            assert outcome.ok, outcome
            record.quarters += 1
            report = game.reports[-1]
            cash = checks.check_report(report, cash, game.world)
            checks.check_world(game)
        assert len(game.reports) == scenario.meta.quarters
        again = Game.replay(scenario, seed, list(game.log), humans, difficulty, facilitator)
        assert again.fingerprint() == game.fingerprint(), "the replay differs (fingerprint)"
        digest = world_digest()
        assert digest(again) == digest(game), "the replay differs (full state)"
        assert [(r.outside_in, r.outside_out) for r in again.reports] == [
            (r.outside_in, r.outside_out) for r in game.reports
        ], "the replay's quarter reports differ"
        if save_to is not None:
            target = save_to / f"{scenario.meta.id}-seed{seed}.json"
            path = write_save(game, loaded.source, loaded.path, target)
            loaded_game, _ = read_save(path)
            assert digest(loaded_game) == digest(game), "the save does not load to the same game"
            record.saved = True
    except AssertionError as err:
        raise AssertionError(f"{where}: {err}") from err
    return record


def bundled() -> list[LoadedScenario]:
    return [load_scenario(scenario_id) for scenario_id in bundled_ids()]


def with_quarters(loaded: LoadedScenario, quarters: int | None) -> LoadedScenario:
    if quarters is None:
        return loaded
    scenario: Scenario = loaded.scenario
    meta = scenario.meta.model_copy(update={"quarters": quarters})
    return LoadedScenario(scenario.model_copy(update={"meta": meta}), loaded.source, loaded.path)


# --- the script -----------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--games", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--moves", type=int, default=8, help="random moves between quarters, at most")
    parser.add_argument("--quarters", type=int, default=None, help="play every scenario this long")
    parser.add_argument(
        "--save-every", type=int, default=10, help="send every Nth game through a save (0: none)"
    )
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    scenarios = [with_quarters(s, args.quarters) for s in bundled()]
    folder = Path(tempfile.mkdtemp(prefix="circular-soak-"))
    accepted: Counter[str] = Counter()
    refused: Counter[str] = Counter()
    per_scenario: Counter[str] = Counter()
    quarters = saved = 0
    failures: list[str] = []
    started = time.perf_counter()
    for number in range(1, args.games + 1):
        loaded = scenarios[number % len(scenarios)]
        seed = rng.randrange(2**32)
        # A save holds the scenario's text, so games stretched with --quarters are not saved.
        saving = args.save_every and number % args.save_every == 0 and args.quarters is None
        save_to = folder if saving else None
        try:
            record = play(loaded, seed, random.Random(seed), moves=args.moves, save_to=save_to)
        except Exception as err:  # every failure is reported, whatever it is
            failures.append(f"{type(err).__name__}: {err}")
            print(f"FAIL game {number}: {failures[-1][:500]}", flush=True)
            continue
        accepted.update(record.accepted)
        refused.update(record.refused)
        per_scenario[record.scenario] += 1
        quarters += record.quarters
        saved += record.saved
        if number % 500 == 0:
            seconds = time.perf_counter() - started
            print(f"{number} games, {len(failures)} failures, {seconds:.0f} s", flush=True)
    elapsed = time.perf_counter() - started
    print(f"\ngames: {args.games} (seed {args.seed}) in {elapsed:.1f} s; quarters checked: {quarters}")
    print("games per scenario: " + ", ".join(f"{k} {v}" for k, v in sorted(per_scenario.items())))
    print(f"moves accepted: {sum(accepted.values())}, refused: {sum(refused.values())}", end="")
    print(f"; games saved and reloaded: {saved}")
    kinds = sorted(set(accepted) | set(refused))
    print("by kind (accepted/refused): " + ", ".join(f"{k} {accepted[k]}/{refused[k]}" for k in kinds))
    print(f"failures: {len(failures)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
