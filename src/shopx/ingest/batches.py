"""An import's rows as the importer writes them: batches of whole orders, each order's rows
with their keys (:mod:`shopx.ingest.keys`).

:class:`Preparer` re-cuts the parser's batches (or lists of rows) into batches of about the
import's batch size, never splitting the consecutive rows of one ``order_id``, and groups
each batch's rows by order. It needs no database, so it can run wherever the parser runs:
in the importer's worker thread, or with the parser in a second process
(:mod:`shopx.ingest.process`).

Grouping: rows sharing an ``order_id`` form one order; their times, customers and statuses
must agree, or every row of that order in the batch is reported. A row without an
``order_id`` is an order of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from shopx.ingest.keys import (
    Occurrences,
    customer_identity,
    line_fingerprint,
    line_values,
    order_fingerprint,
)
from shopx.ingest.rows import RowError, SaleRow


@dataclass(slots=True)
class Group:
    """The rows of one order in a batch, and their keys."""

    rows: list[SaleRow]
    keys: list[bytes]
    ref: str | None
    ref_key: bytes | None = None
    """The key of the order reference (:func:`order_fingerprint`), with ``ref``."""


@dataclass
class Batch:
    """Good rows, the errors of the bad ones, and how far through the file it is (0-100,
    None when it cannot tell). A prepared batch (:meth:`Preparer.prepare`) also has its
    rows grouped by order, and the records it read."""

    rows: list[SaleRow]
    errors: list[RowError] = field(default_factory=list)
    percent: float | None = None
    groups: list[Group] | None = None
    """None until prepared."""
    read: int = 0
    """Records read: the good rows and the lines of the bad ones (set when prepared)."""


class Parsed(Protocol):
    """A batch as the parser hands it over (:class:`shopx.ingest.parse.Batch`)."""

    rows: list[SaleRow]
    errors: list[RowError]


Incoming = list[SaleRow] | Parsed | Batch
"""What an import is fed: lists of rows, the parser's batches, or batches of its own."""


class Preparer:
    """One import's batches, re-cut and grouped (module doc); it keeps what spans batches
    (the rows of an order not finished yet, the count of identical rows)."""

    def __init__(self, size: int, total_bytes: int | None = None) -> None:
        self.size = size
        self.total_bytes = total_bytes
        self._rows: list[SaleRow] = []
        self._errors: list[RowError] = []
        self._percent: float | None = None
        self._occurrences = Occurrences()

    def feed(self, item: Incoming) -> Iterator[Batch]:
        """The prepared batches that ``item`` completes."""
        batch = self._as_batch(item)
        self._rows.extend(batch.rows)
        self._errors.extend(batch.errors)
        self._percent = batch.percent if batch.percent is not None else self._percent
        while len(self._rows) >= self.size:
            yield self.prepare(self._cut())

    def finish(self) -> Iterator[Batch]:
        """The last batch: what is left after the incoming batches ended."""
        if self._rows or self._errors:
            rows, errors, self._rows, self._errors = self._rows, self._errors, [], []
            yield self.prepare(Batch(rows, errors, self._percent))

    def all(self, items: Iterable[Incoming]) -> Iterator[Batch]:
        """Every prepared batch of ``items``."""
        for item in items:
            yield from self.feed(item)
        yield from self.finish()

    def _cut(self) -> Batch:
        """The first ``size`` rows, less the trailing rows sharing the last one's
        ``order_id``, which wait for the next batch (one order longer than ``size`` is
        kept whole instead)."""
        rows = self._rows
        cut = self.size
        last = rows[cut - 1].order_id
        if last is not None:
            start = cut
            while start > 0 and rows[start - 1].order_id == last:
                start -= 1
            cut = start or cut
            # Keep the whole order if it continues past the cut.
            if start == 0:
                while cut < len(rows) and rows[cut].order_id == last:
                    cut += 1
        head, self._rows = rows[:cut], rows[cut:]
        cut_line = head[-1].line
        errors = [e for e in self._errors if e.line <= cut_line]
        self._errors = [e for e in self._errors if e.line > cut_line]
        return Batch(head, errors, self._percent)

    def _as_batch(self, item: Incoming) -> Batch:
        """One incoming item as a :class:`Batch`: a list of rows, one of ours, or the
        parser's (its ``bytes_read`` of ``total_bytes`` gives the percent)."""
        if isinstance(item, list):
            return Batch(item)
        if isinstance(item, Batch):
            return item
        done = getattr(item, "bytes_read", None)
        total = self.total_bytes
        percent = 100.0 * done / total if done is not None and total else None
        return Batch(list(item.rows), list(item.errors), percent)

    def prepare(self, batch: Batch) -> Batch:
        """``batch`` with its rows grouped by order and their keys; the rows of an order
        whose time, customer or status disagree are reported instead."""
        errors = list(batch.errors)
        read = len(batch.rows) + len({error.line for error in errors})
        by_ref: dict[str, list[SaleRow]] = {}
        ordered: list[Group | str] = []
        for row in batch.rows:
            if row.order_id is None:
                ordered.append(Group([row], [self._occurrences.key(row)], None))
            elif row.order_id in by_ref:
                by_ref[row.order_id].append(row)
            else:
                by_ref[row.order_id] = [row]
                ordered.append(row.order_id)
        groups: list[Group] = []
        for entry in ordered:
            if isinstance(entry, Group):
                groups.append(entry)
                continue
            ref, members = entry, by_ref[entry]
            reason = _disagreement(members)
            if reason is not None:
                errors.extend(RowError(row.line, "order_id", ref[:200], reason) for row in members)
                continue
            seen: dict[tuple[Any, ...], int] = {}
            keys = []
            for row in members:
                line = line_values(row)
                occurrence = seen.get(line, 0)
                keys.append(line_fingerprint(row, occurrence))
                seen[line] = occurrence + 1
            groups.append(Group(members, keys, ref, order_fingerprint(ref)))
        return Batch(batch.rows, errors, batch.percent, groups, read)


def _disagreement(rows: Sequence[SaleRow]) -> str | None:
    first = rows[0]
    who = customer_identity(first)
    for row in rows[1:]:
        if row.ordered_at != first.ordered_at:
            return "rows of this order_id have different dates"
        if customer_identity(row) != who:
            return "rows of this order_id name different customers"
        if row.status != first.status:
            return "rows of this order_id have different statuses"
    return None
