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
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TypeVar

import pytest

from shopx.auth import Role
from shopx.auth.tokens import create_token
from shopx.bench.processes import Server, free_port, running_server
from shopx.bench.runner import api_command
from tests.replicas import ReplicatedPostgres, replicated_postgres
from tests.servers import served_env
from tests.services import REDIS_URL, need, rabbitmq_vhost, services_required
from tests.test_celery_jobs import running_worker

T = TypeVar("T")
DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
SECRET = "scale-out-secret-" + "x" * 32
COMMAND_DEADLINE = 120.0
FAIL_TIMEOUT = "2s"
"""How long nginx leaves out an instance that failed (``max_fails=1``)."""

INDEX_HTML = "<!doctype html><title>ShopX</title><script src=/assets/app-3f2a9c.js></script>"
APP_JS = "export const shop = 'ShopX';\n" * 200
"""A dashboard build's hashed asset, big enough for gzip (over 1 KiB)."""

_ACCESS_LINE = re.compile(
    r'"(?P<method>\S+) (?P<uri>\S+) [^"]*" (?P<status>\d+) \d+'
    r" upstream=(?P<upstream>.*) upstream_status=(?P<upstream_status>.*) request_time="
)


@dataclass(frozen=True)
class Access:
    """One line of nginx's access log: the request, its status, and the instances tried."""

    method: str
    uri: str
    status: int
    upstreams: tuple[str, ...]
    """Every instance tried, in order (more than one: nginx retried on the next)."""


def render_nginx(*, listen: str, ports: list[int], dashboard: Path, run_dir: Path) -> str:
    """``deploy/nginx.conf.template`` with its placeholders filled in, as deploy/README.md
    does with sed."""
    servers = " ".join(
        f"server 127.0.0.1:{port} max_fails=1 fail_timeout={FAIL_TIMEOUT};" for port in ports
    )
    text = (DEPLOY / "nginx.conf.template").read_text()
    for name, value in {
        "LISTEN": listen,
        "API_SERVERS": servers,
        "DASHBOARD_DIR": str(dashboard),
        "RUN_DIR": str(run_dir),
    }.items():
        text = text.replace(f"@{name}@", value)
    assert "@" not in re.sub(r"#.*", "", text), "a placeholder was left unfilled"
    return text


def need_nginx() -> str:
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
    if found is not None:
        return found
    message = "nginx is not installed (Debian: apt-get install nginx)"
    if services_required():
        pytest.fail(f"{message} (SHOPX_REQUIRE_SERVICES is set)", pytrace=False)
    pytest.skip(message)


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
        servers = _enter_at_once(self._stack, [_instance(port, self.env) for port in ports])
        self._instances.update(zip(ports, servers, strict=True))

    def kill(self, port: int) -> None:
        """SIGKILL the instance on ``port`` (no goodbye: its connections just die)."""
        process = self._instances.pop(port).process
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def accesses(self) -> list[Access]:
        found = []
        for line in self.access_log.read_text().splitlines():
            match = _ACCESS_LINE.search(line)
            if match is None:
                continue
            upstreams = tuple(
                part.strip() for part in re.split(r"[,:]\s", match["upstream"]) if part != "-"
            )
            found.append(Access(match["method"], match["uri"], int(match["status"]), upstreams))
        return found


def _instance(port: int, env: dict[str, str]) -> AbstractContextManager[Server]:
    return running_server(f"API instance :{port}", api_command(port, 1), port=port, env=env)


def _enter_at_once(stack: ExitStack, managers: list[AbstractContextManager[T]]) -> list[T]:
    """Enter ``managers`` in threads of their own (processes that start side by side), each
    exited by ``stack`` if it was entered; the first failure is raised once all are in."""
    with ThreadPoolExecutor(len(managers)) as pool:
        futures = [pool.submit(manager.__enter__) for manager in managers]
    entered, failure = [], None
    for manager, future in zip(managers, futures, strict=True):
        if future.exception() is None:
            stack.push(manager)
            entered.append(future.result())
        else:
            failure = failure or future.exception()
    if failure is not None:
        raise failure
    return entered


@contextmanager
def scaled_out(instances: int = 3) -> Iterator[Stack]:
    """nginx, ``instances`` API instances, a worker, Redis and a replicated PostgreSQL."""
    nginx = need_nginx()
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
        run_dir.mkdir()
        listen = free_port()
        (run_dir / "nginx.conf").write_text(
            render_nginx(
                listen=f"127.0.0.1:{listen}",
                ports=ports,
                dashboard=_dashboard_build(folder / "dashboard"),
                run_dir=run_dir,
            )
        )
        token = create_token(SECRET, Role.ADMIN, ttl=timedelta(hours=1))
        result = Stack(
            f"http://127.0.0.1:{listen}", ports, env, postgres, token, run_dir / "access.log", stack
        )
        worker = running_worker(env, folder / "worker.log")
        _, *servers = _enter_at_once(stack, [worker, *(_instance(port, env) for port in ports)])
        result._instances.update(zip(ports, servers, strict=True))
        command = [nginx, "-p", str(run_dir), "-c", str(run_dir / "nginx.conf")]
        stack.enter_context(
            running_server("nginx", [*command, "-g", "daemon off;"], port=listen, env={})
        )
        yield result
