"""A small HTTP/1.1 keep-alive client on asyncio streams, for the bench's own load generator.

It sends POSTs and reads whole responses, nothing more: on a 2-core machine shared with
the server, every microsecond the client spends is one the server does not get.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable
from dataclasses import dataclass
from urllib.parse import urlsplit

import uvloop

from shopx.bench.errors import BenchError
from shopx.bench.results import LoadResult
from shopx.bench.scenarios import Scenario, bench_token

IDLE_REOPEN_S = 3.0
"""Reopen a connection idle this long: uvicorn closes idle ones after 5 s, and a request
sent as it closes would fail for no fault of the API."""


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    headers: dict[bytes, bytes]
    """Lower-case names."""
    body: bytes


@dataclass(frozen=True)
class Target:
    """Where a scenario's requests go, and the headers every one of them carries."""

    host: str
    port: int
    path: str
    headers: tuple[tuple[str, str], ...]

    def connection(self) -> Connection:
        return Connection(self.host, self.port, self.headers)


def bench_target(
    base_url: str, scenario: Scenario, secret: str, *headers: tuple[str, str]
) -> Target:
    """``scenario``'s path at ``base_url``, its headers with ``headers`` in place of those of
    the same names, and the bench's admin token (signed with ``secret``) as Authorization."""
    replaced = {"Authorization", *(name for name, _ in headers)}
    own = tuple(h for h in scenario.headers if h[0] not in replaced)
    token = ("Authorization", f"Bearer {bench_token(secret)}")
    parts = urlsplit(base_url)
    return Target(
        parts.hostname or "127.0.0.1", parts.port or 80, scenario.path, (*own, *headers, token)
    )


def run_load(load: Awaitable[LoadResult]) -> LoadResult:
    """Run a load generator to its end on a uvloop event loop of its own."""
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(load)


class Connection:
    def __init__(self, host: str, port: int, headers: tuple[tuple[str, str], ...] = ()) -> None:
        self.host, self.port = host, port
        lines = [f"Host: {host}:{port}", *(f"{name}: {value}" for name, value in headers)]
        self._headers = "".join(line + "\r\n" for line in lines).encode("latin-1")
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._used_at = 0.0

    async def post(self, path: str, body: bytes, headers: bytes = b"") -> Response:
        """POST ``body``; ``headers`` are extra ``Name: value\\r\\n`` lines for this request.

        Raises OSError or asyncio.IncompleteReadError when the connection breaks; the next
        request opens a new one."""
        return await self._request(b"POST", path, body, headers)

    async def get(self, path: str) -> Response:
        """GET ``path`` (breaks as :meth:`post` does)."""
        return await self._request(b"GET", path, b"", b"")

    async def _request(self, method: bytes, path: str, body: bytes, headers: bytes) -> Response:
        if self._writer is None or time.monotonic() - self._used_at > IDLE_REOPEN_S:
            await self._open()
        assert self._reader is not None and self._writer is not None
        head = b"%s %s HTTP/1.1\r\n%s%sContent-Length: %d\r\n\r\n" % (
            method,
            path.encode(),
            self._headers,
            headers,
            len(body),
        )
        try:
            self._writer.write(head + body)
            response = await _read_response(self._reader)
        except BaseException:
            self.close()  # half a response may be left on it
            raise
        self._used_at = time.monotonic()
        if response.headers.get(b"connection", b"").lower() == b"close":
            self.close()
        return response

    async def _open(self) -> None:
        self.close()
        self._reader, self._writer = await asyncio.open_connection(self.host, self.port)

    def close(self) -> None:
        writer, self._reader, self._writer = self._writer, None, None
        if writer is not None:
            writer.close()


async def _read_response(reader: asyncio.StreamReader) -> Response:
    head = await reader.readuntil(b"\r\n\r\n")
    status_line, *lines = head[:-4].split(b"\r\n")
    parts = status_line.split(None, 2)
    if len(parts) < 2 or not parts[1].isdigit():
        raise BenchError(f"not an HTTP response: {status_line[:80]!r}")
    headers = {}
    for line in lines:
        name, _, value = line.partition(b":")
        headers[name.strip().lower()] = value.strip()
    if headers.get(b"transfer-encoding", b"").lower() == b"chunked":
        body = await _read_chunks(reader)
    else:
        body = await reader.readexactly(int(headers.get(b"content-length", b"0")))
    return Response(int(parts[1]), headers, body)


async def _read_chunks(reader: asyncio.StreamReader) -> bytes:
    chunks = []
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
        if size == 0:
            await reader.readuntil(b"\r\n")  # no trailers are sent to us
            return b"".join(chunks)
        chunks.append(await reader.readexactly(size))
        await reader.readexactly(2)
