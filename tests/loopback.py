"""The scale-out of ``deploy/`` on loopback, with the real engines: nginx (Debian's package,
rendered from ``deploy/nginx.conf.template``) in front of API instances on free ports, a
PostgreSQL primary with a streaming replica (:mod:`tests.replicas`), Redis, and a Celery
worker on a RabbitMQ virtual host of its own.

Every process runs in a process group of its own and is stopped as a group on the way out;
the clusters are stopped and every temporary folder and the virtual host removed, whatever
happened.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from shopx.auth import Role
from shopx.auth.tokens import create_token
from shopx.bench.nginx import Access, parse_access_log, running_nginx
from shopx.bench.processes import Server, enter_at_once, free_port, running_server
from shopx.bench.runner import api_command
from tests.replicas import ReplicatedPostgres, replicated_postgres
from tests.servers import served_env
from tests.services import REDIS_URL, need, need_nginx, rabbitmq_vhost
from tests.test_celery_jobs import running_worker

SECRET = "scale-out-secret-" + "x" * 32
COMMAND_DEADLINE = 120.0

INDEX_HTML = "<!doctype html><title>ShopX</title><script src=/assets/app-3f2a9c.js></script>"
APP_JS = "export const shop = 'ShopX';\n" * 200
"""A dashboard build's hashed asset, big enough for gzip (over 1 KiB)."""


def shopx(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "shopx", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=COMMAND_DEADLINE,
    )
    assert done.returncode == 0, f"shopx {' '.join(args)}:\n{done.stdout}{done.stderr}"
    return done.stdout


def _dashboard_build(folder: Path) -> Path:
    (folder / "assets").mkdir(parents=True)
    (folder / "index.html").write_text(INDEX_HTML)
    (folder / "assets" / "app-3f2a9c.js").write_text(APP_JS)
    return folder


@dataclass
class Stack:
    """What :func:`scaled_out` started, and the means to kill and restart an instance."""

    base_url: str
    """nginx's address: every request of the tests goes through it."""
    ports: list[int]
    """The API instances' ports, in nginx's upstream."""
    env: dict[str, str]
    postgres: ReplicatedPostgres
    token: str
    """An admin's bearer token, signed with the instances' shared key."""
    access_log: Path
    _stack: ExitStack
    _instances: dict[int, Server] = field(default_factory=dict)

    def start(self, *ports: int) -> None:
        """Start an API instance on each of ``ports`` (at once) and wait until all answer."""
        servers = enter_at_once(self._stack, [_instance(port, self.env) for port in ports])
        self._instances.update(zip(ports, servers, strict=True))

    def kill(self, port: int) -> None:
        """SIGKILL the instance on ``port`` (no goodbye: its connections just die)."""
        process = self._instances.pop(port).process
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def accesses(self) -> list[Access]:
        return parse_access_log(self.access_log.read_text())


def _instance(port: int, env: dict[str, str]) -> AbstractContextManager[Server]:
    return running_server(f"API instance :{port}", api_command(port, 1), port=port, env=env)


@contextmanager
def scaled_out(instances: int = 3) -> Iterator[Stack]:
    """nginx, ``instances`` API instances, a worker, Redis and a replicated PostgreSQL."""
    need_nginx()
    need("Redis", REDIS_URL)
    with ExitStack() as stack:
        postgres = stack.enter_context(replicated_postgres())
        broker = stack.enter_context(rabbitmq_vhost())
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="shopx-scale-")))
        # nginx's workers run as nobody when nginx starts as root: they read the build.
        folder.chmod(0o755)
        env = served_env(
            postgres.primary.url("postgres"),
            folder,
            secret=SECRET,
            ANONYMOUS_READS="true",
            DATABASE_READ_URL=postgres.replica.url("postgres"),
            REDIS_URL=REDIS_URL,
            BROKER_URL=broker,
            TRUSTED_PROXIES="127.0.0.1",
        )
        shopx(env, "init")
        shopx(env, "seed", "--scale", "XS")
        ports = [free_port() for _ in range(instances)]
        run_dir = folder / "nginx"
        listen = free_port()
        token = create_token(SECRET, Role.ADMIN, ttl=timedelta(hours=1))
        result = Stack(
            f"http://127.0.0.1:{listen}", ports, env, postgres, token, run_dir / "access.log", stack
        )
        worker = running_worker(env, folder / "worker.log")
        _, *servers = enter_at_once(stack, [worker, *(_instance(port, env) for port in ports)])
        result._instances.update(zip(ports, servers, strict=True))
        dashboard = _dashboard_build(folder / "dashboard")
        stack.enter_context(running_nginx(ports, port=listen, run_dir=run_dir, dashboard=dashboard))
        yield result
