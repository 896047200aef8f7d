"""JWT bearer tokens (HS256, signed with the configured secret)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt

from shopx.auth.permissions import ANONYMOUS, Principal, Role
from shopx.durations import parse_ttl
from shopx.errors import Unauthenticated

ALGORITHM = "HS256"
ISSUER = "shopx"
USER_KIND = "user"
"""The ``kind`` claim of a token issued by signing in: its subject is the user's email."""

__all__ = ["create_token", "parse_ttl", "principal_from_header"]


def create_token(
    secret: str,
    role: Role,
    *,
    ttl: timedelta,
    subject: str = "cli",
    now: datetime | None = None,
    kind: str | None = None,
) -> str:
    """A signed token; ``kind`` :data:`USER_KIND` marks one issued by signing in."""
    issued = now or datetime.now(UTC)
    claims = {"sub": subject, "role": role.value, "iss": ISSUER, "iat": issued, "exp": issued + ttl}
    if kind is not None:
        claims["kind"] = kind
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def principal_from_header(secret: str, authorization: str | None) -> Principal:
    """The caller behind an ``Authorization`` header; no header means anonymous."""
    if not authorization:
        return ANONYMOUS
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("Authorization must be 'Bearer <token>'")
    try:
        claims = jwt.decode(
            token.strip(),
            secret,
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            options={"require": ["exp", "role", "iss"]},
        )
    except jwt.ExpiredSignatureError:
        raise Unauthenticated("the token has expired") from None
    except jwt.InvalidTokenError as exc:
        raise Unauthenticated(f"invalid token: {exc}") from None
    try:
        role = Role(claims["role"])
    except ValueError:
        raise Unauthenticated(f"unknown role {claims['role']!r} in token") from None
    subject = str(claims.get("sub", ""))
    email = subject if claims.get("kind") == USER_KIND else None
    return Principal(role=role, subject=subject, expires_at=float(claims["exp"]), email=email)
