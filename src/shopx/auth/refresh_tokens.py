"""Refresh tokens: what keeps a dashboard user signed in between short-lived access tokens.

A token is 32 random bytes that only the browser holds (in an httpOnly cookie); the
database keeps its SHA-256. Each sign-in starts a *family*. A refresh revokes the token it
was given and issues the next one of the family, so at most one token of a family is live.
A revoked token presented again was copied (the holder of the live one and the copy cannot
both be the user): the whole family is revoked, and whoever has the other token is signed
out too, except within :data:`REUSE_GRACE` of the rotation while the family is live: two tabs
opened together both refresh with the same cookie, and the later one is let through without
ending the session (the reuse interval of other identity providers). It gets no refresh
token of its own: a sibling would fork the session for good, and a thief replaying a stolen
cookie within the grace would keep a live token after the user signs out. The first refresh
already put the successor into the cookie jar the tabs share. Functions
that refuse return a :class:`Refused` instead of raising, so that what
they revoked is committed with the caller's transaction.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shopx.db.models import RefreshToken, User

TOKEN_BYTES = 32
REUSE_GRACE = timedelta(seconds=30)
"""How long after its rotation a token may still be traded, while its family is live."""


@dataclass(frozen=True, slots=True)
class Issued:
    token: str
    """The value for the cookie (never stored)."""
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class Rotated:
    user: User
    issued: Issued | None
    """The next token of the family; None for a replay within the grace, which gets none."""


@dataclass(frozen=True, slots=True)
class Refused:
    reason: str


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def issue(
    session: AsyncSession,
    user_id: int,
    *,
    now: datetime,
    ttl: timedelta,
    family: str | None = None,
) -> Issued:
    """A new token for ``user_id``: the next of ``family``, or the first of a new one. The
    user's expired tokens are dropped on the way (they are refused anyway)."""
    await session.execute(
        delete(RefreshToken).where(RefreshToken.user_id == user_id, RefreshToken.expires_at <= now)
    )
    token = secrets.token_urlsafe(TOKEN_BYTES)
    issued = Issued(token, now + ttl)
    session.add(
        RefreshToken(
            user_id=user_id,
            token_hash=token_hash(token),
            family_id=family or uuid.uuid4().hex,
            expires_at=issued.expires_at,
            created_at=now,
        )
    )
    await session.flush()
    return issued


async def rotate(
    session: AsyncSession, token: str, *, now: datetime, ttl: timedelta
) -> Rotated | Refused:
    """Trade ``token`` for the next of its family, with its (active) user; within the grace
    of its rotation, only the user (module doc)."""
    row = await session.scalar(
        select(RefreshToken).where(RefreshToken.token_hash == token_hash(token))
    )
    if row is None:
        return Refused("unknown refresh token; sign in again")
    if row.expires_at <= now:
        return Refused("the session has expired; sign in again")
    user = await session.get(User, row.user_id)
    if user is None or not user.is_active:
        await revoke_family(session, row.family_id, now=now)
        return Refused("the user is disabled")
    used = await session.execute(
        update(RefreshToken)
        .where(RefreshToken.id == row.id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    if used.rowcount == 0:  # type: ignore[attr-defined]
        if await _just_rotated(session, row, now=now):
            return Rotated(user, None)
        await revoke_family(session, row.family_id, now=now)
        return Refused("this refresh token was already used; the session is ended, sign in again")
    return Rotated(user, await issue(session, user.id, now=now, ttl=ttl, family=row.family_id))


async def _just_rotated(session: AsyncSession, row: RefreshToken, *, now: datetime) -> bool:
    """Was ``row`` rotated (not revoked with its family) within the grace period?"""
    await session.refresh(row, ["revoked_at"])
    if row.revoked_at is None or now - row.revoked_at > REUSE_GRACE:
        return False
    live = await session.scalar(
        select(RefreshToken.id)
        .where(
            RefreshToken.family_id == row.family_id,
            RefreshToken.revoked_at.is_(None),
            RefreshToken.expires_at > now,
        )
        .limit(1)
    )
    return live is not None


async def revoke(session: AsyncSession, token: str, *, now: datetime) -> None:
    """End the sign-in ``token`` belongs to (its whole family); unknown tokens are ignored."""
    family = await session.scalar(
        select(RefreshToken.family_id).where(RefreshToken.token_hash == token_hash(token))
    )
    if family is not None:
        await revoke_family(session, family, now=now)


async def revoke_family(session: AsyncSession, family: str, *, now: datetime) -> None:
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )


async def revoke_user_tokens(session: AsyncSession, user_id: int, *, now: datetime) -> None:
    """End every sign-in of ``user_id``."""
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
