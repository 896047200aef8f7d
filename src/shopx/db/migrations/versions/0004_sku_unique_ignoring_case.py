"""SKUs unique ignoring case: a unique index on ``lower(sku)``, like customer emails.

SKUs keep the case they were given. A database that already holds SKUs differing only by
case cannot take the index: the upgrade then stops, changing nothing, and lists them, so
an operator can rename the ones to keep apart (``updateProduct``) and upgrade again.
Case folding is the database's ``lower()``: ASCII letters on SQLite, every letter of the
database's collation on PostgreSQL.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SHOWN = 20
"""How many clashing SKUs the refusal lists."""

CLASHES = sa.text(
    "SELECT id, sku FROM products WHERE lower(sku) IN"
    " (SELECT lower(sku) FROM products GROUP BY lower(sku) HAVING count(*) > 1)"
    " ORDER BY lower(sku), id"
)


class CaseVariantSkus(RuntimeError):
    """Products whose SKUs differ only by case: the unique index cannot be built."""


def upgrade() -> None:
    _refuse_case_variants()
    op.create_index("uq_products_lower_sku", "products", [sa.text("lower(sku)")], unique=True)


def downgrade() -> None:
    op.drop_index("uq_products_lower_sku", table_name="products")


def _refuse_case_variants() -> None:
    clashes = op.get_bind().execute(CLASHES).all()
    if not clashes:
        return
    listed = ", ".join(f"{sku!r} (product {product_id})" for product_id, sku in clashes[:SHOWN])
    more = f" and {len(clashes) - SHOWN} more" if len(clashes) > SHOWN else ""
    raise CaseVariantSkus(
        f"{len(clashes)} products have SKUs that differ only by case: {listed}{more}."
        " SKUs are now unique ignoring case; rename these so no two are equal ignoring"
        " case, then upgrade again."
    )
