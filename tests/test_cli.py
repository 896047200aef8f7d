from __future__ import annotations

from typer.testing import CliRunner

from shopx.auth import Role, principal_from_header
from shopx.cli import app
from shopx.config import Settings

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
