"""Products by id; None for an unknown id."""

from __future__ import annotations

from shopx.api.graphql.dataloaders.row_by_id import RowByIdLoader
from shopx.db.models import Product


class ProductByIdLoader(RowByIdLoader[Product], model=Product):
    pass
