"""The ``shopx`` command. Each command's help text is its documentation."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from pydantic import ValidationError
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Column, Table
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from shopx.api.server import serve as run_server
from shopx.api.warming import worker_cache
from shopx.auth import Role, create_token, parse_ttl
from shopx.auth.users import create_user, disable_user, list_users
from shopx.bench.cli import bench_app
from shopx.cache.runtime import clear_everywhere, outside_cache
from shopx.config import get_settings
from shopx.db import partitions
from shopx.db.engine import engine_from_settings, session_factory
from shopx.db.migrate import schema_problem, upgrade
from shopx.db.models import User
from shopx.db.writes import bookkeeping_session
from shopx.errors import BadInput, ShopXError
from shopx.ingest.load import CREATED_KINDS, ImportReport
from shopx.jobs.celery_app import QUEUES, app_for, use_cache
from shopx.jobs.dispatch import enqueue
from shopx.jobs.import_file import ErrorWriter, open_sales, run_import
from shopx.jobs.imports import follow_import
from shopx.jobs.refresh import full_refresh
from shopx.jobs.registry import JOBS, schedules
from shopx.jobs.runner import RunRecord, last_runs, run_job, run_record
from shopx.jobs.sheets_sync import claim, sync_sheet
from shopx.seed.cli import run_seed
from shopx.sheets.repository import sheets_with_last_import
from shopx.sheets.service import SheetStatus

app = typer.Typer(
    name="shopx",
    help="ShopX Sales Analytics: set up the database, load data, serve the API, benchmark.",
    no_args_is_help=True,
    add_completion=False,
)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(db_app, name="db")
token_app = typer.Typer(help="Bearer tokens for the API.", no_args_is_help=True)
app.add_typer(token_app, name="token")
cache_app = typer.Typer(help="The response cache of the API instances.", no_args_is_help=True)
app.add_typer(cache_app, name="cache")
user_app = typer.Typer(
    help="Dashboard users (they sign in at /api/v1/auth/login).", no_args_is_help=True
)
app.add_typer(user_app, name="user")
app.add_typer(bench_app, name="bench")
jobs_app = typer.Typer(
    help="Background jobs: list them with their last run, or run one now.", no_args_is_help=True
)
app.add_typer(jobs_app, name="jobs")
sheets_app = typer.Typer(
    help="Google Sheets registered for sync (register one with POST /api/v1/admin/connect-sheets).",
    no_args_is_help=True,
)
app.add_typer(sheets_app, name="sheets")
console = Console()
T = TypeVar("T")


@app.callback()
def main() -> None:
    """Load the settings once, so a bad value stops every command with a clear message."""
    try:
        get_settings()
    except ValidationError as exc:
        for error in exc.errors():
            field = "SHOPX_" + "_".join(str(part) for part in error["loc"]).upper()
            console.print(f"[red]invalid setting {field}:[/] {error['msg']}")
        raise typer.Exit(2) from None


@app.command()
def config() -> None:
    """Print the effective settings (environment, .env and defaults), secrets masked."""
    table = Table("variable", "value", title="ShopX settings")
    for name, value in get_settings().describe().items():
        table.add_row(name, value)
    console.print(table)


@app.command()
def init() -> None:
    """Migrate the configured database to the current schema. Running it again changes nothing."""
    settings = get_settings()
    upgrade(settings.effective_database_url)
    console.print(f"[green]database at head[/] ({settings.describe()['SHOPX_DATABASE_URL']})")


@db_app.command("ensure-partitions")
def ensure_partitions(
    months_ahead: Annotated[
        int, typer.Option(min=0, help="Months past today (and past the newest order) to prepare.")
    ] = 3,
) -> None:
    """Create missing monthly partitions of orders and order items (PostgreSQL; idempotent)."""

    async def run() -> list[str]:
        engine = engine_from_settings(get_settings())
        try:
            return await partitions.ensure_partitions_on(engine, months_ahead=months_ahead)
        finally:
            await engine.dispose()

    created = asyncio.run(run())
    console.print(
        f"created {len(created)} partitions" + (f": {', '.join(created)}" if created else "")
    )


@app.command()
def seed(
    scale: Annotated[
        str, typer.Option(help="S (20k orders), M (1M orders) or L (10M orders).")
    ] = "S",
    random_seed: Annotated[int, typer.Option(help="Same seed and --until, same rows.")] = 42,
    until: Annotated[
        datetime | None,
        typer.Option(
            formats=["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M%z"],
            help="Last moment of the data, ISO 8601 with offset (default: now).",
        ),
    ] = None,
    force: Annotated[bool, typer.Option(help="Wipe existing data and seed again.")] = False,
    if_empty: Annotated[
        bool, typer.Option(help="Do nothing (and succeed) when the database already has data.")
    ] = False,
) -> None:
    """Fill the database with deterministic synthetic sales covering the last two years."""
    raise typer.Exit(
        run_seed(
            console, scale, random_seed=random_seed, force=force, if_empty=if_empty, until=until
        )
    )


@app.command()
def refresh(
    full: Annotated[
        bool,
        typer.Option(
            help="Rebuild every rollup from the raw rows (after a bulk load or a time zone change)."
        ),
    ] = False,
) -> None:
    """Recompute derived data. Order writes keep rollups current by themselves; --full rebuilds."""

    async def run() -> None:
        settings = get_settings()
        engine = engine_from_settings(settings)
        try:
            async with outside_cache(settings, session_factory(engine)) as cache:
                with console.status("rebuilding rollups"):
                    report = await full_refresh(engine, settings, cache=cache)
        finally:
            await engine.dispose()
        table = Table("table", "rows", title="Rebuilt")
        for name, rows in report.rows.items():
            table.add_row(name, f"{rows:,}")
        console.print(table)
        for phase, seconds in report.seconds.items():
            console.print(f"{phase}: {seconds:.2f} s")

    if not full:
        console.print("rollups are maintained on every write; use --full to rebuild them")
        return
    asyncio.run(run())


@cache_app.command("clear")
def cache_clear(
    pattern: Annotated[
        str, typer.Argument(help="Glob over cache tags: orders, products, customers, reps.")
    ] = "*",
) -> None:
    """Invalidate cached answers on every instance (all of them by default)."""

    async def run() -> list[str]:
        settings = get_settings()
        engine = engine_from_settings(settings)
        sessions = session_factory(engine)
        try:
            async with outside_cache(settings, sessions) as cache:
                return await clear_everywhere(cache, sessions, pattern, datetime.now(UTC))
        finally:
            await engine.dispose()

    try:
        tags = asyncio.run(run())
    except BadInput as exc:
        console.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(2) from None
    console.print(f"invalidated on every instance: {', '.join(tags)}")


@jobs_app.command("list")
def jobs_list() -> None:
    """Each job with its schedule, next run and last run (times in the business time zone)."""
    settings = get_settings()
    try:
        planned = schedules(settings)
    except BadInput as exc:
        console.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(2) from None

    async def run() -> dict[str, Any]:
        engine = engine_from_settings(settings)
        try:
            return await last_runs(engine)
        finally:
            await engine.dispose()

    last = asyncio.run(run())
    now, tz = datetime.now(UTC), settings.tz
    table = Table(
        Column("name", no_wrap=True),
        Column("schedule", no_wrap=True),
        Column("next run", no_wrap=True),
        Column("last run", no_wrap=True),
        Column("outcome", no_wrap=True),
        Column("took", justify="right"),
        Column("rows", justify="right"),
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
        caption=f"times in {settings.timezone}",
    )
    for job in JOBS.values():
        schedule = planned[job.name]
        when = "off" if schedule is None else schedule.describe()
        upcoming = (
            "" if schedule is None else f"{schedule.next_after(now, tz).astimezone(tz):%m-%d %H:%M}"
        )
        run_ = last.get(job.name)
        if run_ is None:
            table.add_row(job.name, when, upcoming, "never", "", "", "")
            continue
        table.add_row(
            job.name,
            when,
            upcoming,
            f"{run_.started_at.astimezone(tz):%m-%d %H:%M}",
            run_.outcome,
            "" if run_.duration_ms is None else f"{run_.duration_ms:,} ms",
            "" if run_.rows is None else f"{run_.rows:,}",
        )
    console.print(table)


@jobs_app.command("run")
def jobs_run(
    name: Annotated[str, typer.Argument(help="The job to run (see `shopx jobs list`).")],
    wait: Annotated[
        bool, typer.Option(help="With a broker: wait for a worker to finish the run.")
    ] = False,
) -> None:
    """Run a job now (trigger manual) and print its outcome; exit 1 if it failed or timed out.
    With SHOPX_BROKER_URL the run is sent to a worker and its id printed (--wait waits for
    its outcome); without, it runs in this process."""
    if name not in JOBS:
        console.print(f"[red]no job {name!r}[/red] (jobs: {', '.join(JOBS)})")
        raise typer.Exit(2)
    settings = get_settings()

    async def run() -> RunRecord:
        engine = engine_from_settings(settings)
        try:
            if settings.broker_url:
                record = await enqueue(name, "manual", engine, settings)
                if record.outcome == "queued":
                    console.print(f"queued run {record.id} of {name} on {JOBS[name].queue}")
                if wait and record.outcome == "queued":
                    with console.status(f"waiting for a worker to run {name}"):
                        record = await _until_ended(engine, record.id)
                return record
            async with outside_cache(settings, session_factory(engine)) as cache:
                return await run_job(name, "manual", engine, settings, cache=cache)
        finally:
            await engine.dispose()

    record = asyncio.run(run())
    if record.outcome == "queued":
        return
    console.print(
        f"{record.job}: {record.outcome}, rows {record.rows or 0:,}, {record.duration_ms or 0:,} ms"
    )
    if record.detail:
        console.print(record.detail)
    if record.error:
        console.print(f"[red]{escape(record.error)}[/red]")
    if record.outcome in ("failed", "timed_out"):
        raise typer.Exit(1)


async def _until_ended(engine: Any, run_id: int) -> RunRecord:
    """The run ``run_id`` once it is neither queued nor running (polled twice a second)."""
    while True:
        record = await run_record(engine, run_id)
        if record.outcome not in ("queued", "running"):
            return record
        await asyncio.sleep(0.5)


def _celery_or_exit() -> Any:
    """The Celery app of the settings; exit 2 without a broker or with a bad schedule."""
    settings = get_settings()
    if not settings.broker_url:
        console.print(
            "[red]SHOPX_BROKER_URL is not set:[/] a worker and beat need a broker (redis:// or"
            " amqp://). Without one, `shopx serve` runs the jobs itself."
        )
        raise typer.Exit(2)
    try:
        return app_for(settings)
    except BadInput as exc:
        console.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(2) from None


@app.command()
def worker(
    queues: Annotated[
        str, typer.Option(help="Comma-separated queues to take tasks from.")
    ] = ",".join(QUEUES),
    concurrency: Annotated[
        int | None, typer.Option(min=1, help="Worker processes (default: one per CPU).")
    ] = None,
    loglevel: Annotated[str, typer.Option(help="DEBUG, INFO, WARNING or ERROR.")] = "INFO",
) -> None:
    """Run a Celery worker for the background jobs (needs SHOPX_BROKER_URL). Its processes
    run jobs with the API's cache, so cache-warm fills Redis for the servers."""
    celery = _celery_or_exit()
    chosen = [queue.strip() for queue in queues.split(",") if queue.strip()]
    unknown = sorted(set(chosen) - set(QUEUES))
    if unknown or not chosen:
        console.print(f"[red]unknown queues {', '.join(unknown)}[/] (queues: {', '.join(QUEUES)})")
        raise typer.Exit(2)
    argv = ["worker", f"--queues={','.join(chosen)}", f"--loglevel={loglevel}"]
    if concurrency is not None:
        argv.append(f"--concurrency={concurrency}")
    use_cache(lambda settings, _sessions: worker_cache(settings))
    celery.worker_main(argv)


