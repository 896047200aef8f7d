"""Talking to the app in-process, as a client would: GraphQL and REST over ASGI."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI

from shopx.api.app import create_app
from shopx.auth import Role, create_token
from shopx.config import Settings


@dataclass
class ApiClient:
    http: httpx.AsyncClient
    settings: Settings
    app: FastAPI | None = None

    def token(self, role: Role) -> str:
        return create_token(self.settings.jwt_secret(), role, ttl=timedelta(hours=1))

    async def graphql(
        self, query: str, variables: dict[str, Any] | None = None, *, role: Role | None = Role.ADMIN
    ) -> dict[str, Any]:
        """The JSON body of a GraphQL POST (``role=None`` sends no token)."""
        headers = {"authorization": f"Bearer {self.token(role)}"} if role else {}
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        assert response.status_code == 200, response.text
        return response.json()

    async def data(self, query: str, variables: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        """The ``data`` of a GraphQL answer that must have no errors."""
        body = await self.graphql(query, variables, **kwargs)
        assert "errors" not in body, body["errors"]
        return body["data"]


def sqlite_copy(template: Path, folder: Path) -> str:
    """The URL of a copy of the migrated SQLite database ``template``, made in ``folder``."""
    path = folder / "shopx.db"
    shutil.copyfile(template, path)
    return f"sqlite+aiosqlite:///{path}"


async def until(condition: Callable[[], bool], what: str) -> None:
    """Wait (up to 5 s) for a background task to reach a state; not a timing assertion."""
    for _ in range(500):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"gave up waiting for {what}")


NO_DASHBOARD_BUILD = Path(__file__).parent / "no-dashboard-build"
"""A folder that does not exist: the app falls back to its page of links."""


@asynccontextmanager
async def api_client(
    database_url: str, *, now: datetime | None = None, **settings: Any
) -> AsyncIterator[ApiClient]:
    """A client of a fresh app on ``database_url``; ``now`` pins the request clock.

    The rate limit is off unless a test turns it on: tests send many requests from one
    address, and tests/test_rate_limit.py checks the limiter itself. No dashboard build is
    served unless a test names one, so ``/`` is the page of links whether or not
    ``make run`` has built ``frontend/dist``."""
    settings = {"rate_limit_enabled": False, "dashboard_dir": NO_DASHBOARD_BUILD, **settings}
    config = Settings(database_url=database_url, secret_key="test-secret-" + "x" * 32, **settings)
    app = create_app(config, clock=(lambda: now) if now else None)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            yield ApiClient(http, config, app)
