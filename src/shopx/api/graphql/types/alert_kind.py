"""The ``AlertKind`` enum: what an alert is about (:mod:`shopx.alerts`)."""

from __future__ import annotations

import strawberry

from shopx.alerts import repository
from shopx.api.graphql.definitions import definition

AlertKind = strawberry.enum(
    repository.AlertKind, name="AlertKind", description=definition(repository.AlertKind)
)
