"""Orders and their lines, generated a column at a time (no Python loop over rows).

Unit prices drift: a line sold ``t`` years before the window's end was priced at the
catalogue price times ``1 - PRICE_DRIFT_PER_YEAR * t`` (cost scaled alike), rounded to
the cent, so recent lines carry today's catalogue prices and older ones a little less.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from shopx.columnar.tables import Categorical, Table, nullable_ids, timestamps
from shopx.db.models import OrderStatus
from shopx.seed.catalog import Catalog
from shopx.seed.lines import Lines, generate_lines
from shopx.seed.people import Customers, Lifecycles, Reps
from shopx.seed.scales import Scale
from shopx.seed.timeline import DAY_SECONDS, Calendar, sample_seconds_of_day

CHANNELS = ("web", "mobile", "store", "phone")
CHANNEL_SHARES = (0.5, 0.35, 0.1, 0.05)
REP_SHARE_BY_CHANNEL = np.array([0.25, 0.1, 0.9, 0.95])
PAYMENT_MODES = ("card", "paypal", "bank_transfer", "cash_on_delivery", "gift_card")
PAYMENT_SHARES_BY_CHANNEL = np.array(
    [
        [0.55, 0.25, 0.07, 0.07, 0.06],
        [0.60, 0.28, 0.02, 0.05, 0.05],
        [0.85, 0.0, 0.0, 0.0, 0.15],
        [0.60, 0.0, 0.25, 0.15, 0.0],
    ]
)
STATUSES = tuple(status.value for status in OrderStatus)
PENDING, PROCESSING, COMPLETED, CANCELLED, REFUNDED = (
    STATUSES.index(status)
    for status in ("PENDING", "PROCESSING", "COMPLETED", "CANCELLED", "REFUNDED")
)
CANCELLED_SHARE, REFUNDED_SHARE = 0.05, 0.01
OPEN_HOURS, PENDING_HOURS = 72.0, 12.0
DISCOUNT_SHARE = 0.15
PERCENT_OFF, PERCENT_OFF_SHARES = np.array([5, 10, 15, 20, 25]), (0.2, 0.35, 0.2, 0.15, 0.1)
COUPON_CENTS = np.array([500, 1000, 2000])
PRICE_DRIFT_PER_YEAR = 0.03
YEAR_SECONDS = 365.25 * DAY_SECONDS


@dataclass(frozen=True)
class Orders:
    customer: np.ndarray
    """The customer's row (0-based) for each order; orders run oldest first."""
    placed: np.ndarray
    """Seconds since the Unix epoch."""
    status: np.ndarray
    total_cents: np.ndarray
    orders: Table
    items: Table


