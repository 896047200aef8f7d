"""Is an answer a failure, and does a scenario's every request succeed before it is timed?

wrk counts HTTP errors only, unless a scenario has it read every body (which costs it
throughput): a request that GraphQL answers with ``errors`` and status 200 would pass as a
fast success. So each request a wrk scenario sends is sent once first, one at a time, and
a failure stops the bench with what the server answered.
"""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterable, Iterator
from contextlib import closing
from urllib.parse import urlsplit

from shopx.bench.errors import BenchError
from shopx.bench.processes import HOST
from shopx.bench.scenarios import Scenario

SHOWN = 300
"""Characters of a failed answer quoted in the error."""


def failed(status: int, body: bytes) -> bool:
    """An HTTP error, or a GraphQL answer that carries errors (GraphQL answers them with 200)."""
    if status >= 400:
        return True
    if not body.startswith(b"{"):
        return False
    try:
        answer = json.loads(body)
    except ValueError:
        return True
    return isinstance(answer, dict) and bool(answer.get("errors"))


def requests_of(scenario: Scenario) -> tuple[str | None, ...]:
    """The distinct bodies a scenario sends: its one body, or those its script takes turns
    with (the ``pages`` and ``varied`` globals of ``mixed.lua``)."""
    if scenario.lua is None:
        return (scenario.body,)
    bodies: list[str | None] = []
    for name, value in scenario.lua_globals:
        if name in ("pages", "varied") and isinstance(value, tuple):
            bodies.extend(value)
    return tuple(dict.fromkeys(bodies)) or (scenario.body,)


def one_by_one(
    base_url: str, scenario: Scenario, bodies: Iterable[str | None], *, timeout: float
) -> Iterator[tuple[http.client.HTTPResponse, bytes]]:
    """Each of ``bodies`` sent as ``scenario``'s request, one after another on one
    connection: (response, its body) of each. Close it to close the connection."""
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname or HOST, parts.port, timeout=timeout)
    try:
        for body in bodies:
            sent = body.encode() if body is not None else None
            connection.request(scenario.method, scenario.path, sent, dict(scenario.headers))
            response = connection.getresponse()
            yield response, response.read()
    finally:
        connection.close()


def check_answers(base_url: str, scenario: Scenario) -> None:
    """Send each of ``scenario``'s requests once; raise :class:`BenchError` on a failure."""
    with closing(one_by_one(base_url, scenario, requests_of(scenario), timeout=120)) as sent:
        for response, answer in sent:
            if failed(response.status, answer):
                shown = answer[:SHOWN].decode(errors="replace")
                raise BenchError(
                    f"{scenario.name}: {scenario.method} {scenario.path} answered"
                    f" {response.status} {shown}; the scenario would time failures"
                )
