"""The ``ReportKind`` enum: what period a stored report covers (:mod:`shopx.reports.periods`)."""

from __future__ import annotations

import strawberry

from shopx.reports import periods

ReportKind = strawberry.enum(
    periods.ReportKind,
    name="ReportKind",
    description=(
        "DAILY: a local day; WEEKLY: an ISO week, Monday to Sunday; MONTHLY: a calendar month; "
        "each cut in the business time zone."
    ),
)
