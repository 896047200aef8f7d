"""The ``CacheTier`` type: one response-cache tier's counters."""

from __future__ import annotations

import strawberry

from shopx.api.graphql.definitions import definition
from shopx.cache.local import TierStats


@strawberry.type(description="One cache tier of the process that answered.")
class CacheTier:
    name: str = strawberry.field(description="l1 (in-process) or l2 (Redis).")
    backend: str
    hits: int
    misses: int
    hit_rate: float | None = strawberry.field(description=definition(TierStats.hit_rate))
    entries: int | None = strawberry.field(description="Null when the tier cannot be reached.")
    memory: int | None = strawberry.field(
        description="Bytes held (l1: answers; l2: Redis's used_memory)."
    )
    available: bool
