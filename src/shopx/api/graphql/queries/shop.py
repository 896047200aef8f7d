"""``shopInfo`` and ``me``: the shop and the caller, what a client needs before any number."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from shopx.api.graphql.context import Context
from shopx.api.graphql.types.caller import Caller
from shopx.api.graphql.types.shop_info import ShopInfo


@strawberry.type
class ShopQuery:
    @strawberry.field(
        description=(
            "The shop's name, currency, business time zone, revenue statuses and version; "
            "open to every caller (a sign-in page needs it); cached with the page it comes in, "
            "so a dashboard page's one request stays answerable from the cache."
        )
    )
    def shop_info(self, info: Info[Context, None]) -> ShopInfo:
        return ShopInfo.of(info.context.settings)

    @strawberry.field(
        description=(
            "The caller: email (signed-in users) or token subject, role and permissions; "
            "anonymous (role null) without a token. A bad or expired token is UNAUTHENTICATED."
        )
    )
    def me(self, info: Info[Context, None]) -> Caller:
        context = info.context
        if context.caller_error is not None:
            raise context.caller_error
        return Caller.of(context.caller, anonymous_reads=context.settings.anonymous_reads)
