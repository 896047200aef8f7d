"""Which column of a sales file holds which field of the contract.

Names are compared without case, spaces, underscores, hyphens and dots (``Order Date``,
``order_date`` and ``ORDER-DATE`` are one name), and common synonyms count (``Qty`` is the
quantity, ``Revenue`` the amount). A column no name matches is ignored; two columns naming
the same field, or a missing required field, make the file unreadable.
"""

from __future__ import annotations

from shopx.errors import BadInput

REQUIRED = ("date", "product_name", "amount")
NAMES_SHOWN = 30
NAME_SHOWN = 60
"""A refusal lists at most this many of the header's names, each cut to this length: a
header of 100k names, or one swallowed by an unclosed quote, is not echoed back."""
SYNONYMS: dict[str, tuple[str, ...]] = {
    "date": ("date", "order date", "sale date", "transaction date", "ordered at", "order time"),
    "product_name": ("product name", "product", "item", "item name", "product title"),
    "amount": (
        "amount",
        "total",
        "line total",
        "revenue",
        "sales",
        "total amount",
        "line amount",
        "sales amount",
    ),
    "quantity": ("quantity", "qty", "units", "quantity sold"),
    "unit_price": ("unit price", "price", "price each", "item price"),
    "customer_id": ("customer id", "customer number", "client id"),
    "customer_email": ("customer email", "email", "e-mail", "email address"),
    "customer_name": ("customer name", "customer", "client", "client name"),
    "order_id": ("order id", "order", "order number", "order no", "order ref", "order reference"),
    "sales_rep": ("sales rep", "rep", "salesperson", "sales person", "sales representative"),
    "payment_mode": ("payment mode", "payment", "payment method", "payment type"),
    "status": ("status", "order status"),
    "region": ("region", "sales region"),
    "category": ("category", "product category"),
}


def normalize(name: str) -> str:
    """The form names are compared in: ``" Order_Date "`` -> ``"orderdate"``."""
    return "".join(char for char in name.lower() if char.isalnum())


FIELD_BY_NAME = {
    normalize(synonym): field for field, synonyms in SYNONYMS.items() for synonym in synonyms
}


class MissingColumns(BadInput):
    """The header lacks a required column (a file-level error, not a row error)."""


def map_header(header: list[str]) -> tuple[dict[str, int], tuple[str, ...]]:
    """``({field: column index}, ignored column names)`` for a header row.

    Raises :class:`MissingColumns` naming the columns found when a required one is missing,
    and :class:`BadInput` when two columns name the same field.
    """
    columns: dict[str, int] = {}
    ignored: list[str] = []
    for index, name in enumerate(header):
        field = FIELD_BY_NAME.get(normalize(name))
        if field is None:
            if name.strip():
                ignored.append(name.strip())
            continue
        if field in columns:
            first, second = _shown(header[columns[field]].strip()), _shown(name.strip())
            raise BadInput(
                f"columns {first!r} and {second!r} both name the {field} field; "
                "rename or remove one",
                detail={"field": field, "columns": [first, second]},
            )
        columns[field] = index
    missing = [field for field in REQUIRED if field not in columns]
    if missing:
        names = [name.strip() for name in header if name.strip()]
        found = [_shown(name) for name in names[:NAMES_SHOWN]]
        more = f" and {len(names) - NAMES_SHOWN:,} more" if len(names) > NAMES_SHOWN else ""
        raise MissingColumns(
            f"missing required column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)}; the header has: {', '.join(found) or 'no names'}{more}",
            detail={"missing": missing, "found": found},
        )
    return columns, tuple(ignored)


def _shown(name: str) -> str:
    return name if len(name) <= NAME_SHOWN else name[:NAME_SHOWN] + "..."
