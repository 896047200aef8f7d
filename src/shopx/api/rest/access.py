"""Who may call a REST route: a bearer token as for GraphQL (anyone when anonymous reads
are on), and the refusals every route documents."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request

from shopx.api.auth_routes import ANY_REFUSAL, Problem
from shopx.auth import Permission, Principal, authorize, principal_from_header


def _caller(request: Request, permission: Permission) -> Principal:
    state = request.app.state
    caller = principal_from_header(state.secret, request.headers.get("authorization"))
    authorize(caller, permission, anonymous_reads=state.settings.anonymous_reads)
    return caller


# The dependencies are coroutines, cheap as they are: FastAPI runs a plain function in its
# thread pool, and the hop cost a cached answer more than the answer itself.
async def analytics_reader(request: Request) -> Principal:
    """The caller, when it may read analytics (analyst or admin, as the GraphQL catalog and
    analytics queries require); UNAUTHENTICATED or FORBIDDEN otherwise."""
    return _caller(request, Permission.ANALYTICS_READ)


async def dashboard_reader(request: Request) -> Principal:
    """The caller, when it may read the dashboard's numbers (any role, as
    ``salesOverview`` requires); UNAUTHENTICATED otherwise."""
    return _caller(request, Permission.DASHBOARD_READ)


async def writer(request: Request) -> Principal:
    """The caller, when it may write (admins): UNAUTHENTICATED or FORBIDDEN otherwise."""
    return _caller(request, Permission.WRITE)


AnalyticsReader = Annotated[Principal, Depends(analytics_reader)]
DashboardReader = Annotated[Principal, Depends(dashboard_reader)]


def problem(status: int, code: str, detail: str, what: str) -> dict[int | str, Any]:
    """An OpenAPI response entry for a refusal, with its example."""
    example = {"error": code, "detail": detail}
    return {
        status: {
            "model": Problem,
            "description": what,
            "content": {"application/json": {"example": example}},
        }
    }


READ_REFUSALS: dict[int | str, dict[str, Any]] = {
    **problem(
        400, "BAD_USER_INPUT", "limit: Input should be less than or equal to 100", "Bad input"
    ),
    **problem(401, "UNAUTHENTICATED", "a bearer token is required", "No valid bearer token"),
    **problem(429, "RATE_LIMIT_EXCEEDED", "too many requests; retry later", "Rate limited"),
    **problem(503, "SERVICE_UNAVAILABLE", "the database did not answer; retry later", "Busy"),
    **ANY_REFUSAL,
}
ANALYTICS_REFUSALS: dict[int | str, dict[str, Any]] = {
    **READ_REFUSALS,
    **problem(403, "FORBIDDEN", "this needs the analytics:read permission", "Viewer token"),
}
