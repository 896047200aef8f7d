"""A real ``shopx serve`` for the tests that need one, on a database of its own."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from shopx.bench.processes import Server, free_port, running_server
from shopx.bench.runner import api_command
from tests.api import NO_DASHBOARD_BUILD


def clean_env() -> dict[str, str]:
    """This process's environment without our ``SHOPX_*`` settings (``SHOPX_TEST_*`` and
    ``SHOPX_REQUIRE_*`` stay), for a ``shopx`` process that gets its settings from a test."""
    return {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("SHOPX_") or key.startswith(("SHOPX_TEST_", "SHOPX_REQUIRE_"))
    }


def served_env(database_url: str, folder: Path, *, secret: str, **settings: str) -> dict[str, str]:
    """The environment of a ``shopx serve`` on ``database_url``: our ``SHOPX_*`` settings stay
    out (except ``SHOPX_TEST_*`` and ``SHOPX_REQUIRE_*``), no rate limit, no dashboard build,
    and no embedded job scheduler (it would run jobs on the test's database) unless
    ``settings`` (``SCHEDULER_ENABLED="true"``: ``SHOPX_SCHEDULER_ENABLED``) ask for one."""
    return clean_env() | {
        "SHOPX_DATABASE_URL": database_url,
        "SHOPX_DATA_DIR": str(folder / "data"),
        "SHOPX_SECRET_KEY": secret,
        "SHOPX_RATE_LIMIT_ENABLED": "false",
        "SHOPX_SCHEDULER_ENABLED": "false",
        # No dashboard build, whether or not `make run` built one: unknown paths stay 404.
        "SHOPX_DASHBOARD_DIR": str(NO_DASHBOARD_BUILD),
        **{f"SHOPX_{name}": value for name, value in settings.items()},
    }


@contextmanager
def serving(env: dict[str, str], *, workers: int = 1) -> Iterator[Server]:
    """``shopx serve`` (``workers`` workers) with ``env``, stopped on the way out."""
    port = free_port()
    with running_server("the API", api_command(port, workers), port=port, env=env) as server:
        yield server


@contextmanager
def seeded_server(folder: Path, *, secret: str, workers: int = 1) -> Iterator[Server]:
    """``shopx serve`` (``workers`` workers) on a SQLite database in ``folder``, initialised
    and seeded at scale XS; anonymous reads allowed (:func:`served_env` for the rest)."""
    url = f"sqlite+aiosqlite:///{folder / 'shopx.db'}"
    env = served_env(url, folder, secret=secret, ANONYMOUS_READS="true")
    for args in (["init"], ["seed", "--scale", "XS"]):
        command = [sys.executable, "-m", "shopx", *args]
        subprocess.run(command, env=env, cwd=folder, check=True, capture_output=True)
    with serving(env, workers=workers) as server:
        yield server
