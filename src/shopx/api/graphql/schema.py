"""The GraphQL schema: each domain contributes its queries and mutations."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.tools import merge_types

from shopx.api.graphql.access import IntrospectionAccess
from shopx.api.graphql.decimal_scalar import SCALAR_OVERRIDES
from shopx.api.graphql.errors import ErrorCodes
from shopx.api.graphql.freshness import DataAsOf
from shopx.api.graphql.input_plans import plan_inputs
from shopx.api.graphql.limits import DocumentBounds
from shopx.api.graphql.mutations.cache import CacheMutation
from shopx.api.graphql.mutations.catalog import CatalogMutation
from shopx.api.graphql.mutations.customers import CustomerMutation
from shopx.api.graphql.mutations.jobs import JobsMutation
from shopx.api.graphql.mutations.orders import OrderMutation
from shopx.api.graphql.mutations.reps import SalesRepMutation
from shopx.api.graphql.primary import ReadYourWrites
from shopx.api.graphql.queries.alerts import AlertsQuery
from shopx.api.graphql.queries.analytics import AnalyticsQuery
from shopx.api.graphql.queries.cache import CacheQuery
from shopx.api.graphql.queries.catalog import CatalogQuery
from shopx.api.graphql.queries.customer_analytics import CustomerAnalyticsQuery
from shopx.api.graphql.queries.customers import CustomersQuery
from shopx.api.graphql.queries.dashboard import DashboardQuery
from shopx.api.graphql.queries.imports import ImportsQuery
from shopx.api.graphql.queries.jobs import JobsQuery
from shopx.api.graphql.queries.orders import OrdersQuery
from shopx.api.graphql.queries.product_analytics import ProductAnalyticsQuery
from shopx.api.graphql.queries.profit_analytics import ProfitAnalyticsQuery
from shopx.api.graphql.queries.rep_analytics import SalesRepAnalyticsQuery
from shopx.api.graphql.queries.reports import ReportsQuery
from shopx.api.graphql.queries.reps import SalesRepsQuery
from shopx.api.graphql.queries.shop import ShopQuery
from shopx.api.graphql.subscriptions import Subscription

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
    JobsQuery,
    ShopQuery,
    ReportsQuery,
    AlertsQuery,
    ImportsQuery,
)

Query = merge_types("Query", QUERIES)

MUTATIONS = (
    CatalogMutation,
    CustomerMutation,
    SalesRepMutation,
    OrderMutation,
    CacheMutation,
    JobsMutation,
)

Mutation = merge_types("Mutation", MUTATIONS)


class ShopXSchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        """Silent: :class:`ErrorCodes` logs the unexpected errors; ours are answers, not faults."""


def build_schema() -> strawberry.Schema:
    built = ShopXSchema(
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
    plan_inputs(built)
    return built


schema = build_schema()
