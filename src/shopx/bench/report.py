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

from shopx.bench.wrk import WrkResult

DEFAULT_RESULTS_DIR = Path("bench/results")
CEILING_NAME = "ceiling"


@dataclass(frozen=True)
class BenchReport:
    label: str
    started_at: datetime
    settings: dict[str, Any]
    machine: dict[str, Any]
    results: dict[str, WrkResult]
    ceiling: WrkResult | None = None
    files: tuple[Path, ...] = ()


def share_of_ceiling(result: WrkResult, ceiling: WrkResult | None) -> float | None:
    if ceiling is None or ceiling.rps <= 0:
        return None
    return 100 * result.rps / ceiling.rps


def markdown_table(results: dict[str, WrkResult], ceiling: WrkResult | None) -> str:
    rows = ["| scenario | rps | p50 ms | p95 ms | p99 ms | errors | % of ceiling |"]
    rows.append("|---|--:|--:|--:|--:|--:|--:|")
    measured = dict(results)
    if ceiling is not None:
        measured[CEILING_NAME] = ceiling
    for name, result in measured.items():
        share = share_of_ceiling(result, ceiling)
        shown_share = "n/a" if share is None else f"{share:.1f}%"
        rows.append(
            f"| {name} | {result.rps:,.0f} | {result.p50_ms:.2f} | {result.p95_ms:.2f}"
            f" | {result.p99_ms:.2f} | {result.errors} | {shown_share} |"
        )
    return "\n".join(rows) + "\n"


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
