"""JWT bearer tokens (HS256, signed with the configured secret)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from functools import lru_cache

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
    principal = _verified(secret, token.strip())
    if not principal.valid_at(time.time()):
        raise Unauthenticated("the token has expired")
    return principal


VERIFIED_TOKENS = 4_096
"""Tokens whose caller :func:`_verified` keeps (a few hundred bytes each)."""


@lru_cache(maxsize=VERIFIED_TOKENS)
def _verified(secret: str, token: str) -> Principal:
    """The caller a token names, once its signature and claims check out. Kept, since a
    client sends the same token with every request (verifying it again took 4% of a
    worker's CPU under a storm of writes); of its checks only the expiry changes with time,
    and :func:`principal_from_header` makes that one on every use. A token that fails is
    not kept: it fails each time."""
    try:
        claims = jwt.decode(
            token,
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
