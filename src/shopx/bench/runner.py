"""The throughput benchmark: the API under wrk scenario by scenario, then the ceiling app."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

from shopx.bench import database
from shopx.bench.answers import check_answers, one_by_one
from shopx.bench.cold_storm import run_cold_storm
from shopx.bench.database import Backend
from shopx.bench.errors import BenchError
from shopx.bench.nginx import Balanced, balanced, nginx_binary
from shopx.bench.processes import HOST, Server, free_port, running_server
from shopx.bench.report import (
    DEFAULT_RESULTS_DIR,
    BenchReport,
    machine_info,
    per_instance_shares,
    render_markdown,
    report_data,
    write_results,
)
from shopx.bench.results import CacheCounts, LoadResult
from shopx.bench.scenarios import Driver, Scenario, bench_token, uncached
from shopx.bench.write_mix import (
    BULK_STORM,
    WRITE_STORM,
    WRITES_ONLY,
    run_write_mix,
    user_count,
    writer_count,
)
from shopx.bench.wrk import Load, run_wrk, wrk_binary
from shopx.config import mask_url

CEILING_SCENARIO = Scenario("ceiling", "The bare ASGI app: the most this machine serves.", "/")


def api_command(port: int, workers: int) -> list[str]:
    serve = ["serve", "--host", HOST, "--port", str(port), "--workers", str(workers)]
    return [sys.executable, "-m", "shopx", *serve]


def ceiling_command(port: int, workers: int) -> list[str]:
    options = ["--host", HOST, "--port", str(port), "--workers", str(workers)]
    return [sys.executable, "-m", "shopx.bench.ceiling", *options]


def run_benchmark(
    scenarios: Sequence[Scenario],
    *,
    backend: Backend,
    scale: str,
    workers: int,
    duration: int,
    connections: int,
    threads: int,
    warmup: int,
    redis_url: str | None = None,
    no_cache: bool = False,
    instances: int = 1,
    nginx: bool = False,
    port: int | None = None,
    seed: bool = False,
    label: str | None = None,
    results_dir: Path = DEFAULT_RESULTS_DIR,
    console: Console | None = None,
) -> BenchReport:
    """Measure each scenario against a fresh API server, then the ceiling; write the results.

    ``no_cache`` sends ``Cache-Control: no-cache`` with every request of every scenario.
    With ``nginx`` or more than one of ``instances``, the scenarios go through nginx in
    front of ``instances`` API servers, and the ceiling through nginx in front of as many
    ceiling apps (the same path, so the share of the ceiling compares like with like)."""
    if not scenarios:
        raise BenchError("no scenarios to run")
    through_nginx = nginx or instances > 1
    if instances > 1 and not redis_url:
        raise BenchError(
            f"--instances {instances} needs --redis-url: each instance must hear the others'"
            " writes (their invalidations go through Redis), or its cache would answer stale"
        )
    if through_nginx:
        nginx_binary()
    wrk_binary()
    console = console or Console()
    started_at = datetime.now(UTC)
    if seed:
        console.print(f"seeding {backend.value} at scale {scale}")
        database.seed(backend, scale)
    load = Load(duration, connections, min(threads, connections))  # wrk refuses more threads
    env = database.server_env(backend, redis_url)
    if through_nginx:
        # As deploy/ runs them: the instances trust nginx's X-Forwarded-For.
        env.setdefault("SHOPX_TRUSTED_PROXIES", HOST)
    serve = partial(_serving, instances=instances if through_nginx else None)
    if no_cache:
        scenarios = uncached(scenarios, bench_token(env["SHOPX_SECRET_KEY"]))
    bench = _Bench(
        load,
        warmup,
        _progress(console),
        steps=len(scenarios) + 1,
        secret=env["SHOPX_SECRET_KEY"],
        before_writes=partial(database.vacuum_updated_tables, backend),
    )
    ceiling_scenario = CEILING_SCENARIO
    if through_nginx:  # nginx proxies only the API's paths
        ceiling_scenario = replace(CEILING_SCENARIO, path="/health")
    with bench.progress:
        api = serve("the API", partial(api_command, workers=workers), port=port, env=env)
        results = bench.measure("the API", api, scenarios)
        ceiling_app = serve("the ceiling app", partial(ceiling_command, workers=workers))
        ceiling_results = bench.measure("the ceiling app", ceiling_app, [ceiling_scenario])
    settings = {
        "backend": backend.value,
        "database": mask_url(database.database_url(backend)),
        "redis": mask_url(redis_url) if redis_url else "none",
        "scale": scale,
        "workers": workers,
        "no_cache": no_cache,
        **_load_settings(load, warmup),
    }
    if through_nginx:
        ceiling_through = f"nginx, in front of {instances} ceiling app(s)"
        settings |= {"instances": instances, "through": "nginx", "ceiling": ceiling_through}
    if any(s.driver is Driver.WRITE_MIX for s in scenarios):
        settings["write_mix_users"] = user_count(connections)
    if any(s.driver in STORMS for s in scenarios):
        settings["write_storm_writers"] = writer_count(connections)
    if label is None:
        label = _label(backend, scale, workers, redis=bool(redis_url), no_cache=no_cache)
        if through_nginx:
            label += f"-nginx-i{instances}"
    ceiling = ceiling_results[CEILING_SCENARIO.name]
    report = BenchReport(label, started_at, settings, machine_info(), results, ceiling)
    files = write_results(
        results_dir, started_at, label, render_markdown(report), report_data(report)
    )
    return replace(report, files=tuple(files))


STORMS = {
    Driver.WRITE_STORM: WRITE_STORM,
    Driver.WRITES_ONLY: WRITES_ONLY,
    Driver.BULK_ORDERS: BULK_STORM,
}


def _serving(
    name: str,
    command: Callable[[int], list[str]],
    *,
    instances: int | None,
    port: int | None = None,
    env: dict[str, str] | None = None,
) -> AbstractContextManager[Server | Balanced]:
    """One server on ``port`` (default: a free one), or with ``instances``, that many
    behind nginx on ``port``."""
    if instances is None:
        port = port or free_port()
        return running_server(name, command(port), port=port, env=env)
    return balanced(name, command, instances, env=env, port=port)


class _Bench:
    """Runs scenarios against one server at a time and keeps the progress display current."""

    def __init__(
        self,
        load: Load,
        warmup: int,
        progress: Progress,
        *,
        steps: int,
        secret: str,
        before_writes: Callable[[], None] = lambda: None,
    ) -> None:
        self.before_writes = before_writes
        """Run before each scenario that writes (:func:`database.vacuum_updated_tables`)."""
        self.load = load
        self.warm = replace(load, duration=warmup) if warmup > 0 else None
        self.progress = progress
        self.task = progress.add_task("starting", total=steps)
        self.secret = secret

    def measure(
        self,
        server_name: str,
        serving: AbstractContextManager[Server | Balanced],
        scenarios: Sequence[Scenario],
    ) -> dict[str, LoadResult]:
        self.progress.update(self.task, description=f"starting {server_name}")
        with serving as server:
            return {s.name: self._run(server, s) for s in scenarios}

    def _run(self, server: Server | Balanced, scenario: Scenario) -> LoadResult:
        base_url = server.base_url
        if scenario.driver is Driver.WRITE_MIX or scenario.driver in STORMS:
            self._say(f"{scenario.name}: vacuuming the tables writes update")
            self.before_writes()
        if scenario.driver is Driver.WRITE_MIX:
            users = user_count(self.load.connections)
            result = self._users(run_write_mix, base_url, scenario, users)
        elif scenario.driver in STORMS:
            users = writer_count(self.load.connections)
            storm = partial(run_write_mix, mix=STORMS[scenario.driver])
            result = self._users(storm, base_url, scenario, users)
        elif scenario.driver is Driver.COLD_STORM:
            result = self._users(run_cold_storm, base_url, scenario, self.load.connections)
        else:
            result = self._wrk(base_url, scenario)
        if isinstance(server, Balanced):
            result = replace(result, per_instance=server.answers())
        self.progress.console.print(summary_line(scenario.name, result))
        self.progress.advance(self.task)
        return result

    def _wrk(self, base_url: str, scenario: Scenario) -> LoadResult:
        check_answers(base_url, scenario)
        if self.warm is not None:
            self._say(f"{scenario.name}: warming up ({self.warm.duration}s)")
            run_wrk(base_url, scenario, self.warm)
        self._say(f"{scenario.name}: measuring ({self.load.duration}s)")
        result = run_wrk(base_url, scenario, self.load)
        if scenario.samples_cache:
            result = replace(result, cache=sample_cache(base_url, scenario))
        return result

    def _users(
        self,
        run: Callable[..., LoadResult],
        base_url: str,
        scenario: Scenario,
        users: int,
    ) -> LoadResult:
        """A scenario of asyncio users (write_mix, cold_storm) rather than wrk."""
        warmup = self.warm.duration if self.warm is not None else 0
        self._say(f"{scenario.name}: {users} users, {warmup}s warm-up, {self.load.duration}s")
        return run(
            base_url,
            scenario,
            users=users,
            duration=self.load.duration,
            warmup=warmup,
            secret=self.secret,
        )

    def _say(self, description: str) -> None:
        self.progress.update(self.task, description=description)


def summary_line(name: str, result: LoadResult) -> str:
    line = (
        f"{name}: {result.rps:,.0f} req/s, p50 {result.p50_ms:.2f} ms,"
        f" p99 {result.p99_ms:.2f} ms, {result.errors} errors"
    )
    if result.cache is not None and result.cache.hit_rate is not None:
        line += f", cache hit rate {result.cache.hit_rate:.1f}%"
    if result.health_p99_ms is not None:
        line += f", /health p99 {result.health_p99_ms:.2f} ms"
    if result.per_instance is not None:
        line += f", per instance {per_instance_shares(result.per_instance)}"
    if result.writes is not None:
        line += (
            f", {result.writes.writes:,} writes ({result.writes.per_second:,.0f}/s,"
            f" p50 {result.writes.p50_ms:.2f} ms, p95 {result.writes.p95_ms:.2f} ms),"
            f" {result.writes.stale_reads} stale reads in {result.writes.checks:,} checks"
            f" (p95 {result.writes.check_p95_ms:.2f} ms)"
        )
    return line


def _label(backend: Backend, scale: str, workers: int, *, redis: bool, no_cache: bool) -> str:
    parts = [backend.value, scale, f"w{workers}"]
    if redis:
        parts.append("redis")
    if no_cache:
        parts.append("nocache")
    return "-".join(parts)


def _load_settings(load: Load, warmup: int) -> dict[str, int]:
    return {
        "connections": load.connections,
        "threads": load.threads,
        "duration_s": load.duration,
        "warmup_s": warmup,
    }


def _progress(console: Console) -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=True,
    )


SAMPLES = 100


def sample_cache(base_url: str, scenario: Scenario, count: int = SAMPLES) -> CacheCounts:
    """``X-Cache`` of ``count`` requests sent one at a time over one connection."""
    seen: Counter[str] = Counter()
    for response, _ in one_by_one(base_url, scenario, [scenario.body] * count, timeout=30):
        seen[response.getheader("x-cache", "")] += 1
    return CacheCounts(seen["HIT-L1"], seen["HIT-L2"], seen["MISS"])
