"""Servers under test: started in their own process group, always stopped as a group.

A separate group keeps Ctrl-C away from the servers (the bench stops them itself, in
order) and lets one signal reach every uvicorn worker.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor, wait
from contextlib import AbstractContextManager, ExitStack, contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, TypeVar

from shopx.bench.errors import BenchError

T = TypeVar("T")
HOST = "127.0.0.1"
LOG_TAIL_CHARS = 4000


@dataclass(frozen=True)
class Server:
    name: str
    base_url: str
    process: subprocess.Popen[bytes]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def at_moment(argv: list[str], moment: datetime | None) -> list[str]:
    """``argv`` run with its clocks shifted so that it starts at ``moment`` (the server's
    "now", which periods such as MONTH run to), by Debian's libfaketime; as is when None.

    The shift is an offset in seconds, so the clock goes on ticking from ``moment`` and no
    time zone is involved in reading it.
    """
    if moment is None:
        return argv
    if moment.tzinfo is None:
        raise BenchError(f"--now {moment.isoformat()}: give the moment with its UTC offset")
    faketime = shutil.which("faketime")
    if faketime is None:
        raise BenchError("--now needs libfaketime's `faketime` (apt-get install faketime)")
    offset = (moment - datetime.now(UTC)).total_seconds()
    return [faketime, "-f", f"{offset:+.0f}", *argv]


@contextmanager
def running_server(
    name: str,
    argv: list[str],
    *,
    port: int,
    env: Mapping[str, str] | None = None,
    ready_path: str = "/health",
    timeout: float = 60.0,
) -> Iterator[Server]:
    """Start ``argv``, wait until ``ready_path`` answers 200, and stop it on the way out."""
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            argv,
            env=dict(env) if env is not None else None,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        server = Server(name, f"http://{HOST}:{port}", process)
        try:
            _wait_until_ready(server, ready_path, timeout, log)
            yield server
        finally:
            stop(process)


def enter_at_once(stack: ExitStack, managers: list[AbstractContextManager[T]]) -> list[T]:
    """Enter ``managers`` in threads of their own (servers that start side by side), each
    exited by ``stack`` once entered, even when another failed or Ctrl-C came meanwhile;
    the first failure is raised once every start has ended."""
    pool = ThreadPoolExecutor(len(managers))
    futures = [pool.submit(manager.__enter__) for manager in managers]
    try:
        wait(futures)
    finally:
        pool.shutdown(wait=True)
        for manager, future in zip(managers, futures, strict=True):
            if future.exception() is None:
                stack.push(manager)
    failures = [future.exception() for future in futures if future.exception() is not None]
    if failures:
        raise failures[0]
    return [future.result() for future in futures]


def stop(process: subprocess.Popen[bytes], grace: float = 10.0) -> None:
    _signal_group(process, signal.SIGTERM)
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        _signal_group(process, signal.SIGKILL)
        process.wait()
    # Workers outlive a master that died early; the group signal reaches them too.
    _signal_group(process, signal.SIGKILL)


def _signal_group(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, sig)


def _wait_until_ready(server: Server, path: str, timeout: float, log: IO[bytes]) -> None:
    deadline = time.monotonic() + timeout
    last_problem = "no answer"
    while time.monotonic() < deadline:
        code = server.process.poll()
        if code is not None:
            raise BenchError(f"{server.name} exited with code {code}:\n{_tail(log)}")
        last_problem = _probe(server.base_url + path)
        if not last_problem:
            return
        time.sleep(0.1)
    raise BenchError(
        f"{server.name} did not answer {path} within {timeout:.0f}s ({last_problem}):\n{_tail(log)}"
    )


def _probe(url: str) -> str:
    """Empty when ``url`` answers 200, otherwise what went wrong."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return "" if response.status == 200 else f"status {response.status}"
    except urllib.error.HTTPError as exc:
        return f"status {exc.code}"
    except OSError as exc:
        return str(exc)


def _tail(log: IO[bytes]) -> str:
    log.flush()
    log.seek(0)
    return log.read().decode(errors="replace")[-LOG_TAIL_CHARS:]
