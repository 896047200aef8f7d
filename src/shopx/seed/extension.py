"""More days of the seeded demo: orders past its end, drawn like the seed's.

The volume of a day follows the seed's curve (the orders the seed's customers still
ordering at its end place per unit of daily weight, with its trend, weekday, season,
holiday and noise factors); who orders is drawn among the
demo customers still ordering at the seed's end, as often as the seed had them order;
times, channels, payments, reps, lines (by popularity, at the stored prices and costs) and
discounts come from the seed's own functions. Each day is drawn whole from its own random
stream, keyed by the random seed and the day, and then cut to the window asked for: the
orders of an hour are the same however the runs that reach it are cut.

How an order's status moves on is fixed by three numbers hashed from the random seed, its
time and its customer (:func:`hashed_draws`), so a later run finds the same course without
storing it: see :func:`moved_on`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

import numpy as np

from shopx.seed.dataset import generate_world
from shopx.seed.lines import generate_lines
from shopx.seed.orders import (
    PENDING,
    PROCESSING,
    StatusDraws,
    assign_reps,
    channels_and_payments,
    discounts,
    last_updates,
    status_at,
    with_subtotals,
)
from shopx.seed.scales import SCALES
from shopx.seed.timeline import (
    DAY_SECONDS,
    UNIX_EPOCH,
    Window,
    daily_noise,
    day_weights,
    sample_seconds_of_day,
)
from shopx.seed.vocabulary import REGIONS

DEMO_STREAM = 0x64656D6F
"""Mixed into every extension day's random stream, apart from the seed's own streams."""
OTHER_REGION = len(REGIONS)
"""The region code of a customer whose region is none of the generator's."""


@dataclass(frozen=True)
class Habits:
    """What the generator made of the shop, replayed from the seeding's scale, seed and end."""

    window: Window
    orders_per_weight: float
    items_per_order: float
    appetite: np.ndarray
    """Per seeded customer (row = id - 1): how often they order per unit of daily weight
    (0 for those who never ordered or had lapsed by the seed's end)."""
    popularity: np.ndarray
    """Per seeded product (row = id - 1)."""
    rep_weight: np.ndarray
    """Per seeded rep (row = id - 1)."""


@lru_cache(maxsize=2)
def habits(scale: str, random_seed: int, seeded_until: datetime) -> Habits:
    """Replays the generator up to the orders (cached: the hourly job asks the same)."""
    chosen = SCALES[scale]
    world = generate_world(chosen, random_seed, seeded_until)
    lives, calendar = world.customers.lives, world.calendar
    share = calendar.share(lives.first_day, lives.stop_day)
    ordering = (lives.stop_day == calendar.window.days) & (share > 0)
    appetite = np.where(ordering, lives.appetite / np.where(share > 0, share, 1.0), 0.0)
    # A customer's extra orders fall on their days by the daily weights (see placements):
    # a day of weight w holds w / weight x extra x (sum of these rates) / (all appetite).
    extra = chosen.orders - int((lives.anchor_day >= 0).sum())
    per_weight = extra * appetite.sum() / (lives.appetite.sum() * calendar.weight)
    return Habits(
        calendar.window,
        float(per_weight),
        chosen.items_per_order,
        appetite,
        world.catalog.popularity,
        world.reps.weight,
    )


@dataclass(frozen=True)
class Shop:
    """The demo's customers, products and reps as stored now (active ones only)."""

    customer_ids: np.ndarray
    customer_region: np.ndarray
    """Region codes (an index of ``REGIONS``, or ``OTHER_REGION``)."""
    product_ids: np.ndarray
    price_cents: np.ndarray
    cost_cents: np.ndarray
    rep_ids: np.ndarray
    rep_region: np.ndarray


def region_codes(regions: list[str | None]) -> np.ndarray:
    index = {name: code for code, name in enumerate(REGIONS)}
    return np.array([index.get(name or "", OTHER_REGION) for name in regions], dtype=np.int64)


ORDER_FIELDS = (
    "placed",
    "customer_id",
    "rep_id",
    "channel",
    "payment",
    "status",
    "discount_cents",
    "total_cents",
    "updated",
)
LINE_FIELDS = ("line_order", "product_id", "quantity", "unit_price_cents", "unit_cost_cents")


@dataclass(frozen=True)
class NewOrders:
    """Orders oldest first; their lines grouped by order, in order."""

    placed: np.ndarray
    """Seconds since the Unix epoch."""
    customer_id: np.ndarray
    rep_id: np.ndarray
    """-1: no rep."""
    channel: np.ndarray
    payment: np.ndarray
    status: np.ndarray
    discount_cents: np.ndarray
    total_cents: np.ndarray
    updated: np.ndarray
    """When each was last touched, seconds since the Unix epoch."""
    line_order: np.ndarray
    product_id: np.ndarray
    quantity: np.ndarray
    unit_price_cents: np.ndarray
    unit_cost_cents: np.ndarray

    def __len__(self) -> int:
        return len(self.placed)

    def where(self, keep: np.ndarray) -> NewOrders:
        """The orders with ``keep`` set, re-sorted by time (stable), with their lines."""
        rows = np.flatnonzero(keep)
        rows = rows[np.argsort(self.placed[rows], kind="stable")]
        rank = np.full(len(self.placed), -1, dtype=np.int64)
        rank[rows] = np.arange(len(rows))
        line_rank = rank[self.line_order]
        lines = np.flatnonzero(line_rank >= 0)
        lines = lines[np.argsort(line_rank[lines], kind="stable")]
        per_order = {name: getattr(self, name)[rows] for name in ORDER_FIELDS}
        per_line = {name: getattr(self, name)[lines] for name in LINE_FIELDS[1:]}
        return NewOrders(**per_order, line_order=line_rank[lines], **per_line)

    @classmethod
    def joined(cls, parts: list[NewOrders]) -> NewOrders:
        """``parts`` one after the other (each oldest first, each older than the next)."""
        offsets = np.cumsum([0, *(len(part) for part in parts[:-1])])
        columns = {
            name: np.concatenate([getattr(part, name) for part in parts])
            for name in (*ORDER_FIELDS, *LINE_FIELDS[1:])
        }
        line_order = np.concatenate(
            [part.line_order + offset for part, offset in zip(parts, offsets, strict=True)]
        )
        return cls(**columns, line_order=line_order)


