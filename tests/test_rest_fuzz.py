"""Schemathesis over the OpenAPI of the REST catalog and KPI routes, against a real
``shopx serve`` on a small seeded shop: no generated request gets a server error, and every
answer matches the documented schema of its status."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from shopx.bench.processes import Server
from tests.servers import seeded_server

SECRET = "rest-fuzz-secret-" + "x" * 32
ROUTES = "^/api/v1/(products|kpis)"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``shopx serve`` on a SQLite database seeded at scale XS, anonymous reads on."""
    with seeded_server(tmp_path_factory.mktemp("rest-fuzz"), secret=SECRET) as running:
        yield running


@pytest.fixture(scope="module")
def rest_schema(server: Server) -> schemathesis.schemas.BaseSchema:
    schema = schemathesis.openapi.from_url(f"{server.base_url}/openapi.json")
    return schema.include(path_regex=ROUTES)


def test_no_generated_request_gets_a_server_error(rest_schema, server: Server) -> None:
    operations = [result.ok() for result in rest_schema.get_all_operations()]
    assert len(operations) >= 7  # every catalog route and the KPI summary
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=40,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        )
        def check(case: schemathesis.Case) -> None:
            case.call_and_validate(
                base_url=server.base_url,
                checks=[not_a_server_error, status_code_conformance, response_schema_conformance],
            )

        check()
