"""What the client asked for, so resolvers can skip work nobody will read."""

from __future__ import annotations

from typing import Any

from strawberry.types import Info


def selects(info: Info[Any, Any], field: str) -> bool:
    """True when ``field`` is selected directly under the resolver's own field."""
    return any(
        getattr(child, "name", None) == field
        for selected in info.selected_fields
        for child in getattr(selected, "selections", [])
    )
