"""Sales representatives by id; None for an unknown id."""

from __future__ import annotations

from shopx.api.graphql.dataloaders.row_by_id import RowByIdLoader
from shopx.db.models import SalesRepresentative


class RepByIdLoader(RowByIdLoader[SalesRepresentative], model=SalesRepresentative):
    pass
