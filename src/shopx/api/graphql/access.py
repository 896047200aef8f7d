"""Introspection follows the access rules: a caller without a valid token may read the schema
only when ``SHOPX_INTROSPECTION`` says so (``auto``: when anonymous reads are on)."""

from __future__ import annotations

from collections.abc import Iterator

from graphql import DocumentNode, ExecutionResult, FieldNode, GraphQLError, visit
from graphql.language import Visitor
from strawberry.extensions import SchemaExtension

from shopx.config import Settings
from shopx.errors import ShopXError, Unauthenticated

INTROSPECTION_FIELDS = frozenset({"__schema", "__type"})


def anonymous_introspection(settings: Settings) -> bool:
    if settings.introspection == "auto":
        return settings.anonymous_reads
    return settings.introspection == "on"


class IntrospectionAccess(SchemaExtension):
    """Refuses ``__schema`` and ``__type`` (anywhere in the document) to anonymous callers
    unless allowed; ``__typename`` is not introspection and stays free."""

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context.context
        anonymous = context.caller.role is None or context.caller_error is not None
        if anonymous and not anonymous_introspection(context.settings):
            document = self.execution_context.graphql_document
            if document is not None and _introspects(self.execution_context.query or "", document):
                self.execution_context.result = _refusal(context.caller_error)
        yield


def _refusal(caller_error: ShopXError | None) -> ExecutionResult:
    """The answer instead of running the operation (a result set here skips execution)."""
    error = caller_error or Unauthenticated("introspection needs a valid bearer token")
    return ExecutionResult(None, [GraphQLError(error.message, extensions={"code": error.code})])


def _introspects(query: str, document: DocumentNode) -> bool:
    if "__schema" not in query and "__type" not in query.replace("__typename", ""):
        return False
    finder = _IntrospectionFinder()
    visit(document, finder)
    return finder.found


class _IntrospectionFinder(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.found = False

    def enter_field(self, node: FieldNode, *_args: object) -> None:
        if node.name.value in INTROSPECTION_FIELDS:
            self.found = True
