"""The ``CacheInfo`` type: the cache tiers of the process that answered."""

from __future__ import annotations

import strawberry

from shopx.api.graphql.types.cache_tier import CacheTier


@strawberry.type
class CacheInfo:
    per_process: bool = strawberry.field(
        description="Counters belong to the process that answered, not to the whole service."
    )
    backend: str = strawberry.field(description="The tiers in use, e.g. 'in-process+redis'.")
    tiers: list[CacheTier]
