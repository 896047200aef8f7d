"""GraphQL documents and a small shop for the mutation tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from shopx.db.engine import session_factory
from tests import factories as make

ORDER_FIELDS = "id status totalAmount discount orderDate customerId salesRepId"

CREATE_ORDER = f"""
mutation($input: CreateOrderInput!) {{ createOrder(input: $input) {{ {ORDER_FIELDS} }} }}
"""
UPDATE_ORDER_STATUS = f"""
mutation($input: UpdateOrderStatusInput!) {{
  updateOrderStatus(input: $input) {{ {ORDER_FIELDS} }}
}}
"""
CANCEL_ORDER = f"""
mutation($input: CancelOrderInput!) {{ cancelOrder(input: $input) {{ {ORDER_FIELDS} }} }}
"""


@dataclass(frozen=True)
class Shop:
    shoes: int
    hats: int
    boot: int
    """Shoes, 120.00, cost 70.00."""
    sandal: int
    """Shoes, 40.00, cost 15.00."""
    cap: int
    """Hats, 25.00, cost 9.00."""
    north: int
    south: int
    seller: int


async def build_shop(engine: AsyncEngine, *, stock: int = 100) -> Shop:
    async with session_factory(engine)() as session, session.begin():
        shoes = await make.category(session, name="Shoes")
        hats = await make.category(session, name="Hats")
        boot = await make.product(
            session, category=shoes, price_cents=12_000, cost_cents=7_000, stock=stock
        )
        sandal = await make.product(
            session, category=shoes, price_cents=4_000, cost_cents=1_500, stock=stock
        )
        cap = await make.product(
            session, category=hats, price_cents=2_500, cost_cents=900, stock=stock
        )
        north = await make.customer(session, region="North")
        south = await make.customer(session, region=None)
        seller = await make.rep(session)
        return Shop(shoes.id, hats.id, boot.id, sandal.id, cap.id, north.id, south.id, seller.id)


def order_input(
    customer: int, *lines: tuple[int, int] | tuple[int, int, str], **extra: Any
) -> dict:
    items = [
        {"productId": str(line[0]), "quantity": line[1]}
        | ({"unitPrice": line[2]} if len(line) > 2 else {})
        for line in lines
    ]
    return {"customerId": str(customer), "items": items} | extra


def error(body: dict) -> tuple[str, str]:
    """The code and message of the only error of a GraphQL answer."""
    assert body.get("data") is None, body
    (first,) = body["errors"]
    return first["extensions"]["code"], first["message"]
