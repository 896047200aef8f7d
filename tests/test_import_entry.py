"""The import entry points (issue 12): ``shopx import``, ``POST /api/v1/upload/csv``,
``GET /api/v1/imports/{id}`` and GraphQL ``imports``, on generated sales files."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine
from typer.testing import CliRunner, Result

from shopx.auth import Role
from shopx.cli import app as cli
from shopx.db.models import Import, Order
from shopx.ingest.records import read_import
from shopx.jobs.runner import run_job
from tests.api import ApiClient, api_client
from tests.servers import free_port
from tests.test_response_cache import post

runner = CliRunner()
HEADER = ["date", "product_name", "amount", "quantity", "order_id", "customer_email", "sales_rep"]
OVERVIEW = """query($start: Date!, $end: Date!) {
  salesOverview(period: CUSTOM, dateRange: {startDate: $start, endDate: $end}) {
    totalRevenue totalOrders
  }
}"""
WINDOW = {"start": "2026-03-01", "end": "2026-03-31"}
NOW = datetime(2026, 4, 1, tzinfo=UTC)
IMPORTS = """query($first: Int!) { imports(first: $first) { edges { node {
  id source fileName state dryRun rowsRead rowsImported rowsSkipped rowsFailed percent
  report { imported failed newProducts errors { line column value reason } }
} } } }"""


def sales_csv(orders: int, *, bad: int = 0, prefix: str = "A", day_first: bool = False) -> str:
    """``orders`` orders of two lines (2026-03-01..28; 10.00 + 2 x 2.50 = 15.00 each), then
    ``bad`` rows whose amount is not a number."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for index in range(orders):
        day, month = 1 + index % 28, 3
        when = f"{day:02d}/{month:02d}/2026" if day_first else f"2026-{month:02d}-{day:02d}"
        ref = f"{prefix}{index}"
        email = f"c{index % 5}@example.com"
        writer.writerow([when, f"Mug {index % 4}", "10.00", "1", ref, email, "Ann"])
        writer.writerow([when, "Tea", "5.00", "2", ref, email, "Ann"])
    for index in range(bad):
        writer.writerow(["2026-03-02", "Tea", f"x{index}", "1", f"B{index}", "", ""])
    return out.getvalue()


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


async def shopx(*args: str) -> Result:
    """``shopx ARGS`` in a thread of its own (the command runs its own event loop)."""
    return await asyncio.to_thread(runner.invoke, cli, list(args))


async def orders_in(engine: AsyncEngine) -> tuple[int, int]:
    async with engine.connect() as connection:
        row = (await connection.execute(select(func.count(), func.sum(Order.total_cents)))).one()
    return row[0], row[1] or 0


async def imports_in(engine: AsyncEngine) -> list[Import]:
    async with engine.connect() as connection:
        return list((await connection.execute(select(Import).order_by(Import.id))).all())


