"""What the seeder touches in the schema: the data tables and the indexes it rebuilds."""

from __future__ import annotations

from sqlalchemy import Index

from shopx.db.models import Base
from shopx.rollups.tables import ROLLUP_TABLES, CustomerGaps, ProductMonthly, ProductYearly

TABLES = ("categories", "products", "customers", "sales_representatives", "orders", "order_items")
"""Every table after the tables it references."""

ROLLUPS = tuple(model.__tablename__ for model in ROLLUP_TABLES)
"""Rollup tables: the seeder writes them whole, from the generated rows."""

DERIVED = (CustomerGaps.__tablename__, ProductYearly.__tablename__)
"""Tables the seeder derives in the database from what it loaded (after ``ANALYZE``)."""

REBUILT_TABLES = ("products", "customers", "orders", "order_items", ProductMonthly.__tablename__)
"""The big tables: their secondary indexes cost more kept up row by row than built after."""


def rebuilt_indexes() -> list[Index]:
    """Secondary indexes of the big tables: dropped before a bulk load, built after it.

    Taken from the models, so the names and definitions stay those of the migration.
    Primary keys and unique constraints stay in place.
    """
    found = (index for name in REBUILT_TABLES for index in Base.metadata.tables[name].indexes)
    return sorted(found, key=lambda index: index.name or "")