@app.command()
def beat(
    loglevel: Annotated[str, typer.Option(help="DEBUG, INFO, WARNING or ERROR.")] = "INFO",
) -> None:
    """Run Celery beat: send each scheduled job at its time in the business time zone (run
    exactly one; needs SHOPX_BROKER_URL). Its state file is data_dir/celerybeat-schedule."""
    celery = _celery_or_exit()
    get_settings().data_dir.mkdir(parents=True, exist_ok=True)
    celery.start(["beat", f"--loglevel={loglevel}"])


@token_app.command("create")
def token_create(
    role: Annotated[
        Role,
        typer.Option(
            case_sensitive=False,
            help="admin: everything; analyst: all reads; viewer: dashboard reads.",
        ),
    ],
    ttl: Annotated[str, typer.Option(help="Lifetime: 30m, 12h, 7d, 2w.")] = "7d",
    subject: Annotated[str, typer.Option(help="Who the token is for (shown in logs).")] = "cli",
) -> None:
    """Print a signed bearer token (send it as 'Authorization: Bearer <token>')."""
    try:
        lifetime = parse_ttl(ttl)
    except BadInput as exc:
        console.print(f"[red]{exc.message}[/]")
        raise typer.Exit(2) from None
    print(create_token(get_settings().jwt_secret(), role, ttl=lifetime, subject=subject))


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Server processes.")] = 1,
) -> None:
    """Serve the API: GraphQL and GraphiQL at /graphql, /docs, /health, /ready and /metrics."""
    settings = get_settings()
    if problem := asyncio.run(schema_problem(settings.effective_database_url)):
        console.print(f"[red]Not serving: {problem}.[/]")
        raise typer.Exit(2)
    run_server(host=host, port=port, workers=workers)


