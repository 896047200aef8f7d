from __future__ import annotations

import inspect
import random
from datetime import date

import pytest

from shopx.analytics.rfm import (
    CHURNED_DAYS,
    NEW_DAYS,
    Cutoffs,
    Scores,
    cutoffs,
    score,
    scores,
    segment,
)
from shopx.db.models import Segment


def brute_force(values: list[int]) -> list[int]:
    """1 + floor(5 x values strictly worse / n), straight from the definition."""
    n = len(values)
    return [1 + (5 * sum(1 for other in values if other < value)) // n for value in values]


def scored(values: list[int]) -> list[int]:
    bounds = cutoffs(sorted(values))
    return [score(value, bounds) for value in values]


def test_distinct_values_fill_the_quintiles_evenly():
    assert scored(list(range(1, 11))) == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert scored([50, 10, 40, 20, 30]) == [5, 1, 4, 2, 3]


def test_few_buyers_skip_scores_rather_than_crowd_them():
    assert scored([5]) == [1]
    assert scored([1, 2]) == [1, 3]
    assert scored([1, 2, 3]) == [1, 2, 4]


def test_equal_values_score_equally():
    assert scored([7, 7, 7, 7]) == [1, 1, 1, 1]
    assert scored([1, 2, 2, 2, 3]) == [1, 2, 2, 2, 5]
    assert scored([3, 3, 1, 1, 2, 2]) == [4, 4, 1, 1, 2, 2]


def test_cut_offs_agree_with_the_definition_on_random_values():
    generator = random.Random(7)
    for n in range(1, 60):
        values = [generator.randint(0, n // 3 + 1) for _ in range(n)]
        assert scored(values) == brute_force(values), values


def test_no_buyers_means_no_cut_offs():
    assert cutoffs([]) == ()


def test_a_later_last_order_scores_higher_recency():
    days = [date(2026, 1, d) for d in (1, 5, 9, 13, 17)]
    bounds = Cutoffs(cutoffs(days), cutoffs([1, 1, 1, 1, 1]), cutoffs([1, 2, 3, 4, 5]))
    assert scores(bounds, date(2026, 1, 17), 1, 5) == Scores(5, 1, 5)
    assert scores(bounds, date(2026, 1, 1), 1, 1) == Scores(1, 1, 1)
    assert Scores(5, 4, 5).code == "545"


@pytest.mark.parametrize(
    ("rfm", "since_first", "since_last", "expected"),
    [
        (None, None, None, Segment.NEW),
        (Scores(5, 5, 5), 29, 0, Segment.NEW),
        (Scores(1, 1, 1), 29, 29, Segment.NEW),
        (Scores(5, 5, 5), 30, 0, Segment.PREMIUM),
        (Scores(1, 5, 5), 400, 10, Segment.CHURNED),
        (Scores(5, 5, 5), 400, 181, Segment.CHURNED),
        (Scores(3, 3, 3), 400, 180, Segment.REGULAR),
        (Scores(2, 3, 1), 400, 100, Segment.AT_RISK),
        (Scores(2, 1, 3), 400, 100, Segment.AT_RISK),
        (Scores(2, 2, 2), 400, 100, Segment.REGULAR),
        (Scores(4, 4, 4), 400, 5, Segment.PREMIUM),
        (Scores(4, 4, 3), 400, 5, Segment.REGULAR),
        (Scores(3, 5, 5), 400, 5, Segment.REGULAR),
    ],
)
def test_segment_rules_apply_in_order(rfm, since_first, since_last, expected):
    assert segment(rfm, since_first, since_last) is expected


def test_the_segment_rules_quote_the_thresholds_they_apply():
    rules = " ".join((inspect.getdoc(segment) or "").split())
    assert f"less than {NEW_DAYS} days ago" in rules
    assert f"more than {CHURNED_DAYS} days ago" in rules
