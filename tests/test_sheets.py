"""Google Sheets sync (issue 12): registering sheets over REST, syncing them on demand, with
the ``sheets-sync`` job and with ``shopx sheets sync``, against a local server that answers
like the CSV export endpoint: a sheet that changes between syncs, and sheets that cannot be
fetched (unreachable, an error status, a sign-in page)."""

from __future__ import annotations

import asyncio
import csv
import io
import sys
import types
from pathlib import Path
from typing import Any

import pytest
import redis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from shopx.api.app import create_app
from shopx.auth import Role
from shopx.config import Settings
from shopx.db.models import Sheet
from shopx.jobs.registry import JOBS
from shopx.jobs.runner import run_job
from shopx.sheets.fetch import CONNECT_SECONDS, READ_SECONDS
from tests.api import ApiClient, api_client, until
from tests.servers import free_port
from tests.services import REDIS_URL, need, private_redis_url
from tests.sheet_server import SIGN_IN_PAGE, Answer, sheet_server
from tests.test_celery_jobs import running_worker, shopx_env
from tests.test_import_entry import (  # noqa: F401 (cli_env is a fixture)
    NOW,
    OVERVIEW,
    WINDOW,
    cli_env,
    imports_in,
    orders_in,
    sales_csv,
    shopx,
)
from tests.test_response_cache import post

CONNECT = "/api/v1/admin/connect-sheets"
SERVICE_ACCOUNT = {
    "type": "service_account",
    "client_email": "sync@shop.iam.gserviceaccount.com",
    "private_key": "-----BEGIN PRIVATE KEY-----\nsecret-bytes\n-----END PRIVATE KEY-----\n",
}


def auth(client: ApiClient, role: Role = Role.ADMIN) -> dict[str, str]:
    return {"authorization": f"Bearer {client.token(role)}"}


async def connect(client: ApiClient, name: str, url: str, **extra: Any) -> dict[str, Any]:
    response = await client.http.post(
        CONNECT, json={"name": name, "csv_url": url, **extra}, headers=auth(client)
    )
    assert response.status_code == 201, response.text
    return response.json()


async def sync_and_wait(client: ApiClient, sheet_id: int) -> dict[str, Any]:
    """``POST /sheets/{id}/sync``, then its import polled until it ended (a condition with a
    deadline, not a timing assertion)."""
    started = await client.http.post(f"/api/v1/sheets/{sheet_id}/sync", headers=auth(client))
    assert started.status_code == 202, started.text
    return await import_ended(client, started.json()["import_id"])


async def import_ended(client: ApiClient, import_id: int, polls: int = 1000) -> dict[str, Any]:
    for _ in range(polls):
        status = (
            await client.http.get(f"/api/v1/imports/{import_id}", headers=auth(client))
        ).json()
        if status["state"] in ("succeeded", "failed"):
            return status
        await asyncio.sleep(0.01)
    raise AssertionError(f"import {import_id} never ended: {status}")


async def listed(client: ApiClient) -> dict[int, dict[str, Any]]:
    response = await client.http.get("/api/v1/sheets", headers=auth(client, Role.ANALYST))
    assert response.status_code == 200, response.text
    return {sheet["id"]: sheet for sheet in response.json()["sheets"]}


def rows_of(*texts: str) -> list[tuple[str, ...]]:
    """The distinct data rows of the given versions of a sheet, in first-seen order."""
    seen: dict[tuple[str, ...], None] = {}
    for text in texts:
        for row in list(csv.reader(io.StringIO(text)))[1:]:
            seen.setdefault(tuple(row), None)
    return list(seen)


def cents(rows: list[tuple[str, ...]]) -> int:
    """Independent revenue: the ``amount`` column (the line total) of every row, in cents."""
    return sum(round(float(row[2]) * 100) for row in rows)


def edited(text: str) -> str:
    """``text`` with its first data row's amount changed from 10.00 to 12.00."""
    lines = text.splitlines(keepends=True)
    lines[1] = lines[1].replace(",10.00,", ",12.00,")
    return "".join(lines)