def _with_sessions(work: Callable[[async_sessionmaker[AsyncSession]], Awaitable[T]]) -> T:
    """Run ``work`` on the configured database; a refusal prints its reason and exits 1."""
    return _on_database(lambda engine: work(session_factory(engine)))


def _on_database(work: Callable[[AsyncEngine], Awaitable[T]], *, exit_code: int = 1) -> T:
    """Run ``work`` with an engine on the configured database; a refusal or a database
    that cannot be used prints why and exits ``exit_code``."""

    async def run() -> T:
        engine = engine_from_settings(get_settings())
        try:
            return await work(engine)
        finally:
            await engine.dispose()

    try:
        return asyncio.run(run())
    except ShopXError as exc:
        console.print(f"[red]{exc.message}[/]")
        raise typer.Exit(exit_code) from None
    except (OperationalError, ProgrammingError) as exc:
        console.print(f"[red]database error:[/] {exc.orig} (has `shopx init` been run?)")
        raise typer.Exit(exit_code) from None


def _read_password() -> str:
    """A hidden prompt with confirmation on a terminal; else the first line of stdin."""
    if sys.stdin.isatty():
        return typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\r\n")


@user_app.command("create")
def user_create(
    email: Annotated[str, typer.Option(help="Their sign-in; unique ignoring case.")],
    role: Annotated[
        Role,
        typer.Option(
            case_sensitive=False,
            help="admin: everything; analyst: all reads; viewer: dashboard reads.",
        ),
    ],
) -> None:
    """Add a user who can sign in to the dashboard. The password is asked for (hidden, twice)
    on a terminal, or read as one line from standard input (never as an argument)."""
    password = _read_password()

    async def create(sessions: async_sessionmaker[AsyncSession]) -> User:
        async with bookkeeping_session(sessions) as session:
            return await create_user(
                session, email=email, role=role, password=password, now=datetime.now(UTC)
            )

    user = _with_sessions(create)
    console.print(f"created {user.role} {user.email}")


