"""Run wrk against one scenario and read its summary.

The generated Lua script sets the request from the scenario (or runs the scenario's
packaged script after setting its globals), counts ``X-Cache`` values when the scenario
asks, and prints the summary as a JSON line from wrk's ``done()`` hook, so nothing depends
on wrk's text layout.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from shopx.bench.errors import BenchError
from shopx.bench.results import CacheCounts, LoadResult
from shopx.bench.scenarios import LuaValue, Scenario

JSON_MARKER = "SHOPX_WRK_JSON "
# Slow scenarios on large data must show up as high latency, not as wrk's 2 s timeouts.
REQUEST_TIMEOUT = "30s"


@dataclass(frozen=True)
class Load:
    duration: int
    connections: int
    threads: int


def wrk_binary() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise BenchError("wrk is not installed: run `apt-get install -y wrk` (or `make bench`)")
    return path


def lua_string(text: str) -> str:
    """A double-quoted Lua literal holding exactly the UTF-8 bytes of ``text``."""
    escaped = []
    for byte in text.encode():
        char = chr(byte)
        if char in '"\\':
            escaped.append("\\" + char)
        elif 32 <= byte < 127:
            escaped.append(char)
        else:
            escaped.append(f"\\{byte:03d}")
    return '"' + "".join(escaped) + '"'


def lua_value(value: LuaValue) -> str:
    if isinstance(value, str):
        return lua_string(value)
    if isinstance(value, tuple):
        return "{" + ", ".join(lua_string(item) for item in value) + "}"
    return repr(value)


def request_setup(scenario: Scenario) -> str:
    lines = [f"wrk.method = {lua_string(scenario.method)}"]
    if scenario.body is not None:
        lines.append(f"wrk.body = {lua_string(scenario.body)}")
    for name, value in scenario.headers:
        lines.append(f"wrk.headers[{lua_string(name)}] = {lua_string(value)}")
    lines += [f"{name} = {lua_value(value)}" for name, value in scenario.lua_globals]
    setup = "\n".join(lines) + "\n"
    if scenario.lua is not None:
        setup += "\n" + _packaged_lua(scenario.lua)
    return setup


def lua_script(scenario: Scenario) -> str:
    parts = [request_setup(scenario)]
    if scenario.counts_cache:
        parts.append(_packaged_lua("cache.lua"))
    parts.append(_packaged_lua("report.lua"))
    return "\n".join(parts)


def _packaged_lua(name: str) -> str:
    return resources.files("shopx.bench").joinpath("lua", name).read_text()


def parse_output(stdout: str) -> LoadResult:
    line = next((ln for ln in stdout.splitlines() if ln.startswith(JSON_MARKER)), None)
    if line is None:
        raise BenchError(f"wrk printed no summary; its output was:\n{stdout}")
    data = json.loads(line[len(JSON_MARKER) :])
    duration_s = data["duration_us"] / 1e6
    latency = data["latency_us"]
    return LoadResult(
        requests=data["requests"],
        duration_s=duration_s,
        rps=data["requests"] / duration_s if duration_s else 0.0,
        p50_ms=latency["p50"] / 1000,
        p95_ms=latency["p95"] / 1000,
        p99_ms=latency["p99"] / 1000,
        errors=sum(data["errors"].values()),
        cache=CacheCounts(**data["cache"]) if "cache" in data else None,
    )


def run_wrk(base_url: str, scenario: Scenario, load: Load) -> LoadResult:
    with tempfile.TemporaryDirectory(prefix="shopx-bench-") as folder:
        script = Path(folder) / f"{scenario.name}.lua"
        script.write_text(lua_script(scenario))
        command = [
            wrk_binary(),
            *("-t", str(load.threads), "-c", str(load.connections), "-d", f"{load.duration}s"),
            *("--timeout", REQUEST_TIMEOUT, "--latency", "-s", str(script)),
            base_url + scenario.path,
        ]
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=load.duration + 120, check=False
        )
    if done.returncode != 0:
        raise BenchError(f"wrk failed ({done.returncode}):\n{done.stderr or done.stdout}")
    return parse_output(done.stdout)
