"""The ``Permission`` enum: what a caller may do (:mod:`shopx.auth.permissions`)."""

from __future__ import annotations

import strawberry

from shopx.auth import permissions

Permission = strawberry.enum(
    permissions.Permission,
    name="Permission",
    description=(
        "DASHBOARD_READ: the dashboard's queries; ANALYTICS_READ: every other read; "
        "WRITE: mutations."
    ),
)
