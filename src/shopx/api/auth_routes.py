"""Signing in to the dashboard: ``/api/v1/auth/login``, ``/refresh`` and ``/logout``.

The access token (a short-lived JWT, the same kind ``shopx token create`` prints) is returned
in the JSON for the app to keep in memory and send as ``Authorization: Bearer``; the refresh
token travels only in an httpOnly, SameSite=Strict cookie scoped to this path, so page
scripts never see it and other sites cannot make the browser send it. Login also insists on
``Content-Type: application/json``, which a cross-site form cannot send.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Cookie, Depends, HTTPException, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.datastructures import Headers

from shopx.api.login_limit import TooManyFailures, login_guard
from shopx.api.ratelimit import limiter_of
from shopx.api.responses import OrjsonResponse
from shopx.auth.passwords import BUSY, MAX_PASSWORD
from shopx.auth.signin import SignedIn, refresh, sign_in, sign_out
from shopx.auth.users import login_email
from shopx.bounds import MAX_EMAIL
from shopx.db.engine import pool_timeout_is_unavailable
from shopx.errors import PayloadTooLarge, ShopXError, Unauthenticated, Unavailable

PREFIX = "/api/v1/auth"
REFRESH_COOKIE = "shopx_refresh"
MAX_LOGIN_BODY = 4096
NO_STORE = {"cache-control": "no-store"}


class Credentials(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"email": "ana@example.com", "password": "s3cret-pass"}]}
    )
    email: str = Field(min_length=1, max_length=MAX_EMAIL, description="Any case; trimmed.")
    password: str = Field(min_length=1, max_length=MAX_PASSWORD)


class AccessToken(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "access_token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOi...",
                    "token_type": "bearer",
                    "expires_in": 900,
                    "email": "ana@example.com",
                    "role": "analyst",
                }
            ]
        }
    )
    access_token: str = Field(description="Send as 'Authorization: Bearer <token>'.")
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds until the access token expires.")
    email: str
    role: Literal["admin", "analyst", "viewer"]


class Problem(BaseModel):
    error: str = Field(description="A code: UNAUTHENTICATED, BAD_USER_INPUT, ...")
    detail: str


def _problem(status: int, code: str, detail: str, what: str) -> dict[int | str, Any]:
    example = {"error": code, "detail": detail}
    return {status: {"model": Problem, "description": what, "content": _json(example)}}


def _json(example: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"example": example}}


ANY_REFUSAL = {"4XX": {"model": Problem, "description": "Refused (never 422: bad input is 400)"}}
REFRESH_REFUSALS = {
    **_problem(401, "UNAUTHENTICATED", "the session has expired; sign in again", "No session"),
    **ANY_REFUSAL,
}
LOGIN_REFUSALS = {
    **_problem(400, "BAD_USER_INPUT", "body.email: Field required", "Malformed body"),
    **_problem(401, "UNAUTHENTICATED", "wrong email or password", "Not signed in (any reason)"),
    **_problem(413, "PAYLOAD_TOO_LARGE", "the body is larger than 4096 bytes", "Body too large"),
    **_problem(
        415, "BAD_USER_INPUT", "send the body as Content-Type: application/json", "Not JSON"
    ),
    **_problem(
        429, "RATE_LIMIT_EXCEEDED", "too many failed sign-ins; retry in 840 s", "Too many failures"
    ),
    **_problem(503, "SERVICE_UNAVAILABLE", BUSY, "Too many sign-ins at once (Retry-After: 1)"),
    **ANY_REFUSAL,
}


async def _json_body(request: Request) -> None:
    """Login takes a small JSON body, sent as JSON (a cross-site form cannot)."""
    content_type = Headers(scope=request.scope).get("content-type", "")
    if content_type.split(";")[0].strip().lower() != "application/json":
        raise HTTPException(415, "send the body as Content-Type: application/json")
    if len(await request.body()) > MAX_LOGIN_BODY:
        raise PayloadTooLarge(f"the body is larger than {MAX_LOGIN_BODY} bytes")


router = APIRouter(prefix=PREFIX, tags=["auth"])
RefreshCookie = Annotated[
    str | None, Cookie(alias=REFRESH_COOKIE, description="Set by login and refresh.")
]


@router.post(
    "/login",
    response_model=AccessToken,
    response_class=JSONResponse,
    responses=LOGIN_REFUSALS,
    dependencies=[Depends(_json_body)],
)
async def login(request: Request, credentials: Credentials) -> Response:
    """Sign in with an email and a password.

    Answers an access token (valid `SHOPX_ACCESS_TOKEN_TTL`, 15 minutes by default) and sets
    the `shopx_refresh` cookie (httpOnly, SameSite=Strict, path `/api/v1/auth`, valid
    `SHOPX_REFRESH_TOKEN_TTL`). An unknown email, a wrong password and a disabled user get
    the same 401. Failed attempts are counted per email and per client IP; past either limit
    every attempt is 429 with `Retry-After` until the window ends. When too many sign-ins
    are being checked at once, the answer is 503 with `Retry-After: 1` right away.
    """
    state = request.app.state
    email = login_email(credentials.email)

    async def attempt() -> SignedIn:
        with pool_timeout_is_unavailable():
            return await sign_in(
                state.write_sessions,
                state.settings,
                email=email,
                password=credentials.password,
                secret=state.secret,
                now=state.clock(),
            )

    try:
        signed_in = await login_guard(state).attempt(request.scope, email, attempt)
    except TooManyFailures as exc:
        return _refusal(exc, headers={"retry-after": str(exc.retry_after)})
    except Unavailable as exc:
        return _refusal(exc, headers={"retry-after": "1"})
    return _session(request, signed_in)


@router.post(
    "/refresh", response_model=AccessToken, response_class=JSONResponse, responses=REFRESH_REFUSALS
)
async def refresh_session(request: Request, token: RefreshCookie = None) -> Response:
    """A new access token for the session in the `shopx_refresh` cookie (no body).

    The cookie's token is used up and a new one set in its place; a token that was already
    used ends its session (it was copied), except within 30 seconds of its use, when it gets
    an access token and the cookie is left alone (two tabs refreshing with the cookie they
    share). Without a valid cookie, or for a disabled user, the answer is 401 and the cookie
    is cleared.
    """
    state = request.app.state
    if not token:
        return _refusal(Unauthenticated("not signed in (no session cookie)"), clearing=request)
    try:
        with pool_timeout_is_unavailable():
            signed_in = await refresh(
                state.write_sessions,
                state.settings,
                token=token,
                secret=state.secret,
                now=state.clock(),
            )
    except Unauthenticated as exc:
        return _refusal(exc, clearing=request)
    return _session(request, signed_in)


@router.post("/logout", status_code=204, response_class=Response, responses=ANY_REFUSAL)
async def logout(request: Request, token: RefreshCookie = None) -> Response:
    """End the session in the `shopx_refresh` cookie and clear it; 204 with or without one.

    Access tokens already issued stay valid until they expire (`SHOPX_ACCESS_TOKEN_TTL`).
    """
    state = request.app.state
    if token:
        with pool_timeout_is_unavailable():
            await sign_out(state.write_sessions, token=token, now=state.clock())
    response = Response(status_code=204, headers=NO_STORE)
    _clear_cookie(response, request)
    return response


def _session(request: Request, signed_in: SignedIn) -> Response:
    body = AccessToken(
        access_token=signed_in.access_token,
        expires_in=signed_in.expires_in,
        email=signed_in.email,
        role=signed_in.role.value,
    )
    response = OrjsonResponse(body.model_dump(), headers=NO_STORE)
    if signed_in.refresh_token is None:
        return response
    response.set_cookie(
        REFRESH_COOKIE,
        signed_in.refresh_token,
        max_age=signed_in.refresh_max_age,
        path=PREFIX,
        secure=_https(request),
        httponly=True,
        samesite="strict",
    )
    return response


def _refusal(
    error: ShopXError,
    *,
    clearing: Request | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """``error`` as ``{"error", "detail"}``; with ``clearing``, the cookie of that request
    is cleared too."""
    body = {"error": error.code, "detail": error.message}
    response = OrjsonResponse(
        body, status_code=error.status, headers={**NO_STORE, **(headers or {})}
    )
    if clearing is not None:
        _clear_cookie(response, clearing)
    return response


def _clear_cookie(response: Response, request: Request) -> None:
    response.delete_cookie(
        REFRESH_COOKIE, path=PREFIX, secure=_https(request), httponly=True, samesite="strict"
    )


def _https(request: Request) -> bool:
    return limiter_of(request.app.state).proxies.is_https(request.scope)
