"""Local stand-ins for the outside world that jobs notify: an SMTP server (aiosmtpd) and a
webhook receiver, each recording what reached it."""

from __future__ import annotations

import json
import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller

from shopx.bench.processes import free_port


@dataclass
class Inbox:
    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = message_from_bytes(envelope.original_content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        return "250 OK"


@contextmanager
def smtp_server() -> Iterator[tuple[str, Inbox]]:
    """An SMTP server on loopback: (its smtp:// URL, the inbox it fills)."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield f"smtp://127.0.0.1:{port}", inbox
    finally:
        controller.stop()


@dataclass
class Hooks:
    received: list[dict[str, Any]] = field(default_factory=list)
    status: int = 204
    pause: float = 0.0
    """Seconds each answer waits before it starts."""
    drip: bool = False
    """Answer a status line and headers, then a byte of the body every tenth of a second,
    never finishing (each read of the client gets something, so no read timeout fires)."""
    closing: threading.Event = field(default_factory=threading.Event)


@contextmanager
def webhook_server() -> Iterator[tuple[str, Hooks]]:
    """An HTTP endpoint on loopback that records each JSON POST and answers ``hooks.status``."""
    hooks = Hooks()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            hooks.received.append(json.loads(self.rfile.read(length)))
            hooks.closing.wait(hooks.pause)
            self.send_response(hooks.status)
            self.send_header("Content-Length", "1000000" if hooks.drip else "0")
            self.end_headers()
            while hooks.drip and not hooks.closing.wait(0.1):
                try:
                    self.wfile.write(b" ")
                    self.wfile.flush()
                except OSError:  # the client gave up
                    return

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook", hooks
    finally:
        hooks.closing.set()
        server.shutdown()
        server.server_close()


@contextmanager
def tarpit_server() -> Iterator[int]:
    """A TCP server on loopback that answers every connection a byte at a time, a tenth of a
    second apart, forever (an SMTP greeting that never ends): its port."""
    closing = threading.Event()

    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            while not closing.wait(0.1):
                try:
                    self.request.sendall(b"2")
                except OSError:  # the client gave up
                    return

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        closing.set()
        server.shutdown()
        server.server_close()
