"""Full-text search over products (name, SKU, brand, description).

PostgreSQL: the price index carries the catalog's filter columns (counting a filtered
catalog reads the index alone), and a stored generated column with the ``simple`` tsvector
of the four columns (``shopx.db.search.document_sql()``), indexed by GIN. SQLite: an FTS5
table with ``products`` as its external content, filled from the rows there now and kept
in step by triggers.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30
"""

from collections.abc import Sequence

from alembic import op

from shopx.db.search import (
    SEARCH_COLUMN,
    SEARCH_INDEX,
    SEARCH_TABLE,
    SEARCHED_COLUMNS,
    document_sql,
)

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ", ".join(SEARCHED_COLUMNS)
NEW = ", ".join(f"new.{column}" for column in SEARCHED_COLUMNS)
OLD = ", ".join(f"old.{column}" for column in SEARCHED_COLUMNS)
TRIGGERS = {
    "products_fts_insert": f"""
        CREATE TRIGGER products_fts_insert AFTER INSERT ON products BEGIN
            INSERT INTO {SEARCH_TABLE}(rowid, {COLUMNS}) VALUES (new.id, {NEW});
        END""",
    "products_fts_delete": f"""
        CREATE TRIGGER products_fts_delete AFTER DELETE ON products BEGIN
            INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}, rowid, {COLUMNS})
            VALUES ('delete', old.id, {OLD});
        END""",
    "products_fts_update": f"""
        CREATE TRIGGER products_fts_update
        AFTER UPDATE OF {COLUMNS} ON products BEGIN
            INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}, rowid, {COLUMNS})
            VALUES ('delete', old.id, {OLD});
            INSERT INTO {SEARCH_TABLE}(rowid, {COLUMNS}) VALUES (new.id, {NEW});
        END""",
}


PRICE_INDEX = "ix_products_selling_price_cents"
CATALOG_FILTER_COLUMNS = ("category_id", "brand", "stock_quantity", "is_active")


def _price_index(include: Sequence[str]) -> None:
    """PostgreSQL: the price index again, carrying ``include`` (the catalog's filter columns,
    so that counting a filtered catalog reads the index alone)."""
    op.drop_index(PRICE_INDEX, table_name="products")
    op.create_index(
        PRICE_INDEX, "products", ["selling_price_cents"], postgresql_include=list(include)
    )


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _price_index(CATALOG_FILTER_COLUMNS)
        op.execute(
            f"ALTER TABLE products ADD COLUMN {SEARCH_COLUMN} tsvector "
            f"GENERATED ALWAYS AS ({document_sql('simple')}) STORED"
        )
        op.execute(f"CREATE INDEX {SEARCH_INDEX} ON products USING gin ({SEARCH_COLUMN})")
        return
    op.execute(
        f"CREATE VIRTUAL TABLE {SEARCH_TABLE} USING fts5({COLUMNS}, content='products', "
        "content_rowid='id', tokenize='unicode61 remove_diacritics 0')"
    )
    op.execute(f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}) VALUES ('rebuild')")
    for trigger in TRIGGERS.values():
        op.execute(trigger)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP INDEX {SEARCH_INDEX}")
        op.execute(f"ALTER TABLE products DROP COLUMN {SEARCH_COLUMN}")
        _price_index(())
        return
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER {name}")
    op.execute(f"DROP TABLE {SEARCH_TABLE}")
