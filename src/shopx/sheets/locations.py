"""Where a sheet is: an http(s) URL that answers CSV, or a spreadsheet key.

A Google Sheets page URL (``.../spreadsheets/d/KEY/edit#gid=N``, what a browser's address
bar shows) answers HTML, not CSV; it is turned into the sheet's CSV export URL
(``.../spreadsheets/d/KEY/export?format=csv&gid=N``). Any other http(s) URL is taken as it
is (a published ``.../pub?output=csv`` link, a CSV file on any server).

Only http and https are fetched: an admin registers the URL, so being admin is the main
guard against making the server fetch what it should not; the scheme check keeps ``file:``
and the like out, and the fetch is bounded in size and time (:mod:`shopx.sheets.fetch`).
Private and loopback addresses are allowed on purpose: a shop may serve its CSV from its
own network, and the tests serve theirs from loopback.
"""

from __future__ import annotations

import re
from urllib.parse import SplitResult, parse_qs, urlsplit

from shopx.errors import BadInput

GOOGLE_HOST = "docs.google.com"
_SPREADSHEET_PATH = re.compile(r"^/spreadsheets/d/([A-Za-z0-9_-]+)(/.*)?$")
_PAGE_TAILS = ("", "/", "/edit", "/view", "/htmlview")
_KEY = re.compile(r"^[A-Za-z0-9_-]{10,200}$")


def csv_export_url(url: str) -> str:
    """The URL to fetch for ``url``: its CSV export when it is a Google Sheets page, else
    ``url`` itself. BadInput when it is not an http(s) URL with a host."""
    url = url.strip()
    parts = _split(url, "csv_url")
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise BadInput(f"csv_url must be an http or https URL, not {url[:200]!r}")
    match = _SPREADSHEET_PATH.match(parts.path)
    if parts.hostname.lower() != GOOGLE_HOST or match is None:
        return url
    if (match.group(2) or "") not in _PAGE_TAILS:
        return url  # already an export, a published link, or another Google endpoint
    gid = _gid(parts.fragment) or _gid(parts.query) or "0"
    return f"https://{GOOGLE_HOST}/spreadsheets/d/{match.group(1)}/export?format=csv&gid={gid}"


def shown_to_readers(source: str, kind: str) -> str:
    """``source`` as a reader who may not manage sheets sees it: a shared sheet's URL is
    itself the key to the sheet (and may carry a token or a password), so only its scheme
    and host are shown; a private sheet's key opens nothing without its credentials."""
    if kind != "csv_url":
        return source
    parts = urlsplit(source)
    return f"{parts.scheme}://{parts.hostname}/\N{HORIZONTAL ELLIPSIS}"


def spreadsheet_key(spreadsheet: str) -> str:
    """The key of ``spreadsheet``, given as its URL or as the key itself; BadInput when it
    is neither."""
    spreadsheet = spreadsheet.strip()
    parts = _split(spreadsheet, "spreadsheet")
    if parts.scheme:
        match = _SPREADSHEET_PATH.match(parts.path)
        if match is None:
            raise BadInput(f"spreadsheet: not a Google Sheets URL: {spreadsheet[:200]!r}")
        return match.group(1)
    if not _KEY.match(spreadsheet):
        raise BadInput(f"spreadsheet: not a spreadsheet key or URL: {spreadsheet[:200]!r}")
    return spreadsheet


def _split(url: str, field: str) -> SplitResult:
    """``url``'s parts; BadInput for what no URL holds (control characters, a broken
    IPv6 host or port)."""
    if any(ord(char) < 32 or ord(char) == 127 for char in url):
        raise BadInput(f"{field}: holds control characters")
    try:
        parts = urlsplit(url)
        _ = parts.port
    except ValueError as exc:
        raise BadInput(f"{field}: not a URL: {exc}") from None
    return parts


def _gid(query: str) -> str | None:
    values = parse_qs(query).get("gid")
    return values[0] if values and values[0].isdigit() else None
