from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from shopx.auth import (
    ANONYMOUS,
    Permission,
    Principal,
    Role,
    authorize,
    create_token,
    parse_ttl,
    principal_from_header,
)
from shopx.errors import BadInput, Forbidden, Unauthenticated

SECRET = "s" * 48


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30m", timedelta(minutes=30)),
        ("12h", timedelta(hours=12)),
        ("7d", timedelta(days=7)),
        ("2W", timedelta(weeks=2)),
    ],
)
def test_parse_ttl(text, expected):
    assert parse_ttl(text) == expected


@pytest.mark.parametrize("text", ["", "7", "0d", "-1d", "7y", "d7"])
def test_parse_ttl_rejects_nonsense(text):
    with pytest.raises(BadInput, match="ttl must look like"):
        parse_ttl(text)


def test_token_round_trip():
    issued = datetime.now(UTC).replace(microsecond=0)
    token = create_token(SECRET, Role.ANALYST, ttl=timedelta(days=3650), subject="ana", now=issued)
    expires = (issued + timedelta(days=3650)).timestamp()
    assert principal_from_header(SECRET, f"Bearer {token}") == Principal(
        Role.ANALYST, "ana", expires_at=expires
    )


def test_no_header_is_anonymous():
    assert principal_from_header(SECRET, None) is ANONYMOUS


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("Basic abc", "Bearer <token>"),
        ("Bearer ", "Bearer <token>"),
        ("Bearer not-a-jwt", "invalid token"),
        (
            f"Bearer {create_token('other-secret' * 4, Role.ADMIN, ttl=timedelta(hours=1))}",
            "invalid token",
        ),
    ],
)
def test_bad_headers_are_unauthenticated(header, message):
    with pytest.raises(Unauthenticated, match=message):
        principal_from_header(SECRET, header)


def test_expired_token_is_unauthenticated():
    issued = datetime.now(UTC) - timedelta(days=2)
    token = create_token(SECRET, Role.ADMIN, ttl=timedelta(days=1), now=issued)
    with pytest.raises(Unauthenticated, match="expired"):
        principal_from_header(SECRET, f"Bearer {token}")


ALLOWED = {
    Role.ADMIN: set(Permission),
    Role.ANALYST: {Permission.DASHBOARD_READ, Permission.ANALYTICS_READ},
    Role.VIEWER: {Permission.DASHBOARD_READ},
}


def test_a_token_verified_before_is_refused_once_it_expires(monkeypatch):
    issued = datetime.now(UTC)
    token = create_token(SECRET, Role.ANALYST, ttl=timedelta(hours=1), now=issued)
    header = f"Bearer {token}"
    assert principal_from_header(SECRET, header).role is Role.ANALYST  # verified and kept
    later = (issued + timedelta(hours=1, seconds=1)).timestamp()
    monkeypatch.setattr("shopx.auth.tokens.time.time", lambda: later)
    with pytest.raises(Unauthenticated, match="expired"):
        principal_from_header(SECRET, header)


def test_a_kept_token_is_not_valid_under_another_secret():
    token = create_token(SECRET, Role.ADMIN, ttl=timedelta(hours=1))
    assert principal_from_header(SECRET, f"Bearer {token}").role is Role.ADMIN
    with pytest.raises(Unauthenticated, match="invalid token"):
        principal_from_header("t" * 48, f"Bearer {token}")


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("permission", list(Permission))
def test_role_grants(role, permission):
    principal = Principal(role)
    if permission in ALLOWED[role]:
        authorize(principal, permission, anonymous_reads=False)
    else:
        with pytest.raises(Forbidden):
            authorize(principal, permission, anonymous_reads=False)


def test_anonymous_reads_only_when_enabled():
    with pytest.raises(Unauthenticated):
        authorize(ANONYMOUS, Permission.DASHBOARD_READ, anonymous_reads=False)
    authorize(ANONYMOUS, Permission.ANALYTICS_READ, anonymous_reads=True)
    with pytest.raises(Unauthenticated):
        authorize(ANONYMOUS, Permission.WRITE, anonymous_reads=True)
