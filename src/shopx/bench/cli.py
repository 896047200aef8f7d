"""``shopx bench``: throughput under load (the default command) and cold latency."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markdown import Markdown
from rich.markup import escape
from rich.table import Table

from shopx.bench.database import (
    DEFAULT_POSTGRES_URL,
    POSTGRES_URL_VARIABLE,
    REDIS_URL_VARIABLE,
    Backend,
)
from shopx.bench.errors import BenchError
from shopx.bench.imports import DEFAULT_ROWS, import_table, run_import_bench
from shopx.bench.latency import latency_table, run_latency
from shopx.bench.report import DEFAULT_RESULTS_DIR, markdown_table
from shopx.bench.runner import run_benchmark
from shopx.bench.scenarios import SCENARIOS, Scenario, for_periods, select
from shopx.config import mask_url

console = Console()

# Markdown mode reflows docstring paragraphs; the docstrings are the command's docs.
bench_app = typer.Typer(rich_markup_mode="markdown")


class Scale(StrEnum):
    S = "S"
    M = "M"
    L = "L"


ScenariosOption = Annotated[
    list[str] | None,
    typer.Option(
        "--scenarios",
        "-s",
        metavar="NAMES",
        help="Scenarios to run, comma-separated or repeated (default: all registered but"
        " write_mix and cold_storm; see `shopx bench scenarios`).",
        show_default=False,
    ),
]
BackendOption = Annotated[
    Backend,
    typer.Option(
        help="Database the API reads. sqlite: SHOPX_DATABASE_URL or the default file;"
        f" postgres: {POSTGRES_URL_VARIABLE} or {DEFAULT_POSTGRES_URL}.",
    ),
]
WorkersOption = Annotated[int, typer.Option(min=1, help="Server worker processes.")]
RedisOption = Annotated[
    str | None,
    typer.Option(
        "--redis-url",
        envvar=REDIS_URL_VARIABLE,
        help="Redis for the server's shared cache tier and invalidations (its SHOPX_REDIS_URL);"
        " none: the in-process tier only.",
        show_default=False,
    ),
]
NoCacheOption = Annotated[
    bool,
    typer.Option(
        "--no-cache",
        help="Send Cache-Control: no-cache with every request: the server computes every"
        " answer (and still stores it).",
    ),
]
LabelOption = Annotated[
    str | None,
    typer.Option(help="Name in the result file names (default: built from the settings)."),
]
ResultsDirOption = Annotated[
    Path, typer.Option("--results-dir", help="Folder for the Markdown and JSON results.")
]


@bench_app.callback(invoke_without_command=True)
def throughput(
    ctx: typer.Context,
    scenarios: ScenariosOption = None,
    backend: BackendOption = Backend.sqlite,
    scale: Annotated[
        Scale, typer.Option(help="Data set size, recorded with the results and used by --seed.")
    ] = Scale.M,
    workers: WorkersOption = 1,
    duration: Annotated[
        int, typer.Option(min=1, help="Seconds of measured load per scenario.")
    ] = 10,
    connections: Annotated[int, typer.Option(min=1, help="Open HTTP connections.")] = 64,
    threads: Annotated[int, typer.Option(min=1, help="wrk threads (at most --connections).")] = 2,
    warmup: Annotated[
        int, typer.Option(min=0, help="Seconds of unmeasured load before each scenario.")
    ] = 2,
    seed: Annotated[
        bool,
        typer.Option(help="Run `shopx init` and `shopx seed --scale` first (a seeded DB is kept)."),
    ] = False,
    redis_url: RedisOption = None,
    no_cache: NoCacheOption = False,
    instances: Annotated[
        int,
        typer.Option(
            min=1,
            help="API instances (`shopx serve --workers W` each) behind nginx; more than one"
            " needs --redis-url.",
        ),
    ] = 1,
    nginx: Annotated[
        bool,
        typer.Option(
            "--nginx", help="Go through nginx even with one instance (implied by --instances 2+)."
        ),
    ] = False,
    label: LabelOption = None,
    results_dir: ResultsDirOption = DEFAULT_RESULTS_DIR,
) -> None:
    """Benchmark the API: requests/s and p50/p95/p99 latency per scenario, under load.

    Without a subcommand, measures throughput: starts the API (`shopx serve`) on a free
    port, warms up and loads each scenario in turn with wrk, then serves a bare ASGI app
    with the same server settings (the *ceiling*) and reports every scenario as a share
    of it. The database is used as it is unless `--seed` is given.

    The response cache answers repeated queries, so without `--no-cache` the query
    scenarios (`dashboard`, `overview`, ...) measure cache hits after the warm-up. The
    cache scenarios are meant for 2 workers on PostgreSQL and Redis: `dashboard_warm`
    (the dashboard from the cache), `mixed` (page loads, every 10th request another
    period; reports the hit rate) and `write_mix` (1 order write per 100 reads, each write
    checked by the next read; reports stale reads). `write_mix` adds orders to the
    database, so it runs only when named; its users are `--connections`, at most 32.

    `cold_storm` (run only when named) sends distinct uncached analytics requests of every
    kind from `--connections` users at once and reports errors, p50/p99 and the p99 of
    `/health` probed meanwhile: `shopx bench --scenarios cold_storm --scale M`.

    With `--instances N` (N > 1) or `--nginx`, the scenarios go through nginx
    (`deploy/nginx.conf.template`, run from a temporary folder) in front of N API instances
    on free ports, each `shopx serve --workers W` with the same database, Redis and secret
    key; the ceiling likewise goes through nginx in front of N ceiling apps. The report
    adds each instance's share of the answers (from nginx's access log). More than one
    instance needs `--redis-url`, so that each hears the others' writes. Needs nginx:
    `apt-get install -y nginx` (or `SHOPX_BENCH_NGINX` naming its binary).

    Results go to `bench/results/TIMESTAMP-LABEL.md` and `.json`, with the settings,
    machine and git commit. Needs wrk: `apt-get install -y wrk`.

    Example: `shopx bench --scenarios health --duration 5 --workers 2`

    Example: `shopx bench --instances 2 --redis-url redis://127.0.0.1:6379/0 --scenarios
    dashboard_warm,write_storm`

    Example: `shopx bench --backend postgres --redis-url redis://127.0.0.1:6379/0
    --workers 2 --scenarios dashboard_warm,mixed,write_mix`
    """
    if ctx.invoked_subcommand is not None:
        return
    with _bench_errors():
        report = run_benchmark(
            _chosen(scenarios),
            backend=backend,
            scale=scale.value,
            workers=workers,
            duration=duration,
            connections=connections,
            threads=threads,
            warmup=warmup,
            redis_url=redis_url,
            no_cache=no_cache,
            instances=instances,
            nginx=nginx,
            seed=seed,
            label=label,
            results_dir=results_dir,
            console=console,
        )
    _print_cache_settings(redis_url, no_cache)
    console.print(Markdown(markdown_table(report.results, report.ceiling)))
    _print_files(report.files)


@bench_app.command()
def latency(
    scenarios: ScenariosOption = None,
    backend: BackendOption = Backend.sqlite,
    runs: Annotated[int, typer.Option(min=1, help="Sequential requests per scenario.")] = 30,
    no_cache: NoCacheOption = False,
    redis_url: RedisOption = None,
    workers: WorkersOption = 1,
    label: LabelOption = None,
    results_dir: ResultsDirOption = DEFAULT_RESULTS_DIR,
    periods: Annotated[
        str,
        typer.Option(help="Comma-separated periods; scenarios with a period run once per period."),
    ] = "MONTH",
    now: Annotated[
        datetime | None,
        typer.Option(
            formats=["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M%z"],
            help="The server's clock starts at this moment (ISO 8601 with offset; needs"
            " libfaketime): MONTH late in a month of the data instead of the real now.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Measure cold latency: each scenario requested one at a time, no concurrent load.

    Starts the API on a free port, sends `--runs` requests per scenario one after
    another over one keep-alive connection, and reports median, p95, min and max in
    milliseconds. Only one-request scenarios are timed (`mixed` and `write_mix` are not).
    Results go to `bench/results/TIMESTAMP-LABEL.md` and `.json`.

    Example: `shopx bench latency --runs 50 --periods MONTH,YEAR --no-cache`

    On the first days of a month MONTH spans a few hours: `--now 2026-11-28T12:00+00:00`
    measures it at the end of a month of the data instead (the server's clock is shifted
    with libfaketime; orders after that moment stay in the database, out of the periods).
    """
    chosen = _chosen(scenarios)
    if not scenarios:
        chosen = [scenario for scenario in chosen if scenario.single_request]
    with _bench_errors():
        report = run_latency(
            for_periods(chosen, [p.strip().upper() for p in periods.split(",")]),
            backend=backend,
            runs=runs,
            no_cache=no_cache,
            redis_url=redis_url,
            workers=workers,
            now=now,
            label=label,
            results_dir=results_dir,
            console=console,
        )
    console.print(Markdown(latency_table(report.stats)))
    _print_files(report.files)


