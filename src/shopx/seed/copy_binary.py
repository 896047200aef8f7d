"""PostgreSQL's binary COPY format, encoded from columns with numpy.

Each row is a 16-bit field count, then per field a 32-bit byte length (-1 for NULL) and
the bytes, all big-endian. Every field gets a fixed-width slot in a numpy record; rows
whose fields are all fixed-width are the records as they are, and rows with text or
NULLs are cut out of the records with a byte mask. Either way no Python runs per row.
"""

from __future__ import annotations

import numpy as np

from shopx.columnar.tables import DATE, Categorical, Column

HEADER = b"PGCOPY\n\xff\r\n\x00" + bytes(8)
TRAILER = b"\xff\xff"
POSTGRES_EPOCH = np.datetime64("2000-01-01T00:00:00", "us")
NULL_LENGTH = -1


def _fixed_values(column: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """Big-endian values and, when some are NULL, the mask of present ones."""
    if column.dtype == DATE:
        return (column - POSTGRES_EPOCH.astype(DATE)).astype(">i4"), None
    if column.dtype.kind == "M":
        present = ~np.isnat(column)
        micros = (column - POSTGRES_EPOCH).astype(np.int64)
        return micros.astype(">i8"), None if present.all() else present
    if isinstance(column, np.ma.MaskedArray):
        present = ~np.ma.getmaskarray(column)
        return column.filled(0).astype(column.dtype.newbyteorder(">")), present
    if column.dtype == np.bool_:
        return column.astype(np.uint8), None
    return column.astype(column.dtype.newbyteorder(">")), None


def _text_values(column: Column) -> tuple[np.ndarray, np.ndarray]:
    """Texts as fixed-width bytes and their lengths (-1 for NULL)."""
    if isinstance(column, Categorical):
        encoded = [label.encode() for label in column.labels]
        lengths = np.array([len(label) for label in encoded], dtype=np.int32)
        return np.array(encoded, dtype=bytes)[column.codes], lengths[column.codes]
    texts = column.tolist()
    encoded = [b"" if value is None else value.encode() for value in texts]
    lengths = np.array([len(value) for value in encoded], dtype=np.int32)
    lengths[[value is None for value in texts]] = NULL_LENGTH
    return np.array(encoded, dtype=bytes), lengths


def _slots(columns: list[Column]) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per field: its value bytes (``n`` x width) and its byte lengths (``n``)."""
    slots = []
    for column in columns:
        if isinstance(column, Categorical) or column.dtype == object:
            values, lengths = _text_values(column)
            width = max(values.dtype.itemsize, 1)
            raw = values.astype(f"S{width}").view(np.uint8).reshape(len(values), width)
        else:
            values, present = _fixed_values(column)
            raw = values.view(np.uint8).reshape(len(values), values.dtype.itemsize)
            lengths = np.full(len(values), raw.shape[1], dtype=np.int32)
            if present is not None:
                lengths[~present] = NULL_LENGTH
        slots.append((raw, lengths))
    return slots


def encode_rows(columns: list[Column]) -> bytes:
    """The rows of ``columns`` (all the same length) in binary COPY format, no header."""
    count = len(columns[0])
    slots = _slots(columns)
    widths = [raw.shape[1] for raw, _ in slots]
    record = np.empty((count, 2 + sum(4 + width for width in widths)), dtype=np.uint8)
    record[:, :2] = np.array([len(columns)], dtype=">i2").view(np.uint8)
    keep = None
    at = 2
    for (raw, lengths), width in zip(slots, widths, strict=True):
        record[:, at : at + 4] = lengths.astype(">i4").view(np.uint8).reshape(count, 4)
        record[:, at + 4 : at + 4 + width] = raw
        full = lengths == width
        if not full.all():
            keep = np.ones(record.shape, dtype=bool) if keep is None else keep
            keep[:, at + 4 : at + 4 + width] = np.arange(width) < np.maximum(lengths, 0)[:, None]
        at += 4 + width
    return record.tobytes() if keep is None else record[keep].tobytes()