def placements(
    total: int, lives: Lifecycles, calendar: Calendar, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Who orders when: each customer's anchor order plus ``appetite``-weighted extras."""
    anchored = np.flatnonzero(lives.anchor_day >= 0)
    extra = total - len(anchored)
    if extra < 0:
        raise ValueError(f"{total} orders cannot cover {len(anchored)} ordering customers")
    counts = rng.multinomial(extra, lives.appetite / lives.appetite.sum())
    extras = np.repeat(np.arange(len(counts)), counts)
    extra_days = calendar.sample_days(rng, lives.first_day[extras], lives.stop_day[extras])
    day = np.concatenate([lives.anchor_day[anchored], extra_days])
    customer = np.concatenate([anchored, extras])
    window = calendar.window
    seconds = sample_seconds_of_day(rng, window.seconds_open(day))
    placed = window.start_epoch + day * DAY_SECONDS + seconds
    oldest_first = np.argsort(placed, kind="stable")
    return customer[oldest_first], placed[oldest_first]


def channels_and_payments(count: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    channel = rng.choice(len(CHANNELS), size=count, p=CHANNEL_SHARES)
    payment = np.empty(count, dtype=np.int64)
    for code, shares in enumerate(PAYMENT_SHARES_BY_CHANNEL):
        rows = np.flatnonzero(channel == code)
        payment[rows] = rng.choice(len(PAYMENT_MODES), size=len(rows), p=shares)
    return channel, payment


def assign_reps(
    channel: np.ndarray,
    region: np.ndarray,
    rep_region: np.ndarray,
    rep_weight: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """A rep (a row of ``rep_region``) from the customer's region (any rep if the region
    has none), or -1 for none; a region's reps win its business by their weights."""
    rep = np.full(len(channel), -1, dtype=np.int64)
    if not len(rep_region):
        return rep
    assisted = rng.random(len(channel)) < REP_SHARE_BY_CHANNEL[channel]
    for code in np.unique(region):
        rows = np.flatnonzero(assisted & (region == code))
        pool = np.flatnonzero(rep_region == code)
        pool = pool if len(pool) else np.arange(len(rep_region))
        weights = rep_weight[pool] / rep_weight[pool].sum()
        rep[rows] = rng.choice(pool, size=len(rows), p=weights)
    return rep


@dataclass(frozen=True)
class StatusDraws:
    """Three uniform numbers per order that fix its course through the statuses: how it
    ends (``fate``) and how long it stays open and pending (``open``, ``pending``)."""

    fate: np.ndarray
    open: np.ndarray
    pending: np.ndarray


def status_draws(count: int, rng: np.random.Generator) -> StatusDraws:
    return StatusDraws(rng.random(count), rng.random(count), rng.random(count))


def status_at(draws: StatusDraws, age_hours: np.ndarray) -> np.ndarray:
    """Recent orders are still open; of the rest a few are cancelled or refunded.

    With the draws fixed, an order only moves forward as it ages: PENDING, then PROCESSING
    (or straight on), then how it ends; open times are exponential (memoryless)."""
    status = np.full(len(age_hours), COMPLETED, dtype=np.int64)
    status[draws.fate < CANCELLED_SHARE + REFUNDED_SHARE] = REFUNDED
    status[draws.fate < CANCELLED_SHARE] = CANCELLED
    still_open = draws.open < np.exp(-age_hours / OPEN_HOURS)
    status[still_open] = PROCESSING
    status[still_open & (draws.pending < np.exp(-age_hours / PENDING_HOURS))] = PENDING
    return status


def statuses(age_hours: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return status_at(status_draws(len(age_hours), rng), age_hours)


def discounts(subtotal: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A percentage off or a coupon on some orders; never more than the subtotal."""
    count = len(subtotal)
    percent = PERCENT_OFF[rng.choice(len(PERCENT_OFF), size=count, p=PERCENT_OFF_SHARES)]
    coupon = COUPON_CENTS[rng.integers(0, len(COUPON_CENTS), count)]
    off = np.where(rng.random(count) < 0.75, subtotal * percent // 100, coupon)
    return np.where(rng.random(count) < DISCOUNT_SHARE, np.minimum(off, subtotal), 0)


def last_updates(placed: np.ndarray, status: np.ndarray, end: int, rng) -> np.ndarray:
    """Closed orders were last touched a few hours to three days after they were placed."""
    later = placed + rng.integers(3600, 3 * DAY_SECONDS, len(placed))
    closed = (status != PENDING) & (status != PROCESSING)
    return np.where(closed, np.minimum(later, end - 1), placed)


@dataclass(frozen=True)
class PricedLines:
    lines: Lines
    unit_price: np.ndarray
    unit_cost: np.ndarray
    subtotal: np.ndarray
    """Per order: the sum of quantity x unit price over its lines."""


def priced_lines(
    scale: Scale, catalog: Catalog, placed: np.ndarray, end: int, rng: np.random.Generator
) -> PricedLines:
    lines = generate_lines(
        scale.orders, scale.items_per_order, catalog.popularity, catalog.price_cents, rng
    )
    drift = 1.0 - PRICE_DRIFT_PER_YEAR * (end - placed[lines.order]) / YEAR_SECONDS
    unit_price = np.rint(catalog.price_cents[lines.product] * drift).astype(np.int64)
    unit_cost = np.rint(catalog.cost_cents[lines.product] * drift).astype(np.int64)
    return with_subtotals(lines, unit_price, unit_cost)


def with_subtotals(lines: Lines, unit_price: np.ndarray, unit_cost: np.ndarray) -> PricedLines:
    """Lines at these prices (one order at least, each with a line at least)."""
    subtotal = np.add.reduceat(lines.quantity * unit_price, lines.starts)
    return PricedLines(lines, unit_price, unit_cost, subtotal)


def items_table(priced: PricedLines, order_ids: np.ndarray, ordered_at: np.ndarray) -> Table:
    lines = priced.lines
    return Table(
        "order_items",
        {
            "id": np.arange(1, len(lines.order) + 1, dtype=np.int64),
            "order_id": order_ids[lines.order],
            "ordered_at": ordered_at[lines.order],
            "product_id": lines.product.astype(np.int64) + 1,
            "quantity": lines.quantity,
            "unit_price_cents": priced.unit_price,
            "unit_cost_cents": priced.unit_cost,
        },
    )


def generate_orders(
    scale: Scale,
    customers: Customers,
    catalog: Catalog,
    reps: Reps,
    calendar: Calendar,
    rng: np.random.Generator,
) -> Orders:
    customer, placed = placements(scale.orders, customers.lives, calendar, rng)
    end = calendar.end_epoch
    channel, payment = channels_and_payments(scale.orders, rng)
    rep = assign_reps(channel, customers.profiles.region[customer], reps.region, reps.weight, rng)
    status = statuses((end - placed) / 3600.0, rng)
    priced = priced_lines(scale, catalog, placed, end, rng)
    discount = discounts(priced.subtotal, rng)
    total_cents = priced.subtotal - discount
    order_ids = np.arange(1, scale.orders + 1, dtype=np.int64)
    ordered_at = timestamps(placed)
    orders = Table(
        "orders",
        {
            "id": order_ids,
            "customer_id": customer.astype(np.int64) + 1,
            "sales_rep_id": nullable_ids(rep + 1, rep >= 0),
            "ordered_at": ordered_at,
            "status": Categorical(status, STATUSES),
            "payment_mode": Categorical(payment, PAYMENT_MODES),
            "channel": Categorical(channel, CHANNELS),
            "discount_cents": discount,
            "total_cents": total_cents,
            "created_at": ordered_at,
            "updated_at": timestamps(last_updates(placed, status, end, rng)),
        },
    )
    items = items_table(priced, order_ids, ordered_at)
    return Orders(customer, placed, status, total_cents, orders, items)
