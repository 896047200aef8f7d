"""A mutation's answer is read from the primary, never from a replica that may lag behind."""

from __future__ import annotations

from collections.abc import Iterator

from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from shopx.api.graphql.loaders import Loaders


class ReadYourWrites(SchemaExtension):
    def on_execute(self) -> Iterator[None]:
        if self.execution_context.operation_type is OperationType.MUTATION:
            context = self.execution_context.context
            context.read_sessions = context.write_sessions
            context.loaders = Loaders(context.read)
        yield
