"""Synthetic worlds of any size, for benchmarks and stress tests (not for play)."""

from __future__ import annotations

import numpy as np

from game.scenario.model import Scenario

KIND_CYCLE = ("hyperscaler", "lab", "chipmaker", "lab", "neocloud", "lab", "investor")


def synthetic_scenario(firms: int, quarters: int = 20, seed: int = 0) -> Scenario:
    """A random but valid world: mixed kinds, a web of stakes and commitments."""
    rng = np.random.default_rng(seed)
    kinds = [KIND_CYCLE[i % len(KIND_CYCLE)] for i in range(firms)]
    ids = [f"f{i}" for i in range(firms)]
    firm_tables = []
    for i, kind in enumerate(kinds):
        table: dict[str, object] = {
            "id": ids[i],
            "name": f"Firm {i}",
            "kind": kind,
            "cash": float(rng.uniform(1e9, 50e9)),
            "revenue": 0.0 if kind == "lab" else float(rng.uniform(1e9, 20e9)),
            "revenue_growth": float(rng.uniform(0.0, 0.05)),
            "costs": float(rng.uniform(0.2e9, 5e9)) if kind == "lab" else float(rng.uniform(0.5e9, 10e9)),
            "multiple": float(rng.uniform(5, 30)),
            "capacity": float(rng.uniform(1e9, 5e9)) if kind in ("hyperscaler", "neocloud") else 0.0,
        }
        if kind == "lab":
            table["capability"] = float(rng.uniform(0.5, 2.0))
            table["colour"] = ("red", "black", "other")[i % 3]
        firm_tables.append(table)
    labs = [i for i, k in enumerate(kinds) if k == "lab"]
    clouds = [i for i, k in enumerate(kinds) if k in ("hyperscaler", "neocloud")]
    stakes: list[dict[str, object]] = []
    owned = np.zeros(firms)
    for _ in range(2 * firms):
        holder, firm = (int(x) for x in rng.integers(firms, size=2))
        share = float(rng.uniform(0.01, 0.1))
        if (
            holder != firm
            and owned[firm] + share < 0.8
            and not any(s["holder"] == ids[holder] and s["firm"] == ids[firm] for s in stakes)
        ):
            owned[firm] += share
            stakes.append({"holder": ids[holder], "firm": ids[firm], "share": share})
    commitments = (
        [
            {
                "buyer": ids[lab],
                "seller": ids[int(rng.choice(clouds))],
                "total": float(rng.uniform(2e9, 20e9)),
                "quarters": int(rng.integers(4, 12)),
            }
            for lab in labs
        ]
        if clouds
        else []
    )
    raw = {
        "meta": {
            "id": "synthetic",
            "title": f"Synthetic {firms}-firm world",
            "summary": "benchmark",
            "start": "2025-Q1",
            "quarters": quarters,
            "seed": seed,
            "playable": [ids[labs[0]]],
        },
        "market": {"demand": 5e9 * max(1, len(labs)) / 4},
        "firms": firm_tables,
        "stakes": stakes,
        "commitments": commitments,
        "goals": {
            "hyperscaler": {"description": "grow", "win": "valuation(me) > start_valuation(me)"},
            "lab": {"description": "grow", "win": "valuation(me) > start_valuation(me)"},
        },
    }
    return Scenario.model_validate(raw, context={"firms": dict(zip(ids, kinds, strict=True))})
