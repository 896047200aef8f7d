"""The reporting rules every number is computed under: the business time zone that cuts
periods into local days, and the order statuses that count as revenue."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from shopx.config import Settings


@dataclass(frozen=True, slots=True)
class ReportingRules:
    """How the shop reports, from the settings: ``SHOPX_TIMEZONE`` and
    ``SHOPX_REVENUE_STATUSES``."""

    tz: ZoneInfo
    """The business time zone: periods, days and months are cut at its local midnight."""
    statuses: tuple[str, ...]
    """Order statuses that count as revenue."""

    @classmethod
    def of(cls, settings: Settings) -> ReportingRules:
        return cls(tz=settings.tz, statuses=settings.revenue_statuses)
