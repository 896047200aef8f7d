"""``shopx bench import``: a generated sales file imported into a fresh database, twice.

The file is :func:`shopx.ingest.synthetic.write_synthetic_csv`'s (orders of three lines,
2,000 products, 50,000 customers, 50 reps). The database is made for the run and thrown
away after it: a SQLite file in a temporary folder, or a new database on the bench's
PostgreSQL server (``SHOPX_BENCH_POSTGRES_URL``), dropped at the end. The first pass
parses and imports the file the way ``shopx import`` does; the second imports the same
file again, every row skipped as already imported: the cost of idempotency.

Each pass reports its seconds, rows per second, the time spent parsing (the parser's
sniffing pass and its batches) and loading (the importer's batches; the importer reads the
next batch while it writes one, so the two overlap and their shares add up to more than
100 %), and memory:
the peak resident set of the process during the pass (``VmHWM``, reset before the pass;
on SQLite it includes the database pages the process maps) and the peak of its anonymous
memory (``RssAnon``, its heap, sampled after each batch).
"""

from __future__ import annotations

import asyncio
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)
from sqlalchemy.ext.asyncio import AsyncEngine

from shopx.bench import database
from shopx.bench.database import Backend
from shopx.bench.errors import BenchError
from shopx.bench.report import (
    DEFAULT_RESULTS_DIR,
    key_value_list,
    machine_info,
    write_results,
)
from shopx.config import Settings, mask_url
from shopx.db.engine import create_engine
from shopx.db.migrate import upgrade_async
from shopx.ingest.load import ImportReport, import_batches
from shopx.ingest.parse import Batch, ParseError, parse_sales
from shopx.ingest.process import parsing_process, process_status_mb
from shopx.ingest.synthetic import anonymous_mb, write_synthetic_csv

DEFAULT_ROWS = 1_000_000
SAMPLE_ROWS = 10_000
"""Rows written first to estimate the file's size for the generation's progress bar."""
POSTGRES_PREFIX = "shopx_bench_import"
MIB = 1024 * 1024


@dataclass(frozen=True)
class ImportPass:
    """One import of the file."""

    rows_read: int
    imported: int
    skipped: int
    failed: int
    seconds: float
    rows_per_s: float
    parse_s: float
    """Time spent in the parser: settling the file's settings and producing its batches (in
    a worker thread, while the importer writes the batch before: it overlaps ``load_s``);
    with a parsing process, the time the importer waited for its batches."""
    load_s: float
    """The importer's time, from its first batch asked for to the end."""
    peak_rss_mib: float | None
    peak_heap_mib: float | None
    parser_rss_mib: float | None = None
    """The parsing process's peak resident set (None: the file was parsed in-process)."""

    @property
    def parse_share(self) -> float:
        return 100 * self.parse_s / self.seconds if self.seconds else 0.0

    @property
    def load_share(self) -> float:
        return 100 * self.load_s / self.seconds if self.seconds else 0.0


@dataclass(frozen=True)
class ImportBench:
    scenario: str
    label: str
    started_at: datetime
    settings: dict[str, Any]
    machine: dict[str, Any]
    first: ImportPass
    again: ImportPass
    files: tuple[Path, ...] = ()


def scenario_name(rows: int) -> str:
    """``import_1m`` for a million rows, ``import_2k`` for 2,000, ``import_1500`` for 1,500."""
    for suffix, size in (("m", 1_000_000), ("k", 1_000)):
        if rows >= size and rows % size == 0:
            return f"import_{rows // size}{suffix}"
    return f"import_{rows}"


def command_line(rows: int, backend: Backend, keep_file: bool) -> str:
    line = f"shopx bench import --rows {rows} --database {backend.value}"
    return line + " --keep-file" * keep_file