# -- registering -----------------------------------------------------------------------------


async def test_register_list_and_remove_with_who_may_and_clear_refusals(database_url, monkeypatch):
    edit_url = "https://docs.google.com/spreadsheets/d/1AbCdEfGhIjK_-x/edit#gid=42"
    async with api_client(database_url) as client:
        sheet = await connect(client, "Store sales", edit_url, date_order="DMY")
        export = "https://docs.google.com/spreadsheets/d/1AbCdEfGhIjK_-x/export?format=csv&gid=42"
        assert sheet["source"] == export and sheet["kind"] == "csv_url"
        assert (sheet["last_state"], sheet["last_import_id"], sheet["date_order"]) == (
            "never",
            None,
            "DMY",
        )

        again = await client.http.post(
            CONNECT, json={"name": "twice", "csv_url": export}, headers=auth(client)
        )
        assert again.status_code == 409 and again.json()["error"] == "CONFLICT"

        for role, status in ((Role.ANALYST, 403), (Role.VIEWER, 403)):
            refused = await client.http.post(
                CONNECT, json={"name": "x", "csv_url": "http://a/b.csv"}, headers=auth(client, role)
            )
            assert refused.status_code == status, refused.text
        assert (await client.http.post(CONNECT, json={"name": "x"})).status_code == 401
        viewer = await client.http.get("/api/v1/sheets", headers=auth(client, Role.VIEWER))
        assert viewer.status_code == 403

        bad_bodies = [
            ({"name": "x"}, "either csv_url"),
            ({"name": "x", "csv_url": "file:///etc/passwd"}, "http or https"),
            ({"name": "x", "csv_url": "ftp://host/a.csv"}, "http or https"),
            ({"name": "x", "csv_url": "http://a/b", "spreadsheet": "1AbCdEfGhIjK"}, "either"),
            ({"name": "", "csv_url": "http://a/b"}, "name"),
            ({"name": "a\x00b", "csv_url": "http://a/b"}, "NUL"),
            ({"name": "x", "csv_url": "http://[::1/a.csv"}, "not a URL"),
            ({"name": "x", "csv_url": "http://a:99999/a.csv"}, "not a URL"),
            ({"name": "x", "csv_url": "http://a/b\n.csv"}, "control characters"),
            ({"name": "x", "csv_url": "http://a/b", "date_order": "YMD"}, "date_order"),
            ({"name": "x", "csv_url": "http://a/b", "password": "p"}, "password"),
            ({"name": "x", "spreadsheet": "1AbCdEfGhIjK"}, "service_account"),
            (
                {"name": "x", "spreadsheet": "1AbCdEfGhIjK", "service_account": {"a": 1}},
                "not a service-account key",
            ),
        ]
        for body, says in bad_bodies:
            response = await client.http.post(CONNECT, json=body, headers=auth(client))
            assert response.status_code == 400, (body, response.text)
            assert response.json()["error"] == "BAD_USER_INPUT"
            assert says in response.json()["detail"], (body, response.json())

        monkeypatch.setitem(sys.modules, "gspread", None)  # as if the extra were not installed
        private = {
            "name": "private",
            "spreadsheet": "https://docs.google.com/spreadsheets/d/1AbCdEfGhIjK/edit",
            "service_account": SERVICE_ACCOUNT,
        }
        response = await client.http.post(CONNECT, json=private, headers=auth(client))
        assert response.status_code == 400
        assert response.json() == {
            "error": "BAD_USER_INPUT",
            "detail": "private sheets need the gspread extra: pip install 'shopx[sheets]'",
        }

        assert list(await listed(client)) == [sheet["id"]]
        gone = await client.http.delete(f"/api/v1/sheets/{sheet['id']}", headers=auth(client))
        assert gone.status_code == 204
        assert await listed(client) == {}
        missing = await client.http.delete(f"/api/v1/sheets/{sheet['id']}", headers=auth(client))
        assert missing.status_code == 404 and missing.json()["error"] == "NOT_FOUND"
        analyst = await client.http.delete("/api/v1/sheets/1", headers=auth(client, Role.ANALYST))
        assert analyst.status_code == 403
        unknown = await client.http.post("/api/v1/sheets/999/sync", headers=auth(client))
        assert unknown.status_code == 404


