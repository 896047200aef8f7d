"""Job-failure alerts: one open per job whose last finished run failed or timed out."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from shopx.alerts.repository import AlertKind, NewAlert, close_alerts, open_alert
from shopx.db.models import Alert

FAILED_OUTCOMES = frozenset({"failed", "timed_out"})


def subject_of(job: str) -> str:
    return f"job:{job}"


async def follow_run(
    session: AsyncSession, *, job: str, outcome: str, error: str | None, now: datetime
) -> int | None:
    """Open the job's alert when its run failed or timed out (the first failure's error is
    the message; later failures leave the open alert as it is), close it when a run
    succeeded; a skipped run says nothing. The id of the alert opened or closed, if any."""
    subject = subject_of(job)
    if outcome in FAILED_OUTCOMES:
        what = "timed out" if outcome == "timed_out" else "failed"
        message = f"job {job} {what}: {error or 'no error recorded'}"
        return await open_alert(session, NewAlert(AlertKind.JOB_FAILED, subject, message), now)
    if outcome == "succeeded":
        closed = await close_alerts(session, AlertKind.JOB_FAILED, Alert.subject == subject, now)
        return closed[0] if closed else None
    return None
