"""Import records (issue 12): every row error kept and downloadable as CSV, and imports whose
process died closed as failed, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from shopx.auth import Role
from shopx.config import Settings
from shopx.db.engine import session_factory
from shopx.db.models import Import, ImportRowError
from shopx.db.writes import bookkeeping_session
from shopx.ingest.interrupted import DRY_RUN_SILENCE, SILENCE, close_interrupted
from shopx.ingest.load import import_batches
from shopx.ingest.parse import parse_sales
from shopx.ingest.records import create_import, read_import
from shopx.jobs.runner import run_job
from shopx.jobs.upload_imports import store_upload, upload_folder
from tests.api import api_client
from tests.test_import_entry import NOW, admin, orders_in, sales_csv, upload_files

TRICKY = ["a,b", 'say "ten"', "two\nlines", '=HYPERLINK("http://evil")', "€x;y"]


def bad_rows_csv(orders: int, bad: int) -> tuple[str, list[tuple[int, str]]]:
    """``orders`` good orders of two lines, then ``bad`` rows whose date is not a date (with
    commas, quotes, newlines, a formula); returns the text and each bad row's (physical line,
    date) as the file has it."""
    out = io.StringIO()
    out.write(sales_csv(orders))
    expected = []
    writer = csv.writer(out, lineterminator="\n")
    for index in range(bad):
        line = out.getvalue().count("\n") + 1
        when = f"{TRICKY[index % len(TRICKY)]} #{index}"
        writer.writerow([when, "Tea", "5.00", "1", f"B{index}", "", ""])
        expected.append((line, when))
    return out.getvalue(), expected


async def download(client, import_id: int, role: Role = Role.ANALYST):
    headers = {"authorization": f"Bearer {client.token(role)}"}
    return await client.http.get(f"/api/v1/imports/{import_id}/errors.csv", headers=headers)


async def upload(client, text: str, query: str = "") -> dict:
    """The finished import of ``text`` uploaded by an admin."""
    done = await client.http.post(
        f"/api/v1/upload/csv{query}", files=upload_files(text), headers=admin(client)
    )
    assert done.status_code == 200, done.text
    return done.json()


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.text, newline="")))


def shown(value: str) -> str:
    """A value as the CSV shows it: a formula kept as text."""
    return f"'{value}" if value.startswith("=") else value


async def test_every_row_error_of_a_file_is_in_errors_csv_in_line_order(database_url, engine):
    text, expected = bad_rows_csv(10, 1_250)
    async with api_client(database_url, now=NOW) as client:
        body = await upload(client, text)
        assert body["rows_failed"] == 1_250 and len(body["report"]["errors"]) == 100
        assert body["errors_url"] == f"/api/v1/imports/{body['id']}/errors.csv"

        response = await download(client, body["id"])

        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("text/csv")
        disposition = f'attachment; filename="import-{body["id"]}-errors.csv"'
        assert response.headers["content-disposition"] == disposition
        rows = csv_rows(response)
        listed = await client.data(
            "{ imports(first: 1) { edges { node { errorsUrl } } } }", role=Role.ANALYST
        )
    assert rows[0] == ["line", "column", "value", "reason"]
    assert [(int(r[0]), r[1], r[2]) for r in rows[1:]] == [
        (line, "date", shown(when)) for line, when in expected
    ]
    assert all(row[3] for row in rows[1:])
    assert listed["imports"]["edges"][0]["node"]["errorsUrl"] == body["errors_url"]
    assert await orders_in(engine) == (10, 10 * 1500)  # the good rows are kept


async def test_a_dry_runs_errors_are_downloadable_and_no_sales_data_changes(database_url, engine):
    text, expected = bad_rows_csv(6, 30)
    async with api_client(database_url, now=NOW) as client:
        done = await upload(client, text, "?dry_run=true")
        response = await download(client, done["id"], Role.ADMIN)
    rows = csv_rows(response)
    assert [int(row[0]) for row in rows[1:]] == [line for line, _ in expected]
    assert [row[2] for row in rows[1:]] == [shown(when) for _, when in expected]
    assert await orders_in(engine) == (0, 0)
    async with engine.connect() as connection:
        stored = await connection.scalar(select(func.count()).select_from(ImportRowError))
    assert stored == 30


async def test_an_unknown_import_is_404_and_a_viewer_is_refused(database_url):
    async with api_client(database_url, now=NOW) as client:
        done = await client.http.post(
            "/api/v1/upload/csv", files=upload_files(sales_csv(2, bad=1)), headers=admin(client)
        )
        unknown = await download(client, 999_999, Role.ADMIN)
        viewer = await download(client, done.json()["id"], Role.VIEWER)
        anonymous = await client.http.get(f"/api/v1/imports/{done.json()['id']}/errors.csv")
    assert unknown.status_code == 404
    assert unknown.json() == {"error": "NOT_FOUND", "detail": "no import 999999"}
    assert viewer.status_code == 403 and viewer.json()["error"] == "FORBIDDEN"
    assert anonymous.status_code == 401


async def test_a_rerun_of_an_import_keeps_each_error_once(database_url, engine):
    """A run takes over its import row (a worker delivered again): the errors of the earlier
    run go, the new run's are the import's."""
    settings = Settings(database_url=database_url)
    import_id = await create_import(engine, "upload")
    text = sales_csv(3, bad=4)
    for _ in range(2):
        parsed = parse_sales(io.BytesIO(text.encode()), tz=settings.tz)
        await import_batches(engine, settings, parsed.batches(), import_id=import_id)
    async with engine.connect() as connection:
        lines = (await connection.scalars(select(ImportRowError.line))).all()
    assert sorted(lines) == [8, 9, 10, 11]


async def set_beat(engine, import_id: int, **values) -> None:
    async with bookkeeping_session(session_factory(engine)) as session:
        await session.execute(update(Import).where(Import.id == import_id).values(**values))


async def test_a_silent_running_import_is_closed_failed_and_a_live_or_queued_one_is_not(
    database_url, engine
):
    now = datetime.now(UTC)
    stale, fresh, queued, dry = [await create_import(engine, "cli") for _ in range(4)]
    await set_beat(engine, stale, state="running", updated_at=now - SILENCE - timedelta(seconds=1))
    await set_beat(engine, stale, rows_read=40, rows_imported=38, rows_failed=2)
    await set_beat(engine, fresh, state="running", updated_at=now - SILENCE + timedelta(seconds=5))
    await set_beat(engine, queued, updated_at=now - timedelta(days=3))
    # A dry run beats only when it starts: it is given its own, longer, bound.
    await set_beat(engine, dry, state="running", dry_run=True, updated_at=now - SILENCE * 2)

    closed = await close_interrupted(engine, now)

    assert closed == [stale]
    row = await read_import(engine, stale)
    assert row.state == "failed" and row.finished_at is not None
    assert row.error.startswith("interrupted") and "import the file again" in row.error
    assert (row.report["imported"], row.report["failed"]) == (38, 2)
    assert [(await read_import(engine, i)).state for i in (fresh, queued, dry)] == [
        "running",
        "queued",
        "running",
    ]
    assert await close_interrupted(engine, now + DRY_RUN_SILENCE) == [fresh, dry]


async def test_reading_a_silent_running_import_reports_it_failed(database_url, engine):
    import_id = await create_import(engine, "upload")
    long_ago = datetime.now(UTC) - SILENCE - timedelta(minutes=1)
    await set_beat(engine, import_id, state="running", updated_at=long_ago)
    async with api_client(database_url, now=NOW) as client:
        status = await client.http.get(f"/api/v1/imports/{import_id}", headers=admin(client))
    assert status.status_code == 200
    assert status.json()["state"] == "failed" and status.json()["error"].startswith("interrupted")


async def test_the_imports_job_takes_over_an_upload_whose_worker_died(
    database_url, engine, tmp_path
):
    """A worker killed mid-import leaves the row running and the file stored; the run
    delivered again (or the next one) imports the file again and completes it."""
    settings = Settings(database_url=database_url, data_dir=tmp_path, import_batch_rows=100)
    text = sales_csv(150, bad=2)
    import_id = await create_import(engine, "upload", file_name="big.csv")
    # The dead worker's run: the batches of the first 100 orders committed, then nothing.
    head = "".join(text.splitlines(keepends=True)[:201])
    first = parse_sales(io.BytesIO(head.encode()), tz=settings.tz)
    await import_batches(engine, settings, first.batches(), import_id=import_id)
    await set_beat(engine, import_id, state="running", finished_at=None)
    folder = upload_folder(settings)
    folder.mkdir(parents=True)
    part = folder / ".part"
    part.write_text(text)
    store_upload(settings, import_id, part, dry_run=False, date_order=None)

    record = await run_job("imports", "event", engine, settings)

    assert record.outcome == "succeeded", record
    row = await read_import(engine, import_id)
    assert row.state == "succeeded", row.error
    assert (row.rows_imported, row.rows_skipped) == (100, 200)
    assert await orders_in(engine) == (150, 150 * 1500)
    async with engine.connect() as connection:
        errors = (await connection.scalars(select(ImportRowError.line))).all()
    assert sorted(errors) == [302, 303]
    assert list(folder.iterdir()) == []


def cli_env(database_url: str, data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHOPX_")}
    src = str(Path(__file__).resolve().parents[1] / "src")
    env.update(
        PYTHONPATH=os.pathsep.join([src, env.get("PYTHONPATH", "")]),
        SHOPX_DATABASE_URL=database_url,
        SHOPX_DATA_DIR=str(data_dir),
        SHOPX_IMPORT_BATCH_ROWS="200",
    )
    return env


async def test_a_killed_cli_import_is_closed_failed_and_a_rerun_completes_it_once(
    database_url, engine, tmp_path
):
    orders = 3_000
    file = tmp_path / "sales.csv"
    file.write_text(sales_csv(orders, bad=3), encoding="utf-8")
    env = cli_env(database_url, tmp_path / "data")
    process = subprocess.Popen(
        [sys.executable, "-m", "shopx", "import", str(file)],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        row = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            rows = await engine_rows(engine)
            row = rows[0] if rows else None
            if row is not None and row.rows_imported > 0:
                break
            await asyncio.sleep(0.02)
        assert row is not None and row.rows_imported > 0, process.stderr
        os.killpg(process.pid, signal.SIGKILL)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    [killed] = await engine_rows(engine)
    assert killed.state == "running" and killed.rows_imported < orders * 2
    committed, _ = await orders_in(engine)
    assert committed * 2 == killed.rows_imported  # whole batches only

    assert await close_interrupted(engine, datetime.now(UTC)) == []  # not silent yet
    later = datetime.now(UTC) + SILENCE + timedelta(seconds=1)
    assert await close_interrupted(engine, later) == [killed.id]
    closed = await read_import(engine, killed.id)
    assert closed.state == "failed" and "import the file again" in closed.error
    assert closed.report["imported"] == killed.rows_imported

    rerun = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "shopx", "import", str(file)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert rerun.returncode == 1, rerun.stdout + rerun.stderr  # the 3 bad rows
    assert await orders_in(engine) == (orders, orders * 1500)
    again = (await engine_rows(engine))[-1]
    assert (again.state, again.rows_skipped) == ("succeeded", killed.rows_imported)
    assert again.rows_imported == orders * 2 - killed.rows_imported


async def engine_rows(engine) -> list[Import]:
    async with session_factory(engine)() as session:
        return list((await session.scalars(select(Import).order_by(Import.id))).all())


def test_the_errors_download_is_documented_with_an_example(settings_env):
    from shopx.api.app import create_app

    spec = create_app(Settings(secret_key="s" * 40)).openapi()
    route = spec["paths"]["/api/v1/imports/{import_id}/errors.csv"]["get"]
    assert route["summary"] and "`line,column,value,reason`" in route["description"]
    example = route["responses"]["200"]["content"]["text/csv"]["example"]
    assert example.startswith("line,column,value,reason\r\n")
    assert {"401", "403", "404"} <= route["responses"].keys()
    status = spec["paths"]["/api/v1/imports/{import_id}"]["get"]["responses"]["200"]
    assert status["content"]["application/json"]["example"]["errors_url"].endswith("errors.csv")
    assert "errors_url" in json.dumps(spec["components"]["schemas"])


async def test_a_nul_in_a_cell_spoils_its_row_only_and_its_error_is_stored(
    engine, database_url: str, tmp_path: Path
) -> None:
    """PostgreSQL text cannot hold a NUL: the stored error shows it as U+2400, and the
    batch with the good row commits."""
    path = tmp_path / "nul.csv"
    path.write_bytes(
        b"date,product_name,amount,quantity\n2024-01-01,a\x00b,1,1\n2024-01-01,c,2,1\n"
    )
    settings = Settings(database_url=database_url, secret_key="s" * 32)
    import_id = await create_import(engine, "cli", file_name="nul.csv")
    with parse_sales(path, tz=settings.tz) as parsed:
        report = await import_batches(engine, settings, parsed.batches(), import_id=import_id)
    assert (report.imported, report.failed) == (1, 1)
    async with engine.connect() as connection:
        stored = (await connection.execute(select(ImportRowError.line, ImportRowError.value))).all()
    assert [tuple(row) for row in stored] == [(2, "a\u2400b")]
    assert (await read_import(engine, import_id)).state == "succeeded"


async def test_a_dry_run_that_fails_keeps_the_row_errors_it_saw(
    engine, database_url: str, tmp_path: Path
) -> None:
    """The stored report lists the errors seen before the failure; the download has them too."""
    rows = [f"2024-01-{1 + i:02d},Tea,5.00" if i % 2 else f"later #{i},Tea,5.00" for i in range(20)]
    path = tmp_path / "dry.csv"
    path.write_text("date,product_name,amount\n" + "\n".join(rows) + "\n")
    settings = Settings(database_url=database_url, secret_key="s" * 32)
    import_id = await create_import(engine, "cli", file_name="dry.csv")

    def failing(batches):
        for number, batch in enumerate(batches):
            if number == 3:
                raise OSError("the disk went away")
            yield batch

    with parse_sales(path, tz=settings.tz, batch_rows=4) as parsed, pytest.raises(OSError):
        await import_batches(
            engine,
            settings,
            failing(parsed.batches()),
            import_id=import_id,
            dry_run=True,
            batch_rows=5,
        )
    stored = await read_import(engine, import_id)
    assert stored.state == "failed" and stored.report["errors"]
    async with engine.connect() as connection:
        lines = (await connection.execute(select(ImportRowError.line))).scalars().all()
    assert sorted(lines) == [error["line"] for error in stored.report["errors"]]
    assert await orders_in(engine) == (0, 0)