# -- syncing ---------------------------------------------------------------------------------


async def test_a_sheet_that_changes_syncs_only_its_new_rows_and_the_numbers_match(database_url):
    first = sales_csv(10)
    second = edited(first) + sales_csv(13).split("\n", 1)[1].split("\n", 20)[-1]
    assert rows_of(first, second)[:20] == rows_of(first)  # the new orders are A10..A12
    with sheet_server() as server:
        url = server.serve("/sheet.csv", first)
        async with api_client(database_url, now=NOW) as client:
            sheet = await connect(client, "Store sales", url)

            one = await sync_and_wait(client, sheet["id"])

            assert (one["state"], one["source"], one["file_name"]) == (
                "succeeded",
                "sheet",
                "Store sales",
            )
            assert (one["rows_read"], one["rows_imported"], one["rows_skipped"]) == (20, 20, 0)
            _, overview = await post(client, OVERVIEW, WINDOW)
            assert overview["data"]["salesOverview"] == {
                "totalRevenue": f"{cents(rows_of(first)) / 100:.2f}",
                "totalOrders": 10,
            }

            server.serve("/sheet.csv", second)
            two = await sync_and_wait(client, sheet["id"])

            # Six rows of three new orders, and the edited row: its values are its key, so
            # it is a new line (the earlier one stays: an import never deletes).
            assert (two["rows_read"], two["rows_imported"], two["rows_skipped"]) == (26, 7, 19)
            assert two["report"]["orders_created"] == 3
            _, overview = await post(client, OVERVIEW, WINDOW)
            assert overview["data"]["salesOverview"] == {
                "totalRevenue": f"{cents(rows_of(first, second)) / 100:.2f}",
                "totalOrders": 13,
            }
            three = await sync_and_wait(client, sheet["id"])
            assert (three["rows_imported"], three["rows_skipped"]) == (0, 26)

            shown = (await listed(client))[sheet["id"]]
            assert shown["last_import_id"] == three["id"] and shown["last_state"] == "succeeded"
            assert shown["last_report"] == {
                "rows_read": 26,
                "imported": 0,
                "skipped_duplicate": 26,
                "failed": 0,
            }
            assert shown["last_synced_at"] is not None and shown["last_error"] is None


async def test_a_sheet_syncs_once_at_a_time(database_url):
    with sheet_server() as server:
        url = server.serve("/sheet.csv", sales_csv(3))
        async with api_client(database_url, now=NOW) as client:
            sheet = await connect(client, "Held", url)
            server.open.clear()  # the export answers only once the test lets it
            started = await client.http.post(
                f"/api/v1/sheets/{sheet['id']}/sync", headers=auth(client)
            )
            assert started.status_code == 202, started.text
            body = started.json()
            assert body["sheet"]["last_import_id"] == body["import_id"]
            assert body["sheet"]["last_state"] in ("queued", "running")

            twice = await client.http.post(
                f"/api/v1/sheets/{sheet['id']}/sync", headers=auth(client)
            )

            assert twice.status_code == 409
            assert twice.json() == {
                "error": "CONFLICT",
                "detail": f"sheet {sheet['id']} is syncing already: import {body['import_id']}",
            }
            server.open.set()
            ended = await import_ended(client, body["import_id"])
            assert (ended["state"], ended["rows_imported"]) == ("succeeded", 6)
            assert (await sync_and_wait(client, sheet["id"]))["rows_skipped"] == 6


