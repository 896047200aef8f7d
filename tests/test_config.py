from __future__ import annotations

import os

import pytest
from pydantic import ValidationError

from shopx import config
from shopx.config import Settings, async_database_url
from shopx.db.engine import create_engine


def test_defaults_use_embedded_sqlite_under_data_dir(settings_env):
    settings = Settings()
    assert settings.effective_database_url.startswith("sqlite+aiosqlite:///")
    assert settings.effective_database_url.endswith("data/shopx.db")
    assert settings.redis_url is None and settings.broker_url is None
    assert settings.revenue_statuses == ("COMPLETED",)
    assert settings.anonymous_reads is False


def test_environment_overrides(settings_env, monkeypatch):
    monkeypatch.setenv("SHOPX_DATABASE_URL", "postgresql://shop:pw@db:5432/shop")
    monkeypatch.setenv("SHOPX_TIMEZONE", "Europe/Berlin")
    monkeypatch.setenv("SHOPX_REVENUE_STATUSES", "completed, refunded,COMPLETED")
    monkeypatch.setenv("SHOPX_ANONYMOUS_READS", "true")
    monkeypatch.setenv("SHOPX_CURRENCY", "eur")

    settings = Settings()

    assert settings.effective_database_url == "postgresql+asyncpg://shop:pw@db:5432/shop"
    assert settings.tz.key == "Europe/Berlin"
    assert settings.revenue_statuses == ("COMPLETED", "REFUNDED")
    assert settings.anonymous_reads is True
    assert settings.currency == "EUR"


def test_dotenv_file_is_read(settings_env):
    (settings_env / ".env").write_text("SHOPX_TIMEZONE=America/New_York\n")
    assert Settings().timezone == "America/New_York"


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("SHOPX_TIMEZONE", "Mars/Olympus", "unknown time zone"),
        ("SHOPX_REVENUE_STATUSES", "COMPLETED,SHIPPED", "SHIPPED"),
        ("SHOPX_REVENUE_STATUSES", " , ", "non-empty"),
        ("SHOPX_CURRENCY", "dollars", "3-letter"),
        ("SHOPX_DB_POOL_SIZE", "0", "greater than or equal to 1"),
        ("SHOPX_ALERT_WEBHOOK_URL", "hooks.example.com/alerts", "http:// or https:// URL"),
        ("SHOPX_ALERT_WEBHOOK_URL", "ftp://hooks.example.com/", "http:// or https:// URL"),
        ("SHOPX_ALERT_WEBHOOK_URL", "http://127.0.0.1:99999/", "a port from 1 to 65535"),
        ("SHOPX_ALERT_WEBHOOK_URL", "http://[::1/", "http:// or https:// URL"),
        ("SHOPX_SMTP_URL", "mail.example.com:587", "smtp://"),
        ("SHOPX_SMTP_URL", "https://user:hunter2@mail.example.com", "smtp://user:password@host"),
    ],
)
def test_bad_values_are_rejected_with_a_clear_message(
    settings_env, monkeypatch, variable, value, message
):
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValidationError, match=message) as refused:
        Settings()
    assert "hunter2" not in str(refused.value)


def test_describe_masks_secrets_and_passwords(settings_env, monkeypatch):
    monkeypatch.setenv("SHOPX_SECRET_KEY", "top-secret")
    monkeypatch.setenv("SHOPX_REDIS_URL", "redis://:hunter2@cache:6379/0")
    shown = Settings().describe()
    assert "top-secret" not in str(shown) and "hunter2" not in str(shown)
    assert shown["SHOPX_REDIS_URL"] == "redis://:****@cache:6379/0"
    assert shown["SHOPX_DATABASE_READ_URL"] == "(unset)"


def test_secret_key_is_generated_once_and_kept(settings_env):
    first = Settings().jwt_secret()
    second = Settings().jwt_secret()
    assert first == second and len(first) >= 32
    assert (settings_env / "data" / "secret_key").stat().st_mode & 0o777 == 0o600


@pytest.fixture
def umask_022():
    """The usual umask, under which a file is created world-readable unless told otherwise."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.mark.usefixtures("umask_022")
def test_the_key_and_its_folder_are_private_from_their_creation(settings_env, monkeypatch):
    created: list[tuple[str, int, int]] = []
    real_open = os.open

    def recording_open(path, flags, mode=0o777, *args, **kwargs):
        created.append((os.fspath(path), flags, mode))
        return real_open(path, flags, mode, *args, **kwargs)

    monkeypatch.setattr(config.os, "open", recording_open)
    Settings().jwt_secret()
    data = settings_env / "data"
    assert data.stat().st_mode & 0o777 == 0o700
    assert (data / "secret_key").stat().st_mode & 0o777 == 0o600
    exclusive = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    assert (str(data / "secret_key"), exclusive, 0o600) in created


@pytest.mark.usefixtures("umask_022")
def test_the_embedded_databases_folder_is_private(settings_env):
    folder = settings_env / "db-folder"
    create_engine(f"sqlite+aiosqlite:///{folder}/shopx.db")
    assert folder.stat().st_mode & 0o777 == 0o700


def test_a_key_another_process_wrote_first_is_kept(settings_env):
    data = settings_env / "data"
    data.mkdir()
    (data / "secret_key").write_text("theirs")
    config._create_private(data / "secret_key", "mine")
    assert Settings().jwt_secret() == "theirs"


def test_configured_secret_key_wins(settings_env, monkeypatch):
    monkeypatch.setenv("SHOPX_SECRET_KEY", "configured")
    assert Settings().jwt_secret() == "configured"
    assert not (settings_env / "data" / "secret_key").exists()


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u@h/d", "postgresql+asyncpg://u@h/d"),
        ("postgresql://u@h/d", "postgresql+asyncpg://u@h/d"),
        ("sqlite:///x.db", "sqlite+aiosqlite:///x.db"),
        ("postgresql+asyncpg://u@h/d", "postgresql+asyncpg://u@h/d"),
    ],
)
def test_plain_urls_get_the_async_driver(given, expected):
    assert async_database_url(given) == expected