@pytest.fixture
def cli_env(settings_env: Path, database_url: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SHOPX_DATABASE_URL", database_url)
    return settings_env


# -- shopx import ----------------------------------------------------------------------------


async def test_cli_import_reports_and_a_second_run_adds_nothing(cli_env: Path, engine):
    file = write(cli_env, "sales.csv", sales_csv(12, bad=25))

    first = await shopx("import", str(file))

    assert first.exit_code == 1, first.output  # some rows failed; the good ones are kept
    assert "rows imported" in first.output and "24" in first.output
    assert "not a number" in first.output and "line" in first.output
    assert await orders_in(engine) == (12, 12 * 1500)
    errors_file = cli_env / "sales.csv.errors.csv"
    assert f"all row errors: {errors_file}" in first.output.replace("\n", "")
    with errors_file.open(newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["line", "column", "value", "reason"]
    assert [row[0] for row in rows[1:]] == [str(26 + i) for i in range(25)]
    assert {row[1] for row in rows[1:]} == {"amount"}

    again = await shopx("import", str(file))

    assert again.exit_code == 1, again.output
    assert await orders_in(engine) == (12, 12 * 1500)
    stored = await imports_in(engine)
    assert [
        (i.source, i.state, i.rows_imported, i.rows_skipped, i.rows_failed) for i in stored
    ] == [
        ("cli", "succeeded", 24, 0, 25),
        ("cli", "succeeded", 0, 24, 25),
    ]
    assert stored[0].report["created"]["products"] == 5
    assert stored[0].report["created"]["customers"] == 5


async def test_cli_dry_run_changes_nothing_and_a_clean_file_exits_0(cli_env: Path, engine):
    file = write(cli_env, "clean.csv", sales_csv(6))

    dry = await shopx("import", str(file), "--dry-run")

    assert dry.exit_code == 0, dry.output
    assert "dry run, nothing written" in dry.output
    assert await orders_in(engine) == (0, 0)
    assert not (cli_env / "clean.csv.errors.csv").exists()

    real = await shopx("import", str(file))

    assert real.exit_code == 0, real.output
    assert await orders_in(engine) == (6, 6 * 1500)
    stored = await imports_in(engine)
    assert [(i.dry_run, i.rows_imported) for i in stored] == [(True, 12), (False, 12)]


async def test_cli_file_level_errors_exit_2_and_a_date_order_settles_dates(cli_env: Path, engine):
    empty = write(cli_env, "empty.csv", ",".join(HEADER) + "\n")
    missing = write(cli_env, "missing.csv", "date,amount\n2026-03-01,5\n")
    # Days 1..12 only: every date could be day-first or month-first.
    ambiguous = write(cli_env, "ambiguous.csv", sales_csv(12, day_first=True))

    assert (await shopx("import", str(empty))).exit_code == 2
    refused = await shopx("import", str(missing))
    assert refused.exit_code == 2 and "product_name" in refused.output
    asked = await shopx("import", str(ambiguous))
    assert asked.exit_code == 2, asked.output
    assert "--date-order" in asked.output
    assert await orders_in(engine) == (0, 0)
    assert [i.state for i in await imports_in(engine)] == ["failed"] * 3

    given = await shopx("import", str(ambiguous), "--date-order", "dmy")

    assert given.exit_code == 0, given.output
    async with engine.connect() as connection:
        days = (await connection.execute(select(Order.ordered_at))).scalars().all()
    # Day-first, "05/03/2026" is the 5th of March (month-first it would be May).
    assert {day.month for day in days} == {3}, days


# -- the upload API --------------------------------------------------------------------------


def upload_files(text: str, name: str = "sales.csv") -> dict[str, Any]:
    return {"file": (name, text.encode(), "text/csv")}


def admin(client: ApiClient) -> dict[str, str]:
    return {"authorization": f"Bearer {client.token(Role.ADMIN)}"}


async def test_a_small_upload_answers_the_report_and_the_numbers_show_at_once(database_url):
    text = sales_csv(10, bad=2)
    async with api_client(database_url, now=NOW) as client:
        await post(client, OVERVIEW, WINDOW)
        hit, before = await post(client, OVERVIEW, WINDOW)
        assert hit == "HIT-L1" and before["data"]["salesOverview"]["totalOrders"] == 0

        response = await client.http.post(
            "/api/v1/upload/csv", files=upload_files(text), headers=admin(client)
        )

        assert response.status_code == 200, response.text
        body = response.json()
        assert body["state"] == "succeeded" and body["source"] == "upload"
        assert (body["rows_read"], body["rows_imported"], body["rows_failed"]) == (22, 20, 2)
        report = body["report"]
        assert report["orders_created"] == 10 and report["created"]["products"] == 5
        assert [(e["line"], e["column"], e["value"]) for e in report["errors"]] == [
            (22, "amount", "x0"),
            (23, "amount", "x1"),
        ]
        _, after = await post(client, OVERVIEW, WINDOW)
        assert after["data"]["salesOverview"] == {"totalRevenue": "150.00", "totalOrders": 10}

        again = await client.http.post(
            "/api/v1/upload/csv", files=upload_files(text), headers=admin(client)
        )
        assert again.json()["rows_skipped"] == 20 and again.json()["rows_imported"] == 0

        listed = await client.data(IMPORTS, {"first": 10}, role=Role.ANALYST)
    nodes = [edge["node"] for edge in listed["imports"]["edges"]]
    assert [(n["id"], n["rowsImported"], n["rowsSkipped"]) for n in nodes] == [
        (str(again.json()["id"]), 0, 20),
        (str(body["id"]), 20, 0),
    ]
    assert nodes[1]["report"]["errors"][0] == {
        "line": 22,
        "column": "amount",
        "value": "x0",
        "reason": "not a number",
    }


async def test_two_uploads_of_one_file_at_once_import_it_once(database_url, engine):
    text = sales_csv(8)
    async with api_client(database_url, now=NOW) as client:
        both = await asyncio.gather(
            *(
                client.http.post(
                    "/api/v1/upload/csv", files=upload_files(text), headers=admin(client)
                )
                for _ in range(2)
            )
        )
    counts = sorted((r.json()["rows_imported"], r.json()["rows_skipped"]) for r in both)
    assert counts == [(0, 16), (16, 0)]
    assert await orders_in(engine) == (8, 8 * 1500)


async def test_a_large_upload_answers_202_and_its_progress_is_followed_to_the_end(
    database_url, tmp_path
):
    text = sales_csv(300)
    settings = {"upload_sync_bytes": 1024, "import_batch_rows": 100, "data_dir": tmp_path}
    async with api_client(database_url, now=NOW, **settings) as client:
        response = await client.http.post(
            "/api/v1/upload/csv", files=upload_files(text, "big.csv"), headers=admin(client)
        )

        assert response.status_code == 202, response.text
        queued = response.json()
        assert queued["state"] in ("queued", "running") and queued["file_name"] == "big.csv"
        assert response.headers["location"] == f"/api/v1/imports/{queued['id']}"
        analyst = {"authorization": f"Bearer {client.token(Role.ANALYST)}"}
        seen = []
        for _ in range(1000):  # polled until it ends: a condition with a deadline
            status = (await client.http.get(response.headers["location"], headers=analyst)).json()
            seen.append(status["percent"])
            if status["state"] in ("succeeded", "failed"):
                break
            await asyncio.sleep(0.01)
        assert status["state"] == "succeeded", status
        assert (status["rows_read"], status["rows_imported"], status["percent"]) == (600, 600, 100)
        assert status["report"]["orders_created"] == 300
        assert seen == sorted(seen)
        assert list((tmp_path / "imports").iterdir()) == []  # the stored file is gone
        _, after = await post(client, OVERVIEW, WINDOW)
    assert after["data"]["salesOverview"]["totalOrders"] == 300


async def test_an_import_running_when_the_api_stops_ends_failed_never_left_running(
    database_url, engine, tmp_path
):
    settings = {"upload_sync_bytes": 0, "import_batch_rows": 100, "data_dir": tmp_path}
    async with api_client(database_url, now=NOW, **settings) as client:
        response = await client.http.post(
            "/api/v1/upload/csv", files=upload_files(sales_csv(400)), headers=admin(client)
        )
        assert response.status_code == 202, response.text
    # The API stopped right after the 202: its import was cancelled (or had just ended).
    [stored] = await imports_in(engine)
    assert stored.state in ("failed", "succeeded")
    if stored.state == "failed":
        assert stored.error.startswith("CancelledError")
        orders, _ = await orders_in(engine)
        assert orders * 2 == stored.rows_imported  # whole batches only
    assert list((tmp_path / "imports").iterdir()) == []


async def test_with_a_broker_a_large_upload_is_stored_for_the_imports_job(
    database_url, engine, tmp_path
):
    """The broker here takes nothing (a closed port): the run is recorded failed, the import
    stays queued with its file stored, and the job (as the schedule runs it) imports it."""
    settings = {
        "upload_sync_bytes": 512,
        "data_dir": tmp_path,
        "broker_url": f"redis://127.0.0.1:{free_port()}/14",
    }
    async with api_client(database_url, now=NOW, **settings) as client:
        response = await client.http.post(
            "/api/v1/upload/csv",
            files=upload_files(sales_csv(30, bad=1), "big.csv"),
            data={"dry_run": "false"},
            headers=admin(client),
        )
        assert response.status_code == 202, response.text
        import_id = response.json()["id"]
        assert response.json()["state"] == "queued"
        folder = tmp_path / "imports"
        assert sorted(p.name for p in folder.iterdir()) == [f"{import_id}.csv", f"{import_id}.json"]
        refused = await client.http.post(
            "/api/v1/upload/csv",
            files=upload_files(sales_csv(12, day_first=True, prefix="D"), "ambiguous.csv"),
            headers=admin(client),
        )
        assert refused.status_code == 400 and refused.json()["needs"] == "date_order"
        assert sorted(p.name for p in folder.iterdir()) == [f"{import_id}.csv", f"{import_id}.json"]

        record = await run_job("imports", "schedule", engine, client.settings)

        assert record.outcome == "succeeded", record
        assert record.rows == 60
        stored = await read_import(engine, import_id)
        assert (stored.state, stored.rows_imported, stored.rows_failed) == ("succeeded", 60, 1)
        assert stored.report["errors"][0]["line"] == 62
        assert list(folder.iterdir()) == []
        # Nothing left to do: a second run imports nothing.
        again = await run_job("imports", "manual", engine, client.settings)
        assert (again.outcome, again.rows) == ("succeeded", 0)
    assert await orders_in(engine) == (30, 30 * 1500)


async def test_a_dry_run_upload_reports_and_writes_nothing(database_url, engine):
    text = sales_csv(5)
    async with api_client(database_url, now=NOW) as client:
        by_query = await client.http.post(
            "/api/v1/upload/csv?dry_run=true", files=upload_files(text), headers=admin(client)
        )
        by_form = await client.http.post(
            "/api/v1/upload/csv",
            files=upload_files(text),
            data={"dry_run": "true"},
            headers=admin(client),
        )
    for response in (by_query, by_form):
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["dry_run"] and body["report"]["dry_run"]
        assert body["rows_imported"] == 10 and body["report"]["orders_created"] == 5
    assert await orders_in(engine) == (0, 0)


async def test_a_file_that_needs_a_date_order_is_400_until_the_form_gives_it(database_url, engine):
    text = sales_csv(12, day_first=True)
    async with api_client(database_url, now=NOW) as client:
        asked = await client.http.post(
            "/api/v1/upload/csv", files=upload_files(text), headers=admin(client)
        )
        given = await client.http.post(
            "/api/v1/upload/csv",
            files=upload_files(text),
            data={"date_order": "DMY"},
            headers=admin(client),
        )
        no_file = await client.http.post(
            "/api/v1/upload/csv", data={"date_order": "DMY"}, headers=admin(client)
        )
    assert asked.status_code == 400
    assert asked.json()["error"] == "BAD_USER_INPUT"
    assert asked.json()["needs"] == "date_order"
    assert "DMY or MDY" in asked.json()["detail"]
    assert given.status_code == 200 and given.json()["rows_imported"] == 24
    assert no_file.status_code == 400
    assert await orders_in(engine) == (12, 12 * 1500)


async def streamed_upload(size: int) -> AsyncIterator[bytes]:
    """A multipart body of more than ``size`` bytes, sent in chunks with no length (lines of
    about 1 KB: an ignored ``note`` column keeps the rows few)."""
    yield b'--b\r\nContent-Disposition: form-data; name="file"; filename="x.csv"\r\n\r\n'
    yield ",".join([*HEADER, "note"]).encode() + b"\n"
    line = b"2026-03-01,Tea,5.00,1,,,," + b"n" * 1000 + b"\n"
    for _ in range(size // len(line) + 1):
        yield line
    yield b"\r\n--b--\r\n"


async def test_an_upload_has_its_own_limit_and_is_refused_past_it_as_it_streams(
    database_url, engine
):
    mib = 1024 * 1024
    headers_for = {"content-type": "multipart/form-data; boundary=b"}
    async with api_client(database_url, now=NOW, upload_max_mb=2) as client:
        headers = {**admin(client), **headers_for}
        # Past SHOPX_MAX_BODY_BYTES (1 MiB), within SHOPX_UPLOAD_MAX_MB: taken.
        taken = await client.http.post(
            "/api/v1/upload/csv", content=streamed_upload(mib + mib // 2), headers=headers
        )
        refused = await client.http.post(
            "/api/v1/upload/csv", content=streamed_upload(3 * mib), headers=headers
        )
        # Other routes keep SHOPX_MAX_BODY_BYTES.
        graphql = await client.http.post(
            "/graphql", content=b"x" * (mib + mib // 2), headers=admin(client)
        )
    assert taken.status_code == 200, taken.text
    assert taken.json()["rows_imported"] > 1_500
    assert refused.status_code == 413
    assert refused.json() == {
        "error": "PAYLOAD_TOO_LARGE",
        "detail": f"the request body is larger than the limit of {2 * mib} bytes",
    }
    assert graphql.status_code == 413
    assert len(await imports_in(engine)) == 1


async def test_who_may_upload_and_read_imports(database_url):
    text = sales_csv(2)
    async with api_client(database_url, now=NOW) as client:

        def auth(role: Role) -> dict[str, str]:
            return {"authorization": f"Bearer {client.token(role)}"}

        anonymous = await client.http.post("/api/v1/upload/csv", files=upload_files(text))
        analyst = await client.http.post(
            "/api/v1/upload/csv", files=upload_files(text), headers=auth(Role.ANALYST)
        )
        done = await client.http.post(
            "/api/v1/upload/csv", files=upload_files(text), headers=auth(Role.ADMIN)
        )
        path = f"/api/v1/imports/{done.json()['id']}"
        viewer_get = await client.http.get(path, headers=auth(Role.VIEWER))
        analyst_get = await client.http.get(path, headers=auth(Role.ANALYST))
        unknown = await client.http.get("/api/v1/imports/999999", headers=auth(Role.ADMIN))
        viewer_list = await client.graphql(IMPORTS, {"first": 5}, role=Role.VIEWER)
    assert anonymous.status_code == 401 and anonymous.json()["error"] == "UNAUTHENTICATED"
    assert analyst.status_code == 403 and analyst.json()["error"] == "FORBIDDEN"
    assert done.status_code == 200
    assert viewer_get.status_code == 403
    assert analyst_get.status_code == 200 and analyst_get.json()["rows_imported"] == 4
    assert unknown.status_code == 404
    assert unknown.json() == {"error": "NOT_FOUND", "detail": "no import 999999"}
    assert viewer_list["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_the_upload_is_documented_as_multipart_with_examples(settings_env):
    from shopx.api.app import create_app
    from shopx.config import Settings

    spec = create_app(Settings(secret_key="s" * 40)).openapi()
    upload = spec["paths"]["/api/v1/upload/csv"]["post"]
    schema = upload["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert schema["required"] == ["file"]
    assert {"200", "202", "400", "401", "403", "413"} <= upload["responses"].keys()
    status = spec["paths"]["/api/v1/imports/{import_id}"]["get"]
    assert status["responses"]["200"]["content"]["application/json"]["example"]["state"]


async def test_cli_report_prints_values_that_look_like_terminal_markup(cli_env: Path, engine):
    """A cell of the file is text, not rich markup: ``[/]`` once crashed the report."""
    text = "date,product_name,amount\n2024-01-01,Mug,[/]\n2024-01-01,[bold]Cup,2.00\n"
    file = write(cli_env, "markup[b].csv", text)

    result = await shopx("import", str(file))

    assert result.exit_code == 1, result.output
    assert "[/]" in result.output and "not a number" in result.output
    assert await orders_in(engine) == (1, 200)
