"""Run wrk against one scenario and read its summary.

The generated Lua script sets the request from the scenario and prints the summary as a
JSON line from wrk's ``done()`` hook, so nothing depends on wrk's text layout.
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
from shopx.bench.scenarios import Scenario

JSON_MARKER = "SHOPX_WRK_JSON "
# Slow scenarios on large data must show up as high latency, not as wrk's 2 s timeouts.
REQUEST_TIMEOUT = "30s"


@dataclass(frozen=True)
class Load:
    duration: int
    connections: int
    threads: int


@dataclass(frozen=True)
class WrkResult:
    requests: int
    duration_s: float
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int


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


def request_setup(scenario: Scenario) -> str:
    if scenario.lua is not None:
        return _packaged_lua(scenario.lua)
    lines = [f"wrk.method = {lua_string(scenario.method)}"]
    if scenario.body is not None:
        lines.append(f"wrk.body = {lua_string(scenario.body)}")
    for name, value in scenario.headers:
        lines.append(f"wrk.headers[{lua_string(name)}] = {lua_string(value)}")
    return "\n".join(lines) + "\n"


def lua_script(scenario: Scenario) -> str:
    return request_setup(scenario) + "\n" + _packaged_lua("report.lua")


def _packaged_lua(name: str) -> str:
    return resources.files("shopx.bench").joinpath("lua", name).read_text()


def parse_output(stdout: str) -> WrkResult:
    line = next((ln for ln in stdout.splitlines() if ln.startswith(JSON_MARKER)), None)
    if line is None:
        raise BenchError(f"wrk printed no summary; its output was:\n{stdout}")
    data = json.loads(line[len(JSON_MARKER) :])
    duration_s = data["duration_us"] / 1e6
    latency = data["latency_us"]
    return WrkResult(
        requests=data["requests"],
        duration_s=duration_s,
        rps=data["requests"] / duration_s if duration_s else 0.0,
        p50_ms=latency["p50"] / 1000,
        p95_ms=latency["p95"] / 1000,
        p99_ms=latency["p99"] / 1000,
        errors=sum(data["errors"].values()),
    )


def run_wrk(base_url: str, scenario: Scenario, load: Load) -> WrkResult:
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
