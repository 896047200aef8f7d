"""``cacheInfo``: the response cache tiers of the process that answered."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from shopx.api.graphql.context import Context
from shopx.api.graphql.types.cache_info import CacheInfo
from shopx.api.graphql.types.cache_tier import CacheTier
from shopx.auth import Permission


@strawberry.type
class CacheQuery:
    @strawberry.field(description="Hits, misses and size of each cache tier of this process.")
    async def cache_info(self, info: Info[Context, None]) -> CacheInfo:
        context = info.context
        context.require(Permission.ANALYTICS_READ)
        tiers = await context.cache.tiers()
        return CacheInfo(
            per_process=True,
            backend="+".join(tier.backend for tier in tiers),
            tiers=[
                CacheTier(
                    name=tier.name,
                    backend=tier.backend,
                    hits=tier.stats.hits,
                    misses=tier.stats.misses,
                    hit_rate=tier.stats.hit_rate,
                    entries=tier.entries,
                    memory=tier.bytes,
                    available=tier.available,
                )
                for tier in tiers
            ],
        )
