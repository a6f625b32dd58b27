"""The money map's links and loops: who owns part of whom, who pays whom, and the closed
paths money goes round (A invests in B, B pays A for compute)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.engine.state import World
from game.money import format_money, format_share

MAX_LOOP_LENGTH = 4
MAX_LOOPS = 40


@dataclass(frozen=True)
class Link:
    """Money going from ``source`` to ``target``: an equity stake or a purchase commitment."""

    source: int
    target: int
    kind: str  # "stake" (source owns part of target) or "compute" / "chips" (source pays target)
    amount: float  # stake: value of the stake; commitment: payment per quarter
    share: float = 0.0  # stake: share held
    remaining: int = 0  # commitment: quarters left
    unpaid: float = 0.0  # commitment: what the buyer has failed to pay so far (Eisenberg-Noe)


def money_links(world: World) -> list[Link]:
    """Every stake and every commitment still running, in the direction the money went."""
    links: list[Link] = []
    value = np.maximum(world.metrics["valuation"], 0.0)
    holders, firms = np.nonzero(world.stakes > 1e-9)
    for i, j in zip(holders.tolist(), firms.tolist(), strict=True):
        share = float(world.stakes[i, j])
        links.append(Link(i, j, "stake", share * float(value[j]), share=share))
    per_pair: dict[tuple[int, int, str], tuple[float, int, float]] = {}
    for c in world.contracts:
        if c.remaining <= 0:
            continue
        amount, left, unpaid = per_pair.get((c.buyer, c.seller, c.kind), (0.0, 0, 0.0))
        per_pair[(c.buyer, c.seller, c.kind)] = (
            amount + c.per_quarter,
            max(left, c.remaining),
            unpaid + c.unpaid,
        )
    for (buyer, seller, kind), (amount, left, unpaid) in sorted(per_pair.items()):
        links.append(Link(buyer, seller, kind, amount, remaining=left, unpaid=unpaid))
    return links


def find_loops(
    world: World, links: list[Link] | None = None, max_length: int = MAX_LOOP_LENGTH
) -> list[list[int]]:
    """Closed paths of money: A invests in B, B pays A for compute (and longer rounds).

    Each loop is listed once, starting at its lowest firm index, shortest loops first.
    Failed firms are left out: money no longer goes round through them.
    """
    links = money_links(world) if links is None else links
    out: dict[int, set[int]] = {}
    for link in links:
        if world.failed[link.source] or world.failed[link.target]:
            continue
        out.setdefault(link.source, set()).add(link.target)
    loops: list[list[int]] = []

    def walk(start: int, path: list[int]) -> None:
        if len(loops) >= MAX_LOOPS:
            return
        for nxt in sorted(out.get(path[-1], ())):
            if nxt == start and len(path) >= 2:
                loops.append(list(path))
            elif nxt > start and nxt not in path and len(path) < max_length:
                walk(start, [*path, nxt])

    for start in sorted(out):
        walk(start, [start])
    loops.sort(key=lambda loop: (len(loop), loop))
    return loops[:MAX_LOOPS]


def link_between(links: list[Link], source: int, target: int) -> list[Link]:
    return [link for link in links if link.source == source and link.target == target]


def in_loop(loops: list[list[int]], source: int, target: int) -> bool:
    """True if money going from source to target is part of some loop."""
    for loop in loops:
        for k, firm in enumerate(loop):
            if firm == source and loop[(k + 1) % len(loop)] == target:
                return True
    return False


def describe_link(world: World, link: Link) -> str:
    unit = world.unit
    if link.kind == "stake":
        return f"owns {format_share(link.share)} ({format_money(link.amount, unit)})"
    owed = f"; {format_money(link.unpaid, unit)} unpaid so far" if link.unpaid > 0 else ""
    return f"pays {format_money(link.amount, unit)}/q for {link.kind} ({link.remaining} q left{owed})"