@user_app.command("list")
def user_list() -> None:
    """List the users: email, role, whether they may sign in, when created, last sign-in."""

    async def read(sessions: async_sessionmaker[AsyncSession]) -> list[User]:
        async with sessions() as session:
            return list(await list_users(session))

    table = Table("email", "role", "active", "created", "last login", title="Users")
    for user in _with_sessions(read):
        table.add_row(
            user.email,
            user.role,
            "yes" if user.is_active else "no",
            _when(user.created_at),
            _when(user.last_login_at),
        )
    console.print(table)


@user_app.command("disable")
def user_disable(
    email: Annotated[str, typer.Argument(help="The user's email (any case).")],
) -> None:
    """Stop a user from signing in and refreshing (their refresh tokens are revoked now; an
    access token already issued works until it expires, at most SHOPX_ACCESS_TOKEN_TTL)."""

    async def disable(sessions: async_sessionmaker[AsyncSession]) -> User:
        async with bookkeeping_session(sessions) as session:
            return await disable_user(session, email, now=datetime.now(UTC))

    user = _with_sessions(disable)
    console.print(
        f"disabled {user.email}: refresh ends now; an access token already issued works until"
        " it expires, at most SHOPX_ACCESS_TOKEN_TTL"
    )


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "never"


class DateOrderChoice(StrEnum):
    DMY = "DMY"
    MDY = "MDY"


