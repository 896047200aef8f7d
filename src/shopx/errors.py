"""One error hierarchy. The API edge turns these into GraphQL codes and REST problem JSON."""

from __future__ import annotations


class ShopXError(Exception):
    code = "INTERNAL_SERVER_ERROR"
    status = 500

    def __init__(self, message: str, *, detail: object | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail


class BadInput(ShopXError):
    code = "BAD_USER_INPUT"
    status = 400


class NotFound(ShopXError):
    code = "NOT_FOUND"
    status = 404


class Unauthenticated(ShopXError):
    code = "UNAUTHENTICATED"
    status = 401


class Forbidden(ShopXError):
    code = "FORBIDDEN"
    status = 403


class Conflict(ShopXError):
    code = "CONFLICT"
    status = 409


class QueryTooComplex(ShopXError):
    """A request past one of the edge's bounds (tokens, depth, aliases, cost, series length)."""

    code = "QUERY_TOO_COMPLEX"
    status = 400


class PayloadTooLarge(ShopXError):
    code = "PAYLOAD_TOO_LARGE"
    status = 413


class RateLimited(ShopXError):
    code = "RATE_LIMIT_EXCEEDED"
    status = 429


class Unavailable(ShopXError):
    """The process cannot serve the request right now (no database connection came free in
    time); a retry later may succeed."""

    code = "SERVICE_UNAVAILABLE"
    status = 503
