"""Benchmark scenarios: one HTTP request each, repeated under load.

Other modules add scenarios with ``register``; POST scenarios with a JSON body (GraphQL
queries in particular) need no hand-written Lua, the wrk script is generated from them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from shopx.bench.errors import BenchError

JSON_CONTENT_TYPE = ("Content-Type", "application/json")


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    path: str
    method: str = "GET"
    body: str | None = None
    headers: tuple[tuple[str, str], ...] = ()
    lua: str | None = None
    """A script in ``shopx/bench/lua/`` that replaces the generated request setup."""


def post_json(
    name: str,
    description: str,
    path: str,
    payload: Any,
    *,
    headers: tuple[tuple[str, str], ...] = (),
) -> Scenario:
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    all_headers = (JSON_CONTENT_TYPE, *headers)
    return Scenario(name, description, path, method="POST", body=body, headers=all_headers)


def graphql(
    name: str,
    description: str,
    query: str,
    variables: Mapping[str, Any] | None = None,
    *,
    path: str = "/graphql",
) -> Scenario:
    payload: dict[str, Any] = {"query": query}
    if variables:
        payload["variables"] = dict(variables)
    return post_json(name, description, path, payload)


_registry: dict[str, Scenario] = {}
SCENARIOS: Mapping[str, Scenario] = MappingProxyType(_registry)


def register(scenario: Scenario) -> Scenario:
    if scenario.name in _registry:
        raise BenchError(f"a scenario named {scenario.name!r} is already registered")
    _registry[scenario.name] = scenario
    return scenario


def select(names: Iterable[str] | None) -> list[Scenario]:
    """The named scenarios in the order given, or every registered one when none are named."""
    wanted = list(dict.fromkeys(names or ()))
    if not wanted:
        return list(_registry.values())
    unknown = [name for name in wanted if name not in _registry]
    if unknown:
        known = ", ".join(_registry) or "none"
        raise BenchError(f"unknown scenario(s): {', '.join(unknown)} (registered: {known})")
    return [_registry[name] for name in wanted]


register(Scenario("health", "Liveness probe, the cheapest request the API answers.", "/health"))
