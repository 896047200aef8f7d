"""Alerts: things an owner should hear about, kept in the ``alerts`` table.

A ``low_stock`` alert (subject ``product:<id>``) opens when an active product is at or below
its reorder level and closes when it is restocked above it (:mod:`shopx.alerts.stock`); a
``job_failed`` alert (subject ``job:<name>``) opens when a job's run fails or times out and
closes when a later run succeeds (:mod:`shopx.alerts.failures`). At most one alert of a kind
and subject is open at a time (a partial unique index), so opening is an insert that gives
way to the open one and is safe under concurrent writers. Each opening and closing waits to
be sent (:mod:`shopx.alerts.notices`) while ``notified_at`` is null: sending sets it,
closing clears it.

Alerts are bookkeeping, not data answers are made of: they are written through
:func:`shopx.db.writes.bookkeeping_session`, and the ``alerts`` query is never cached.
"""

from shopx.alerts.repository import AlertKind

__all__ = ["AlertKind"]
