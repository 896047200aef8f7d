"""Refresh tokens: what keeps a dashboard user signed in between short-lived access tokens.

A token is 32 random bytes that only the browser holds (in an httpOnly cookie); the
database keeps its SHA-256. Each sign-in starts a *family*. A refresh revokes the token it
was given and issues the next one of the family, so at most one token of a family is live.
A revoked token presented again was copied (the holder of the live one and the copy cannot
both be the user): the whole family is revoked, and whoever has the other token is signed
out too. Functions that refuse return a :class:`Refused` instead of raising, so that what
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


@dataclass(frozen=True, slots=True)
class Issued:
    token: str
    """The value for the cookie (never stored)."""
    expires_at: datetime


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
) -> tuple[User, Issued] | Refused:
    """Trade ``token`` for the next of its family, with its (active) user."""
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
        await revoke_family(session, row.family_id, now=now)
        return Refused("this refresh token was already used; the session is ended, sign in again")
    return user, await issue(session, user.id, now=now, ttl=ttl, family=row.family_id)


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
