"""The ``SortDirection`` enum of every list's sort input."""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum(description="Sort direction. Ties are broken by id in the same direction.")
class SortDirection(Enum):
    ASC = "ASC"
    DESC = "DESC"
