"""Fetching a sheet (issue 12): Google Sheets page URLs turned into CSV export URLs, and the
download: redirects followed, bounded in size, a sign-in page or an error status refused."""

from __future__ import annotations

import pytest

from shopx.sheets.fetch import SheetUnavailable, download_csv
from shopx.sheets.locations import csv_export_url, spreadsheet_key
from tests.sheet_server import SIGN_IN_PAGE, Answer, sheet_server


@pytest.mark.parametrize(
    ("given", "fetched"),
    [
        (
            "https://docs.google.com/spreadsheets/d/1Key_-x/edit#gid=7",
            "https://docs.google.com/spreadsheets/d/1Key_-x/export?format=csv&gid=7",
        ),
        (
            "https://docs.google.com/spreadsheets/d/1Key_-x/edit?usp=sharing",
            "https://docs.google.com/spreadsheets/d/1Key_-x/export?format=csv&gid=0",
        ),
        (
            "https://docs.google.com/spreadsheets/d/1Key_-x",
            "https://docs.google.com/spreadsheets/d/1Key_-x/export?format=csv&gid=0",
        ),
        (  # a published link and an export are CSV already
            "https://docs.google.com/spreadsheets/d/e/2PACX/pub?output=csv",
            "https://docs.google.com/spreadsheets/d/e/2PACX/pub?output=csv",
        ),
        (
            "https://docs.google.com/spreadsheets/d/1Key_-x/export?format=csv&gid=3",
            "https://docs.google.com/spreadsheets/d/1Key_-x/export?format=csv&gid=3",
        ),
        ("  http://127.0.0.1:8080/sales.csv ", "http://127.0.0.1:8080/sales.csv"),
    ],
)
def test_a_google_sheets_page_url_becomes_its_csv_export(given, fetched):
    assert csv_export_url(given) == fetched
    assert spreadsheet_key("https://docs.google.com/spreadsheets/d/1Key_-x/edit#gid=7") == "1Key_-x"
    assert spreadsheet_key(" 1AbCdEfGhIjKlMn ") == "1AbCdEfGhIjKlMn"


async def test_sheet_files_are_fetched_bounded_and_checked(settings_env):
    with sheet_server() as server:
        server.serve("/ok.csv", "date,product_name,amount\n2026-03-01,Tea,5.00\n")
        server.answers["/hop"] = Answer(status=301, location=server.url("/ok.csv"))
        server.answers["/plain-page"] = Answer(b"\n  " + SIGN_IN_PAGE, content_type="text/plain")
        server.serve("/big.csv", "x" * 5000)

        with await download_csv(server.url("/hop"), max_bytes=1000) as followed:
            assert followed.read().startswith(b"date,product_name")
        with pytest.raises(SheetUnavailable, match="web page, not CSV"):
            await download_csv(server.url("/plain-page"), max_bytes=1000)
        with pytest.raises(SheetUnavailable, match="larger than SHOPX_UPLOAD_MAX_MB"):
            await download_csv(server.url("/big.csv"), max_bytes=1000)
        with pytest.raises(SheetUnavailable, match="answered HTTP 404"):
            await download_csv(server.url("/nothing.csv"), max_bytes=1000)
