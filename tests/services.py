"""Which external services the tests can reach, and what to do when one is missing.

Tests that need PostgreSQL, Redis or RabbitMQ run whenever the service answers. With
``SHOPX_REQUIRE_SERVICES=1`` (set by ``.ci/run``) a missing service fails the run
instead of skipping its tests.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from urllib.parse import urlsplit, urlunsplit

import pytest

from shopx.bench.errors import BenchError
from shopx.bench.nginx import nginx_binary

POSTGRES_ADMIN_URL = os.environ.get(
    "SHOPX_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("SHOPX_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
BROKER_URL = os.environ.get("SHOPX_TEST_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")


def private_redis_url(slot: int) -> str:
    """A Redis database for a test that empties it (a Celery broker): ``slot`` 0 or 1, one
    database per slot and pytest-xdist worker (14 and 13 for gw0, 12 and 11 for gw1, ...),
    so parallel workers never empty each other's. :data:`REDIS_URL` is shared: its keys
    are namespaced by database URL."""
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
    number = 14 - 2 * worker - slot
    if number < 1:
        raise RuntimeError(f"no spare Redis database for xdist worker gw{worker}")
    return f"{REDIS_URL.rsplit('/', 1)[0]}/{number}"


def services_required() -> bool:
    return os.environ.get("SHOPX_REQUIRE_SERVICES", "").lower() in ("1", "true", "yes")


@cache
def reachable(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 0), 2):
            return True
    except OSError:
        return False


def need(name: str, url: str) -> None:
    """Skip the calling test (or fail it in CI) when the service at ``url`` is down."""
    if reachable(url):
        return
    message = f"{name} is not reachable at {url}"
    if services_required():
        pytest.fail(f"{message} (SHOPX_REQUIRE_SERVICES is set)", pytrace=False)
    pytest.skip(message)


def need_nginx() -> None:
    """Skip the calling test (or fail it in CI) when nginx is not installed."""
    try:
        nginx_binary()
    except BenchError as error:
        if services_required():
            pytest.fail(f"{error} (SHOPX_REQUIRE_SERVICES is set)", pytrace=False)
        pytest.skip(str(error))


@contextmanager
def rabbitmq_vhost() -> Iterator[str]:
    """A broker URL on a fresh RabbitMQ virtual host (skip, or fail in CI, without RabbitMQ
    or ``rabbitmqctl``), deleted on the way out."""
    need("RabbitMQ", BROKER_URL)
    if shutil.which("rabbitmqctl") is None:
        message = "rabbitmqctl is needed to give a test a RabbitMQ virtual host"
        if services_required():
            pytest.fail(message)
        pytest.skip(message)
    vhost = f"shopx_test_{uuid.uuid4().hex[:8]}"
    _rabbitmqctl("add_vhost", vhost)
    try:
        user = urlsplit(BROKER_URL).username or "guest"
        _rabbitmqctl("set_permissions", "-p", vhost, user, *3 * [".*"])
        yield urlunsplit(urlsplit(BROKER_URL)._replace(path=f"/{vhost}"))
    finally:
        _rabbitmqctl("delete_vhost", vhost)


def _rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", "-q", *args], check=True, capture_output=True, timeout=30)
