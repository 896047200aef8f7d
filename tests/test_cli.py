from __future__ import annotations

from typer.testing import CliRunner

from shopx.auth import Role, principal_from_header
from shopx.cli import app
from shopx.config import Settings
from shopx.db.migrate import upgrade

runner = CliRunner()


def test_config_prints_settings_with_secrets_masked(settings_env, monkeypatch):
    monkeypatch.setenv("SHOPX_SECRET_KEY", "do-not-print")
    result = runner.invoke(app, ["config"])
    assert result.exit_code == 0, result.output
    assert "SHOPX_DATABASE_URL" in result.output
    assert "do-not-print" not in result.output


def test_init_twice_on_the_default_database(settings_env):
    first = runner.invoke(app, ["init"])
    second = runner.invoke(app, ["init"])
    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    assert (settings_env / "data" / "shopx.db").exists()


def test_serve_refuses_a_database_without_tables(settings_env, monkeypatch):
    started = []
    monkeypatch.setattr("shopx.cli.run_server", lambda **options: started.append(options))
    result = runner.invoke(app, ["serve", "--port", "8999"])
    assert result.exit_code == 2, result.output
    assert "no tables yet: run `shopx init`" in " ".join(result.output.split())
    assert started == []


def test_serve_refuses_a_database_behind_the_code_then_serves_once_migrated(
    settings_env, monkeypatch
):
    started = []
    monkeypatch.setattr("shopx.cli.run_server", lambda **options: started.append(options))
    url = Settings().effective_database_url
    upgrade(url, "0004")
    behind = runner.invoke(app, ["serve"])
    assert behind.exit_code == 2, behind.output
    assert "run `shopx init` to migrate it" in " ".join(behind.output.split())
    assert runner.invoke(app, ["init"]).exit_code == 0
    served = runner.invoke(app, ["serve", "--port", "8999"])
    assert served.exit_code == 0, served.output
    assert started == [{"host": "127.0.0.1", "port": 8999, "workers": 1}]


def test_ensure_partitions_is_a_no_op_on_sqlite(settings_env):
    assert runner.invoke(app, ["init"]).exit_code == 0
    result = runner.invoke(app, ["db", "ensure-partitions"])
    assert result.exit_code == 0, result.output
    assert "created 0 partitions" in result.output


def test_bad_setting_fails_with_the_reason(settings_env, monkeypatch):
    monkeypatch.setenv("SHOPX_TIMEZONE", "Nowhere/Land")
    result = runner.invoke(app, ["config"])
    assert result.exit_code == 2
    assert "invalid setting SHOPX_TIMEZONE" in result.output
    assert "unknown time zone 'Nowhere/Land'" in result.output


def test_token_create_prints_a_token_the_api_accepts(settings_env):
    result = runner.invoke(app, ["token", "create", "--role", "analyst", "--ttl", "1h"])
    assert result.exit_code == 0, result.output
    principal = principal_from_header(Settings().jwt_secret(), f"Bearer {result.output.strip()}")
    assert principal.role is Role.ANALYST


def test_token_create_rejects_a_bad_ttl(settings_env):
    result = runner.invoke(app, ["token", "create", "--role", "admin", "--ttl", "soon"])
    assert result.exit_code == 2
    assert "ttl must look like" in result.output


OVERVIEW = "{ salesOverview(period: MONTH) { totalOrders } }"


async def _cache_state(client) -> str:
    response = await client.http.post("/graphql", json={"query": OVERVIEW})
    assert response.status_code == 200 and "errors" not in response.json(), response.text
    return response.headers["x-cache"]


async def test_cache_clear_and_refresh_reach_a_serving_instance(settings_env):
    """No Redis here: the serving instance notices through the database's write counter."""
    import asyncio

    from tests.api import api_client

    assert (await asyncio.to_thread(runner.invoke, app, ["init"])).exit_code == 0
    async with api_client(Settings().effective_database_url, anonymous_reads=True) as client:
        assert [await _cache_state(client) for _ in range(2)] == ["MISS", "HIT-L1"]
        cleared = await asyncio.to_thread(runner.invoke, app, ["cache", "clear", "ord*"])
        assert cleared.exit_code == 0, cleared.output
        assert "invalidated on every instance: orders" in cleared.output
        assert [await _cache_state(client) for _ in range(2)] == ["MISS", "HIT-L1"]
        refreshed = await asyncio.to_thread(runner.invoke, app, ["refresh", "--full"])
        assert refreshed.exit_code == 0, refreshed.output
        assert await _cache_state(client) == "MISS"


def test_cache_clear_rejects_an_unknown_tag(settings_env):
    assert runner.invoke(app, ["init"]).exit_code == 0
    result = runner.invoke(app, ["cache", "clear", "invoices"])
    assert result.exit_code == 2
    assert "matches no cache tag" in result.output
