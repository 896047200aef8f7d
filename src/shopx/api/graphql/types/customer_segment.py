"""The ``CustomerSegment`` enum, described by the RFM rules that assign it."""

from __future__ import annotations

import strawberry

from shopx.analytics import rfm
from shopx.api.graphql.definitions import definition
from shopx.db import models

RFM_RULES = (
    f"{definition(rfm.Scores)} {definition(rfm.segment)} Segments are stored on the "
    "customer and recomputed by the segments job (shopx refresh --full)."
)
"""The scores and segment rules from their domain definitions, quoted by the schema."""


Segment = strawberry.enum(models.Segment, name="CustomerSegment", description=RFM_RULES)
