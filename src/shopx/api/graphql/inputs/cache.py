"""Input of ``clearCache``: the glob of cache tags to invalidate."""

from __future__ import annotations

import strawberry

MAX_PATTERN = 200


"""Longest ``clearCache`` pattern: tags are short words, and glob matching grows with the
pattern's length."""


@strawberry.input
class ClearCacheInput:
    pattern: str = strawberry.field(
        default="*",
        description="Glob over cache tags (orders, products, customers, reps), at most"
        f" {MAX_PATTERN} characters.",
    )
