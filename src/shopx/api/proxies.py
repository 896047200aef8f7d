"""Who is on the other end of a request: the client IP and whether it came over https.

Both come from the socket unless the peer is one of ``SHOPX_TRUSTED_PROXIES``; then the
proxy's ``X-Forwarded-For`` (the nearest hop that is not a trusted proxy) and
``X-Forwarded-Proto`` are believed. Nobody else can claim an address or https by header.
"""

from __future__ import annotations

from collections.abc import Iterable, MutableMapping
from ipaddress import IPv4Network, IPv6Network, ip_address, ip_network
from typing import Any

Scope = MutableMapping[str, Any]
Network = IPv4Network | IPv6Network


class TrustedProxies:
    def __init__(self, networks: Iterable[str]) -> None:
        self.networks = tuple(ip_network(p, strict=False) for p in networks)

    def client_ip(self, scope: Scope) -> str:
        peer = _peer(scope)
        if not self._trusted(peer):
            return peer
        forwarded = (header(scope, b"x-forwarded-for") or b"").decode("latin-1")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        for hop in reversed(hops):
            if not _within(hop, self.networks):
                return hop
        return hops[0] if hops else peer

    def is_https(self, scope: Scope) -> bool:
        """Did the client connect over https (to us, or to the trusted proxy in front)?"""
        if self._trusted(_peer(scope)):
            proto = header(scope, b"x-forwarded-proto")
            if proto:
                return proto.decode("latin-1").split(",")[0].strip().lower() == "https"
        return scope.get("scheme") in ("https", "wss")

    def _trusted(self, peer: str) -> bool:
        return bool(self.networks) and _within(peer, self.networks)


def header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope["headers"]:
        if key == name:
            return value
    return None


def _peer(scope: Scope) -> str:
    return scope["client"][0] if scope.get("client") else "unknown"


def _within(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)
