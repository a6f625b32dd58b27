"""The state of one game: plain data, arrays indexed by firm.

The state is built from a validated scenario and then changed only by the rules
(``rules.py``, ``quarter.py``, ``events.py``). It holds no reference to the UI or
to files; everything random comes from its own seeded generator.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from game.calendar import quarter_index
from game.engine.valuation import CrossHoldings
from game.money import ABSURD
from game.scenario.model import CHIP_SELLERS, COMPUTE_SELLERS, Scenario

Vector = NDArray[np.float64]
Matrix = NDArray[np.float64]

# No amount grows past a quintillion and no capability past a million, so that a scenario
# allowed to compound for 400 quarters keeps every number finite.
AMOUNT_CEILING = ABSURD  # and the screens show amounts past it as "over $1,000,000 tn"
CAPABILITY_CEILING = 1e6

KINDS = ("hyperscaler", "chipmaker", "neocloud", "lab", "investor")
HISTORY_FIELDS = (
    "valuation",
    "fundamental",
    "cash",
    "debt",
    "revenue",
    "capability",
    "round_trip",
    "cycling",
    "debtrank",
    "bubble",
    "exposure",
    "market_share",
)
SYSTEM_FIELDS = ("system_cycling", "system_bubble", "demand", "failures", "total_valuation")


@dataclass
class Contract:
    """A purchase commitment: ``per_quarter`` paid by buyer to seller for ``remaining`` quarters."""

    id: int
    buyer: int
    seller: int
    per_quarter: float
    remaining: int
    starts: int  # absolute quarter index of the first payment
    kind: str  # "compute" or "chips"
    paid: float = 0.0
    unpaid: float = 0.0

    def owed(self) -> float:
        return self.per_quarter * self.remaining


@dataclass
class OptionRight:
    """The right to invest ``amount`` in ``firm`` at a fixed pre-money ``valuation``: the deal's
    price, the lab's value before the deal's cash (``rules.exercise_option``)."""

    id: int
    holder: int
    firm: int
    amount: float
    valuation: float
    deadline: int
    used: bool = False


def deal_price(cash: float, stake: float) -> float:
    """A lab's value before a deal at the deal's terms (pre-money): ``cash / stake - cash``,
    the price its new shares are sold at, and an option's exercise price."""
    return cash / stake - cash


def post_money(cash: float, stake: float) -> float:
    """A lab's value with a deal's cash at the deal's terms: ``cash / stake``."""
    return cash / stake


def shares_bought(cash: float, pre_money: float) -> float:
    """The share of a firm that new shares worth ``cash`` buy at a ``pre_money`` valuation:
    ``cash / (pre_money + cash)``; 0 for no cash or no value."""
    if cash <= 0 or pre_money <= 0:
        return 0.0
    return cash / (pre_money + cash)


@dataclass
class Offer:
    """A compute-for-equity proposal between two firms, waiting for an answer."""

    id: int
    proposer: int
    receiver: int
    investor: int
    lab: int
    cash: float
    stake: float
    compute_total: float
    compute_quarters: int
    option_amount: float
    exclusive: bool
    round: int
    quarter: int
    status: str = "open"  # open, accepted, rejected, countered, expired, withdrawn
    reason: str = ""
    reply_to: int | None = None


@dataclass
class PendingChoice:
    event: str
    chooser: int
    quarter: int


@dataclass
class News:
    quarter: int
    headline: str
    body: str = ""
    kind: str = "event"  # event, deal, failure, market, choice
    firms: tuple[int, ...] = ()
    event: str = ""  # the scenario event whose effect this reports, for one that fell through


@dataclass(frozen=True)
class Shortfall:
    """What a firm paid a creditor in a quarter's clearing when it could not pay all it owed."""

    quarter: int
    debtor: int
    creditor: int
    owed: float
    paid: float


@dataclass
class Ledger:
    """Money that entered or left the system of firms this quarter (for conservation checks)."""

    outside_in: float = 0.0
    outside_out: float = 0.0

    def add_in(self, amount: float) -> None:
        self.outside_in += amount

    def add_out(self, amount: float) -> None:
        self.outside_out += amount


