"""Dashboard users from the command line: ``shopx user create|list|disable``, passwords read
from standard input only, stored as argon2id hashes."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from shopx.auth import Role
from shopx.auth.users import create_user
from shopx.cli import app
from shopx.db.engine import create_engine, session_factory
from shopx.db.models import User
from shopx.errors import BadInput, Conflict
from tests.api import api_client
from tests.users import PASSWORD, writing

runner = CliRunner()


@pytest.fixture
def database(settings_env, database_url, monkeypatch) -> str:
    """The CLI's database: a fresh migrated one of this test's dialect."""
    monkeypatch.setenv("SHOPX_DATABASE_URL", database_url)
    return database_url


def shopx(*words: str, password: str | None = None):
    stdin = None if password is None else f"{password}\n"
    return runner.invoke(app, list(words), input=stdin)


async def stored(url: str, email: str) -> User | None:
    engine = create_engine(url, pool_size=1)
    try:
        async with session_factory(engine)() as session:
            return await session.scalar(select(User).where(User.email == email))
    finally:
        await engine.dispose()


async def test_a_user_created_with_the_password_on_stdin_can_sign_in(database):
    created = await asyncio.to_thread(
        shopx, "user", "create", "--email", " Ana@Example.com", "--role", "ADMIN", password=PASSWORD
    )
    assert created.exit_code == 0, created.output
    assert "created admin ana@example.com" in created.output
    user = await stored(database, "ana@example.com")
    assert user is not None and user.role == "admin" and user.is_active
    assert user.password_hash.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert PASSWORD not in user.password_hash

    async with api_client(database) as client:
        response = await client.http.post(
            "/api/v1/auth/login", json={"email": "ANA@example.com", "password": PASSWORD}
        )
    assert response.status_code == 200, response.text
    assert response.json()["role"] == "admin"


@pytest.mark.usefixtures("cheap_passwords")
@pytest.mark.parametrize(
    ("words", "password", "code", "message"),
    [
        (["--email", "bo@example.com", "--role", "owner"], PASSWORD, 2, "owner"),
        (["--email", "bo@example.com", "--role", "viewer"], "", 1, "the password is empty"),
        (["--email", "bo@example.com", "--role", "viewer"], "short", 1, "at least 8"),
        (["--email", "not-an-email", "--role", "viewer"], PASSWORD, 1, "not a valid email"),
        (["--email", "BO@example.com ", "--role", "viewer"], PASSWORD, 1, "already exists"),
        (
            ["--email", "x@example.com", "--role", "viewer", "--password", "p"],
            None,
            2,
            "--password",
        ),
    ],
    ids=["bad-role", "empty-password", "short-password", "bad-email", "duplicate", "argument"],
)
async def test_create_refuses_with_the_reason(database, words, password, code, message):
    async with writing(database) as session:
        await create_user(
            session, email="bo@example.com", role=Role.VIEWER, password=PASSWORD, now=_now()
        )
    result = await asyncio.to_thread(shopx, "user", "create", *words, password=password)
    assert result.exit_code == code, result.output
    assert message in result.output
    assert await stored(database, "x@example.com") is None


def test_no_command_takes_a_password_option():
    create = runner.invoke(app, ["user", "create", "--help"])
    assert create.exit_code == 0
    assert "--password" not in create.output
    assert "standard input" in create.output


@pytest.mark.usefixtures("cheap_passwords")
async def test_list_and_disable(database):
    for email, role in (("ana@example.com", "admin"), ("bo@example.com", "viewer")):
        made = await asyncio.to_thread(
            shopx, "user", "create", "--email", email, "--role", role, password=PASSWORD
        )
        assert made.exit_code == 0, made.output
    disabled = await asyncio.to_thread(shopx, "user", "disable", "BO@example.com")
    assert disabled.exit_code == 0, disabled.output
    said = " ".join(disabled.output.split())  # the console wraps long lines
    assert "refresh ends now" in said and "works until it expires" in said
    assert "sessions are ended" not in said
    listed = await asyncio.to_thread(shopx, "user", "list")
    assert listed.exit_code == 0, listed.output
    rows = [line for line in listed.output.splitlines() if "@example.com" in line]
    assert len(rows) == 2
    assert rows[0].replace("│", " ").split()[:3] == ["ana@example.com", "admin", "yes"]
    assert rows[1].replace("│", " ").split()[:3] == ["bo@example.com", "viewer", "no"]
    assert all(row.rstrip(" │").endswith("never") for row in rows)

    unknown = await asyncio.to_thread(shopx, "user", "disable", "nobody@example.com")
    assert unknown.exit_code == 1
    assert "no user with email nobody@example.com" in unknown.output


@pytest.mark.usefixtures("cheap_passwords")
async def test_the_domain_refuses_duplicates_ignoring_case_and_bad_passwords(database_url):
    async with writing(database_url) as session:
        await create_user(session, email="a@b.co", role=Role.VIEWER, password=PASSWORD, now=_now())
    with pytest.raises(Conflict):
        async with writing(database_url) as session:
            await create_user(
                session, email="A@B.CO", role=Role.VIEWER, password=PASSWORD, now=_now()
            )
    with pytest.raises(BadInput, match="at most 1024"):
        async with writing(database_url) as session:
            await create_user(
                session, email="c@b.co", role=Role.VIEWER, password="p" * 1025, now=_now()
            )


def test_commands_need_a_migrated_database(settings_env):
    result = runner.invoke(app, ["user", "list"])
    assert result.exit_code == 1
    assert "shopx init" in result.output


def _now() -> datetime:
    return datetime.now(UTC)