async def test_the_job_syncs_every_sheet_and_records_each_failure_losing_nothing(
    database_url, engine
):
    with sheet_server() as server:
        good = server.serve("/good.csv", sales_csv(4, prefix="G"))
        flaky = server.serve("/flaky.csv", sales_csv(5, prefix="F"))
        server.answers["/page.csv"] = Answer(SIGN_IN_PAGE, content_type="text/html")
        server.answers["/moved.csv"] = Answer(status=302, location=server.url("/page.csv"))
        async with api_client(database_url, now=NOW) as client:
            ids = {
                name: (await connect(client, name, url))["id"]
                for name, url in (
                    ("good", good),
                    ("flaky", flaky),
                    ("private", server.url("/moved.csv")),
                    ("gone", f"http://127.0.0.1:{free_port()}/sales.csv"),
                )
            }
            settings = client.settings

            first = await run_job("sheets-sync", "manual", engine, settings)

            assert first.outcome == "failed"
            assert "2 sheet(s) failed" in first.error and "2 of 4 sheet(s) synced" in first.error
            assert await orders_in(engine) == (9, 9 * 1500)
            shown = await listed(client)
            assert shown[ids["good"]]["last_state"] == shown[ids["flaky"]]["last_state"]
            assert shown[ids["flaky"]]["last_state"] == "succeeded"
            page = shown[ids["private"]]
            assert page["last_state"] == "failed" and "not shared" in page["last_error"]
            assert page["last_error"].startswith("SheetUnavailable: the sheet's URL answered a web")
            assert page["last_report"] == {
                "rows_read": 0,
                "imported": 0,
                "skipped_duplicate": 0,
                "failed": 0,
            }
            assert "cannot fetch the sheet from 127.0.0.1" in shown[ids["gone"]]["last_error"]
            assert shown[ids["gone"]]["last_synced_at"] is None

            # The flaky sheet breaks, the good one grows: the good one still syncs, and the
            # rows the flaky one gave before stay.
            server.answers["/flaky.csv"] = Answer(b"oops", status=500, content_type="text/plain")
            server.serve("/good.csv", sales_csv(6, prefix="G"))

            second = await run_job("sheets-sync", "manual", engine, settings)

            assert second.outcome == "failed" and "3 sheet(s) failed" in second.error
            assert await orders_in(engine) == (11, 11 * 1500)
            shown = await listed(client)
            assert shown[ids["good"]]["last_report"]["imported"] == 4
            assert shown[ids["good"]]["last_report"]["skipped_duplicate"] == 8
            flaky_now = shown[ids["flaky"]]
            assert flaky_now["last_state"] == "failed"
            assert "answered HTTP 500" in flaky_now["last_error"]
            assert flaky_now["last_synced_at"] is not None  # when it last succeeded
            failed_import = await import_ended(client, flaky_now["last_import_id"])
            assert failed_import["state"] == "failed" and "HTTP 500" in failed_import["error"]

            for name in ("flaky", "private", "gone"):
                deleted = await client.http.delete(
                    f"/api/v1/sheets/{ids[name]}", headers=auth(client)
                )
                assert deleted.status_code == 204
            third = await run_job("sheets-sync", "manual", engine, settings)
            assert (third.outcome, third.rows) == ("succeeded", 0), third.error
            assert await orders_in(engine) == (11, 11 * 1500)  # removing keeps what came in


@pytest.mark.usefixtures("cli_env")
async def test_shopx_sheets_sync_and_list(database_url, engine):
    with sheet_server() as server:
        url = server.serve("/cli.csv", sales_csv(3, bad=2))
        async with api_client(database_url) as client:
            sheet = await connect(client, "From the CLI", url)
            dead = await connect(client, "Dead", f"http://127.0.0.1:{free_port()}/x.csv")

        one = await shopx("sheets", "sync", str(sheet["id"]))

        assert one.exit_code == 1, one.output  # two rows failed; the good ones are kept
        assert "From the CLI: imported" in one.output and "not a number" in one.output
        assert await orders_in(engine) == (3, 3 * 1500)

        every = await shopx("sheets", "sync")

        assert every.exit_code == 2, every.output
        assert "skipped (already imported)" in every.output
        assert f"not synced: Dead (sheet {dead['id']})" in every.output.replace("\n", "")
        stored = await imports_in(engine)
        assert [(i.source, i.state, i.rows_imported, i.rows_skipped) for i in stored] == [
            ("sheet", "succeeded", 6, 0),
            ("sheet", "succeeded", 0, 6),
            ("sheet", "failed", 0, 0),
        ]
        listing = await shopx("sheets", "list")
        assert listing.exit_code == 0, listing.output
        assert f"{sheet['id']}  From the CLI  succeeded, 0 imported" in listing.output
        assert f"{dead['id']}  Dead  failed" in listing.output
        assert "error: SheetUnavailable: cannot fetch the sheet from 127.0.0.1" in listing.output
        missing = await shopx("sheets", "sync", "999")
        assert missing.exit_code == 2 and "no sheet 999" in missing.output