@dataclass
class World:
    ids: list[str]
    names: list[str]
    kinds: list[str]
    colours: list[str]
    index: dict[str, int]
    kind_codes: NDArray[np.int64]
    is_lab: NDArray[np.bool_]
    sells_compute: NDArray[np.bool_]
    sells_chips: NDArray[np.bool_]
    humans: tuple[int, ...]
    quarter: int
    first_quarter: int
    last_quarter: int
    turn: int
    cash: Vector
    debt: Vector
    own_revenue: Vector  # revenue from outside customers, outside the AI-lab market
    revenue_growth: Vector
    costs: Vector
    cost_growth: Vector
    multiple: Vector
    capacity: Vector
    capability: Vector
    training_share: Vector
    stakes: Matrix  # stakes[i, j]: share of j held by i
    failed: NDArray[np.bool_]
    sentiment: Vector  # x[t-1] per firm, log of market over fundamental multiple
    sentiment_before: Vector  # x[t-2]
    profit_fundamentalist: Vector
    profit_trend: Vector
    market: dict[str, float]
    traits: list[dict[str, float]]
    rng: np.random.Generator
    unit: str = "USD"
    contracts: list[Contract] = field(default_factory=list)
    options: list[OptionRight] = field(default_factory=list)
    offers: list[Offer] = field(default_factory=list)
    pending: list[PendingChoice] = field(default_factory=list)
    news: list[News] = field(default_factory=list)
    shortfalls: list[Shortfall] = field(default_factory=list)  # every quarter's, for the debrief
    event_fired: dict[str, int] = field(default_factory=dict)  # event id -> last quarter fired
    queued_shocks: list[tuple[str, str | None]] = field(default_factory=list)  # (event, target)
    # lab -> (the cloud it buys new compute only from, the last quarter of that deal's commitment)
    exclusive: dict[int, tuple[int, int]] = field(default_factory=dict)
    raised_in: dict[int, int] = field(default_factory=dict)  # lab -> quarter of its last outside raise
    invested: Matrix = field(default_factory=lambda: np.zeros((0, 0)))  # decayed investment i->j
    received: Vector = field(default_factory=lambda: np.zeros(0))  # decayed inflow per firm
    flows: Matrix = field(default_factory=lambda: np.zeros((0, 0)))  # this quarter's F[i, j]
    inflow_outside: Vector = field(default_factory=lambda: np.zeros(0))  # this quarter's z
    ledger: Ledger = field(default_factory=Ledger)
    metrics: dict[str, Any] = field(default_factory=dict)  # latest per-firm and system metrics
    history: dict[str, Matrix] = field(default_factory=dict)
    system_history: dict[str, Vector] = field(default_factory=dict)
    recent_outside: Matrix = field(default_factory=lambda: np.zeros((0, 0)))  # last 4 quarters
    failure_loss: Vector = field(default_factory=lambda: np.zeros(0))  # EGJ cost, while failed
    shares: Vector = field(default_factory=lambda: np.zeros(0))  # share count, 1.0 at the start
    start_valuation: Vector = field(default_factory=lambda: np.zeros(0))
    # valuation per share at the start: the opening events may already have sold shares
    start_share_price: Vector = field(default_factory=lambda: np.zeros(0))
    next_id: int = 1
    finished: bool = False
    # inv(I - stakes) and what follows from it, kept while the stakes are unchanged (a cache:
    # it never changes a number, see ``valuation.cross_holdings``)
    holdings: CrossHoldings | None = None
    rivals: list[NDArray[np.intp]] = field(default_factory=list)  # per firm: the others of its kind

    @property
    def n(self) -> int:
        return len(self.ids)

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def outside_share(self, firm: int) -> float:
        return float(1.0 - np.add.reduce(self.stakes[:, firm]))

    def growth(self) -> Vector:
        """Each firm's score: its share price now over its share price at the start, what a
        shareholder of the start has gained. Selling new shares adds their price to the
        valuation, not to the share price; for a firm that sells none it is its valuation's
        growth. 0 where the start price was not positive."""
        start = self.start_share_price
        price: Vector = self.metrics["share_price"]
        return np.where(start > 0, price / np.where(start > 0, start, 1.0), 0.0)


