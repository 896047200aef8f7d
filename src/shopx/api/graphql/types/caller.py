"""The ``Caller`` type: who is asking, and what they may do (the answer of ``me``)."""

from __future__ import annotations

import strawberry

from shopx.api.graphql.definitions import definition
from shopx.api.graphql.types.permission import Permission
from shopx.api.graphql.types.role import Role
from shopx.auth import Principal, permissions_of


@strawberry.type(description="The caller of this request, from its bearer token (or none).")
class Caller:
    subject: str = strawberry.field(
        description="The token's subject (a signed-in user's email); 'anonymous' without one."
    )
    email: str | None = strawberry.field(
        description="The user's email when the token came from signing in"
        " (/api/v1/auth/login); null for tokens made with `shopx token create` and without one."
    )
    role: Role | None = strawberry.field(description="Null without a token.")
    permissions: list[Permission] = strawberry.field(description=definition(permissions_of))

    @classmethod
    def of(cls, principal: Principal, *, anonymous_reads: bool) -> Caller:
        granted = permissions_of(principal, anonymous_reads=anonymous_reads)
        return cls(
            subject=principal.subject,
            email=principal.email,
            role=principal.role,
            permissions=sorted(granted, key=list(Permission).index),
        )
