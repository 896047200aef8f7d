"""The GraphQL schema: each domain contributes its queries and mutations."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.tools import merge_types

from shopx.analytics.customer_graphql import CustomerAnalyticsQuery
from shopx.analytics.dashboard_graphql import DashboardQuery
from shopx.analytics.graphql import AnalyticsQuery
from shopx.analytics.live_graphql import Subscription
from shopx.analytics.product_graphql import ProductAnalyticsQuery
from shopx.analytics.profit_graphql import ProfitAnalyticsQuery
from shopx.analytics.rep_graphql import SalesRepAnalyticsQuery
from shopx.api.graphql.access import IntrospectionAccess
from shopx.api.graphql.cache import CacheMutation, CacheQuery
from shopx.api.graphql.decimal_scalar import SCALAR_OVERRIDES
from shopx.api.graphql.errors import ErrorCodes
from shopx.api.graphql.freshness import DataAsOf
from shopx.api.graphql.limits import DocumentBounds
from shopx.api.graphql.primary import ReadYourWrites
from shopx.catalog.graphql import CatalogQuery
from shopx.catalog.mutations import CatalogMutation
from shopx.customers.graphql import CustomersQuery
from shopx.customers.mutations import CustomerMutation
from shopx.orders.graphql import OrdersQuery
from shopx.orders.mutations import OrderMutation
from shopx.reps.graphql import SalesRepsQuery
from shopx.reps.mutations import SalesRepMutation

QUERIES = (
    AnalyticsQuery,
    DashboardQuery,
    ProductAnalyticsQuery,
    CustomerAnalyticsQuery,
    SalesRepAnalyticsQuery,
    ProfitAnalyticsQuery,
    CatalogQuery,
    CustomersQuery,
    OrdersQuery,
    SalesRepsQuery,
    CacheQuery,
)

Query = merge_types("Query", QUERIES)

MUTATIONS = (CatalogMutation, CustomerMutation, SalesRepMutation, OrderMutation, CacheMutation)

Mutation = merge_types("Mutation", MUTATIONS)


class ShopXSchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        """Silent: :class:`ErrorCodes` logs the unexpected errors; ours are answers, not faults."""


def build_schema() -> strawberry.Schema:
    return ShopXSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        scalar_overrides=SCALAR_OVERRIDES,
        extensions=[
            ErrorCodes,
            IntrospectionAccess,
            ReadYourWrites,
            DataAsOf,
            DocumentBounds,
        ],
    )


schema = build_schema()