def build_world(
    scenario: Scenario,
    seed: int,
    humans: tuple[str, ...] = (),
    difficulty: str | None = None,
) -> World:
    """The world at the start of the scenario, before anyone has acted."""
    firms = scenario.firms
    n = len(firms)
    index = {f.id: i for i, f in enumerate(firms)}
    first = quarter_index(scenario.meta.start)
    preset = next((d for d in scenario.meta.difficulties if d.id == difficulty), None)
    market = scenario.market.__dict__.copy()  # a flat table of numbers: model_dump(), faster
    market["sentiment"] = market.pop("initial_sentiment")
    if preset is not None:
        market["sentiment_noise"] *= preset.volatility
        market["demand_volatility"] *= preset.volatility

    def column(name: str) -> Vector:
        return np.array([float(getattr(f, name)) for f in firms], dtype=np.float64)

    world = World(
        ids=[f.id for f in firms],
        names=[f.name for f in firms],
        kinds=[f.kind for f in firms],
        colours=[f.colour for f in firms],
        index=index,
        kind_codes=np.array([KINDS.index(f.kind) for f in firms]),
        is_lab=np.array([f.kind == "lab" for f in firms]),
        sells_compute=np.array([f.kind in COMPUTE_SELLERS for f in firms]),
        sells_chips=np.array([f.kind in CHIP_SELLERS for f in firms]),
        humans=tuple(index[h] for h in humans),
        quarter=first,
        first_quarter=first,
        last_quarter=first + scenario.meta.quarters - 1,
        turn=0,
        cash=column("cash"),
        debt=column("debt"),
        own_revenue=column("revenue"),
        revenue_growth=column("revenue_growth"),
        costs=column("costs"),
        cost_growth=column("cost_growth"),
        multiple=column("multiple"),
        capacity=column("capacity"),
        capability=column("capability"),
        training_share=column("training_share"),
        stakes=np.zeros((n, n)),
        failed=np.zeros(n, dtype=bool),
        sentiment=np.full(n, market["sentiment"]),
        sentiment_before=np.full(n, market["sentiment"]),
        profit_fundamentalist=np.zeros(n),
        profit_trend=np.zeros(n),
        market=market,
        traits=[f.personality.__dict__.copy() for f in firms],  # flat tables, as model_dump()
        rng=np.random.default_rng(seed),
        unit=scenario.meta.unit,
        invested=np.zeros((n, n)),
        received=np.zeros(n),
        flows=np.zeros((n, n)),
        inflow_outside=np.zeros(n),
        recent_outside=np.zeros((4, n)),
        failure_loss=np.zeros(n),
        shares=np.ones(n),
    )
    if preset is not None:
        for h in world.humans:
            world.cash[h] *= preset.player_cash
        for i, traits in enumerate(world.traits):
            if i not in world.humans:
                traits["appetite"] = min(1.0, traits["appetite"] * preset.bot_appetite)
    for stake in scenario.stakes:
        holder, firm = index[stake.holder], index[stake.firm]
        world.stakes[holder, firm] = stake.share
        world.invested[holder, firm] = stake.invested
        world.received[firm] += stake.invested
    for c in scenario.commitments:
        start = quarter_index(c.start) if c.start else first
        world.contracts.append(
            Contract(
                world.new_id(),
                index[c.buyer],
                index[c.seller],
                c.total / c.quarters,
                c.quarters,
                start,
                c.kind,
            )
        )
    for o in scenario.options:
        world.options.append(
            OptionRight(
                world.new_id(),
                index[o.holder],
                index[o.firm],
                o.amount,
                o.valuation,
                quarter_index(o.deadline),
            )
        )
    same_kind = world.kind_codes[:, None] == world.kind_codes[None, :]
    np.fill_diagonal(same_kind, False)
    world.rivals = [row.nonzero()[0] for row in same_kind]
    quarters = scenario.meta.quarters + 1
    world.history = {name: _unknown((quarters, n)) for name in HISTORY_FIELDS}
    world.system_history = {name: _unknown((quarters,)) for name in SYSTEM_FIELDS}
    return world


def _unknown(shape: tuple[int, ...]) -> Matrix:
    """``np.full(shape, np.nan)``: a table not yet filled in."""
    table = np.empty(shape)
    table.fill(np.nan)
    return table