SHOWN_ERRORS = 20
"""Row errors ``shopx import`` prints; past them, all go to a CSV file."""


@app.command("import")
def import_sales(
    file: Annotated[
        Path,
        typer.Argument(
            exists=True, dir_okay=False, readable=True, help="The sales file (CSV, any encoding)."
        ),
    ],
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help="Parse and validate everything, report what would happen, write nothing.",
        ),
    ] = False,
    date_order: Annotated[
        DateOrderChoice | None,
        typer.Option(
            "--date-order",
            case_sensitive=False,
            help="DMY or MDY, for a file whose dates never show which comes first.",
        ),
    ] = None,
    errors: Annotated[
        Path | None,
        typer.Option(
            help="Where all row errors go as CSV when there are more than are printed "
            "(default: FILE.errors.csv next to the file)."
        ),
    ] = None,
) -> None:
    """Import a sales file (docs/csv-import.md) with a progress bar, then print the report.

    Exit 0: every row imported (or already there); 1: some rows failed (the good ones are
    kept; the report lists why); 2: the file cannot be imported at all (nothing written), or
    the database cannot be used."""
    settings = get_settings()
    errors_path = errors or file.with_name(file.name + ".errors.csv")
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TextColumn("{task.fields[rows]:,} rows"),
        TimeRemainingColumn(),
    )

    async def run(bar: Progress, on_errors: ErrorWriter) -> ImportReport:
        task = bar.add_task("checking the file", total=file.stat().st_size or 1, rows=0)
        engine = engine_from_settings(settings)
        try:
            opened = await open_sales(
                engine,
                settings,
                file,
                source="cli",
                file_name=file.name,
                date_order=date_order.value if date_order else None,
                progress=lambda done, _size: bar.update(task, completed=done),
            )
            bar.update(task, description="dry run" if dry_run else "importing")
            async with outside_cache(settings, session_factory(engine)) as cache:
                report = await run_import(
                    engine,
                    settings,
                    opened,
                    dry_run=dry_run,
                    cache=cache,
                    progress=lambda report: bar.update(task, rows=report.rows_read),
                    on_errors=on_errors,
                )
                bar.update(task, description="customer segments")
                await follow_import(engine, settings, report, cache=cache)
                return report
        finally:
            await engine.dispose()

    spool_path = errors_path.with_name(errors_path.name + ".part")
    try:
        with (
            spool_path.open("w", newline="", encoding="utf-8") as spool,
            Progress(*columns, console=console, transient=True) as bar,
        ):
            written = ErrorWriter(spool)
            report = asyncio.run(run(bar, written))
    except BadInput as exc:
        spool_path.unlink(missing_ok=True)
        console.print(f"[red]{escape(file.name)}: {escape(exc.message)}[/red]")
        if isinstance(exc.detail, dict) and exc.detail.get("needs") == "date_order":
            console.print("run again with --date-order DMY or --date-order MDY")
        raise typer.Exit(2) from None
    except (OperationalError, ProgrammingError) as exc:
        spool_path.unlink(missing_ok=True)
        console.print(f"[red]database error:[/] {exc.orig} (has `shopx init` been run?)")
        raise typer.Exit(2) from None
    except BaseException:
        spool_path.unlink(missing_ok=True)
        raise
    _print_report(file.name, report)
    if written.count > SHOWN_ERRORS:
        spool_path.replace(errors_path)
        console.print(f"all row errors: {errors_path}")
    else:
        spool_path.unlink(missing_ok=True)
    if report.failed:
        raise typer.Exit(1)


