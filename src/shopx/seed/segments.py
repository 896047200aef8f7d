"""Customer statistics and segments, derived from the generated orders."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from shopx.db.models import Segment
from shopx.seed.orders import COMPLETED
from shopx.seed.timeline import DAY_SECONDS

SEGMENTS = tuple(segment.value for segment in Segment)
NEW_DAYS, AT_RISK_DAYS, CHURNED_DAYS = 30, 90, 180
PREMIUM_SHARE = 0.10
NEVER = np.iinfo(np.int64).min


@dataclass(frozen=True)
class CustomerStats:
    """Per customer: ``order_count``, first and last order (epoch seconds, ``NEVER`` if none)
    count every order placed, whatever its status; ``lifetime_value_cents`` sums the totals
    of COMPLETED orders only, the ones recognised as revenue."""

    order_count: np.ndarray
    lifetime_value_cents: np.ndarray
    first_order: np.ndarray
    last_order: np.ndarray


def customer_stats(
    customers: int, customer: np.ndarray, placed: np.ndarray, status: np.ndarray, total: np.ndarray
) -> CustomerStats:
    """``customer``/``placed``/``status``/``total`` describe the orders, oldest first."""
    order_count = np.bincount(customer, minlength=customers).astype(np.int32)
    lifetime_value = np.zeros(customers, dtype=np.int64)
    completed = status == COMPLETED
    np.add.at(lifetime_value, customer[completed], total[completed])
    first, last = np.full(customers, NEVER), np.full(customers, NEVER)
    who, earliest = np.unique(customer, return_index=True)
    first[who] = placed[earliest]
    who, latest_from_end = np.unique(customer[::-1], return_index=True)
    last[who] = placed[::-1][latest_from_end]
    return CustomerStats(order_count, lifetime_value, first, last)


def segments(stats: CustomerStats, end: int) -> np.ndarray:
    """A simple recency/value rule (to be replaced by RFM quintiles), checked in this order:

    - NEW: no order yet, or the first order within the last 30 days;
    - CHURNED: no order in the last 180 days;
    - AT_RISK: no order in the last 90 days (so the last one was 90 to 180 days ago);
    - PREMIUM: the top 10% (rounded up) by lifetime value of the customers left, ties
      going to the lower id;
    - REGULAR: everyone else.

    Days count back from ``end``, the start of the seeding day.
    """
    code = np.full(len(stats.order_count), SEGMENTS.index(Segment.REGULAR), dtype=np.int64)
    never = stats.order_count == 0
    new = never | (stats.first_order >= end - NEW_DAYS * DAY_SECONDS)
    churned = ~new & (stats.last_order < end - CHURNED_DAYS * DAY_SECONDS)
    at_risk = ~new & ~churned & (stats.last_order < end - AT_RISK_DAYS * DAY_SECONDS)
    code[new] = SEGMENTS.index(Segment.NEW)
    code[churned] = SEGMENTS.index(Segment.CHURNED)
    code[at_risk] = SEGMENTS.index(Segment.AT_RISK)
    rest = np.flatnonzero(~(new | churned | at_risk))
    by_value = rest[np.argsort(-stats.lifetime_value_cents[rest], kind="stable")]
    premium = by_value[: int(np.ceil(PREMIUM_SHARE * len(rest)))]
    code[premium] = SEGMENTS.index(Segment.PREMIUM)
    return code
