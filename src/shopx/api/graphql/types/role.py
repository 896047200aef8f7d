"""The ``Role`` enum: what a bearer token's holder is (:mod:`shopx.auth.permissions`)."""

from __future__ import annotations

import strawberry

from shopx.auth import permissions

Role = strawberry.enum(
    permissions.Role,
    name="Role",
    description="ADMIN: everything; ANALYST: every read; VIEWER: the dashboard's reads.",
)
