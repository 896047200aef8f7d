"""The ``ClearedCache`` type: the tags ``clearCache`` invalidated."""

from __future__ import annotations

import strawberry


@strawberry.type
class ClearedCache:
    tags: list[str] = strawberry.field(description="The tags invalidated on every instance.")
