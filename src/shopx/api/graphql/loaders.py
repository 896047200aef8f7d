"""Per-request DataLoaders. Each is created with the request's context and dies with it."""

from __future__ import annotations

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
    """Holds every DataLoader of one request (never shared between requests or callers)."""

    def __init__(self, sessions: Sessions) -> None:
        self.sessions = sessions
        self.category_by_id = CategoryByIdLoader(sessions)
        self.categories_by_parent_id = CategoriesByParentIdLoader(sessions)
        self.product_by_id = ProductByIdLoader(sessions)
        self.product_count_by_category_id = ProductCountByCategoryIdLoader(sessions)
        self.customer_by_id = CustomerByIdLoader(sessions)
        self.rep_by_id = RepByIdLoader(sessions)
        self.order_by_id = OrderByIdLoader(sessions)
        self.items_by_order_id = ItemsByOrderIdLoader(sessions)
        self.orders_by_customer_id = OrdersByCustomerIdLoader(sessions)
        self.order_count_by_customer_id = OrderCountByCustomerIdLoader(sessions)
