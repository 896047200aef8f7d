"""Who may do what: bearer tokens, roles and the one ``authorize`` seam."""

from shopx.auth.permissions import (
    ANONYMOUS,
    Permission,
    Principal,
    Role,
    authorize,
    permissions_of,
)
from shopx.auth.tokens import create_token, parse_ttl, principal_from_header

__all__ = [
    "ANONYMOUS",
    "Permission",
    "Principal",
    "Role",
    "authorize",
    "create_token",
    "parse_ttl",
    "permissions_of",
    "principal_from_header",
]