async def test_a_private_sheet_is_read_with_its_sealed_service_account(
    database_url, engine, monkeypatch
):
    """gspread is an optional extra, so a stand-in module plays it: what is checked is that
    the credentials given reach it unsealed at sync time, are stored sealed, are never
    answered, and that the worksheet's values go through the importer."""
    values = list(csv.reader(io.StringIO(sales_csv(2))))
    opened: list[tuple[dict[str, Any], str, str | None]] = []
    timeouts: list[Any] = []  # gspread waits forever unless told

    def service_account_from_dict(info: dict[str, Any]) -> Any:
        def open_by_key(key: str) -> Any:
            def worksheet(name: str) -> Any:
                opened.append((info, key, name))
                return types.SimpleNamespace(get_all_values=lambda: values)

            return types.SimpleNamespace(worksheet=worksheet)

        return types.SimpleNamespace(open_by_key=open_by_key, set_timeout=timeouts.append)

    fake = types.ModuleType("gspread")
    fake.service_account_from_dict = service_account_from_dict  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "gspread", fake)
    async with api_client(database_url, now=NOW) as client:
        body = {
            "name": "Private",
            "spreadsheet": "https://docs.google.com/spreadsheets/d/1PrivateKey_x/edit#gid=0",
            "worksheet": "Sales",
            "service_account": SERVICE_ACCOUNT,
        }
        response = await client.http.post(CONNECT, json=body, headers=auth(client))
        assert response.status_code == 201, response.text
        sheet = response.json()
        assert sheet["kind"] == "service_account" and sheet["source"] == "1PrivateKey_x / Sales"
        assert "secret-bytes" not in response.text

        ended = await sync_and_wait(client, sheet["id"])

        assert (ended["state"], ended["rows_imported"]) == ("succeeded", 4), ended
        assert opened == [(SERVICE_ACCOUNT, "1PrivateKey_x", "Sales")]
        assert timeouts == [(CONNECT_SECONDS, READ_SECONDS)]
        assert "secret-bytes" not in (await client.http.get("/api/v1/sheets")).text
    async with engine.connect() as connection:
        sealed = (await connection.execute(select(Sheet.sealed_credentials))).scalar_one()
    assert b"secret-bytes" not in sealed and b"client_email" not in sealed


def test_the_sheets_sync_job_is_registered_and_documented():
    job = JOBS["sheets-sync"]
    assert (job.schedule, job.queue) == ("0 * * * *", "analytics")
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    assert "| `sheets-sync` |" in readme and "shopx sheets sync" in readme


async def test_removing_a_sheet_keeps_its_imports(database_url, engine: AsyncEngine):
    with sheet_server() as server:
        url = server.serve("/s.csv", sales_csv(2))
        async with api_client(database_url, now=NOW) as client:
            sheet = await connect(client, "Kept", url)
            await sync_and_wait(client, sheet["id"])
            await client.http.delete(f"/api/v1/sheets/{sheet['id']}", headers=auth(client))
    assert await orders_in(engine) == (2, 2 * 1500)
    assert [i.source for i in await imports_in(engine)] == ["sheet"]


