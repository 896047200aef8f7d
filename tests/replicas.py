"""A PostgreSQL primary and its streaming replica, each a cluster of its own in a temporary
folder on a free loopback port: the tests that need a replica never touch the shared
server's configuration.

The clusters belong to the ``postgres`` OS user when the tests run as root (PostgreSQL
refuses to run as root); they are stopped with ``pg_ctl -m immediate`` and their folder
removed on the way out, whatever happened.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from shopx.bench.processes import free_port
from tests.services import services_required

POSTGRES_OS_USER = "postgres"
SERVER_SETTINGS = (
    "listen_addresses = '127.0.0.1'\n"
    # A test's cluster need not survive a power cut: no fsync, small buffers.
    "fsync = off\n"
    "full_page_writes = off\n"
    "shared_buffers = 32MB\n"
    "max_connections = 60\n"
    "max_wal_senders = 4\n"
    "hot_standby = on\n"
    # Which server ran which statements: the scale-out test tells the replica's reads apart.
    "shared_preload_libraries = 'pg_stat_statements'\n"
)
COMMAND_DEADLINE = 120.0


@dataclass(frozen=True)
class Cluster:
    port: int
    folder: Path

    def url(self, database: str = "postgres", driver: str = "postgresql+asyncpg") -> str:
        return f"{driver}://postgres@127.0.0.1:{self.port}/{database}"


@dataclass(frozen=True)
class ReplicatedPostgres:
    primary: Cluster
    replica: Cluster
    bin_dir: Path

    @contextmanager
    def replica_lagging(self, milliseconds: int) -> Iterator[None]:
        """The replica applies each commit ``milliseconds`` after the primary made it
        (``recovery_min_apply_delay``, reloaded), back to at once on the way out."""
        conf = self.replica.folder / "postgresql.auto.conf"
        original = conf.read_text()
        conf.write_text(f"{original}recovery_min_apply_delay = '{milliseconds}ms'\n")
        try:
            _run([str(self.bin_dir / "pg_ctl"), "-D", str(self.replica.folder), "reload"])
            yield
        finally:
            conf.write_text(original)
            _run([str(self.bin_dir / "pg_ctl"), "-D", str(self.replica.folder), "reload"])


def postgres_bin() -> Path | None:
    """The newest installed PostgreSQL's binaries (Debian's layout), or None."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_basebackup"),
        key=lambda path: int(path.parent.parent.name) if path.parent.parent.name.isdigit() else 0,
    )
    return found[-1].parent if found else None


def need_postgres_bin() -> Path:
    """The binaries, or skip (fail with SHOPX_REQUIRE_SERVICES) when they are missing."""
    found = postgres_bin()
    if found is not None and (os.geteuid() != 0 or shutil.which("runuser")):
        return found
    message = "PostgreSQL's server binaries (initdb, pg_basebackup) are not installed"
    if services_required():
        pytest.fail(f"{message} (SHOPX_REQUIRE_SERVICES is set)", pytrace=False)
    pytest.skip(message)


def _as_postgres(argv: list[str]) -> list[str]:
    return ["runuser", "-u", POSTGRES_OS_USER, "--", *argv] if os.geteuid() == 0 else argv


def _run(argv: list[str]) -> None:
    done = subprocess.run(
        _as_postgres(argv), capture_output=True, text=True, timeout=COMMAND_DEADLINE
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed:\n{done.stdout}{done.stderr}")


def _private_folder(path: Path) -> Path:
    path.mkdir(mode=0o700)
    if os.geteuid() == 0:
        shutil.chown(path, POSTGRES_OS_USER, POSTGRES_OS_USER)
    return path


@contextmanager
def _started(bin_dir: Path, folder: Path, port: int, sockets: Path) -> Iterator[Cluster]:
    log = folder.parent / "logs" / f"{folder.name}.log"
    options = f"-p {port} -k {sockets}"
    start = [str(bin_dir / "pg_ctl"), "-D", str(folder), "-l", str(log), "-o", options]
    try:
        _run([*start, "-w", "-t", "60", "start"])
        yield Cluster(port, folder)
    finally:
        subprocess.run(
            _as_postgres([str(bin_dir / "pg_ctl"), "-D", str(folder), "-m", "immediate", "stop"]),
            capture_output=True,
            timeout=COMMAND_DEADLINE,
        )


@contextmanager
def replicated_postgres() -> Iterator[ReplicatedPostgres]:
    """A primary and a streaming replica made by ``pg_basebackup -R``, both running."""
    bin_dir = need_postgres_bin()
    root = Path(tempfile.mkdtemp(prefix="shopx-pg-"))
    try:
        os.chmod(root, 0o755)  # the postgres user walks into its folders below
        sockets = _private_folder(root / "sockets")
        primary_dir, replica_dir = root / "primary", root / "replica"
        initdb = [str(bin_dir / "initdb"), "-D", str(primary_dir), "-U", "postgres"]
        _private_folder(primary_dir)
        _run([*initdb, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"])
        with (primary_dir / "postgresql.conf").open("a") as conf:
            conf.write(SERVER_SETTINGS)
        _private_folder(root / "logs")
        with ExitStack() as stack:
            primary = stack.enter_context(_started(bin_dir, primary_dir, free_port(), sockets))
            psql = [str(bin_dir / "psql"), "-h", "127.0.0.1", "-p", str(primary.port)]
            _run([*psql, "-U", "postgres", "-c", "CREATE EXTENSION pg_stat_statements"])
            _private_folder(replica_dir)
            backup = [str(bin_dir / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(primary.port)]
            _run([*backup, "-U", "postgres", "-D", str(replica_dir), "-R", "-X", "stream",
                  "-c", "fast", "--no-sync"])  # fmt: skip
            replica = stack.enter_context(_started(bin_dir, replica_dir, free_port(), sockets))
            yield ReplicatedPostgres(primary, replica, bin_dir)
    finally:
        shutil.rmtree(root, ignore_errors=True)
