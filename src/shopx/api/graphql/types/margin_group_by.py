"""The ``MarginGroupBy`` enum: how margins are grouped (:mod:`shopx.analytics.margins`)."""

from __future__ import annotations

import strawberry

from shopx.analytics import margins
from shopx.api.graphql.definitions import definition

MarginGroupBy = strawberry.enum(
    margins.MarginGroupBy, name="MarginGroupBy", description=definition(margins.MarginGroupBy)
)
