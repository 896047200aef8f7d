"""Registering a sheet (checking what was given, sealing the credentials) and what is shown
of one: never its credentials."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from shopx.db.models import Import, Sheet
from shopx.errors import BadInput
from shopx.sheets.fetch import gspread_module
from shopx.sheets.locations import csv_export_url, spreadsheet_key
from shopx.sheets.sealing import seal

SERVICE_ACCOUNT_FIELDS = ("client_email", "private_key")
LastState = Literal["never", "queued", "running", "succeeded", "failed"]


@dataclass(frozen=True)
class SheetRequest:
    """What an admin gives to register a sheet: ``csv_url``, or ``spreadsheet`` (URL or
    key) with ``worksheet`` (None: the first) and ``service_account`` (its JSON)."""

    name: str
    csv_url: str | None = None
    spreadsheet: str | None = None
    worksheet: str | None = None
    service_account: dict[str, Any] | None = None
    date_order: str | None = None


def new_sheet(request: SheetRequest, secret: str) -> Sheet:
    """The ``sheets`` row for ``request``; BadInput when it is not one of the two forms,
    or names a private sheet and gspread is not installed."""
    name = request.name.strip()
    if not name:
        raise BadInput("name: give the sheet a name")
    for field, value in (("name", name), ("worksheet", request.worksheet or "")):
        if "\x00" in value:
            raise BadInput(f"{field}: holds a NUL character")
    if (request.csv_url is None) == (request.spreadsheet is None):
        raise BadInput("give either csv_url (a shared sheet) or spreadsheet with service_account")
    if request.csv_url is not None:
        if request.service_account is not None or request.worksheet is not None:
            raise BadInput("service_account and worksheet go with spreadsheet, not csv_url")
        url = csv_export_url(request.csv_url)
        return Sheet(
            name=name, kind="csv_url", source=url, csv_url=url, date_order=request.date_order
        )
    assert request.spreadsheet is not None
    credentials = _service_account(request.service_account)
    gspread_module()
    key = spreadsheet_key(request.spreadsheet)
    worksheet = (request.worksheet or "").strip() or None
    return Sheet(
        name=name,
        kind="service_account",
        source=f"{key} / {worksheet or '(first worksheet)'}",
        spreadsheet_key=key,
        worksheet=worksheet,
        sealed_credentials=seal(secret, credentials),
        date_order=request.date_order,
    )


def _service_account(given: dict[str, Any] | None) -> dict[str, Any]:
    if given is None:
        raise BadInput("service_account: a private sheet needs the service account's JSON")
    missing = [field for field in SERVICE_ACCOUNT_FIELDS if not given.get(field)]
    if given.get("type") != "service_account" or missing:
        raise BadInput(
            "service_account: not a service-account key (type service_account with "
            f"{' and '.join(SERVICE_ACCOUNT_FIELDS)})"
        )
    return given


@dataclass(frozen=True)
class SheetStatus:
    """A registered sheet as the API and the CLI show it."""

    id: int
    name: str
    kind: str
    source: str
    date_order: str | None
    created_at: datetime
    last_synced_at: datetime | None
    last_import_id: int | None
    last_state: LastState
    last_error: str | None
    last_report: dict[str, int] | None

    @classmethod
    def of(cls, sheet: Sheet, last: Import | None) -> SheetStatus:
        ended = last is not None and last.state in ("succeeded", "failed")
        return cls(
            id=sheet.id,
            name=sheet.name,
            kind=sheet.kind,
            source=sheet.source,
            date_order=sheet.date_order,
            created_at=sheet.created_at,
            last_synced_at=sheet.last_synced_at,
            last_import_id=sheet.last_import_id,
            last_state="never" if last is None else last.state,  # type: ignore[arg-type]
            last_error=last.error if last is not None else None,
            last_report=_counts(last) if ended and last is not None else None,
        )


def _counts(row: Import) -> dict[str, int]:
    return {
        "rows_read": row.rows_read,
        "imported": row.rows_imported,
        "skipped_duplicate": row.rows_skipped,
        "failed": row.rows_failed,
    }
