"""Signing in, refreshing and signing out: what the sign-in endpoints do, over the database.

Each step holds one database session at a time and none while a password is hashed: the
user is read, the password checked with no session open, then one short write records the
sign-in and issues the refresh token (:func:`shopx.db.writes.bookkeeping_session`: users
and their tokens are not data any cached answer holds, so the data version is left alone).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shopx.auth import refresh_tokens
from shopx.auth.permissions import Role
from shopx.auth.tokens import USER_KIND, create_token
from shopx.auth.users import check_credentials, find_user, record_sign_in
from shopx.config import Settings
from shopx.db.holding import one_session
from shopx.db.models import User
from shopx.db.writes import bookkeeping_session
from shopx.errors import Unauthenticated

WRONG_CREDENTIALS = "wrong email or password"
"""The one answer to an unknown email, a wrong password and a disabled user alike."""


@dataclass(frozen=True, slots=True)
class SignedIn:
    email: str
    role: Role
    access_token: str
    expires_in: int
    """Seconds the access token is valid for."""
    refresh_token: str | None
    """None when the cookie must be left as it is (a refresh within the reuse grace)."""
    refresh_max_age: int
    """Seconds the refresh token is valid for."""


async def sign_in(
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    *,
    email: str,
    password: str,
    secret: str,
    now: datetime,
) -> SignedIn:
    """A new session for ``email``; UNAUTHENTICATED :data:`WRONG_CREDENTIALS` otherwise."""
    with one_session("a read session"):
        async with sessions() as session:
            found = await find_user(session, email)
    user = await check_credentials(found, password)
    if user is None:
        raise Unauthenticated(WRONG_CREDENTIALS)
    async with bookkeeping_session(sessions) as session:
        await record_sign_in(session, user, password, now=now)
        issued = await refresh_tokens.issue(session, user.id, now=now, ttl=settings.refresh_ttl)
    return _signed_in(user, issued.token, settings, secret=secret, now=now)


async def refresh(
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    *,
    token: str,
    secret: str,
    now: datetime,
) -> SignedIn:
    """The next access token and refresh token for the holder of ``token``, which is used up
    (only an access token when it was used up moments ago, see :mod:`refresh_tokens`);
    UNAUTHENTICATED with the reason when it is unknown, expired, revoked or its user is
    disabled (a revoked one also ends its whole sign-in)."""
    async with bookkeeping_session(sessions) as session:
        outcome = await refresh_tokens.rotate(session, token, now=now, ttl=settings.refresh_ttl)
    if isinstance(outcome, refresh_tokens.Refused):
        raise Unauthenticated(outcome.reason)
    successor = outcome.issued.token if outcome.issued else None
    return _signed_in(outcome.user, successor, settings, secret=secret, now=now)


async def sign_out(
    sessions: async_sessionmaker[AsyncSession], *, token: str, now: datetime
) -> None:
    """End the sign-in ``token`` belongs to (nothing happens for an unknown token)."""
    async with bookkeeping_session(sessions) as session:
        await refresh_tokens.revoke(session, token, now=now)


def _signed_in(
    user: User, refresh_token: str | None, settings: Settings, *, secret: str, now: datetime
) -> SignedIn:
    role = Role(user.role)
    access_ttl = settings.access_ttl
    access = create_token(secret, role, ttl=access_ttl, subject=user.email, now=now, kind=USER_KIND)
    return SignedIn(
        email=user.email,
        role=role,
        access_token=access,
        expires_in=int(access_ttl.total_seconds()),
        refresh_token=refresh_token,
        refresh_max_age=int(settings.refresh_ttl.total_seconds()),
    )