def run_import_bench(
    *,
    rows: int = DEFAULT_ROWS,
    backend: Backend = Backend.sqlite,
    keep_file: bool = False,
    label: str | None = None,
    results_dir: Path = DEFAULT_RESULTS_DIR,
    console: Console | None = None,
) -> ImportBench:
    """Generate the file, import it twice into a fresh database, write the results."""
    if rows < 1:
        raise BenchError("--rows must be at least 1")
    console = console or Console()
    started_at = datetime.now(UTC)
    scenario = scenario_name(rows)
    label = label or f"{scenario}-{backend.value}"
    with tempfile.TemporaryDirectory(prefix="shopx-bench-import-") as folder:
        csv_path = Path(folder) / f"{scenario}.csv"
        if keep_file:
            results_dir.mkdir(parents=True, exist_ok=True)
            csv_path = results_dir / f"{started_at:%Y%m%dT%H%M%SZ}-{scenario}.csv"
        generated = time.perf_counter()
        size = _generate(csv_path, rows, console)
        generate_s = time.perf_counter() - generated
        console.print(f"generated {rows:,} rows, {size / MIB:,.1f} MiB in {generate_s:.1f} s")
        with _fresh_database(backend, Path(folder)) as url:
            first, again = asyncio.run(_two_passes(url, csv_path, console))
        settings = {
            "command": command_line(rows, backend, keep_file),
            "backend": backend.value,
            "database": "a fresh SQLite file in a temporary folder"
            if backend is Backend.sqlite
            else f"a fresh database on {mask_url(_postgres_server())}, dropped after",
            "rows": rows,
            "file_mib": round(size / MIB, 1),
            "generate_s": round(generate_s, 2),
            "file": str(csv_path) if keep_file else "deleted after the run",
        }
    _check(rows, first, again)
    bench = ImportBench(scenario, label, started_at, settings, machine_info(), first, again)
    files = write_results(results_dir, started_at, label, render_markdown(bench), data(bench))
    return replace(bench, files=tuple(files))


def _check(rows: int, first: ImportPass, again: ImportPass) -> None:
    """A run whose counts do not add up measured something else than the import of the
    file: fail it rather than record its numbers."""
    problems = []
    if (first.rows_read, first.imported, first.failed) != (rows, rows, 0):
        problems.append(
            f"first pass read {first.rows_read:,}, imported {first.imported:,},"
            f" failed {first.failed:,} of {rows:,} rows"
        )
    if (again.rows_read, again.skipped, again.imported) != (rows, rows, 0):
        problems.append(
            f"second pass read {again.rows_read:,}, skipped {again.skipped:,},"
            f" imported {again.imported:,} of {rows:,} rows"
        )
    if problems:
        raise BenchError("; ".join(problems))


def _generate(path: Path, rows: int, console: Console) -> int:
    """Write the file with a progress bar over its size (estimated from a sample, so the
    bar may end a little early or late); returns the size in bytes."""
    sample = path.with_name(path.name + ".sample")
    sample_rows = min(rows, SAMPLE_ROWS)
    estimate = write_synthetic_csv(sample, sample_rows) * rows // sample_rows
    sample.unlink()
    failure: list[BaseException] = []

    def write() -> None:
        try:
            write_synthetic_csv(path, rows)
        except BaseException as exc:  # handed to the waiting thread
            failure.append(exc)

    writer = threading.Thread(target=write, name="bench-csv", daemon=True)
    with _progress(console, bytes_done=True) as progress:
        task = progress.add_task(f"writing {path.name}", total=estimate)
        writer.start()
        while writer.is_alive():
            writer.join(0.2)
            with suppress(OSError):
                progress.update(task, completed=min(path.stat().st_size, estimate))
    if failure:
        raise BenchError(f"cannot write {path}: {failure[0]}") from failure[0]
    return path.stat().st_size


@contextmanager
def _fresh_database(backend: Backend, folder: Path) -> Iterator[str]:
    if backend is Backend.sqlite:
        yield f"sqlite+aiosqlite:///{(folder / 'import.db').as_posix()}"
        return
    url = database.fresh_postgres_url(_postgres_server(), POSTGRES_PREFIX)
    asyncio.run(database.create_postgres_database(url))
    try:
        yield url
    finally:
        asyncio.run(database.drop_postgres_database(url))


def _postgres_server() -> str:
    return database.database_url(Backend.postgres)


async def _two_passes(url: str, path: Path, console: Console) -> tuple[ImportPass, ImportPass]:
    await upgrade_async(url)
    settings = Settings(database_url=url)
    engine = create_engine(url)
    try:
        first = await _measure(engine, settings, path, console, "importing")
        _say(console, "import", first)
        again = await _measure(engine, settings, path, console, "importing again")
        _say(console, "again", again)
    finally:
        await engine.dispose()
    return first, again


