"""SQL for reading sales representatives: the filtered rep list."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, select

from shopx.db.models import SalesRepresentative


@dataclass(frozen=True, slots=True)
class RepCriteria:
    """Every field narrows the list; None leaves it alone."""

    region: str | None = None
    is_active: bool | None = None


def reps_matching(where: RepCriteria) -> Select[tuple[SalesRepresentative]]:
    query = select(SalesRepresentative)
    if where.region is not None:
        query = query.where(SalesRepresentative.region == where.region)
    if where.is_active is not None:
        query = query.where(SalesRepresentative.is_active.is_(where.is_active))
    return query