@bench_app.command("import")
def import_(
    rows: Annotated[int, typer.Option(min=1, help="Rows of the generated sales file.")] = (
        DEFAULT_ROWS
    ),
    database: Annotated[
        Backend,
        typer.Option(
            "--database",
            help="sqlite: a new file in a temporary folder; postgres: a new database on the"
            f" server of {POSTGRES_URL_VARIABLE} (or {DEFAULT_POSTGRES_URL}), dropped after.",
        ),
    ] = Backend.sqlite,
    keep_file: Annotated[
        bool,
        typer.Option(
            "--keep-file", help="Keep the generated CSV file in --results-dir (else deleted)."
        ),
    ] = False,
    label: LabelOption = None,
    results_dir: ResultsDirOption = DEFAULT_RESULTS_DIR,
) -> None:
    """Benchmark the CSV import (`import_1m`): rows/s and peak memory, then the same file again.

    Generates a sales file of `--rows` rows in the contract's format (orders of three
    lines, 2,000 products, 50,000 customers, 50 reps), imports it into a fresh database
    the way `shopx import` does, then imports the same file again (every row skipped as
    already imported: the cost of idempotency). Reports seconds, rows/s, the parse and
    load shares of the time, the peak resident memory of the process during each pass
    and the peak of its heap. The database is thrown away after the run.

    Results go to `bench/results/TIMESTAMP-LABEL.md` and `.json`, with the command,
    machine and git commit.

    Example: `shopx bench import --rows 1000000 --database postgres`
    """
    with _bench_errors():
        bench = run_import_bench(
            rows=rows,
            backend=database,
            keep_file=keep_file,
            label=label,
            results_dir=results_dir,
            console=console,
        )
    console.print(Markdown(import_table(bench)))
    _print_files(bench.files)


