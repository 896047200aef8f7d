"""Cold latency: each scenario requested one at a time against an otherwise idle API."""

from __future__ import annotations

import http.client
import statistics
import time
from collections.abc import Sequence
from contextlib import closing
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console

from shopx.bench import database
from shopx.bench.answers import failed, one_by_one
from shopx.bench.database import Backend
from shopx.bench.errors import BenchError
from shopx.bench.processes import HOST, at_moment, free_port, running_server
from shopx.bench.report import (
    DEFAULT_RESULTS_DIR,
    key_value_list,
    machine_info,
    write_results,
)
from shopx.bench.results import nearest_rank
from shopx.bench.runner import api_command
from shopx.bench.scenarios import Scenario, bench_token, uncached
from shopx.config import mask_url


@dataclass(frozen=True)
class LatencyStats:
    runs: int
    median_ms: float
    p95_ms: float
    min_ms: float
    max_ms: float
    errors: int


@dataclass(frozen=True)
class LatencyReport:
    label: str
    started_at: datetime
    settings: dict[str, Any]
    machine: dict[str, Any]
    stats: dict[str, LatencyStats]
    files: tuple[Path, ...] = ()


def summarize(samples_ms: Sequence[float], errors: int = 0) -> LatencyStats:
    ordered = sorted(samples_ms)
    return LatencyStats(
        runs=len(ordered),
        median_ms=statistics.median(ordered),
        p95_ms=nearest_rank(ordered, 95),
        min_ms=ordered[0],
        max_ms=ordered[-1],
        errors=errors,
    )


def time_requests(port: int, scenario: Scenario, runs: int) -> LatencyStats:
    """Send ``runs`` requests one after another on one keep-alive connection."""
    samples, errors = [], 0
    bodies = [scenario.body] * runs
    try:
        with closing(one_by_one(f"http://{HOST}:{port}", scenario, bodies, timeout=120)) as sent:
            started = time.perf_counter()
            for response, answer in sent:  # each step sends a request and reads its answer
                samples.append((time.perf_counter() - started) * 1000)
                errors += failed(response.status, answer)
                started = time.perf_counter()
    except (OSError, http.client.HTTPException) as exc:
        raise BenchError(f"{scenario.name}: the API stopped answering ({exc!r})") from exc
    return summarize(samples, errors)


def latency_table(stats: dict[str, LatencyStats]) -> str:
    rows = ["| scenario | runs | median ms | p95 ms | min ms | max ms | errors |"]
    rows.append("|---|--:|--:|--:|--:|--:|--:|")
    for name, s in stats.items():
        rows.append(
            f"| {name} | {s.runs} | {s.median_ms:.2f} | {s.p95_ms:.2f} | {s.min_ms:.2f}"
            f" | {s.max_ms:.2f} | {s.errors} |"
        )
    return "\n".join(rows) + "\n"


def run_latency(
    scenarios: Sequence[Scenario],
    *,
    backend: Backend,
    runs: int,
    no_cache: bool = False,
    redis_url: str | None = None,
    workers: int = 1,
    port: int | None = None,
    now: datetime | None = None,
    label: str | None = None,
    results_dir: Path = DEFAULT_RESULTS_DIR,
    console: Console | None = None,
) -> LatencyReport:
    """Start the API, time each scenario without concurrent load, and write the results.

    ``now`` sets the server's clock (see :func:`at_moment`): MONTH on the first of a month
    is a few hours, so a comparable MONTH needs a moment late in a month of the data.
    """
    if not scenarios or runs < 1:
        raise BenchError("need at least one scenario and one run")
    under_load_only = [s.name for s in scenarios if not s.single_request]
    if under_load_only:
        names = ", ".join(under_load_only)
        raise BenchError(f"{names}: not one request, measured only under load (`shopx bench`)")
    console = console or Console()
    started_at = datetime.now(UTC)
    api_port = port or free_port()
    env = database.server_env(backend, redis_url)
    if no_cache:
        scenarios = uncached(scenarios, bench_token(env["SHOPX_SECRET_KEY"], now))
    stats: dict[str, LatencyStats] = {}
    command = at_moment(api_command(api_port, workers), now)
    with running_server("the API", command, port=api_port, env=env):
        for scenario in scenarios:
            with console.status(f"{scenario.name}: {runs} sequential requests"):
                stats[scenario.name] = time_requests(api_port, scenario, runs)
    settings = {
        "backend": backend.value,
        "database": mask_url(database.database_url(backend)),
        "redis": mask_url(redis_url) if redis_url else "none",
        "workers": workers,
        "runs": runs,
        "no_cache": no_cache,
        "now": now.isoformat() if now else "the clock's",
    }
    report = LatencyReport(
        label or f"latency-{backend.value}", started_at, settings, machine_info(), stats
    )
    return replace(report, files=tuple(_write(report, results_dir)))


def _write(report: LatencyReport, results_dir: Path) -> list[Path]:
    markdown = (
        f"# Cold latency {report.label}\n\n{report.started_at:%Y-%m-%d %H:%M:%S %Z}\n\n"
        f"{key_value_list(report.settings)}\n{key_value_list(report.machine)}\n"
        f"{latency_table(report.stats)}"
    )
    data = {
        "label": report.label,
        "started_at": report.started_at.isoformat(),
        "settings": report.settings,
        "machine": report.machine,
        "scenarios": [{"name": name, **asdict(s)} for name, s in report.stats.items()],
    }
    return write_results(results_dir, report.started_at, report.label, markdown, data)
