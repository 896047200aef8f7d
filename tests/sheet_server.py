"""A local stand-in for Google Sheets' CSV export endpoint: an HTTP server on loopback that
answers each path as told (CSV, an error status, a sign-in page, a redirect), and can hold
its answers until a test lets them go."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

SIGN_IN_PAGE = b"<!DOCTYPE html><html><body>Sign in to continue to Sheets</body></html>"
"""What a sheet that is not shared answers at its export URL (with status 200)."""


@dataclass
class Answer:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/csv; charset=utf-8"
    location: str | None = None


@dataclass
class SheetServer:
    base: str
    answers: dict[str, Answer] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    open: threading.Event = field(default_factory=threading.Event)
    """Cleared: every answer waits until it is set again (or the server stops)."""

    def url(self, path: str) -> str:
        return self.base + path

    def serve(self, path: str, text: str) -> str:
        """Answer ``path`` with ``text`` as CSV from now on; its URL."""
        self.answers[path] = Answer(text.encode())
        return self.url(path)


@contextmanager
def sheet_server() -> Iterator[SheetServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    server.daemon_threads = True
    sheets = SheetServer(f"http://127.0.0.1:{server.server_address[1]}")
    sheets.open.set()
    stopping = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            sheets.requests.append(self.path)
            while not sheets.open.wait(0.05) and not stopping.is_set():
                pass
            answer = sheets.answers.get(path, Answer(b"no such sheet", 404, "text/plain"))
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(answer.body)))
            if answer.location:
                self.send_header("Location", answer.location)
            self.end_headers()
            self.wfile.write(answer.body)

        def log_message(self, *_: Any) -> None:
            pass

    server.RequestHandlerClass = Handler
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield sheets
    finally:
        stopping.set()
        server.shutdown()
        server.server_close()