@bench_app.command("scenarios")
def list_scenarios() -> None:
    """List the registered scenarios."""
    table = Table("name", "request", "description")
    for scenario in SCENARIOS.values():
        table.add_row(scenario.name, f"{scenario.method} {scenario.path}", scenario.description)
    table.add_row(
        "import_1m",
        "shopx bench import",
        "A generated 1M-row sales file imported into a fresh database, then again.",
    )
    console.print(table)


def _chosen(options: list[str] | None) -> list[Scenario]:
    names = [name.strip() for option in options or () for name in option.split(",")]
    with _bench_errors():
        return select([name for name in names if name])


@contextmanager
def _bench_errors() -> Iterator[None]:
    """Turn a BenchError into a one-line message and exit code 1 instead of a traceback."""
    try:
        yield
    except BenchError as error:
        console.print(f"[red]error:[/red] {escape(str(error))}")
        raise typer.Exit(1) from None


def _print_cache_settings(redis_url: str | None, no_cache: bool) -> None:
    shown = mask_url(redis_url) if redis_url else "none (in-process tier only)"
    bypass = "yes: every request sent Cache-Control: no-cache" if no_cache else "no"
    console.print(f"Redis: {escape(shown)}; --no-cache: {bypass}")


def _print_files(files: tuple[Path, ...]) -> None:
    for path in files:
        console.print(f"wrote {path}")
