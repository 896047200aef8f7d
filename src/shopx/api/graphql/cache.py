"""``cacheInfo`` and ``clearCache``: the response cache seen and flushed through the API."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from shopx.api.graphql.context import Context
from shopx.auth import Permission
from shopx.cache.runtime import clear_everywhere
from shopx.errors import BadInput

MAX_PATTERN = 200
"""Longest ``clearCache`` pattern: tags are short words, and matching a 250 KB glob took
0.6 s."""


@strawberry.type(description="One cache tier of the process that answered.")
class CacheTier:
    name: str = strawberry.field(description="l1 (in-process) or l2 (Redis).")
    backend: str
    hits: int
    misses: int
    hit_rate: float | None = strawberry.field(
        description="Hits / lookups, in %; null before the first lookup."
    )
    entries: int | None = strawberry.field(description="Null when the tier cannot be reached.")
    memory: int | None = strawberry.field(
        description="Bytes held (l1: answers; l2: Redis's used_memory)."
    )
    available: bool


@strawberry.type
class CacheInfo:
    per_process: bool = strawberry.field(
        description="Counters belong to the process that answered, not to the whole service."
    )
    backend: str = strawberry.field(description="The tiers in use, e.g. 'in-process+redis'.")
    tiers: list[CacheTier]


@strawberry.input
class ClearCacheInput:
    pattern: str = strawberry.field(
        default="*",
        description="Glob over cache tags (orders, products, customers, reps), at most"
        f" {MAX_PATTERN} characters.",
    )


@strawberry.type
class ClearedCache:
    tags: list[str] = strawberry.field(description="The tags invalidated on every instance.")


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
                    hit_rate=None if tier.stats.hit_rate is None else tier.stats.hit_rate * 100,
                    entries=tier.entries,
                    memory=tier.bytes,
                    available=tier.available,
                )
                for tier in tiers
            ],
        )


@strawberry.type
class CacheMutation:
    @strawberry.mutation(
        description="Invalidate cached answers depending on the tags matching `pattern`, "
        "on every instance."
    )
    async def clear_cache(
        self, info: Info[Context, None], input: ClearCacheInput | None = None
    ) -> ClearedCache:
        context = info.context
        context.require(Permission.WRITE)
        pattern = (input or ClearCacheInput()).pattern
        if len(pattern) > MAX_PATTERN:
            raise BadInput(
                f"pattern is {len(pattern)} characters, more than the limit of {MAX_PATTERN}"
            )
        tags = await clear_everywhere(context.cache, context.write_sessions, pattern, context.now)
        return ClearedCache(tags=tags)
