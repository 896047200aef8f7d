"""A sheet's rows fetched to a temporary file (no name: gone once closed, or with the
process) that the importer reads like an upload.

A CSV export URL is streamed with httpx: redirects followed (Google answers an export with
one), a connect and a read timeout, the whole download bounded in time
(:data:`FETCH_SECONDS`) and in size (``SHOPX_UPLOAD_MAX_MB``, counted after any
content-encoding is undone). A sheet that is not shared answers its export URL with a
sign-in page instead of CSV: an HTML answer is refused with what to do about it.

A private sheet is read through the Google Sheets API with gspread, an optional extra
(``pip install 'shopx[sheets]'``), imported only when a private sheet is used: the
worksheet's values are written out as CSV.
"""

from __future__ import annotations

import asyncio
import csv
import importlib
import io
import tempfile
from typing import IO, Any
from urllib.parse import urlsplit

import httpx

from shopx.errors import BadInput, ShopXError

FETCH_SECONDS = 300.0
"""Longest a whole download may take."""
CONNECT_SECONDS = 10.0
READ_SECONDS = 30.0
"""Longest wait for the next bytes of an answer."""
MAX_REDIRECTS = 5
CHUNK = 1 << 16
GSPREAD_MISSING = "private sheets need the gspread extra: pip install 'shopx[sheets]'"
_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<!--")


class SheetUnavailable(ShopXError):
    """The sheet could not be fetched: unreachable, an error status, a web page instead of
    CSV, too large or too slow."""

    code = "SHEET_UNAVAILABLE"
    status = 502


async def download_csv(url: str, *, max_bytes: int) -> IO[bytes]:
    """The answer of ``url`` in a temporary file, at its start (module doc)."""
    out = tempfile.TemporaryFile()  # noqa: SIM115 (the importer closes it)
    try:
        async with asyncio.timeout(FETCH_SECONDS):
            await _stream_to(out, url, max_bytes)
    except TimeoutError:
        out.close()
        raise SheetUnavailable(
            f"{_host(url)} gave no complete answer in {FETCH_SECONDS:g} s"
        ) from None
    except httpx.HTTPError as exc:
        out.close()
        raise SheetUnavailable(
            f"cannot fetch the sheet from {_host(url)}: {type(exc).__name__}: {exc}"
        ) from None
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out


async def _stream_to(out: IO[bytes], url: str, max_bytes: int) -> None:
    timeout = httpx.Timeout(READ_SECONDS, connect=CONNECT_SECONDS)
    headers = {"accept": "text/csv, text/plain;q=0.9, */*;q=0.1"}
    async with (
        httpx.AsyncClient(
            follow_redirects=True, max_redirects=MAX_REDIRECTS, timeout=timeout
        ) as client,
        client.stream("GET", url, headers=headers) as response,
    ):
        _check_answer(response)
        size = 0
        async for chunk in response.aiter_bytes(CHUNK):
            if size == 0 and _looks_like_html(chunk):
                raise SheetUnavailable(_NOT_CSV)
            size += len(chunk)
            if size > max_bytes:
                raise SheetUnavailable(
                    f"the sheet is larger than SHOPX_UPLOAD_MAX_MB ({max_bytes:,} bytes)"
                )
            out.write(chunk)


_NOT_CSV = (
    "the sheet's URL answered a web page, not CSV: the sheet is probably not shared with "
    "'anyone with the link' (share it so, or register it with a service account)"
)


def _check_answer(response: httpx.Response) -> None:
    if response.status_code != 200:
        hint = ""
        if response.status_code in (401, 403, 404):
            hint = " (is the sheet shared with 'anyone with the link', and the URL right?)"
        raise SheetUnavailable(f"the sheet's URL answered HTTP {response.status_code}{hint}")
    if response.headers.get("content-type", "").lower().startswith("text/html"):
        raise SheetUnavailable(_NOT_CSV)


def _looks_like_html(first: bytes) -> bool:
    return first.lstrip()[:64].lower().startswith(_HTML_STARTS)


def _host(url: str) -> str:
    return urlsplit(url).hostname or url


def gspread_module() -> Any:
    """The gspread package; BadInput saying what to install when it is not there."""
    try:
        return importlib.import_module("gspread")
    except ImportError:
        raise BadInput(GSPREAD_MISSING) from None


def export_worksheet(
    credentials: dict[str, Any], key: str, worksheet: str | None, *, max_bytes: int
) -> IO[bytes]:
    """The worksheet ``worksheet`` (the first when None) of the spreadsheet ``key``, read
    with the service account ``credentials``, as CSV in a temporary file at its start. It
    blocks: run it in a worker thread."""
    gspread = gspread_module()
    try:
        client = gspread.service_account_from_dict(credentials)
        # gspread waits forever by default; a stalled read would pin a worker thread.
        client.set_timeout((CONNECT_SECONDS, READ_SECONDS))
        spreadsheet = client.open_by_key(key)
        sheet = spreadsheet.worksheet(worksheet) if worksheet else spreadsheet.sheet1
        rows = sheet.get_all_values()
    except Exception as exc:  # gspread's and google-auth's errors alike
        raise SheetUnavailable(
            f"Google Sheets refused the read: {type(exc).__name__}: {exc}"
        ) from None
    out = tempfile.TemporaryFile()  # noqa: SIM115 (the importer closes it)
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    csv.writer(text).writerows(rows)
    text.flush()
    if out.tell() > max_bytes:
        text.close()
        raise SheetUnavailable(
            f"the sheet is larger than SHOPX_UPLOAD_MAX_MB ({max_bytes:,} bytes)"
        )
    text.detach()
    out.seek(0)
    return out
