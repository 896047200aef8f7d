"""The settings every analytics query is computed under."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from shopx.config import Settings


@dataclass(frozen=True, slots=True)
class Scope:
    tz: ZoneInfo
    statuses: tuple[str, ...]
    """Order statuses that count as revenue."""

    @classmethod
    def of(cls, settings: Settings) -> Scope:
        return cls(tz=settings.tz, statuses=settings.revenue_statuses)
