"""``shopx bench import`` (import_1m) run small through the CLI: the result files hold the
counts of a real import of the generated file and of the second, skipped pass, and numbers
that agree with each other. No timing assertions."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from typer.testing import CliRunner

from shopx.bench.cli import bench_app
from shopx.bench.database import POSTGRES_URL_VARIABLE
from shopx.bench.errors import BenchError
from shopx.bench.imports import POSTGRES_PREFIX, ImportPass, _check, scenario_name
from tests.services import POSTGRES_ADMIN_URL, need


def run_bench(results: Path, *options: str) -> dict[str, Any]:
    outcome = CliRunner().invoke(bench_app, ["import", *options, "--results-dir", str(results)])
    assert outcome.exit_code == 0, outcome.output
    [json_file] = results.glob("*.json")
    assert f"wrote{json_file}" in "".join(outcome.output.split())  # rich wraps long paths
    assert json_file.with_suffix(".md").exists()
    return json.loads(json_file.read_text())


def assert_consistent(data: dict[str, Any], rows: int, name: str) -> None:
    first, again = data["scenarios"]
    assert (first["name"], again["name"]) == (name, f"{name}_again")
    assert data["settings"]["rows"] == rows
    assert (first["rows_read"], first["imported"], first["skipped"], first["failed"]) == (
        rows,
        rows,
        0,
        0,
    )
    assert (again["rows_read"], again["imported"], again["skipped"], again["failed"]) == (
        rows,
        0,
        rows,
        0,
    )
    for result in (first, again):
        assert result["seconds"] > 0 and result["parse_s"] > 0 and result["load_s"] > 0
        assert result["rows_per_s"] == pytest.approx(rows / result["seconds"])
        # The parser works ahead of the importer: their times overlap, and cover the whole.
        assert result["load_s"] < result["seconds"]
        assert result["parse_s"] + result["load_s"] >= result["seconds"]
        assert result["parse_share"] + result["load_share"] >= 100
        assert 0 < result["peak_heap_mib"] <= result["peak_rss_mib"]
    assert data["machine"]["nproc"] >= 1


def test_a_small_import_on_sqlite_records_both_passes_and_deletes_the_file(tmp_path):
    data = run_bench(tmp_path, "--rows", "2000")

    assert_consistent(data, 2000, "import_2k")
    assert data["label"] == "import_2k-sqlite"
    assert data["settings"]["command"] == "shopx bench import --rows 2000 --database sqlite"
    assert data["settings"]["file"] == "deleted after the run"
    assert not list(tmp_path.glob("*.csv"))
    markdown = next(tmp_path.glob("*.md")).read_text()
    assert "| import_2k | 2,000 | 2,000 | 0 | 0 |" in markdown
    assert "| import_2k_again | 2,000 | 0 | 2,000 | 0 |" in markdown


def test_keep_file_keeps_the_generated_csv_beside_the_results(tmp_path):
    data = run_bench(tmp_path, "--rows", "301", "--keep-file", "--label", "kept")

    assert_consistent(data, 301, "import_301")
    [kept] = tmp_path.glob("*.csv")
    assert data["settings"]["file"] == str(kept)
    assert data["settings"]["command"].endswith("--keep-file")
    lines = kept.read_text().splitlines()
    assert len(lines) == 302 and lines[0].startswith("date,order_id,product_name")


@pytest.mark.postgres
def test_a_small_import_on_postgres_uses_a_fresh_database_and_drops_it(tmp_path, monkeypatch):
    need("postgres", POSTGRES_ADMIN_URL)
    monkeypatch.setenv(POSTGRES_URL_VARIABLE, POSTGRES_ADMIN_URL)
    before = asyncio.run(bench_databases())

    data = run_bench(tmp_path, "--rows", "900", "--database", "postgres")

    assert_consistent(data, 900, "import_900")
    assert data["settings"]["backend"] == "postgres"
    assert "dropped after" in data["settings"]["database"]
    assert asyncio.run(bench_databases()) == before


async def bench_databases() -> set[str]:
    connection = await asyncpg.connect(POSTGRES_ADMIN_URL.replace("+asyncpg", ""))
    try:
        rows = await connection.fetch(
            "SELECT datname FROM pg_database WHERE datname LIKE $1", f"{POSTGRES_PREFIX}_%"
        )
    finally:
        await connection.close()
    return {row["datname"] for row in rows}


@pytest.mark.parametrize(
    ("rows", "name"),
    [
        (1_000_000, "import_1m"),
        (2_000_000, "import_2m"),
        (2_000, "import_2k"),
        (1_500, "import_1500"),
    ],
)
def test_scenario_names_follow_the_row_count(rows, name):
    assert scenario_name(rows) == name


def _pass(read: int, imported: int, skipped: int, failed: int = 0) -> ImportPass:
    return ImportPass(read, imported, skipped, failed, 1.0, read, 0.1, 0.9, None, None)


def test_counts_that_do_not_add_up_fail_the_run_instead_of_being_recorded():
    _check(10, _pass(10, 10, 0), _pass(10, 0, 10))
    with pytest.raises(BenchError, match="first pass read 10, imported 9, failed 1 of 10"):
        _check(10, _pass(10, 9, 0, failed=1), _pass(10, 0, 10))
    with pytest.raises(BenchError, match="second pass read 10, skipped 4, imported 6 of 10"):
        _check(10, _pass(10, 10, 0), _pass(10, 6, 4))
