"""Per-request DataLoaders. Each is created with the request's context and dies with it."""

from __future__ import annotations

from functools import cached_property

from shopx.api.graphql.dataloaders.categories_by_parent_id import CategoriesByParentIdLoader
from shopx.api.graphql.dataloaders.category_by_id import CategoryByIdLoader
from shopx.api.graphql.dataloaders.customer_by_id import CustomerByIdLoader
from shopx.api.graphql.dataloaders.items_by_order_id import ItemsByOrderIdLoader
from shopx.api.graphql.dataloaders.order_by_id import OrderByIdLoader
from shopx.api.graphql.dataloaders.order_count_by_customer_id import OrderCountByCustomerIdLoader
from shopx.api.graphql.dataloaders.orders_by_customer_id import OrdersByCustomerIdLoader
from shopx.api.graphql.dataloaders.product_by_id import ProductByIdLoader
from shopx.api.graphql.dataloaders.product_count_by_category_id import (
    ProductCountByCategoryIdLoader,
)
from shopx.api.graphql.dataloaders.rep_by_id import RepByIdLoader
from shopx.api.graphql.dataloaders.session_loader import Sessions


class Loaders:
    """Holds every DataLoader of one request (never shared between requests or callers),
    each made when the request first asks for it: most requests use one or two."""

    def __init__(self, sessions: Sessions) -> None:
        self.sessions = sessions

    @cached_property
    def category_by_id(self) -> CategoryByIdLoader:
        return CategoryByIdLoader(self.sessions)

    @cached_property
    def categories_by_parent_id(self) -> CategoriesByParentIdLoader:
        return CategoriesByParentIdLoader(self.sessions)

    @cached_property
    def product_by_id(self) -> ProductByIdLoader:
        return ProductByIdLoader(self.sessions)

    @cached_property
    def product_count_by_category_id(self) -> ProductCountByCategoryIdLoader:
        return ProductCountByCategoryIdLoader(self.sessions)

    @cached_property
    def customer_by_id(self) -> CustomerByIdLoader:
        return CustomerByIdLoader(self.sessions)

    @cached_property
    def rep_by_id(self) -> RepByIdLoader:
        return RepByIdLoader(self.sessions)

    @cached_property
    def order_by_id(self) -> OrderByIdLoader:
        return OrderByIdLoader(self.sessions)

    @cached_property
    def items_by_order_id(self) -> ItemsByOrderIdLoader:
        return ItemsByOrderIdLoader(self.sessions)

    @cached_property
    def orders_by_customer_id(self) -> OrdersByCustomerIdLoader:
        return OrdersByCustomerIdLoader(self.sessions)

    @cached_property
    def order_count_by_customer_id(self) -> OrderCountByCustomerIdLoader:
        return OrderCountByCustomerIdLoader(self.sessions)
