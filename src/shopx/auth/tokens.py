"""JWT bearer tokens (HS256, signed with the configured secret)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import jwt

from shopx.auth.permissions import ANONYMOUS, Principal, Role
from shopx.errors import BadInput, Unauthenticated

ALGORITHM = "HS256"
ISSUER = "shopx"
_TTL = re.compile(r"^\s*(\d+)\s*([smhdw])\s*$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_ttl(text: str) -> timedelta:
    """``30m``, ``12h``, ``7d``, ``2w`` -> a positive duration."""
    match = _TTL.match(text.lower())
    if not match or int(match.group(1)) == 0:
        raise BadInput(f"ttl must look like 30m, 12h, 7d or 2w; got {text!r}")
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


def create_token(
    secret: str, role: Role, *, ttl: timedelta, subject: str = "cli", now: datetime | None = None
) -> str:
    issued = now or datetime.now(UTC)
    claims = {"sub": subject, "role": role.value, "iss": ISSUER, "iat": issued, "exp": issued + ttl}
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
    return Principal(role=role, subject=str(claims.get("sub", "")), expires_at=float(claims["exp"]))
