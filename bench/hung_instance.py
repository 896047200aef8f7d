"""What a hung instance costs the writes of another (README, Benchmarks: "Writes").

Two ``shopx serve`` instances share one database and Redis. 50 ``createOrder`` one after
another on instance A while B runs; then B is SIGSTOPped (the whole process group), one
write right after the stop, and after B's lease has lapsed 50 more. Prints p50/p95/max of
each set. Run from the repository root, with the services up:

    .venv/bin/python bench/hung_instance.py sqlite|postgres

PostgreSQL: a database ``shopx_test_hungbench`` on 127.0.0.1:5432, dropped at the end.
Redis: ``redis://127.0.0.1:6379/15``.
"""

from __future__ import annotations

import asyncio
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import httpx

sys.path.insert(0, os.getcwd())

from tests.mutations import CREATE_ORDER, build_shop, order_input
from tests.servers import served_env, serving

from shopx.auth import Role, create_token
from shopx.db.engine import create_engine

SECRET = "hung-bench-secret-0123456789abcdef0123"
WRITES = 50
DATABASE = "shopx_test_hungbench"
PSQL = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-c"]


def nearest_rank(values: list[float], percent: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(percent / 100 * (len(ordered) - 1)))]


def write(client: httpx.Client, base_url: str, payload: dict) -> float:
    started = time.perf_counter()
    response = client.post(f"{base_url}/graphql", json=payload)
    assert response.status_code == 200 and "errors" not in response.json(), response.text
    return (time.perf_counter() - started) * 1000


def writes(client: httpx.Client, base_url: str, payload: dict, label: str) -> None:
    times = [write(client, base_url, payload) for _ in range(WRITES)]
    print(
        f"{label}: {WRITES} writes, p50 {statistics.median(times):.1f} ms,"
        f" p95 {nearest_rank(times, 95):.1f} ms, max {max(times):.1f} ms"
    )


def main(kind: str) -> None:
    folder = Path(tempfile.mkdtemp(prefix="hung-instance-"))
    if kind == "sqlite":
        url = f"sqlite+aiosqlite:///{folder / 'shopx.db'}"
    else:
        subprocess.run([*PSQL, f"DROP DATABASE IF EXISTS {DATABASE}"], check=True)
        subprocess.run([*PSQL, f"CREATE DATABASE {DATABASE}"], check=True)
        url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{DATABASE}"
    env = served_env(url, folder, secret=SECRET, REDIS_URL="redis://127.0.0.1:6379/15")
    subprocess.run([sys.executable, "-m", "shopx", "init"], env=env, cwd=folder, check=True)
    engine = create_engine(url, pool_size=1)
    shop = asyncio.run(build_shop(engine, stock=10_000))
    asyncio.run(engine.dispose())
    token = create_token(SECRET, Role.ADMIN, ttl=timedelta(hours=1), subject="bench")
    order = {"query": CREATE_ORDER, "variables": {"input": order_input(shop.north, (shop.cap, 1))}}
    headers = {"authorization": f"Bearer {token}"}
    try:
        with (
            serving(env) as a,
            serving(env) as b,
            httpx.Client(headers=headers, timeout=60) as client,
        ):
            writes(client, a.base_url, order, f"{kind}, B running")
            group = os.getpgid(b.process.pid)
            os.killpg(group, signal.SIGSTOP)
            try:
                first = write(client, a.base_url, order)
                print(f"{kind}, the first write right after B stopped: {first:.0f} ms")
                time.sleep(1.5)  # B's lease has lapsed
                writes(client, a.base_url, order, f"{kind}, B stopped")
            finally:
                os.killpg(group, signal.SIGCONT)
    finally:
        if kind != "sqlite":
            subprocess.run([*PSQL, f"DROP DATABASE IF EXISTS {DATABASE}"], check=True)


if __name__ == "__main__":
    main(sys.argv[1])
