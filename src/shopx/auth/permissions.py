"""Roles, permissions and the single check every resolver and REST handler goes through."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from shopx.errors import Forbidden, Unauthenticated


class Role(enum.StrEnum):
    ADMIN = "admin"
    ANALYST = "analyst"
    VIEWER = "viewer"


class Permission(enum.StrEnum):
    DASHBOARD_READ = "dashboard:read"
    ANALYTICS_READ = "analytics:read"
    WRITE = "write"


GRANTS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.ANALYST: frozenset({Permission.DASHBOARD_READ, Permission.ANALYTICS_READ}),
    Role.VIEWER: frozenset({Permission.DASHBOARD_READ}),
}
READS = frozenset({Permission.DASHBOARD_READ, Permission.ANALYTICS_READ})


@dataclass(frozen=True, slots=True)
class Principal:
    """The caller: a role from a verified token, or nobody."""

    role: Role | None
    subject: str = "anonymous"
    expires_at: float | None = None
    """When the token stops being valid (seconds since the epoch); None for nobody."""
    email: str | None = None
    """The user's email when the token came from signing in; None for CLI tokens."""

    def valid_at(self, moment: float) -> bool:
        """Is the token still good at ``moment`` (seconds since the epoch)? Nobody always is."""
        return self.expires_at is None or moment < self.expires_at

    @property
    def visibility(self) -> str:
        """What the caller may see (its role, or anonymous); part of every cache key."""
        return self.role.value if self.role else "anonymous"


ANONYMOUS = Principal(role=None)


def permissions_of(principal: Principal, *, anonymous_reads: bool) -> frozenset[Permission]:
    """What the caller may do: its role's grants; without a token, the reads when anonymous
    reads are on, and nothing otherwise."""
    if principal.role is None:
        return READS if anonymous_reads else frozenset()
    return GRANTS[principal.role]


def authorize(principal: Principal, permission: Permission, *, anonymous_reads: bool) -> None:
    """Raise unless ``principal`` holds ``permission`` (see :func:`permissions_of`)."""
    if permission in permissions_of(principal, anonymous_reads=anonymous_reads):
        return
    if principal.role is None:
        raise Unauthenticated("a valid bearer token is required")
    raise Forbidden(f"role {principal.role.value} may not {permission.value}")
