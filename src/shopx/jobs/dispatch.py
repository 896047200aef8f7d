"""Sending runs to Celery workers, each with its ``job_runs`` row first.

:func:`enqueue` records a ``queued`` run, commits it, then sends its id to the job's queue;
when the broker cannot take it, the row ends ``failed`` with "broker unavailable: ...".
:func:`enqueue_after_commit` does the same for a run asked for inside a write transaction:
the row is part of that transaction, and the task is sent only once it commits (nothing is
sent when it rolls back, and the row is gone with it).
"""

from __future__ import annotations

import asyncio
import contextvars
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from shopx.config import Settings
from shopx.db.engine import session_factory
from shopx.db.models import JobRun
from shopx.db.writes import bookkeeping_session
from shopx.jobs.celery_app import send_run
from shopx.jobs.registry import JOBS, Trigger, job_named
from shopx.jobs.runner import ERROR_LIMIT, RunRecord, follow_with_alert, record_queued

_PENDING = "shopx.pending_runs"
"""The session's ``info`` key listing the runs to send when its transaction commits."""


async def enqueue(
    name: str, trigger: Trigger, engine: AsyncEngine, settings: Settings
) -> RunRecord:
    """A run of the job ``name`` recorded ``queued`` and sent to its queue (module doc).
    BadInput for an unknown job."""
    sessions = session_factory(engine)
    async with bookkeeping_session(sessions) as session:
        queued = RunRecord.of(await record_queued(session, name, trigger, datetime.now(UTC)))
    return await _send(sessions, settings, queued)


@dataclass(frozen=True)
class PendingRun:
    """A run enqueued inside a transaction: its id, and ``sent``, which resolves once the
    transaction committed and the task went out (or the row ended ``failed`` because the
    broker was unavailable), and is cancelled when the transaction rolled back."""

    run_id: int
    sent: asyncio.Future[RunRecord]


async def enqueue_after_commit(
    session: AsyncSession, name: str, trigger: Trigger, settings: Settings
) -> PendingRun:
    """Record a ``queued`` run of the job ``name`` in ``session``'s transaction and send it
    after the commit (module doc). BadInput for an unknown job."""
    queued = RunRecord.of(await record_queued(session, name, trigger, datetime.now(UTC)))
    pending = PendingRun(queued.id, asyncio.get_running_loop().create_future())
    sync = session.sync_session
    if _PENDING not in sync.info:
        sync.info[_PENDING] = []
        event.listen(sync, "after_commit", _after_commit)
        event.listen(sync, "after_rollback", _after_rollback)
    sync.info[_PENDING].append((pending, session_factory(session.bind), settings, queued))
    return pending


_sending: set[asyncio.Task[None]] = set()


def _after_commit(sync: Session) -> None:
    waiting, sync.info[_PENDING] = sync.info[_PENDING], []
    for pending, sessions, settings, queued in waiting:
        # A fresh context: the committing task holds its session (shopx.db.holding), the
        # sender opens its own.
        task = asyncio.get_running_loop().create_task(
            _resolve(pending, sessions, settings, queued), context=contextvars.Context()
        )
        _sending.add(task)
        task.add_done_callback(_sending.discard)


def _after_rollback(sync: Session) -> None:
    waiting, sync.info[_PENDING] = sync.info[_PENDING], []
    for pending, *_ in waiting:
        pending.sent.cancel()


async def _resolve(
    pending: PendingRun,
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    queued: RunRecord,
) -> None:
    try:
        record = await _send(sessions, settings, queued)
    except Exception as exc:  # handed to whoever awaits the run
        pending.sent.set_exception(exc)
    else:
        pending.sent.set_result(record)


async def _send(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, queued: RunRecord
) -> RunRecord:
    """Send the committed run ``queued`` and return it as sent (a worker may have taken it
    since); its row ends failed if sending fails."""
    job = job_named(queued.job, JOBS)
    try:
        await asyncio.to_thread(send_run, settings, queued.id, job, queued.trigger)
    except Exception as exc:  # whatever stopped the message, the run will not happen
        return await _broker_unavailable(sessions, queued.id, exc)
    return queued


async def _broker_unavailable(
    sessions: async_sessionmaker[AsyncSession], run_id: int, exc: Exception
) -> RunRecord:
    now = datetime.now(UTC)
    async with bookkeeping_session(sessions) as session:
        row = await session.get_one(JobRun, run_id)
        row.outcome, row.finished_at, row.duration_ms = "failed", now, 0
        row.error = f"broker unavailable: {type(exc).__name__}: {exc}"[:ERROR_LIMIT]
    await follow_with_alert(sessions, row.job, row.outcome, row.error, row.finished_at)
    return RunRecord.of(row, transient=True)