async def _measure(
    engine: AsyncEngine, settings: Settings, path: Path, console: Console, description: str
) -> ImportPass:
    peak_heap = [anonymous_mb()]
    parse_s = [0.0]
    reset = _reset_peak_rss()
    with _progress(console) as progress:
        task = progress.add_task(description, total=100)

        def sample(report: ImportReport) -> None:
            now = anonymous_mb()
            if now is not None:
                peak_heap[0] = max(peak_heap[0] or 0.0, now)
            progress.update(task, completed=report.percent)

        started = time.perf_counter()
        try:
            with parse_sales(path, tz=settings.tz) as parsed:
                parse_s[0] = settle_s = time.perf_counter() - started
                # As `shopx import` parses it: in a process of its own when large enough.
                async with parsing_process(parsed, settings) as elsewhere:
                    report = await import_batches(
                        engine,
                        settings,
                        _waited(elsewhere, parse_s)
                        if elsewhere is not None
                        else _timed(parsed.batches(), parse_s),
                        progress=sample,
                        total_bytes=parsed.settings.size,
                    )
                parser_mib = parsed.parser_peak_rss_mib
        except ParseError as exc:
            raise BenchError(f"the generated file does not parse: {exc}") from exc
        seconds = time.perf_counter() - started
    return ImportPass(
        rows_read=report.rows_read,
        imported=report.imported,
        skipped=report.skipped_duplicate,
        failed=report.failed,
        seconds=seconds,
        rows_per_s=report.rows_read / seconds if seconds else 0.0,
        parse_s=parse_s[0],
        load_s=seconds - settle_s,
        peak_rss_mib=_peak_rss_mib() if reset else None,
        peak_heap_mib=peak_heap[0],
        parser_rss_mib=parser_mib,
    )


def _timed(batches: Iterator[Batch], spent: list[float]) -> Iterator[Batch]:
    """``batches``, adding the time each one takes to produce to ``spent[0]``."""
    while True:
        started = time.perf_counter()
        batch = next(batches, None)
        spent[0] += time.perf_counter() - started
        if batch is None:
            return
        yield batch


async def _waited(batches: AsyncIterator[Any], spent: list[float]) -> AsyncIterator[Any]:
    """``batches``, adding the time spent waiting for each one to ``spent[0]``."""
    while True:
        started = time.perf_counter()
        batch = await anext(batches, None)
        spent[0] += time.perf_counter() - started
        if batch is None:
            return
        yield batch


def _reset_peak_rss() -> bool:
    """Reset the process's resident-set high-water mark (Linux); False where it cannot."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _peak_rss_mib() -> float | None:
    """The process's resident-set high-water mark (``VmHWM``), MiB; None off Linux."""
    return process_status_mb("VmHWM")


def _say(console: Console, name: str, result: ImportPass) -> None:
    console.print(
        f"{name}: {result.rows_read:,} rows in {result.seconds:.1f} s,"
        f" {result.rows_per_s:,.0f} rows/s, imported {result.imported:,},"
        f" skipped {result.skipped:,}, failed {result.failed:,},"
        f" peak RSS {_mib(result.peak_rss_mib)} MiB"
        + (
            f" (parsing process {_mib(result.parser_rss_mib)} MiB)"
            if result.parser_rss_mib is not None
            else ""
        )
    )


def _progress(console: Console, *, bytes_done: bool = False) -> Progress:
    done = DownloadColumn() if bytes_done else TaskProgressColumn()
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        done,
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )


def _mib(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.0f}"


def passes(bench: ImportBench) -> dict[str, ImportPass]:
    """The passes by their name in the results: the scenario, and ``<scenario>_again``."""
    return {bench.scenario: bench.first, f"{bench.scenario}_again": bench.again}


def import_table(bench: ImportBench) -> str:
    rows = [
        "| scenario | rows | imported | skipped | failed | seconds | rows/s | parse | load"
        " | peak RSS MiB | peak heap MiB | parser RSS MiB |",
        "|---" + "|--:" * 11 + "|",
    ]
    for name, p in passes(bench).items():
        rows.append(
            f"| {name} | {p.rows_read:,} | {p.imported:,} | {p.skipped:,} | {p.failed:,}"
            f" | {p.seconds:.1f} | {p.rows_per_s:,.0f} | {p.parse_share:.0f}%"
            f" | {p.load_share:.0f}% | {_mib(p.peak_rss_mib)} | {_mib(p.peak_heap_mib)}"
            f" | {_mib(p.parser_rss_mib)} |"
        )
    return "\n".join(rows) + "\n"


def render_markdown(bench: ImportBench) -> str:
    return (
        f"# Import benchmark {bench.label}\n\n{bench.started_at:%Y-%m-%d %H:%M:%S %Z}\n\n"
        f"{key_value_list(bench.settings)}\n{key_value_list(bench.machine)}\n"
        f"{import_table(bench)}"
    )


def data(bench: ImportBench) -> dict[str, Any]:
    return {
        "label": bench.label,
        "started_at": bench.started_at.isoformat(),
        "settings": bench.settings,
        "machine": bench.machine,
        "scenarios": [
            {
                "name": name,
                **asdict(p),
                "parse_share": p.parse_share,
                "load_share": p.load_share,
            }
            for name, p in passes(bench).items()
        ],
    }
