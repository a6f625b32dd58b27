"""Reading the world by name: the values scenario conditions and goals refer to.

The names and their meanings are listed once, in ``game.scenario.vocabulary``.
"""

from __future__ import annotations

import numpy as np

from game.engine.state import World

LIVE = ("cash", "debt")  # read from the world, not the last close's metrics


class Observer:
    """The environment a compiled condition is evaluated in (``me`` = the player's firm)."""

    def __init__(self, world: World, me: str | None = None) -> None:
        self.world = world
        self.me = me

    def value(self, name: str) -> object:
        world = self.world
        metrics = world.metrics
        if name == "quarter":
            return world.quarter
        if name == "turn":
            return float(world.turn)
        if name == "me":
            return self.me
        if name == "failures":
            return float(np.count_nonzero(world.failed))
        if name == "failed_share":
            return float(world.failed.mean())
        if name == "sentiment":
            return float(np.mean(world.sentiment))
        if name == "demand":
            return float(world.market["demand"])
        return float(metrics[name])

    def call(self, name: str, args: tuple[object, ...]) -> object:
        world = self.world
        firm = world.index[str(args[0])]
        if name == "failed":
            return bool(world.failed[firm])
        if name == "leads":
            if not world.is_lab[firm] or world.failed[firm]:
                return False
            active = world.is_lab & ~world.failed
            return bool(world.capability[firm] >= world.capability[active].max())
        if name == "stake":
            return float(world.stakes[firm, world.index[str(args[1])]])
        if name == "start_valuation":
            return float(world.start_valuation[firm])
        if name == "start_share_price":
            return float(world.start_share_price[firm])
        if name == "committed":
            return float(sum(c.owed() for c in world.contracts if c.buyer == firm))
        if name in LIVE:  # as it is now: a sale or a raise since the close moves it at once
            return float(getattr(world, name)[firm])
        return float(world.metrics[name][firm])
