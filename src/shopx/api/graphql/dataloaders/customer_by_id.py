"""Customers by id; None for an unknown id."""

from __future__ import annotations

from shopx.api.graphql.dataloaders.row_by_id import RowByIdLoader
from shopx.db.models import Customer


class CustomerByIdLoader(RowByIdLoader[Customer], model=Customer):
    pass
