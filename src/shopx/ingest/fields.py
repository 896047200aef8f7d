"""One record of a sales file (its fields, as the CSV reader split them) into a
:class:`SaleRow`, or into every :class:`RowError` it has."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import lru_cache

from shopx.db.models import OrderStatus
from shopx.ingest.amounts import AmountError, to_cents, to_quantity
from shopx.ingest.dates import DateError
from shopx.ingest.rows import RowError, SaleRow
from shopx.text import MULTILINE, composed, refusal

STATUSES = {
    "completed": OrderStatus.COMPLETED,
    "complete": OrderStatus.COMPLETED,
    "paid": OrderStatus.COMPLETED,
    "refunded": OrderStatus.REFUNDED,
    "refund": OrderStatus.REFUNDED,
    "cancelled": OrderStatus.CANCELLED,
    "canceled": OrderStatus.CANCELLED,
    "pending": OrderStatus.PENDING,
    "processing": OrderStatus.PROCESSING,
}
TEXT_LIMITS = {
    "product_name": 200,
    "order_id": 120,
    "customer_id": 120,
    "customer_email": 254,
    "customer_name": 200,
    "category": 120,
    "sales_rep": 200,
    "region": 64,
    "payment_mode": 32,
}
"""The longest value each text column may hold (the database's column widths)."""
VALUE_SHOWN = 200
UNREADABLE = "holds a NUL or a byte the file's encoding cannot read"


OPTIONAL = (
    "order_id",
    "customer_id",
    "customer_email",
    "customer_name",
    "category",
    "sales_rep",
    "region",
    "payment_mode",
)
"""The text fields of :class:`SaleRow` after ``status``, in its order."""
COMPLETED, REFUNDED = OrderStatus.COMPLETED, OrderStatus.REFUNDED


class RecordReader:
    """Reads the records of one file, whose columns and settings are known."""

    def __init__(
        self,
        columns: dict[str, int],
        *,
        width: int,
        read_date: Callable[[str], datetime],
        decimal: str | None,
    ) -> None:
        self.columns = columns
        self.width = max(width, *(index + 1 for index in columns.values()))
        """The header's columns (trailing unnamed ones aside)."""
        self.read_date = read_date
        self.decimal = decimal
        self._date = columns["date"]
        self._product = columns["product_name"]
        self._amount = columns["amount"]
        self._quantity = columns.get("quantity")
        self._unit_price = columns.get("unit_price")
        self._status = columns.get("status")
        self._texts = [
            (slot, name, columns[name], TEXT_LIMITS[name])
            for slot, name in enumerate(OPTIONAL)
            if name in columns
        ]
        self._email_slot = OPTIONAL.index("customer_email") if "customer_email" in columns else -1

    def read(self, line: int, fields: list[str]) -> SaleRow | list[RowError]:
        """The row of the record starting at physical ``line``, or its errors."""
        if len(fields) < self.width:
            fields = _Short(fields)
        errors: list[RowError] = []
        texts: list[str | None] = [None] * len(OPTIONAL)
        for slot, name, index, limit in self._texts:
            value = _text(line, name, fields[index].strip(), limit, errors)
            texts[slot] = value or None
        if self._email_slot >= 0 and (email := texts[self._email_slot]) is not None:
            if "@" not in email[1:-1]:
                errors.append(_error(line, "customer_email", email, "not an email address"))
            texts[self._email_slot] = email.lower()
        product = fields[self._product].strip()
        if not product:
            errors.append(_error(line, "product_name", product, "missing"))
        else:
            product = _text(line, "product_name", product, TEXT_LIMITS["product_name"], errors)
        record = "".join(fields)
        if "\x00" in record or "\ufffd" in record:
            errors.extend(_unreadable(line, fields, self.columns))

        ordered_at = self._read_date(line, fields[self._date].strip(), errors)
        status = self._read_status(line, fields, errors)
        amount = self._read_money(line, "amount", fields[self._amount].strip(), status, errors)
        quantity = self._read_quantity(line, fields, errors)
        unit_price = None
        if self._unit_price is not None and (text := fields[self._unit_price].strip()):
            unit_price = self._read_money(line, "unit_price", text, status, errors)
        if errors or ordered_at is None or amount is None or quantity is None:
            return errors
        if unit_price is None:
            unit_price = _divide_half_even(amount, quantity)
        return SaleRow(line, ordered_at, product, amount, quantity, unit_price, status, *texts)

    def _read_date(self, line: int, text: str, errors: list[RowError]) -> datetime | None:
        if not text:
            errors.append(_error(line, "date", text, "missing"))
            return None
        try:
            return self.read_date(text)
        except DateError as error:
            errors.append(_error(line, "date", text, str(error)))
            return None

    def _read_status(self, line: int, fields: list[str], errors: list[RowError]) -> OrderStatus:
        if self._status is None or not (text := fields[self._status].strip()):
            return COMPLETED
        status = STATUSES.get(text) or STATUSES.get(text.lower())
        if status is None:
            errors.append(_error(line, "status", text, "unknown status"))
            return COMPLETED
        return status

    def _read_money(
        self,
        line: int,
        column: str,
        text: str,
        status: OrderStatus,
        errors: list[RowError],
    ) -> int | None:
        if not text:
            errors.append(_error(line, column, text, "missing"))
            return None
        try:
            cents = to_cents(text, self.decimal)
        except AmountError as error:
            errors.append(_error(line, column, text, str(error)))
            return None
        if cents > 0:
            return cents
        if cents < 0 and status is REFUNDED:
            return -cents
        reason = "must be more than zero" if cents == 0 else "negative (only a refund may be)"
        errors.append(_error(line, column, text, reason))
        return None

    def _read_quantity(self, line: int, fields: list[str], errors: list[RowError]) -> int | None:
        if self._quantity is None or not (text := fields[self._quantity].strip()):
            return 1
        if len(text) < 7 and text.isdigit() and text.isascii() and text[0] != "0":
            return int(text)
        try:
            return to_quantity(text, self.decimal)
        except AmountError as error:
            errors.append(_error(line, "quantity", text, str(error)))
            return None


class _Short(list[str]):
    """A record with fewer values than the header has columns: the missing ones read as
    empty. Padding it out instead costs the header's width per row, which a header of
    100k columns turns into hours over a large file."""

    def __getitem__(self, index: int) -> str:  # type: ignore[override]
        return list.__getitem__(self, index) if index < len(self) else ""


def _unreadable(line: int, fields: list[str], columns: dict[str, int]) -> list[RowError]:
    """Errors for the values holding a NUL or an undecodable byte, named by their field."""
    names = {index: name for name, index in columns.items()}
    return [
        _error(line, names.get(index), value, UNREADABLE)
        for index, value in enumerate(fields)
        if "\x00" in value or "\ufffd" in value
    ]


def _divide_half_even(amount: int, quantity: int) -> int:
    quotient, remainder = divmod(amount, quantity)
    if 2 * remainder > quantity or (2 * remainder == quantity and quotient % 2):
        quotient += 1
    return quotient


CELL_ALLOWS = MULTILINE + "\x00"
"""A spreadsheet cell may break lines; NUL is reported as unreadable (:func:`_unreadable`)."""


def _text(line: int, name: str, value: str, limit: int, errors: list[RowError]) -> str:
    """``value`` held to :mod:`shopx.text` (NFC; no control, invisible formatting or
    private-use characters, as the API's inputs) and to its column's length ``limit``;
    what is wrong becomes a row error."""
    if len(value) > limit:
        errors.append(_error(line, name, value, f"longer than {limit} characters"))
        return composed(value)
    reason, text = _verdict(value)
    if reason is not None:
        errors.append(_error(line, name, value, f"contains {reason}"))
    return text


@lru_cache(maxsize=1 << 16)
def _verdict(value: str) -> tuple[str | None, str]:
    """Why a cell's ``value`` may not be stored (or None), and its NFC form: a file repeats
    its names, emails and regions on row after row."""
    return refusal(value, allow=CELL_ALLOWS), composed(value)


SHOWN_NUL = "\u2400"
"""How a NUL in a value is shown (PostgreSQL text cannot hold the character itself)."""


def _error(line: int, column: str | None, value: str | None, reason: str) -> RowError:
    shown = value[:VALUE_SHOWN].replace("\x00", SHOWN_NUL) if value is not None else None
    return RowError(line=line, column=column, value=shown, reason=reason)
