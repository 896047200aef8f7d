"""The bench harness logic: no wrk, no servers, no timing."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import pytest
from typer.testing import CliRunner

from shopx.bench import ceiling
from shopx.bench.cli import bench_app
from shopx.bench.errors import BenchError
from shopx.bench.latency import summarize
from shopx.bench.report import markdown_table, write_results
from shopx.bench.scenarios import SCENARIOS, Scenario, graphql, post_json, register, select
from shopx.bench.wrk import WrkResult, lua_script, lua_string, parse_output

WRK_STDOUT = """\
Running 1s test @ http://127.0.0.1:8766/health
  1 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   185.45us  114.98us   2.71ms   97.62%
  Latency Distribution
     50%  134.00us
     99%  410.00us
  24354 requests in 1.10s, 2.00MB read
  Socket errors: connect 0, read 3, write 0, timeout 1
  Non-2xx or 3xx responses: 5
Requests/sec:  22148.42
SHOPX_WRK_JSON {"requests":24354,"duration_us":1099582,"bytes":2094515,\
"errors":{"connect":0,"read":3,"write":0,"status":5,"timeout":1},\
"latency_us":{"p50":134,"p95":277,"p99":410,"mean":185.4,"max":2707}}
"""


def _result(rps: float, *, errors: int = 0) -> WrkResult:
    return WrkResult(
        requests=int(rps * 10),
        duration_s=10.0,
        rps=rps,
        p50_ms=1.5,
        p95_ms=3.25,
        p99_ms=7.0,
        errors=errors,
    )


def test_parse_output_reads_the_json_summary_line() -> None:
    result = parse_output(WRK_STDOUT)

    assert result.requests == 24354
    assert result.duration_s == pytest.approx(1.099582)
    assert result.rps == pytest.approx(24354 / 1.099582)
    assert (result.p50_ms, result.p95_ms, result.p99_ms) == (0.134, 0.277, 0.41)
    assert result.errors == 9


def test_parse_output_without_summary_says_what_wrk_printed() -> None:
    with pytest.raises(BenchError, match="unable to connect"):
        parse_output("unable to connect to 127.0.0.1:1 Connection refused\n")


def test_markdown_table_reports_each_scenario_as_share_of_ceiling() -> None:
    table = markdown_table(
        {"health": _result(5000, errors=2), "dashboard": _result(1250.4)}, _result(20000)
    )

    lines = table.splitlines()
    assert lines[0] == "| scenario | rps | p50 ms | p95 ms | p99 ms | errors | % of ceiling |"
    assert lines[2] == "| health | 5,000 | 1.50 | 3.25 | 7.00 | 2 | 25.0% |"
    assert lines[3] == "| dashboard | 1,250 | 1.50 | 3.25 | 7.00 | 0 | 6.3% |"
    assert lines[4] == "| ceiling | 20,000 | 1.50 | 3.25 | 7.00 | 0 | 100.0% |"


def test_markdown_table_without_ceiling_shows_no_share() -> None:
    table = markdown_table({"health": _result(5000)}, None)

    assert table.splitlines()[-1].endswith("| n/a |")


def test_lua_string_escapes_quotes_backslashes_control_and_non_ascii() -> None:
    assert lua_string('a"b\\c\nd\té') == '"a\\"b\\\\c\\010d\\009\\195\\169"'


def test_lua_script_for_post_scenario_sets_method_body_and_headers() -> None:
    scenario = post_json(
        "orders", "Create-like POST.", "/api", {"q": 'say "hi"\n'}, headers=(("X-Key", "k"),)
    )

    script = lua_script(scenario)

    assert 'wrk.method = "POST"' in script
    assert 'wrk.body = "{\\"q\\":\\"say \\\\\\"hi\\\\\\"\\\\n\\"}"' in script
    assert 'wrk.headers["Content-Type"] = "application/json"' in script
    assert 'wrk.headers["X-Key"] = "k"' in script
    assert "function done(summary, latency, requests)" in script


def test_lua_script_for_get_scenario_sends_no_body() -> None:
    script = lua_script(SCENARIOS["health"])

    assert 'wrk.method = "GET"' in script
    assert "wrk.body" not in script


def test_graphql_scenario_posts_query_and_variables_as_json() -> None:
    scenario = graphql("overview", "Overview.", "query($p: Period) { x }", {"p": "MONTH"})

    assert (scenario.method, scenario.path) == ("POST", "/graphql")
    assert json.loads(scenario.body or "") == {
        "query": "query($p: Period) { x }",
        "variables": {"p": "MONTH"},
    }


def test_register_rejects_a_duplicate_name() -> None:
    with pytest.raises(BenchError, match="already registered"):
        register(Scenario("health", "Another health.", "/other"))

    assert SCENARIOS["health"].path == "/health"


def test_select_defaults_to_all_and_rejects_unknown_names() -> None:
    assert select(None) == list(SCENARIOS.values())
    assert select(["health", "health"]) == [SCENARIOS["health"]]
    with pytest.raises(BenchError, match="unknown scenario"):
        select(["health", "nope"])


def test_cli_reports_unknown_scenario_without_traceback() -> None:
    outcome = CliRunner().invoke(bench_app, ["--scenarios", "health,nope"])

    assert outcome.exit_code == 1
    assert "unknown scenario(s): nope" in outcome.output


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_ceiling_answers_fixed_json(method: str) -> None:
    transport = httpx.ASGITransport(app=ceiling.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        response = await client.request(method, "/graphql", content=b'{"query":"{ x }"}' * 100)

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"status": "ok"}


async def test_ceiling_completes_lifespan() -> None:
    incoming = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]
    sent: list[dict[str, str]] = []

    async def receive() -> dict[str, str]:
        return incoming.pop(0)

    async def send(message: dict[str, str]) -> None:
        sent.append(message)

    await ceiling.app({"type": "lifespan"}, receive, send)

    assert [m["type"] for m in sent] == ["lifespan.startup.complete", "lifespan.shutdown.complete"]


def test_summarize_takes_median_and_nearest_rank_p95() -> None:
    stats = summarize([float(ms) for ms in range(20, 0, -1)], errors=1)

    assert (stats.runs, stats.median_ms, stats.p95_ms) == (20, 10.5, 19.0)
    assert (stats.min_ms, stats.max_ms, stats.errors) == (1.0, 20.0, 1)


def test_write_results_names_files_by_time_and_label(tmp_path) -> None:
    started_at = datetime(2025, 3, 4, 5, 6, 7, tzinfo=UTC)

    paths = write_results(tmp_path, started_at, "pg M/w4", "# table\n", {"ok": True})

    assert [p.name for p in paths] == [
        "20250304T050607Z-pg-M-w4.md",
        "20250304T050607Z-pg-M-w4.json",
    ]
    assert json.loads(paths[1].read_text()) == {"ok": True}
