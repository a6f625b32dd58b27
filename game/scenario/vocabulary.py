"""The names a scenario's conditions may use, their types and their meaning.

One table serves three purposes: the condition checker (types), the engine
(which computes each value) and the authoring guide (the descriptions).
"""

from __future__ import annotations

from game.scenario.conditions import MONEY, SHARE, Signature

FIRM_METRICS: dict[str, str] = {
    "valuation": "market valuation of the firm (all of its equity, stakes in others included)",
    "fundamental": "the same valuation at neutral sentiment (revenue multiple x revenue + cash - debt)",
    "start_valuation": "the firm's valuation when the game started",
    "share_price": "valuation per share (each firm has 1 share before the opening events): "
    "selling new shares dilutes it",
    "start_share_price": "the firm's share price when the game started",
    "valuation_change": "change of valuation over the last quarter, as a fraction (0.1 = +10%)",
    "cash": "cash on hand",
    "debt": "debt outstanding",
    "revenue": "revenue last quarter (outside customers plus payments from other firms)",
    "capability": "a lab's model capability (0 for other firms)",
    "market_share": "a lab's share of end-customer AI demand last quarter",
    "round_trip": "share of last quarter's revenue that was the firm's own investment coming back",
    "cycling": "Finn cycling index of the money passing through the firm (0 to 1)",
    "exposure": "value of the firm's stakes in others divided by its own valuation",
    "debtrank": "share of the whole system's value (its own included) that the other firms would lose "
    "if this firm failed (DebtRank, 0 to 1)",
    "bubble": "market valuation divided by fundamental valuation",
    "committed": "compute and chip payments the firm still owes under its commitments",
}

FIRM_FLAGS: dict[str, str] = {
    "failed": "true once the firm has failed",
    "leads": "true if the lab has the highest capability",
}

SYSTEM_NUMBERS: dict[str, str] = {
    "turn": "quarters played so far (0 at the start)",
    "system_cycling": "Finn cycling index of all money flows last quarter (0 to 1)",
    "system_bubble": "total market valuation divided by total fundamental valuation",
    "failures": "number of firms that have failed",
    "failed_share": "share of firms that have failed (0 to 1)",
    "demand": "end-customer AI demand this quarter, the one about to be played: last quarter's grown "
    "by demand_growth and a random shock (the scenario's demand in the first quarter)",
    "sentiment": "average market sentiment, log of market over fundamental multiple (0 = neutral)",
    "total_valuation": "sum of all firms' valuations",
}

# The names that count money or a share (0 to 1): a goal's checklist writes their figures, and
# the numbers compared with them, as "$8 bn" and "40%"; other numbers stay plain.
UNITS: dict[str, str] = {
    **dict.fromkeys(("valuation", "fundamental", "start_valuation", "share_price", "start_share_price",
                     "cash", "debt", "revenue", "committed", "demand", "total_valuation"), MONEY),
    **dict.fromkeys(("market_share", "round_trip", "cycling", "debtrank", "stake", "valuation_change",
                     "system_cycling", "failed_share"), SHARE),
}  # fmt: skip

LAB_METRICS = frozenset({"capability", "market_share", "leads"})  # the same for every other firm

CONDITION_FUNCTIONS: dict[str, Signature] = {
    **{name: Signature(("firm",), "number", "lab" if name in LAB_METRICS else None) for name in FIRM_METRICS},
    **{name: Signature(("firm",), "bool", "lab" if name in LAB_METRICS else None) for name in FIRM_FLAGS},
    "stake": Signature(("firm", "firm"), "number"),
}

DESCRIPTIONS: dict[str, str] = {
    **FIRM_METRICS,
    **FIRM_FLAGS,
    **SYSTEM_NUMBERS,
    "stake": "stake(holder, firm): the share of firm that holder owns (0 to 1)",
    "quarter": 'the current quarter, compared with text like "2025-Q3"',
    "me": "the firm the player runs (only in goals)",
}


def condition_names(*, with_me: bool) -> dict[str, str]:
    """Bare names and their types; ``me`` exists only where a player is meant (goals)."""
    names = {name: "number" for name in SYSTEM_NUMBERS}
    names["quarter"] = "quarter"
    if with_me:
        names["me"] = "firm"
    return names


def names_elsewhere(*, with_me: bool) -> dict[str, str]:
    """Names that mean nothing here but something in other conditions, with the explanation
    an author needs instead of "unknown name"."""
    if with_me:
        return {}
    return {
        "me": "'me' is the player's own firm, so it only means something in a goal's win or lose; "
        "here, name a firm in quotes"
    }
