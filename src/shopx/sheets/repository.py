"""The ``sheets`` rows and the claim of a sync: a sheet syncs once at a time."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from shopx.db.models import Import, Sheet
from shopx.errors import Conflict, NotFound

SYNCING = ("queued", "running")


async def add_sheet(session: AsyncSession, sheet: Sheet) -> Sheet:
    """``sheet`` written; Conflict when its source is registered already."""
    session.add(sheet)
    try:
        await session.flush()
    except IntegrityError:
        raise Conflict(f"this sheet is registered already: {sheet.source}") from None
    return sheet


async def sheets_with_last_import(
    session: AsyncSession, sheet_id: int | None = None
) -> Sequence[tuple[Sheet, Import | None]]:
    """Every sheet (or the one ``sheet_id``), newest first, with the import of its last sync."""
    query = (
        select(Sheet, Import)
        .outerjoin(Import, Import.id == Sheet.last_import_id)
        .order_by(Sheet.created_at.desc(), Sheet.id.desc())
    )
    if sheet_id is not None:
        query = query.where(Sheet.id == sheet_id)
    return [(sheet, last) for sheet, last in (await session.execute(query)).all()]


async def sheet_ids(session: AsyncSession) -> Sequence[int]:
    return (await session.scalars(select(Sheet.id).order_by(Sheet.id))).all()


async def get_sheet(session: AsyncSession, sheet_id: int) -> Sheet:
    sheet = await session.get(Sheet, sheet_id)
    if sheet is None:
        raise NotFound(f"no sheet {sheet_id}")
    return sheet


async def delete_sheet(session: AsyncSession, sheet_id: int, *, now: datetime) -> None:
    """Forget the sheet ``sheet_id`` (the rows its syncs imported stay); NotFound otherwise.
    A sync still queued for a worker would never be taken up: it ends ``failed``."""
    last = await session.scalar(
        select(Sheet.last_import_id).where(Sheet.id == sheet_id).with_for_update()
    )
    gone = await session.execute(delete(Sheet).where(Sheet.id == sheet_id))
    if gone.rowcount != 1:
        raise NotFound(f"no sheet {sheet_id}")
    if last is not None:
        await session.execute(
            update(Import)
            .where(Import.id == last, Import.state == "queued")
            .values(state="failed", finished_at=now, error="the sheet was removed before its sync")
        )


async def claim_sync(
    session: AsyncSession, sheet_id: int, *, now: datetime, state: str, stale_after: timedelta
) -> int:
    """The import of a new sync of the sheet ``sheet_id``, created in ``state`` (queued: a
    worker will run it; running: the caller runs it now) and made the sheet's last.

    Conflict, naming the import, while an earlier sync is queued or running; one left so
    for longer than ``stale_after`` (its process died) no longer counts. The sheet's row is
    locked first (on PostgreSQL; SQLite has one writer at a time), so two claims at once
    make one sync."""
    sheet = await session.scalar(select(Sheet).where(Sheet.id == sheet_id).with_for_update())
    if sheet is None:
        raise NotFound(f"no sheet {sheet_id}")
    running = await _syncing(session, sheet.last_import_id, now - stale_after)
    if running is not None:
        raise Conflict(f"sheet {sheet_id} is syncing already: import {running}")
    row = Import(source="sheet", file_name=sheet.name[:255], state=state)
    session.add(row)
    await session.flush()
    sheet.last_import_id = row.id
    return row.id


async def take_queued_sync(
    session: AsyncSession, sheet_id: int, *, now: datetime, stale_after: timedelta
) -> int | None:
    """The sheet's queued sync (an API request's, waiting for a worker), turned ``running``
    by this one update so that one worker takes it; None when there is none."""
    last = await session.scalar(select(Sheet.last_import_id).where(Sheet.id == sheet_id))
    if last is None:
        return None
    taken = await session.execute(
        update(Import)
        .where(Import.id == last, Import.state == "queued", Import.created_at > now - stale_after)
        .values(state="running")
    )
    return last if taken.rowcount == 1 else None


async def mark_synced(session: AsyncSession, sheet_id: int, when: datetime) -> None:
    await session.execute(update(Sheet).where(Sheet.id == sheet_id).values(last_synced_at=when))


async def _syncing(session: AsyncSession, import_id: int | None, since: datetime) -> int | None:
    if import_id is None:
        return None
    return await session.scalar(
        select(Import.id).where(
            Import.id == import_id, Import.state.in_(SYNCING), Import.created_at > since
        )
    )