async def test_with_a_broker_a_sync_is_queued_for_the_job_which_takes_it_up(database_url, engine):
    """The broker here takes nothing (a closed port): the sync's import stays queued, and
    the job (as the schedule runs it) takes up that import rather than making another."""
    with sheet_server() as server:
        url = server.serve("/queued.csv", sales_csv(3))
        broker = {"broker_url": f"redis://127.0.0.1:{free_port()}/14"}
        async with api_client(database_url, now=NOW, **broker) as client:
            sheet = await connect(client, "Queued", url)
            started = await client.http.post(
                f"/api/v1/sheets/{sheet['id']}/sync", headers=auth(client)
            )
            assert started.status_code == 202, started.text
            import_id = started.json()["import_id"]
            assert started.json()["sheet"]["last_state"] == "queued"
            assert server.requests == []  # nothing fetched in the API process

            record = await run_job("sheets-sync", "schedule", engine, client.settings)

            assert (record.outcome, record.rows) == ("succeeded", 6), record.error
            assert [(i.id, i.state, i.rows_imported) for i in await imports_in(engine)] == [
                (import_id, "succeeded", 6)
            ]
            assert (await listed(client))[sheet["id"]]["last_import_id"] == import_id

            # Removed while a sync waits for a worker: that sync ends failed, never left queued.
            again = await client.http.post(
                f"/api/v1/sheets/{sheet['id']}/sync", headers=auth(client)
            )
            await client.http.delete(f"/api/v1/sheets/{sheet['id']}", headers=auth(client))
            left = await import_ended(client, again.json()["import_id"])
            assert (left["state"], left["error"]) == (
                "failed",
                "the sheet was removed before its sync",
            )


def test_the_sheets_routes_are_documented_with_examples(settings_env):
    spec = create_app(Settings(secret_key="s" * 40)).openapi()
    connect = spec["paths"][CONNECT]["post"]
    assert {"shared", "private"} <= connect["requestBody"]["content"]["application/json"][
        "examples"
    ].keys()
    assert {"201", "400", "401", "403", "409"} <= connect["responses"].keys()
    sync = spec["paths"]["/api/v1/sheets/{sheet_id}/sync"]["post"]
    assert {"202", "404", "409"} <= sync["responses"].keys()
    listed_ = spec["paths"]["/api/v1/sheets"]["get"]["responses"]["200"]
    assert listed_["content"]["application/json"]["example"]["sheets"][0]["kind"] == "csv_url"
    assert spec["paths"]["/api/v1/sheets/{sheet_id}"]["delete"]["summary"]


@pytest.mark.parametrize("dialect", ["sqlite"], indirect=True)
async def test_a_sync_asked_for_with_a_broker_runs_on_a_real_worker(database_url, tmp_path):
    need("Redis", REDIS_URL)
    broker = private_redis_url(1)
    redis.Redis.from_url(broker).flushdb()
    with sheet_server() as server:
        url = server.serve("/worker.csv", sales_csv(5))
        log = tmp_path / "worker.log"
        with running_worker(shopx_env(tmp_path, database_url, broker), log):
            settings = {"broker_url": broker, "data_dir": tmp_path / "data"}
            async with api_client(database_url, now=NOW, **settings) as client:
                sheet = await connect(client, "On a worker", url)
                started = await client.http.post(
                    f"/api/v1/sheets/{sheet['id']}/sync", headers=auth(client)
                )
                assert started.status_code == 202, started.text

                ended = await import_ended(client, started.json()["import_id"], polls=3000)

                assert (ended["state"], ended["rows_imported"]) == ("succeeded", 10), ended
                await until(lambda: "of sheets-sync: succeeded" in log.read_text(), "the run")
                assert server.requests == ["/worker.csv"]
    redis.Redis.from_url(broker).flushdb()


async def test_analysts_see_a_shared_sheets_host_not_its_url(database_url):
    """A link-shared sheet's URL opens the sheet (and may carry a token): only admins, who
    manage sheets, see it whole."""
    url = "https://user:pw@sheets.example.com/d/KEY123/export.csv?token=abc"
    async with api_client(database_url) as client:
        sheet = await connect(client, "Shared", url)
        assert sheet["source"] == url
        admin = await client.http.get("/api/v1/sheets", headers=auth(client))
        analyst = await listed(client)

    assert [s["source"] for s in admin.json()["sheets"]] == [url]
    assert analyst[sheet["id"]]["source"] == "https://sheets.example.com/\N{HORIZONTAL ELLIPSIS}"
