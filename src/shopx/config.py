"""Settings, read once from the environment (prefix ``SHOPX_``) and an optional ``.env``."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from functools import lru_cache
from ipaddress import ip_network
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from limits import parse_many
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from shopx.durations import parse_ttl
from shopx.errors import BadInput

PRIVATE_FOLDER = 0o700
"""The data folder's mode when the app creates it: the key and the database are no one
else's to read."""
PRIVATE_FILE = 0o600

ORDER_STATUSES = ("PENDING", "PROCESSING", "COMPLETED", "CANCELLED", "REFUNDED")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="SHOPX_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        # A refused URL may hold a password: errors name the setting, never its value.
        hide_input_in_errors=True,
    )

    data_dir: Path = Field(
        Path("data"), description="Folder for the embedded database and the generated secret key."
    )
    database_url: str = Field(
        "", description="Primary database, SQLAlchemy async URL. Default: SQLite file in data_dir."
    )
    database_read_url: str | None = Field(
        None, description="Read replica for analytics reads (same schema). Unset: use the primary."
    )
    replica_wait_ms: int = Field(
        2000,
        ge=0,
        description="With a read replica: how long a write waits, after its commit, for the"
        " replica to replay it before it answers (read-your-writes); past it the write answers"
        " anyway and the wait is logged.",
    )
    redis_url: str | None = Field(
        None, description="Redis for the shared cache and events. Unset: in-process tier only."
    )
    broker_url: str | None = Field(
        None, description="Celery broker (redis:// or amqp://). Unset: in-process scheduler."
    )
    job_retries: int = Field(
        5,
        ge=0,
        description="Times a Celery task is retried after a transient failure (database or"
        " broker unreachable); bad data or a bug is never retried.",
    )
    job_retry_backoff: float = Field(
        10.0,
        gt=0,
        description="Seconds before the first retry of a Celery task; each next retry waits"
        " twice as long (at most 10 minutes).",
    )
    broker_visibility_timeout: int | None = Field(
        None,
        ge=1,
        description="Redis broker: seconds before a task whose worker died is delivered again."
        " Unset: the longest job's hard time limit plus 5 minutes (lower: a slow job may run"
        " twice).",
    )
    import_batch_rows: int = Field(
        20_000,
        ge=100,
        le=200_000,
        description="Rows per committed batch of an import: a crash leaves whole batches only.",
    )
    import_parse_process: bool = Field(
        True,
        description="Parse sales files of 4 MiB or more in a second process while the importer"
        " writes (a second core); false: parse in a thread of the importer's process.",
    )
    upload_max_mb: int = Field(
        200,
        ge=1,
        le=100_000,
        description="Largest upload to /api/v1/upload/csv, MiB (the multipart body): past it 413.",
    )
    upload_sync_bytes: int = Field(
        5 * 1024 * 1024,
        ge=0,
        description="Uploads up to this size are imported in the request (200 with the report);"
        " larger ones run in the background (202 with the import id).",
    )
    job_schedules: Annotated[dict[str, str], NoDecode] = Field(
        default_factory=dict,
        description="Job schedules overriding the defaults, ';'-separated name=cron (business"
        " time zone) or name=off, e.g. 'segments=0 4 * * *;maintenance=off'.",
    )
    scheduler_enabled: bool = Field(
        True,
        description="Run the job schedule inside `shopx serve` when no broker is set (one"
        " process per database holds it).",
    )
    scheduler_takeover_seconds: float = Field(
        15.0,
        gt=0,
        description="Seconds between a serving process's tries to take over the job schedule"
        " (how soon it moves on after its holder dies).",
    )
    retention_months: int | None = Field(
        None, ge=1, description="Detach order partitions older than this (PostgreSQL). Unset: keep."
    )
    smtp_url: SecretStr | None = Field(
        None,
        description="Where alerts and reports are e-mailed: smtp://user:password@host:587"
        " (STARTTLS) or smtps://...:465. Unset: no e-mail.",
    )
    mail_from: str = Field("shopx@localhost", description="Sender of alert and report e-mails.")
    mail_to: Annotated[tuple[str, ...], NoDecode] = Field(
        (), description="Recipients (comma-separated) of alert and report e-mails."
    )
    alert_webhook_url: str | None = Field(
        None, description="URL that alerts are POSTed to as JSON. Unset: no webhook."
    )
    timezone: str = Field("UTC", description="Business time zone in which days and months are cut.")
    currency: str = Field("USD", description="Shop currency (ISO 4217 code).")
    secret_key: SecretStr | None = Field(
        None, description="JWT signing key. Unset: generated once and kept in data_dir/secret_key."
    )
    revenue_statuses: Annotated[tuple[str, ...], NoDecode] = Field(
        ("COMPLETED",), description="Order statuses that count as revenue (comma-separated)."
    )
    anonymous_reads: bool = Field(
        False, description="Allow read queries without a token. Keep false in production."
    )
    db_pool_size: int = Field(
        10,
        ge=1,
        description="PostgreSQL connections per process, at most: half for its writes, half"
        " for its reads (the replica's with SHOPX_DATABASE_READ_URL), opened as load needs"
        " them and kept. On a SQLite file, one pool of as many, kept the same way.",
    )
    db_pool_timeout: float = Field(
        30.0,
        gt=0,
        description="Seconds a session waits for a free pooled connection before the request"
        " fails with SERVICE_UNAVAILABLE.",
    )
    db_sessions_per_request: int = Field(
        4, ge=1, description="Database sessions one request may hold at once (the rest wait)."
    )
    cache_enabled: bool = Field(True, description="Cache whole GraphQL answers (both tiers).")
    cache_memory_mb: int = Field(64, ge=1, description="Memory cap of the in-process tier, MiB.")
    cache_max_entries: int = Field(20_000, ge=1, description="Entry cap of the in-process tier.")
    cache_ttl_overview: int = Field(60, ge=1, description="Seconds: overview, reps, orders.")
    cache_ttl_realtime: int = Field(30, ge=1, description="Seconds: realtimeMetrics.")
    cache_ttl_trends: int = Field(180, ge=1, description="Seconds: salesTrends.")
    cache_ttl_products: int = Field(300, ge=1, description="Seconds: product and category answers.")
    cache_ttl_customers: int = Field(600, ge=1, description="Seconds: customer answers.")
    redis_timeout_ms: int = Field(
        15, ge=1, description="Per-call Redis timeout; past it the call counts as Redis down."
    )
    shop_name: str = Field("ShopX", description="Shop name shown on the home page.")
    dashboard_dir: Path | None = Field(
        None,
        description="The built dashboard (index.html and assets/). Unset: frontend/dist of the"
        " source tree; without an index.html there, / shows a page of links.",
    )
    rate_limit_enabled: bool = Field(True, description="Limit requests per caller and minute.")
    rate_limit_anonymous: str = Field(
        "100/minute", description="Limit per client IP for callers without a token."
    )
    rate_limit_authenticated: str = Field(
        "1000/minute", description="Limit per token subject for viewers and analysts."
    )
    rate_limit_admin: str = Field("5000/minute", description="Limit per token subject for admins.")
    access_token_ttl: str = Field(
        "15m", description="Lifetime of the access token that signing in or a refresh returns."
    )
    refresh_token_ttl: str = Field(
        "7d",
        description="Lifetime of a refresh cookie; every refresh issues a new one, so a session"
        " ends after this long unused.",
    )
    login_failures_per_email: str = Field(
        "5 per 15 minutes",
        description="Failed sign-ins counted per email; past it every sign-in of that email is"
        " refused (429) until the window ends, even with the right password.",
    )
    login_failures_per_ip: str = Field(
        "20 per 15 minutes",
        description="Failed sign-ins counted per client IP, whatever the email; past it that IP's"
        " sign-ins are refused (429) until the window ends.",
    )
    trusted_proxies: Annotated[tuple[str, ...], NoDecode] = Field(
        (),
        description="Proxy addresses or networks (comma-separated) whose X-Forwarded-For is"
        " believed. Empty: the client IP is the socket peer.",
    )
    cors_origins: Annotated[tuple[str, ...], NoDecode] = Field(
        (), description="Origins (comma-separated) that browsers may call from. Empty: none."
    )
    introspection: Literal["auto", "on", "off"] = Field(
        "auto",
        description="GraphQL introspection for callers without a token: auto follows"
        " anonymous_reads; on or off overrides it (token holders always may introspect).",
    )
    max_body_bytes: int = Field(
        1024 * 1024,
        ge=1024,
        description="Largest request body (past it 413) and WebSocket message (past it 1009).",
    )
    graphql_max_tokens: int = Field(
        5000, ge=100, description="Most lexical tokens in one GraphQL document."
    )
    graphql_max_depth: int = Field(12, ge=2, description="Deepest field nesting of an operation.")
    graphql_max_aliases: int = Field(30, ge=0, description="Most aliased fields in one document.")
    graphql_max_cost: int = Field(
        5000,
        ge=100,
        description="Largest estimated cost of an operation: a field costs 1, an analytics field"
        " 10 to 25, and first/limit multiply the cost of what they hold.",
    )
    graphql_max_overlaps: int = Field(
        1000,
        ge=0,
        description="Most pairs of fields selected at the same response path (repeats, aliases"
        " and fragments, once per spread): validation checks each pair, quadratically.",
    )

    @field_validator(
        "rate_limit_anonymous",
        "rate_limit_authenticated",
        "rate_limit_admin",
        "login_failures_per_email",
        "login_failures_per_ip",
    )
    @classmethod
    def _rate(cls, value: str) -> str:
        try:
            parse_many(value)
        except ValueError as exc:
            raise ValueError(f"rate limits look like 100/minute; got {value!r}") from exc
        return value

    @field_validator("access_token_ttl", "refresh_token_ttl")
    @classmethod
    def _ttl(cls, value: str) -> str:
        try:
            parse_ttl(value)
        except BadInput as exc:
            raise ValueError(exc.message) from None
        return value.strip().lower()

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _networks(cls, value: Any) -> tuple[str, ...]:
        items = _items(value)
        for item in items:
            try:
                ip_network(item, strict=False)
            except ValueError as exc:
                raise ValueError(f"trusted proxies are IPs or networks; got {item!r}") from exc
        return items

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _origins(cls, value: Any) -> tuple[str, ...]:
        return tuple(origin.rstrip("/") for origin in _items(value))

    @field_validator("job_schedules", mode="before")
    @classmethod
    def _schedules(cls, value: Any) -> dict[str, str]:
        if isinstance(value, dict):
            return {str(k).strip(): str(v).strip() for k, v in value.items()}
        schedules: dict[str, str] = {}
        for item in str(value).split(";"):
            if not item.strip():
                continue
            name, equals, cron = item.partition("=")
            if not equals or not name.strip() or not cron.strip():
                raise ValueError(f"job schedules look like 'name=0 3 * * *;name=off'; got {item!r}")
            schedules[name.strip()] = cron.strip()
        return schedules

    @field_validator("alert_webhook_url")
    @classmethod
    def _webhook(cls, value: str | None) -> str | None:
        if value is not None and not _url_of(value, ("http", "https")):
            raise ValueError(
                "the alert webhook is an http:// or https:// URL with a host (and a port"
                " from 1 to 65535 if any)"
            )
        return value

    @field_validator("smtp_url")
    @classmethod
    def _smtp(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not _url_of(value.get_secret_value(), ("smtp", "smtps")):
            # The URL holds a password: the message does not repeat it.
            raise ValueError(
                "the SMTP server is smtp://user:password@host:port or smtps://... (user,"
                " password and port optional)"
            )
        return value

    @field_validator("mail_to", mode="before")
    @classmethod
    def _recipients(cls, value: Any) -> tuple[str, ...]:
        return _items(value)

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r} (use an IANA name)") from exc
        return value

    @field_validator("currency")
    @classmethod
    def _currency_code(cls, value: str) -> str:
        code = value.strip().upper()
        if len(code) != 3 or not code.isalpha():
            raise ValueError(f"currency must be a 3-letter ISO code, got {value!r}")
        return code

    @field_validator("revenue_statuses", mode="before")
    @classmethod
    def _parse_statuses(cls, value: Any) -> tuple[str, ...]:
        items = value.split(",") if isinstance(value, str) else list(value)
        statuses = tuple(dict.fromkeys(s.strip().upper() for s in items if s.strip()))
        unknown = [s for s in statuses if s not in ORDER_STATUSES]
        if unknown or not statuses:
            raise ValueError(
                f"revenue statuses must be a non-empty subset of {', '.join(ORDER_STATUSES)};"
                f" got {', '.join(unknown) or 'nothing'}"
            )
        return statuses

    @field_validator("database_url", "database_read_url", mode="after")
    @classmethod
    def _async_driver(cls, value: str | None) -> str | None:
        if not value:
            return value
        return async_database_url(value)

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'shopx.db').as_posix()}"

    @property
    def access_ttl(self) -> timedelta:
        return parse_ttl(self.access_token_ttl)

    @property
    def refresh_ttl(self) -> timedelta:
        return parse_ttl(self.refresh_token_ttl)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def jwt_secret(self) -> str:
        """The signing key: configured, or generated once and stored in the data folder."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value()
        path = self.data_dir / "secret_key"
        if not path.exists():
            self.data_dir.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
            _create_private(path, secrets.token_urlsafe(48))
        return path.read_text().strip()

    def describe(self) -> dict[str, str]:
        """Effective settings for display, with secrets and URL passwords masked."""
        shown: dict[str, str] = {}
        for name in type(self).model_fields:
            value = getattr(self, name)
            if name == "database_url":
                value = self.effective_database_url
            if name == "secret_key":
                value = "********" if value is not None else f"(generated in {self.data_dir})"
            elif isinstance(value, str) and "://" in value:
                value = mask_url(value)
            elif isinstance(value, tuple):
                value = ",".join(value)
            elif isinstance(value, dict):
                value = ";".join(f"{key}={cron}" for key, cron in value.items())
            shown[f"SHOPX_{name.upper()}"] = "(unset)" if value is None else str(value)
        return shown


def _items(value: Any) -> tuple[str, ...]:
    """A comma-separated setting as a tuple of its non-empty items."""
    items = value.split(",") if isinstance(value, str) else list(value)
    return tuple(item.strip() for item in items if item.strip())


def _url_of(url: str, schemes: tuple[str, ...]) -> bool:
    """Whether ``url`` has one of ``schemes``, a host and, if any, a valid port."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return False
    return parts.scheme in schemes and bool(parts.hostname) and port != 0


def async_database_url(url: str) -> str:
    """Map plain database URLs to the async drivers we ship."""
    for plain, driver in (
        ("postgresql://", "postgresql+asyncpg://"),
        ("postgres://", "postgresql+asyncpg://"),
        ("sqlite://", "sqlite+aiosqlite://"),
    ):
        if url.startswith(plain):
            return driver + url[len(plain) :]
    return url


def _create_private(path: Path, text: str) -> None:
    """Write ``text`` to a new file that only its owner may read, from its creation on.
    Another process that created it first wins: its file is kept."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    except FileExistsError:
        return
    with os.fdopen(fd, "w") as file:
        file.write(text)


def mask_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":****@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


@lru_cache
def get_settings() -> Settings:
    return Settings()
