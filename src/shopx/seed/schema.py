"""What the seeder touches in the schema: the data tables and the indexes it rebuilds."""

from __future__ import annotations

from sqlalchemy import Index

from shopx.db.models import Base

TABLES = ("categories", "products", "customers", "sales_representatives", "orders", "order_items")
"""Every table after the tables it references."""

REBUILT_TABLES = ("products", "customers", "orders", "order_items")


def rebuilt_indexes() -> list[Index]:
    """Secondary indexes of the big tables: dropped before a bulk load, built after it.

    Taken from the models, so the names and definitions stay those of the migration.
    Primary keys and unique constraints stay in place.
    """
    found = (index for name in REBUILT_TABLES for index in Base.metadata.tables[name].indexes)
    return sorted(found, key=lambda index: index.name or "")
