"""SQL for alerts: open unless open already, close, list, and the deliveries waiting."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shopx.db.dialect import insert_if_absent
from shopx.db.models import Alert


class AlertKind(StrEnum):
    """What an alert is about: a product running low or a job whose last run failed."""

    LOW_STOCK = "low_stock"
    JOB_FAILED = "job_failed"


OPEN = Alert.closed_at.is_(None)
"""The predicate of the partial unique index: one open alert per kind and subject."""


@dataclass(frozen=True, slots=True)
class NewAlert:
    kind: AlertKind
    subject: str
    message: str
    product_id: int | None = None


OPEN_AT_ONCE = 1_000
"""Alerts opened per statement: a first sweep of a large catalog opens thousands, and one
statement each held the writers' turn for half a minute."""


async def open_alert(session: AsyncSession, alert: NewAlert, now: datetime) -> int | None:
    """Open ``alert``: its id, or None when one of its kind and subject is open already
    (then it stays as it is: its message and opening time are the ones that were sent)."""
    opened = await open_alerts(session, [alert], now)
    return opened[0] if opened else None


async def open_alerts(
    session: AsyncSession, alerts: Sequence[NewAlert], now: datetime
) -> list[int]:
    """:func:`open_alert` for many, in statements of :data:`OPEN_AT_ONCE`: the ids of the
    alerts opened (not of those open already)."""
    statement = insert_if_absent(session.bind.dialect, Alert.__table__, ["kind", "subject"], OPEN)
    opened: list[int] = []
    for start in range(0, len(alerts), OPEN_AT_ONCE):
        rows = [
            {
                "kind": alert.kind.value,
                "subject": alert.subject,
                "product_id": alert.product_id,
                "message": alert.message,
                "opened_at": now,
            }
            for alert in alerts[start : start + OPEN_AT_ONCE]
        ]
        opened.extend(await session.scalars(statement.returning(Alert.id), rows))
    return opened


async def close_alerts(
    session: AsyncSession, kind: AlertKind, which: ColumnElement[bool], now: datetime
) -> list[int]:
    """Close the open alerts of ``kind`` that match ``which``; the ids closed (a concurrent
    closer of the same alert closes it once: the second finds it closed). The closing is
    news of its own: the alert is unsent again until it is sent closed."""
    statement = (
        update(Alert)
        .where(Alert.kind == kind.value, OPEN, which)
        .values(closed_at=now, notified_at=None)
        .returning(Alert.id)
        .execution_options(synchronize_session=False)
    )
    return list(await session.scalars(statement))


async def open_subjects(session: AsyncSession, kind: AlertKind) -> set[str]:
    return set(await session.scalars(select(Alert.subject).where(Alert.kind == kind.value, OPEN)))


async def alerts(session: AsyncSession, *, open: bool | None, limit: int) -> Sequence[Alert]:
    """Alerts newest first (by opening): the open ones, the closed ones, or all (None)."""
    query = select(Alert).order_by(Alert.opened_at.desc(), Alert.id.desc()).limit(limit)
    if open is not None:
        query = query.where(OPEN if open else ~OPEN)
    return (await session.scalars(query)).all()


UNSENT = Alert.notified_at.is_(None)
"""An alert whose current state (open, or closed) has not been sent."""


async def unsent(session: AsyncSession, limit: int) -> Sequence[Alert]:
    """Alerts waiting to be sent, oldest first."""
    query = select(Alert).where(UNSENT).order_by(Alert.opened_at, Alert.id).limit(limit)
    return (await session.scalars(query)).all()


async def unsent_count(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(Alert).where(UNSENT)) or 0)


async def mark_sent(session: AsyncSession, sent: Collection[Alert], now: datetime) -> int:
    """Record that ``sent`` reached every configured channel, each in the state it was sent
    in: an alert closed since it was read stays unsent (its closing is news of its own,
    and a closing after this marking makes it unsent again)."""
    marked = 0
    for closed in (False, True):
        ids = [alert.id for alert in sent if (alert.closed_at is not None) is closed]
        if ids:
            state = ~OPEN if closed else OPEN
            result = await session.execute(
                update(Alert)
                .where(Alert.id.in_(ids), state)
                .values(notified_at=now)
                .execution_options(synchronize_session=False)
            )
            marked += result.rowcount
    return marked
