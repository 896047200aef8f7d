"""nginx in front of N instances of a server, as ``deploy/`` runs them: the config rendered
from ``deploy/nginx.conf.template`` into a folder of its own, nginx started there as a
child (its own prefix, pid file and logs, ``daemon off``), the instances side by side on
free ports. Everything is stopped as process groups on the way out (see :mod:`processes`).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from shopx.bench.errors import BenchError
from shopx.bench.processes import HOST, Server, enter_at_once, free_port, running_server

TEMPLATE = Path(__file__).resolve().parents[3] / "deploy" / "nginx.conf.template"
NGINX_VARIABLE = "SHOPX_BENCH_NGINX"
SYSTEM_DIRS = "/usr/sbin:/sbin"
"""Where Debian's package puts nginx, often not on a non-root user's PATH."""
FAIL_TIMEOUT = "2s"
"""How long nginx leaves out an instance that failed (``max_fails=1``)."""

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


def parse_access_log(text: str) -> list[Access]:
    """The lines of the template's ``shopx`` log format; other lines are skipped."""
    found = []
    for line in text.splitlines():
        match = _ACCESS_LINE.search(line)
        if match is None:
            continue
        upstreams = tuple(
            part.strip() for part in re.split(r"[,:]\s", match["upstream"]) if part != "-"
        )
        found.append(Access(match["method"], match["uri"], int(match["status"]), upstreams))
    return found


def nginx_binary() -> str:
    """``SHOPX_BENCH_NGINX``, else nginx on PATH or in /usr/sbin; a BenchError without one."""
    named = os.environ.get(NGINX_VARIABLE)
    search = f"{os.environ.get('PATH', '')}{os.pathsep}{SYSTEM_DIRS}"
    found = shutil.which(named) if named else shutil.which("nginx", path=search)
    if found is None:
        where = f"{NGINX_VARIABLE}={named} is not an executable" if named else "not found"
        raise BenchError(f"nginx is needed ({where}): apt-get install -y nginx")
    return found


def render_config(*, listen: str, ports: list[int], dashboard: Path, run_dir: Path) -> str:
    """``deploy/nginx.conf.template`` with its placeholders filled in, as deploy/README.md
    does with sed."""
    if not TEMPLATE.is_file():
        raise BenchError(f"{TEMPLATE} is missing: run the bench from a checkout of the project")
    servers = " ".join(
        f"server {HOST}:{port} max_fails=1 fail_timeout={FAIL_TIMEOUT};" for port in ports
    )
    text = TEMPLATE.read_text()
    for name, value in {
        "LISTEN": listen,
        "API_SERVERS": servers,
        "DASHBOARD_DIR": str(dashboard),
        "RUN_DIR": str(run_dir),
    }.items():
        text = text.replace(f"@{name}@", value)
    left = re.findall(r"@[A-Z_]+@", re.sub(r"#.*", "", text))
    if left:
        raise BenchError(f"{TEMPLATE.name}: placeholders left unfilled: {', '.join(left)}")
    return text


@contextmanager
def running_nginx(
    ports: list[int], *, port: int, run_dir: Path, dashboard: Path
) -> Iterator[Server]:
    """nginx on ``port`` in front of the servers on ``ports`` (which must answer already:
    nginx counts as ready once ``/health`` answers through it)."""
    command = nginx_binary()
    run_dir.mkdir(parents=True, exist_ok=True)
    config = run_dir / "nginx.conf"
    config.write_text(
        render_config(listen=f"{HOST}:{port}", ports=ports, dashboard=dashboard, run_dir=run_dir)
    )
    argv = [command, "-p", str(run_dir), "-c", str(config), "-g", "daemon off;"]
    with running_server("nginx", argv, port=port, env={}) as server:
        yield server


@dataclass
class Balanced:
    """nginx's address in front of the instances, and who answered what."""

    base_url: str
    ports: list[int]
    access_log: Path
    _read: int = 0

    def answers(self) -> tuple[int, ...]:
        """Requests each instance answered (in the order of ``ports``) since the last call;
        a request nginx retried counts for the instance that answered it in the end."""
        with self.access_log.open("rb") as log:
            log.seek(self._read)
            text = log.read()
        complete = text[: text.rfind(b"\n") + 1]
        self._read += len(complete)
        answered = Counter(
            a.upstreams[-1] for a in parse_access_log(complete.decode()) if a.upstreams
        )
        return tuple(answered[f"{HOST}:{port}"] for port in self.ports)


@contextmanager
def balanced(
    name: str,
    command: Callable[[int], list[str]],
    instances: int,
    *,
    env: Mapping[str, str] | None = None,
    port: int | None = None,
) -> Iterator[Balanced]:
    """``instances`` servers (``command(port)`` each, started side by side on free ports)
    behind nginx on ``port`` (default: a free one)."""
    nginx_binary()  # refuse before anything starts
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="shopx-nginx-")))
        # nginx's workers run as nobody when nginx starts as root: they use its folders.
        folder.chmod(0o755)
        (folder / "dashboard").mkdir()
        ports = [free_port() for _ in range(instances)]
        servers = [running_server(f"{name} :{p}", command(p), port=p, env=env) for p in ports]
        enter_at_once(stack, servers)
        listen = port or free_port()
        run_dir = folder / "nginx"
        front = stack.enter_context(
            running_nginx(ports, port=listen, run_dir=run_dir, dashboard=folder / "dashboard")
        )
        yield Balanced(front.base_url, ports, run_dir / "access.log")
