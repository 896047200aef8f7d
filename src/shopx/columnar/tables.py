"""Generated rows held as columns, which both bulk loaders read.

A column's numpy type says what the database column is, because PostgreSQL's binary
COPY needs exact widths: ``int64`` is BIGINT (ids, cents), ``int32`` is INTEGER,
``bool`` is BOOLEAN, ``datetime64[us]`` is a UTC timestamp (``NaT`` is NULL),
``datetime64[D]`` is a DATE, an object array holds text (``None`` is NULL), a masked
``int64`` array is a nullable BIGINT, and :class:`Categorical` is text drawn from a
few labels.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

DATE = np.dtype("datetime64[D]")


@dataclass(frozen=True)
class Categorical:
    codes: np.ndarray
    labels: tuple[str, ...]

    def __post_init__(self) -> None:
        # A few labels: one byte per row instead of eight (10M orders have three such columns).
        if len(self.labels) <= np.iinfo(np.int8).max and self.codes.dtype != np.int8:
            object.__setattr__(self, "codes", self.codes.astype(np.int8))

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, rows: slice | np.ndarray) -> Categorical:
        return Categorical(self.codes[rows], self.labels)

    def values(self) -> np.ndarray:
        return np.array(self.labels, dtype=object)[self.codes]

    def counts(self) -> dict[str, int]:
        tally = np.bincount(self.codes, minlength=len(self.labels))
        return dict(zip(self.labels, tally.tolist(), strict=True))


Column = np.ndarray | Categorical


@dataclass(frozen=True)
class Table:
    name: str
    columns: dict[str, Column]

    @property
    def rows(self) -> int:
        return len(next(iter(self.columns.values())))

    def chunks(self, size: int) -> Iterator[Table]:
        """The table cut into runs of at most ``size`` rows."""
        for start in range(0, self.rows, size):
            yield Table(
                self.name,
                {name: column[start : start + size] for name, column in self.columns.items()},
            )


def text_column(values: list[str | None]) -> np.ndarray:
    column = np.empty(len(values), dtype=object)
    column[:] = values
    return column


def nullable_ids(ids: np.ndarray, present: np.ndarray) -> np.ma.MaskedArray:
    return np.ma.MaskedArray(ids.astype(np.int64), mask=~present)


def timestamps(epoch_seconds: np.ndarray) -> np.ndarray:
    """UTC timestamps from seconds since the Unix epoch."""
    return epoch_seconds.astype("datetime64[s]").astype("datetime64[us]")
