"""The throughput benchmark: the API under wrk scenario by scenario, then the ceiling app."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

from shopx.bench import database
from shopx.bench.database import Backend
from shopx.bench.errors import BenchError
from shopx.bench.processes import HOST, free_port, running_server
from shopx.bench.report import (
    DEFAULT_RESULTS_DIR,
    BenchReport,
    machine_info,
    render_markdown,
    report_data,
    write_results,
)
from shopx.bench.scenarios import Scenario
from shopx.bench.wrk import Load, WrkResult, run_wrk, wrk_binary
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
    port: int | None = None,
    seed: bool = False,
    label: str | None = None,
    results_dir: Path = DEFAULT_RESULTS_DIR,
    console: Console | None = None,
) -> BenchReport:
    """Measure each scenario against a fresh API server, then the ceiling; write the results."""
    if not scenarios:
        raise BenchError("no scenarios to run")
    wrk_binary()
    console = console or Console()
    started_at = datetime.now(UTC)
    if seed:
        console.print(f"seeding {backend.value} at scale {scale}")
        database.seed(backend, scale)
    load = Load(duration, connections, threads)
    bench = _Bench(load, warmup, _progress(console), steps=len(scenarios) + 1)
    with bench.progress:
        api_port = port or free_port()
        env = database.server_env(backend)
        results = bench.measure("the API", api_command(api_port, workers), api_port, scenarios, env)
        ceiling_port = free_port()
        ceiling_argv = ceiling_command(ceiling_port, workers)
        ceiling_results = bench.measure(
            "the ceiling app", ceiling_argv, ceiling_port, [CEILING_SCENARIO]
        )
    settings = {
        "backend": backend.value,
        "database": mask_url(database.database_url(backend)),
        "scale": scale,
        "workers": workers,
        **_load_settings(load, warmup),
    }
    label = label or f"{backend.value}-{scale}-w{workers}"
    ceiling = ceiling_results[CEILING_SCENARIO.name]
    report = BenchReport(label, started_at, settings, machine_info(), results, ceiling)
    files = write_results(
        results_dir, started_at, label, render_markdown(report), report_data(report)
    )
    return replace(report, files=tuple(files))


class _Bench:
    """Runs scenarios against one server at a time and keeps the progress display current."""

    def __init__(self, load: Load, warmup: int, progress: Progress, *, steps: int) -> None:
        self.load = load
        self.warm = replace(load, duration=warmup) if warmup > 0 else None
        self.progress = progress
        self.task = progress.add_task("starting", total=steps)

    def measure(
        self,
        server_name: str,
        argv: list[str],
        port: int,
        scenarios: Sequence[Scenario],
        env: Mapping[str, str] | None = None,
    ) -> dict[str, WrkResult]:
        self.progress.update(self.task, description=f"starting {server_name}")
        with running_server(server_name, argv, port=port, env=env) as server:
            return {s.name: self._run(server.base_url, s) for s in scenarios}

    def _run(self, base_url: str, scenario: Scenario) -> WrkResult:
        if self.warm is not None:
            self._say(f"{scenario.name}: warming up ({self.warm.duration}s)")
            run_wrk(base_url, scenario, self.warm)
        self._say(f"{scenario.name}: measuring ({self.load.duration}s)")
        result = run_wrk(base_url, scenario, self.load)
        self.progress.console.print(
            f"{scenario.name}: {result.rps:,.0f} req/s, p50 {result.p50_ms:.2f} ms,"
            f" p99 {result.p99_ms:.2f} ms, {result.errors} errors"
        )
        self.progress.advance(self.task)
        return result

    def _say(self, description: str) -> None:
        self.progress.update(self.task, description=description)


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
