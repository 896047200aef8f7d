"""Whole local years of a product span come from ``rollup_product_yearly``; the months
around them from the monthly rollup."""

from __future__ import annotations

from datetime import date

from shopx.analytics.items import _whole_years


def test_whole_years_are_split_from_the_months_around_them():
    assert _whole_years((date(2025, 1, 1), date(2025, 12, 1))) == (
        (date(2025, 1, 1), date(2025, 1, 1)),
        [],
    )
    assert _whole_years((date(2024, 12, 1), date(2026, 2, 1))) == (
        (date(2025, 1, 1), date(2025, 1, 1)),
        [(date(2024, 12, 1), date(2024, 12, 1)), (date(2026, 1, 1), date(2026, 2, 1))],
    )
    assert _whole_years((date(2023, 1, 1), date(2024, 12, 1))) == (
        (date(2023, 1, 1), date(2024, 1, 1)),
        [],
    )
    assert _whole_years((date(2025, 2, 1), date(2025, 12, 1))) == (
        None,
        [(date(2025, 2, 1), date(2025, 12, 1))],
    )
