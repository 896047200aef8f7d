"""Dashboard users: created and disabled by an operator (``shopx user``), signed in with an
email and a password. Emails are unique ignoring case (stored lower-cased)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from shopx.auth.passwords import PASSWORDS, check_new_password, hash_password, verify_password
from shopx.auth.permissions import Role
from shopx.auth.refresh_tokens import revoke_user_tokens
from shopx.bounds import EMAIL, MAX_EMAIL
from shopx.db.models import User
from shopx.errors import BadInput, Conflict, NotFound


def login_email(text: str) -> str:
    """How an email is matched when signing in: trimmed, NFC, lower-cased."""
    return unicodedata.normalize("NFC", text.strip()).lower()


def new_email(text: str) -> str:
    """The stored form of a new user's email (:func:`login_email`), else BAD_USER_INPUT."""
    address = login_email(text)
    if len(address) > MAX_EMAIL or not address.isprintable() or not EMAIL.match(address):
        raise BadInput(f"{text!r} is not a valid email address")
    return address


async def create_user(
    session: AsyncSession, *, email: str, role: Role, password: str, now: datetime
) -> User:
    """A new active user; CONFLICT when the email is taken (in any case)."""
    address = new_email(email)
    password_hash = await hash_password(check_new_password(password))
    if await find_user(session, address) is not None:
        raise Conflict(f"a user with email {address} already exists")
    user = User(
        email=address, password_hash=password_hash, role=role.value, created_at=now, updated_at=now
    )
    session.add(user)
    try:
        await session.flush()
    except IntegrityError:
        raise Conflict(f"a user with email {address} already exists") from None
    return user


async def find_user(session: AsyncSession, email: str) -> User | None:
    return await session.scalar(select(User).where(User.email == login_email(email)))


async def list_users(session: AsyncSession) -> Sequence[User]:
    return (await session.scalars(select(User).order_by(User.email))).all()


async def disable_user(session: AsyncSession, email: str, *, now: datetime) -> User:
    """Stop ``email`` from signing in and end their sessions (their refresh tokens are
    revoked; access tokens already issued live out their short lifetime)."""
    user = await find_user(session, email)
    if user is None:
        raise NotFound(f"no user with email {login_email(email)}")
    user.is_active = False
    user.updated_at = now
    await revoke_user_tokens(session, user.id, now=now)
    await session.flush()
    return user


async def check_credentials(user: User | None, password: str) -> User | None:
    """``user`` when it may sign in with ``password``; None for an unknown email (after
    hashing all the same), a wrong password or a disabled user, which take the same time."""
    matches = await verify_password(user.password_hash if user else None, password)
    if user is None or not matches or not user.is_active:
        return None
    return user


async def record_sign_in(
    session: AsyncSession, user: User, password: str, *, now: datetime
) -> None:
    """Note the sign-in; a hash made with older parameters is replaced by a current one."""
    values: dict[str, object] = {"last_login_at": now}
    if PASSWORDS.needs_rehash(user.password_hash):
        values["password_hash"] = await hash_password(password)
    await session.execute(update(User).where(User.id == user.id).values(**values))
