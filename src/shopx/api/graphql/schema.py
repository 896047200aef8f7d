"""The GraphQL schema: each domain contributes its queries and mutations."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.tools import merge_types

from shopx.analytics.graphql import AnalyticsQuery
from shopx.analytics.product_graphql import ProductAnalyticsQuery
from shopx.api.graphql.errors import ErrorCodes
from shopx.api.graphql.freshness import DataAsOf

QUERIES = (AnalyticsQuery, ProductAnalyticsQuery)

Query = merge_types("Query", QUERIES)


class ShopXSchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        """Silent: :class:`ErrorCodes` logs the unexpected errors; ours are answers, not faults."""


def build_schema() -> strawberry.Schema:
    return ShopXSchema(
        query=Query,
        extensions=[ErrorCodes, DataAsOf, ParserCache(maxsize=256), ValidationCache(maxsize=256)],
    )


schema = build_schema()
