"""What an alert says when it is sent: the webhook's JSON and the digest e-mail's text.

An alert is sent when it opens and again when it closes; ``event`` says which, and
``id`` with ``event`` identify a notice, so a receiver can drop one it has seen (a notice is
sent again only when the run that sent it could not record it as sent on every channel).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from shopx.db.models import Alert


def event_of(alert: Alert) -> str:
    """``opened`` or ``closed``: the state being announced."""
    return "opened" if alert.closed_at is None else "closed"


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def webhook_payload(alert: Alert) -> dict[str, Any]:
    """The JSON object POSTed to the alert webhook."""
    return {
        "id": alert.id,
        "event": event_of(alert),
        "kind": alert.kind,
        "subject": alert.subject,
        "message": alert.message,
        "opened_at": _iso(alert.opened_at),
        "closed_at": _iso(alert.closed_at),
        "product_id": alert.product_id,
    }


def digest(alerts: Sequence[Alert], shop: str) -> tuple[str, str]:
    """One e-mail's subject and text for the alerts a run sends: the new ones, then those
    closed, each on its own line with when (UTC)."""
    opened = [alert for alert in alerts if alert.closed_at is None]
    closed = [alert for alert in alerts if alert.closed_at is not None]
    counts = [
        f"{len(group)} {word}" for group, word in ((opened, "new"), (closed, "closed")) if group
    ]
    sections = [
        _section("New alerts", opened, "opened_at"),
        _section("Closed alerts", closed, "closed_at"),
    ]
    text = "\n\n".join(section for section in sections if section)
    return f"{shop} alerts: {', '.join(counts)}", text + "\n"


def _section(title: str, alerts: Sequence[Alert], moment: str) -> str:
    lines = [
        f"- [{alert.kind.replace('_', ' ')}] {alert.message}"
        f" ({getattr(alert, moment):%Y-%m-%d %H:%M} UTC)"
        for alert in alerts
    ]
    return f"{title} ({len(alerts)}):\n" + "\n".join(lines) if alerts else ""
