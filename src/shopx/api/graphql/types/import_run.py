"""The ``Import`` type: one import of a sales file (an upload, ``shopx import``, a sheet's
sync) with its state, progress and report."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

import strawberry

from shopx.db.models import Import as ImportRow


@strawberry.enum(description="Where an import is: queued, running, or ended.")
class ImportState(Enum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


@strawberry.enum(description="Where the file came from.")
class ImportSource(Enum):
    UPLOAD = "upload"
    CLI = "cli"
    SHEET = "sheet"


@strawberry.type(description="Why a line of the file was not imported.")
class ImportRowError:
    line: int = strawberry.field(description="Physical line in the file (1: the header's first).")
    column: str | None = strawberry.field(description="The column; null for the whole line.")
    value: str | None = strawberry.field(description="The offending text as the file has it.")
    reason: str


@strawberry.type(description="What an ended import did (a dry run: what it would have done).")
class ImportReport:
    rows_read: int
    imported: int
    skipped_duplicate: int = strawberry.field(description="Rows an earlier import wrote.")
    failed: int = strawberry.field(description="Rows with at least one error.")
    orders_created: int
    orders_extended: int = strawberry.field(
        description="Orders an earlier import created that got lines of this one."
    )
    new_products: int
    new_categories: int
    new_customers: int
    new_reps: int
    errors: list[ImportRowError] = strawberry.field(
        description="The first 100 row errors, in file order."
    )

    @classmethod
    def of(cls, report: dict[str, Any]) -> ImportReport:
        created = report.get("created", {})
        return cls(
            rows_read=report["rows_read"],
            imported=report["imported"],
            skipped_duplicate=report["skipped_duplicate"],
            failed=report["failed"],
            orders_created=report["orders_created"],
            orders_extended=report["orders_extended"],
            new_products=created.get("products", 0),
            new_categories=created.get("categories", 0),
            new_customers=created.get("customers", 0),
            new_reps=created.get("reps", 0),
            errors=[ImportRowError(**error) for error in report.get("errors", [])],
        )


@strawberry.type(
    description="An import of a sales file. The counts and percent are those of its committed "
    "batches while it runs; the report is there once it ended."
)
class Import:
    id: strawberry.ID
    source: ImportSource
    file_name: str | None
    state: ImportState
    dry_run: bool
    rows_read: int
    rows_imported: int
    rows_skipped: int = strawberry.field(description="Rows skipped as already imported.")
    rows_failed: int
    percent: float = strawberry.field(description="How far through the file it is, 0-100.")
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    report: ImportReport | None
    error: str | None = strawberry.field(description="Why a failed import stopped.")
    errors_url: str = strawberry.field(
        description="Every row error of the import as CSV (line, column, value, reason): "
        "GET it with the same bearer token."
    )

    @classmethod
    def of(cls, row: ImportRow) -> Import:
        return cls(
            id=strawberry.ID(str(row.id)),
            source=ImportSource(row.source),
            file_name=row.file_name,
            state=ImportState(row.state),
            dry_run=row.dry_run,
            rows_read=row.rows_read,
            rows_imported=row.rows_imported,
            rows_skipped=row.rows_skipped,
            rows_failed=row.rows_failed,
            percent=row.percent,
            created_at=row.created_at,
            started_at=row.started_at,
            finished_at=row.finished_at,
            report=ImportReport.of(row.report) if row.report else None,
            error=row.error,
            errors_url=f"/api/v1/imports/{row.id}/errors.csv",
        )
