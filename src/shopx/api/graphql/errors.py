"""Error shaping: our errors keep their message and code, anything else is masked."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import orjson
from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types.execution import ExecutionResult

from shopx.api.graphql.integrity import as_conflict
from shopx.errors import ShopXError

log = logging.getLogger("shopx.graphql")
INTERNAL = "INTERNAL_SERVER_ERROR"
MAX_MESSAGE = 300
"""Longest message sent: graphql-core quotes names and values from the document, which may
be a megabyte long."""
REQUEST_FAULTS = (GraphQLError, ValueError, TypeError)
"""What a variable's coercion raises: the request's fault. Anything else raised outside a
resolver (a database that is not there) is ours, and masked."""
COERCION = "graphql.execution.values"
"""graphql-core's module that coerces variables and arguments: what fails there is the
request's input (a null passed for an argument that takes none), even inside a field."""
TOO_COMPLEX = ("Validation aborted", "Parsing aborted")
"""graphql-core's words for a document past its error or token cap: our QUERY_TOO_COMPLEX."""


def refusal_body(message: str, code: str) -> bytes:
    """A request refused before any operation ran, as GraphQL over HTTP words it: ``errors``
    and no ``data``."""
    return orjson.dumps({"errors": [{"message": message, "extensions": {"code": code}}]})


def shape(error: GraphQLError) -> GraphQLError:
    original = error.original_error
    if original is None and error.extensions and "code" in error.extensions:
        return error  # shaped already
    if conflict := as_conflict(original):
        log.warning("unique violation in %s", error.path, exc_info=original)
        original = conflict
    if isinstance(original, ShopXError):
        extensions = {"code": original.code}
        if original.detail is not None:
            extensions["detail"] = original.detail
        return _with(error, original.message, extensions)
    if original is None or (
        isinstance(original, REQUEST_FAULTS)
        and (error.path is None or _raised_coercing_input(original))
    ):
        # Parse, validation and variable errors come from the request: the caller's to fix.
        too_complex = any(words in error.message for words in TOO_COMPLEX)
        code = "QUERY_TOO_COMPLEX" if too_complex else "BAD_USER_INPUT"
        return _with(error, error.message, {"code": code})
    log.error("unexpected error in %s", error.path, exc_info=original)
    return _with(error, "Internal server error", {"code": INTERNAL})


def _raised_coercing_input(error: BaseException) -> bool:
    """Whether ``error`` was raised while graphql-core coerced the request's values."""
    frame = error.__traceback__
    while frame is not None:
        if frame.tb_frame.f_globals.get("__name__") == COERCION:
            return True
        frame = frame.tb_next
    return False


def _with(error: GraphQLError, message: str, extensions: dict) -> GraphQLError:
    if len(message) > MAX_MESSAGE:
        message = f"{message[:MAX_MESSAGE]}... ({len(message)} characters)"
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions=extensions,
    )


class ErrorCodes(SchemaExtension):
    """Every error leaves with ``extensions.code``; no stack trace leaves at all.

    Over HTTP the result is shaped when the operation ends; over a websocket (subscriptions)
    each result is shaped before it is sent.
    """

    def on_operation(self) -> Iterator[None]:
        yield
        shape_result(self.execution_context.result)

    def on_stream_result(self, result: Any) -> Iterator[None]:
        shape_result(result)
        yield


def shape_result(result: Any) -> None:
    if isinstance(result, GraphQLExecutionResult | ExecutionResult) and result.errors:
        result.errors = [shape(error) for error in result.errors]
