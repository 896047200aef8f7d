"""The ``CustomerSegment`` enum and the RFM rules that assign it."""

from __future__ import annotations

import strawberry

from shopx.db import models

RFM_RULES = (
    "RFM scores run 1 to 5 (5 best) among customers with a recognised order: recency (the "
    "local day of the last order, later is better), frequency (order count), monetary "
    "(lifetime value). Score = 1 + floor(5 x buyers with a strictly worse value / buyers), "
    "so equal values score equally. Segments, first rule that holds: NEW (no recognised "
    "order, or the first less than 30 days ago); CHURNED (recency 1, or the last order more "
    "than 180 days ago); AT_RISK (recency 2 with frequency or monetary 3+); PREMIUM "
    "(recency, frequency and monetary all 4+); REGULAR (the rest). Segments are stored on "
    "the customer and recomputed by the segments job (shopx refresh --full)."
)


Segment = strawberry.enum(models.Segment, name="CustomerSegment", description=RFM_RULES)