def _print_report(name: str, report: ImportReport) -> None:
    title = f"{escape(name)}: " + ("dry run, nothing written" if report.dry_run else "imported")
    table = Table(
        Column("", style="bold"),
        Column("", justify="right"),
        title=title,
        box=box.SIMPLE,
        show_header=False,
    )
    would = "would be " if report.dry_run else ""
    table.add_row("rows read", f"{report.rows_read:,}")
    table.add_row(f"rows {would}imported", f"{report.imported:,}")
    table.add_row("skipped (already imported)", f"{report.skipped_duplicate:,}")
    table.add_row("failed", f"{report.failed:,}")
    table.add_row(f"orders {would}created", f"{report.orders_created:,}")
    table.add_row(f"orders {would}extended", f"{report.orders_extended:,}")
    for kind in CREATED_KINDS:
        table.add_row(f"new {kind}", f"{report.created[kind]:,}")
    console.print(table)
    console.print(f"import id {report.import_id}")
    if report.errors:
        errors = Table("line", "column", "value", "reason", title="Row errors", box=box.SIMPLE)
        for error in report.errors[:SHOWN_ERRORS]:
            errors.add_row(
                str(error.line),
                escape(error.column or ""),
                escape(error.value or ""),
                escape(error.reason),
            )
        console.print(errors)
        if len(report.errors) > SHOWN_ERRORS:
            console.print(f"(the first {SHOWN_ERRORS} row errors; {report.failed:,} rows failed)")


@sheets_app.command("list")
def sheets_list() -> None:
    """Each registered sheet with its source and last sync (state, rows, error)."""

    async def read(sessions: async_sessionmaker[AsyncSession]) -> list[SheetStatus]:
        async with sessions() as session:
            return [SheetStatus.of(*row) for row in await sheets_with_last_import(session)]

    for sheet in _with_sessions(read):
        done = f", {sheet.last_report['imported']:,} imported" if sheet.last_report else ""
        console.print(
            f"{sheet.id}  {escape(sheet.name)}  {sheet.last_state}{done}  "
            f"(last synced: {_when(sheet.last_synced_at)})",
            soft_wrap=True,
        )
        console.print(f"    {escape(sheet.source)}", soft_wrap=True)
        if sheet.last_error:
            console.print(f"    [red]error: {escape(sheet.last_error)}[/]", soft_wrap=True)


@sheets_app.command("sync")
def sheets_sync_now(
    sheet_id: Annotated[
        int | None,
        typer.Argument(
            help="The sheet to sync (see `shopx sheets list`); every sheet if left out."
        ),
    ] = None,
) -> None:
    """Fetch registered sheets now and import their new rows with a progress bar (the same
    importer as `shopx import`: rows already imported are skipped), then print each report.

    Exit 0: every sheet synced and every row imported (or already there); 1: some rows
    failed (the good ones are kept); 2: a sheet could not be synced (unreachable, not CSV,
    syncing already; the others still are), or there is no such sheet."""
    settings = get_settings()
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[rows]:,} rows"),
        TimeRemainingColumn(),
    )

    async def run(
        bar: Progress, engine: AsyncEngine
    ) -> tuple[list[tuple[str, ImportReport]], list[str]]:
        synced: list[tuple[str, ImportReport]] = []
        failed: list[str] = []
        async with session_factory(engine)() as session:
            rows = await sheets_with_last_import(session, sheet_id)
        if sheet_id is not None and not rows:
            raise BadInput(f"no sheet {sheet_id} (see `shopx sheets list`)")
        async with outside_cache(settings, session_factory(engine)) as cache:
            for sheet, _last in sorted(rows, key=lambda row: row[0].id):
                task = bar.add_task(escape(sheet.name), total=100, rows=0)

                def moved(report: ImportReport, task: Any = task) -> None:
                    bar.update(task, completed=report.percent, rows=report.rows_read)

                try:
                    import_id = await claim(engine, sheet.id, queued=False)
                    report = await sync_sheet(
                        engine, settings, sheet.id, import_id, cache=cache, progress=moved
                    )
                except Exception as exc:  # recorded on its import; the next sheet goes on
                    failed.append(f"{sheet.name} (sheet {sheet.id}): {exc}")
                    continue
                finally:
                    bar.remove_task(task)
                synced.append((sheet.name, report))
            # One segments run follows all the sheets, if any imported rows.
            for _name, report in synced:
                if report.imported:
                    await follow_import(engine, settings, report, cache=cache)
                    break
        return synced, failed

    with Progress(*columns, console=console, transient=True) as bar:
        synced, failed = _on_database(lambda engine: run(bar, engine), exit_code=2)
    for name, report in synced:
        _print_report(name, report)
    for failure in failed:
        console.print(f"[red]not synced: {escape(str(failure))}[/red]")
    if failed:
        raise typer.Exit(2)
    if any(report.failed for _name, report in synced):
        raise typer.Exit(1)
