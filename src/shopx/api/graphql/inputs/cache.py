"""Input of ``clearCache``: the glob of cache tags to invalidate."""

from __future__ import annotations

import strawberry

MAX_PATTERN = 200


"""Longest ``clearCache`` pattern: tags are short words, and matching a 250 KB glob took
0.6 s."""


@strawberry.input
class ClearCacheInput:
    pattern: str = strawberry.field(
        default="*",
        description="Glob over cache tags (orders, products, customers, reps), at most"
        f" {MAX_PATTERN} characters.",
    )
