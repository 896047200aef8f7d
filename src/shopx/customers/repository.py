"""SQL for reading customers: the filtered customer list."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, or_, select

from shopx.db.dialect import contains_pattern
from shopx.db.models import Customer


@dataclass(frozen=True, slots=True)
class CustomerCriteria:
    """Every field narrows the list; None leaves it alone."""

    region: str | None = None
    segment: str | None = None
    is_active: bool | None = None
    search: str | None = None


def customers_matching(where: CustomerCriteria) -> Select[tuple[Customer]]:
    query = select(Customer)
    if where.region is not None:
        query = query.where(Customer.region == where.region)
    if where.segment is not None:
        query = query.where(Customer.segment == where.segment)
    if where.is_active is not None:
        query = query.where(Customer.is_active.is_(where.is_active))
    if where.search:
        pattern = contains_pattern(where.search)
        query = query.where(
            or_(
                Customer.name.ilike(pattern, escape="\\"),
                Customer.email.ilike(pattern, escape="\\"),
            )
        )
    return query
