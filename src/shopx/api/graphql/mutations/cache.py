"""``clearCache``: invalidate cached answers by tag on every instance."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from shopx.api.graphql.context import Context
from shopx.api.graphql.inputs.cache import MAX_PATTERN, ClearCacheInput
from shopx.api.graphql.types.cleared_cache import ClearedCache
from shopx.auth import Permission
from shopx.cache.runtime import clear_everywhere
from shopx.errors import BadInput


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
