"""The customer metrics defined on the domain values, recomputed by hand from their counts."""

from __future__ import annotations

from datetime import date

from shopx.analytics.retention import Cohort, Retention


def test_retention_rates_are_plain_ratios_of_the_previous_and_active_customers():
    view = Retention(active=8, new=3, previous=10, retained=4, repeat=2)
    assert (view.returning, view.churned) == (5, 6)
    assert view.retention_rate == 0.4
    assert view.churn_rate == 0.6
    assert view.repeat_purchase_rate == 0.25


def test_retention_rates_are_null_without_customers_to_divide_by():
    view = Retention(active=0, new=0, previous=0, retained=0, repeat=0)
    assert (view.retention_rate, view.churn_rate, view.repeat_purchase_rate) == (None, None, None)


def test_cohort_retention_is_each_months_share_of_the_cohort():
    assert Cohort(date(2026, 1, 1), 4, [4, 1, 3]).retention == [1.0, 0.25, 0.75]
    assert Cohort(date(2026, 2, 1), 3, [3, 1]).retention == [1.0, round(1 / 3, 6)]
    assert Cohort(date(2026, 3, 1), 0, [0]).retention == [None]
