"""Downloading a stored report: ``/api/v1/reports/{id}.html`` and ``.csv``.

A bearer token whose role may read analytics (analyst or admin; anyone when anonymous
reads are on, as for the GraphQL analytics) is needed; refusals are the REST problem JSON.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from shopx.api.auth_routes import ANY_REFUSAL, Problem
from shopx.api.rest.access import AnalyticsReader
from shopx.db.engine import pool_timeout_is_unavailable
from shopx.reports.render import Shop
from shopx.reports.service import Format, report_document

PREFIX = "/api/v1/reports"
REFUSALS: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": "The id is not a positive integer"},
    401: {"model": Problem, "description": "No valid bearer token"},
    403: {"model": Problem, "description": "The token's role may not read analytics (viewer)"},
    404: {"model": Problem, "description": "No report with this id"},
    **ANY_REFUSAL,
}


def _file(media_type: str) -> dict[int | str, dict[str, Any]]:
    return {200: {"content": {media_type: {}}, "description": "The report, as an attachment"}}


router = APIRouter(prefix=PREFIX, tags=["reports"])


def report_url(report_id: int, extension: Format) -> str:
    """Where the report ``report_id`` is downloaded as HTML or CSV (a path on this API)."""
    return f"{PREFIX}/{report_id}.{extension}"


Reader = AnalyticsReader
ReportId = Annotated[
    int, Path(ge=1, lt=2**63, description="The report's id (`reports` lists them).")
]


async def _download(request: Request, report_id: int, extension: Format) -> Response:
    state = request.app.state
    with pool_timeout_is_unavailable():
        async with state.read_sessions() as session:
            document = await report_document(session, report_id, extension, Shop.of(state.settings))
    disposition = f'attachment; filename="{document.filename}"'
    return Response(
        document.content,
        media_type=document.media_type,
        headers={"content-disposition": disposition, "cache-control": "private, no-store"},
    )


@router.get(
    "/{report_id}.html", response_class=Response, responses={**_file("text/html"), **REFUSALS}
)
async def report_html(request: Request, report_id: ReportId, _caller: Reader) -> Response:
    """The report as a self-contained HTML page (the body of its e-mail), as an attachment
    named like `shopx-daily-2026-11-29.html`."""
    return await _download(request, report_id, "html")


@router.get(
    "/{report_id}.csv", response_class=Response, responses={**_file("text/csv"), **REFUSALS}
)
async def report_csv(request: Request, report_id: ReportId, _caller: Reader) -> Response:
    """The report as CSV (UTF-8 with a byte-order mark): the headline figures as
    metric, value, previous, change rows, then the top products and the top reps."""
    return await _download(request, report_id, "csv")
