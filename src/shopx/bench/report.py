"""Benchmark results as a Markdown table and JSON, written under ``bench/results/``."""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from shopx.bench.results import LoadResult

DEFAULT_RESULTS_DIR = Path("bench/results")
CEILING_NAME = "ceiling"


@dataclass(frozen=True)
class BenchReport:
    label: str
    started_at: datetime
    settings: dict[str, Any]
    machine: dict[str, Any]
    results: dict[str, LoadResult]
    ceiling: LoadResult | None = None
    files: tuple[Path, ...] = ()


def share_of_ceiling(result: LoadResult, ceiling: LoadResult | None) -> float | None:
    if ceiling is None or ceiling.rps <= 0:
        return None
    return 100 * result.rps / ceiling.rps


def markdown_table(results: dict[str, LoadResult], ceiling: LoadResult | None) -> str:
    """One row per scenario; a /health p99 column when a scenario probed it, a hit-rate
    column when one counted cache answers, write columns when one wrote (``-`` in the
    rows of the others; hit rate ``n/a`` when no answer carried an ``X-Cache`` header), and
    each instance's share of the answers when nginx balanced them."""
    with_cache = any(r.cache is not None for r in results.values())
    with_writes = any(r.writes is not None for r in results.values())
    with_health = any(r.health_p99_ms is not None for r in results.values())
    with_instances = any(r.per_instance is not None for r in results.values())
    header = ["scenario", "rps", "p50 ms", "p95 ms", "p99 ms", "errors"]
    header += ["/health p99 ms"] * with_health
    header += ["cache hit rate"] * with_cache
    header += WRITE_COLUMNS * with_writes
    header += ["answers per instance"] * with_instances
    header.append("% of ceiling")
    rows = ["| " + " | ".join(header) + " |", "|---" + "|--:" * (len(header) - 1) + "|"]
    measured = dict(results)
    if ceiling is not None:
        measured[CEILING_NAME] = ceiling
    for name, result in measured.items():
        cells = [
            name,
            f"{result.rps:,.0f}",
            f"{result.p50_ms:.2f}",
            f"{result.p95_ms:.2f}",
            f"{result.p99_ms:.2f}",
            str(result.errors),
        ]
        if with_health:
            health = result.health_p99_ms
            cells.append("-" if health is None else f"{health:.2f}")
        if with_cache:
            cells.append(_percent(result.cache.hit_rate) if result.cache else "-")
        if with_writes:
            cells += _write_cells(result)
        if with_instances:
            shares = result.per_instance
            cells.append("-" if shares is None else per_instance_shares(shares))
        cells.append(_percent(share_of_ceiling(result, ceiling)))
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows) + "\n"


WRITE_COLUMNS = [
    "writes",
    "writes/s",
    "write p50 ms",
    "write p95 ms",
    "check p95 ms",
    "stale reads",
]


def _write_cells(result: LoadResult) -> list[str]:
    if result.writes is None:
        return ["-"] * len(WRITE_COLUMNS)
    w = result.writes
    return [
        f"{w.writes:,}",
        f"{w.per_second:,.0f}",
        f"{w.p50_ms:.2f}",
        f"{w.p95_ms:.2f}",
        f"{w.check_p95_ms:.2f}",
        f"{w.stale_reads} of {w.checks:,}",
    ]


def per_instance_shares(answers: tuple[int, ...]) -> str:
    """Each instance's percent of the answers, in instance order: ``51% / 49%``."""
    total = sum(answers)
    return " / ".join(f"{100 * n / total:.0f}%" if total else "0%" for n in answers)


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}%"


def render_markdown(report: BenchReport) -> str:
    return (
        f"# Benchmark {report.label}\n\n"
        f"{report.started_at:%Y-%m-%d %H:%M:%S %Z}\n\n"
        f"{key_value_list(report.settings)}\n{key_value_list(report.machine)}\n"
        f"{markdown_table(report.results, report.ceiling)}"
    )


def report_data(report: BenchReport) -> dict[str, Any]:
    scenarios = [
        {
            "name": name,
            **asdict(result),
            "cache_hit_rate": result.cache.hit_rate if result.cache else None,
            "ceiling_percent": share_of_ceiling(result, report.ceiling),
        }
        for name, result in report.results.items()
    ]
    return {
        "label": report.label,
        "started_at": report.started_at.isoformat(),
        "settings": report.settings,
        "machine": report.machine,
        "ceiling": asdict(report.ceiling) if report.ceiling else None,
        "scenarios": scenarios,
    }


def write_results(
    folder: Path, started_at: datetime, label: str, markdown: str, data: dict[str, Any]
) -> list[Path]:
    """Write ``<timestamp>-<label>.md`` and ``.json``; return both paths."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{started_at:%Y%m%dT%H%M%SZ}-{_slug(label)}"
    markdown_path = folder / f"{stem}.md"
    json_path = folder / f"{stem}.json"
    markdown_path.write_text(markdown)
    json_path.write_text(json.dumps(data, indent=2, default=str) + "\n")
    return [markdown_path, json_path]


def machine_info() -> dict[str, Any]:
    return {
        "nproc": os.cpu_count(),
        # Other load on the machine skews every number; record it to judge a run.
        "load_average_1m": round(os.getloadavg()[0], 2),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "git_commit": git_commit(),
    }


def git_commit() -> str | None:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except OSError:
        return None
    if done.returncode != 0:
        return None
    return done.stdout.strip() or None


def key_value_list(values: dict[str, Any]) -> str:
    return "".join(f"- {key}: {value}\n" for key, value in values.items())


def _slug(label: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", label).strip("-") or "run"