def epoch_seconds(moment: datetime) -> int:
    return (moment - UNIX_EPOCH) // timedelta(seconds=1)


def orders_between(
    habits: Habits, shop: Shop, random_seed: int, start: datetime, end: datetime
) -> NewOrders:
    """The demo's orders placed in ``[start, end)``, with their statuses as of ``end``."""
    first, stop = epoch_seconds(start), epoch_seconds(end)
    origin = habits.window.start_epoch
    parts = []
    for day in range((first - origin) // DAY_SECONDS, (stop - 1 - origin) // DAY_SECONDS + 1):
        drawn = day_orders(habits, shop, random_seed, day, stop)
        parts.append(drawn.where((drawn.placed >= first) & (drawn.placed < stop)))
    return NewOrders.joined(parts) if parts else empty_orders()


def empty_orders() -> NewOrders:
    nothing = np.zeros(0, dtype=np.int64)
    return NewOrders(**dict.fromkeys((*ORDER_FIELDS, *LINE_FIELDS), nothing))


def day_orders(habits: Habits, shop: Shop, random_seed: int, day: int, end: int) -> NewOrders:
    """Every order of day ``day`` of the seed's window (counted from its first day, so past
    its end), whole, with statuses as of ``end``."""
    rng = np.random.default_rng(np.random.SeedSequence([random_seed, DEMO_STREAM, day]))
    date = habits.window.start.date() + timedelta(days=day)
    weight = day_weights([date], np.array([day]), daily_noise(1, rng))[0]
    count = int(rng.poisson(habits.orders_per_weight * weight))
    appetite = habits.appetite[shop.customer_ids - 1]
    popularity = habits.popularity[shop.product_ids - 1]
    if count == 0 or appetite.sum() <= 0 or popularity.sum() <= 0:
        return empty_orders()
    customer = rng.choice(len(appetite), size=count, p=appetite / appetite.sum())
    placed = habits.window.start_epoch + day * DAY_SECONDS
    placed = placed + sample_seconds_of_day(rng, np.full(count, DAY_SECONDS))
    channel, payment = channels_and_payments(count, rng)
    weights = habits.rep_weight[shop.rep_ids - 1]
    rep = assign_reps(channel, shop.customer_region[customer], shop.rep_region, weights, rng)
    lines = generate_lines(
        count, habits.items_per_order, popularity / popularity.sum(), shop.price_cents, rng
    )
    priced = with_subtotals(lines, shop.price_cents[lines.product], shop.cost_cents[lines.product])
    discount = discounts(priced.subtotal, rng)
    customer_id = shop.customer_ids[customer]
    status = status_at(hashed_draws(random_seed, placed, customer_id), (end - placed) / 3600.0)
    return NewOrders(
        placed=placed,
        customer_id=customer_id,
        rep_id=np.where(rep >= 0, shop.rep_ids[np.maximum(rep, 0)], -1),
        channel=channel,
        payment=payment,
        status=status,
        discount_cents=discount,
        total_cents=priced.subtotal - discount,
        updated=last_updates(placed, status, end, rng),
        line_order=lines.order,
        product_id=shop.product_ids[lines.product],
        quantity=lines.quantity.astype(np.int64),
        unit_price_cents=priced.unit_price,
        unit_cost_cents=priced.unit_cost,
    )


def moved_on(
    random_seed: int,
    placed: np.ndarray,
    customer_id: np.ndarray,
    current: np.ndarray,
    seeded_until: int,
    end: int,
) -> np.ndarray:
    """The statuses as of ``end`` of open demo orders now in status ``current``.

    An extension order runs its course from its own time. A seeded order was open at the
    seed's end; open and pending times being memoryless, its course restarts there. An
    order never moves back (PROCESSING stays at least PROCESSING)."""
    since = np.maximum(placed, seeded_until)
    status = status_at(hashed_draws(random_seed, placed, customer_id), (end - since) / 3600.0)
    return np.where((current == PROCESSING) & (status == PENDING), PROCESSING, status)


_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def _mix(values: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: every input bit reaches every output bit."""
    with np.errstate(over="ignore"):
        values = values + _GOLDEN
        values = (values ^ (values >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        values = (values ^ (values >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return values ^ (values >> np.uint64(31))


def hashed_draws(random_seed: int, placed: np.ndarray, customer_id: np.ndarray) -> StatusDraws:
    """An order's status draws, uniform in [0, 1), from its time and customer alone."""
    seed = _mix(np.array([random_seed & 0xFFFFFFFFFFFFFFFF], dtype=np.uint64))
    key = _mix(_mix(seed ^ placed.astype(np.uint64)) ^ customer_id.astype(np.uint64))

    def uniform(stream: int) -> np.ndarray:
        return (_mix(key ^ np.uint64(stream)) >> np.uint64(11)).astype(np.float64) * 2.0**-53

    return StatusDraws(uniform(1), uniform(2), uniform(3))
