"""``cache-warm``: the dashboard's common answers computed before anyone asks, so the first
visitor after a deploy or a data change gets a hit.

What is warmed is what the dashboard sends, exactly: ``dashboard_requests.json`` beside
this module holds each view's request body as the dashboard's GraphQL client builds it
(each period preset of the Overview, the Products and Customers pages' default views),
exported from the dashboard's own code by ``frontend/scripts/export-requests.mjs``; a test
fails when the dashboard's queries change and the export was not run again. Each view is
warmed for every caller that may open its page (each role with the permission its route
needs, and anonymous callers when anonymous reads are on), since the caller's visibility
is part of an answer's key.

Only the API can run a query, so the job asks the process's
:class:`~shopx.cache.runtime.Warmer`, which the API layer installs on its cache runtime: in
``shopx serve`` it fills the in-process tier (and Redis when configured); in a worker built
with :func:`shopx.api.warming.worker_cache` only Redis, so there, without Redis, or where no
API was set up, the job warms nothing and says why. Answers already fresh are left alone;
the detail counts warmed, already warm, and not stored (an error, or a write during the
computation: the next run warms it).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources

import orjson

from shopx.auth import Permission, Role
from shopx.auth.permissions import GRANTS
from shopx.cache.responses import Warmth
from shopx.config import Settings
from shopx.jobs.context import JobContext, JobResult

EXPORT = "dashboard_requests.json"


@dataclass(frozen=True, slots=True)
class View:
    """One request the dashboard sends for a page."""

    page: str
    permission: Permission
    """What the page's route needs of its caller."""
    body: bytes
    """The ``POST /graphql`` JSON body."""

    @property
    def label(self) -> str:
        variables = json.loads(self.body).get("variables") or {}
        return f"{self.page} {variables.get('period', '')}".strip()


@cache
def dashboard_views() -> tuple[View, ...]:
    """The views of :data:`EXPORT`, in its order."""
    text = resources.files(__package__).joinpath(EXPORT).read_text(encoding="utf-8")
    return tuple(
        View(view["page"], Permission[view["needs"]], orjson.dumps(view["body"]))
        for view in json.loads(text)["views"]
    )


def visibilities(permission: Permission, settings: Settings) -> list[str]:
    """The callers (roles, then ``anonymous``) who may open a page needing ``permission``."""
    callers = [role.value for role in Role if permission in GRANTS[role]]
    return [*callers, "anonymous"] if settings.anonymous_reads else callers


def _skipped(ctx: JobContext) -> str | None:
    """Why nothing can be warmed in this process, or None."""
    cache_ = ctx.cache
    if cache_ is None or cache_.responses is None:
        return "skipped: the response cache is off (SHOPX_CACHE_ENABLED)"
    if cache_.warmer is None:
        return "skipped: no API in this process to compute answers"
    if not cache_.warmer.serving and cache_.remote is None:
        return "skipped: a worker without Redis (SHOPX_REDIS_URL) has no cache a server reads"
    return None


async def cache_warm(ctx: JobContext) -> JobResult:
    """The job: every view for every caller that may see it; rows: answers warmed."""
    reason = _skipped(ctx)
    if reason is not None:
        return JobResult(0, reason)
    assert ctx.cache is not None and ctx.cache.warmer is not None
    counts: Counter[Warmth] = Counter()
    unstored: list[str] = []
    for view in dashboard_views():
        for visibility in visibilities(view.permission, ctx.settings):
            found = await ctx.cache.warmer.warm(view.body, visibility)
            counts[found or Warmth.UNSTORED] += 1
            if found is not Warmth.WARM and found is not Warmth.WARMED:
                unstored.append(f"{view.label} for {visibility}")
    detail = f"warmed {counts[Warmth.WARMED]}, already warm {counts[Warmth.WARM]}"
    if unstored:
        detail += f", not stored {len(unstored)} ({', '.join(unstored)})"
    return JobResult(counts[Warmth.WARMED], detail)
