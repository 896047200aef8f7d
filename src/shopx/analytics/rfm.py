"""RFM scoring and the segment rules, as pure functions.

What a score means is defined on :class:`Scores`, the segment rules on :func:`segment`;
those two docstrings are the definitions the product shows.

A score only depends on four cut-offs per value, the values at ranks ``ceil(k * n / 5)``
for k = 1..4 over the n buyers: a value scores one more for each cut-off it exceeds.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from shopx.db.models import Segment

QUINTILES = 5
NEW_DAYS = 30
CHURNED_DAYS = 180


def cutoffs(ascending: Sequence[Any]) -> tuple[Any, ...]:
    """The four values a score must exceed to reach 2, 3, 4 and 5 (from values worst first)."""
    n = len(ascending)
    if not n:
        return ()
    return tuple(ascending[rank(k, n) - 1] for k in range(1, QUINTILES))


def rank(k: int, n: int) -> int:
    """``ceil(k * n / 5)``: how many buyers a value must beat to score more than ``k``."""
    return (k * n + QUINTILES - 1) // QUINTILES


def score(value: Any, bounds: tuple[Any, ...]) -> int:
    """1 plus the number of cut-offs ``value`` exceeds (1..5); ``bounds`` ascend."""
    return 1 + bisect_left(bounds, value)


@dataclass(frozen=True, slots=True)
class Cutoffs:
    """The cut-offs of the three values over all buyers (empty when nobody has bought)."""

    recency: tuple[date, ...]
    frequency: tuple[int, ...]
    monetary: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Scores:
    """RFM scores run 1 to 5 (5 best) among customers with a recognised order: recency (the
    business-local day of the last order, later is better), frequency (order count),
    monetary (lifetime value). Score = 1 + floor(5 x buyers with a strictly worse value /
    buyers), so equal values score equally and a value shared by many buyers can leave a
    score unused (if every buyer has one order, every frequency score is 1).
    """

    recency: int
    frequency: int
    monetary: int

    @property
    def code(self) -> str:
        """The three scores as one string, recency first ("545")."""
        return f"{self.recency}{self.frequency}{self.monetary}"


def scores(bounds: Cutoffs, last_day: date, order_count: int, lifetime_cents: int) -> Scores:
    return Scores(
        score(last_day, bounds.recency),
        score(order_count, bounds.frequency),
        score(lifetime_cents, bounds.monetary),
    )


def segment(
    rfm: Scores | None, days_since_first: int | None, days_since_last: int | None
) -> Segment:
    """Segments, first rule that holds (days are business-local calendar days before today):
    NEW (no recognised order, or the first less than 30 days ago); CHURNED (recency 1, or
    the last order more than 180 days ago); AT_RISK (recency 2 with frequency or monetary
    3+); PREMIUM (recency, frequency and monetary all 4+); REGULAR (the rest).
    """
    if rfm is None or days_since_first is None or days_since_last is None:
        return Segment.NEW
    if days_since_first < NEW_DAYS:
        return Segment.NEW
    if rfm.recency == 1 or days_since_last > CHURNED_DAYS:
        return Segment.CHURNED
    if rfm.recency <= 2 and (rfm.frequency >= 3 or rfm.monetary >= 3):
        return Segment.AT_RISK
    if rfm.recency >= 4 and rfm.frequency >= 4 and rfm.monetary >= 4:
        return Segment.PREMIUM
    return Segment.REGULAR
