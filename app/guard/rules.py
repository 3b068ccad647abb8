"""Header-only checks on a request: its Host, and what a write must declare.

Each returns None when the request passes, else (status, message naming what to change).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping

# Starlette's TestClient sends Host: testserver; no browser resolves it to a victim's server.
LOOPBACK_NAMES = ("localhost", "testserver")
WRITES = {"POST", "PUT", "PATCH", "DELETE"}

Problem = tuple[int, str] | None


class Hosts:
    """The Host names a server answers to.

    A DNS-rebinding page reaches a server on loopback under its own name (evil.example
    resolving to 127.0.0.1), so by default only loopback names, IP addresses (which a page
    cannot rebind) and the bound host are served; `*` serves any name.
    """

    def __init__(self, configured: Iterable[str], bound: str) -> None:
        names = [_bare(name) for name in configured]
        self.any = "*" in names
        self.default = not names
        self.names = set(names) if names else {*LOOPBACK_NAMES, _bare(bound)}

    def problem(self, host: bytes | None) -> Problem:
        if self.any or host is None:  # HTTP/1.0 without Host: no browser sends that
            return None
        name = _bare(_without_port(host.decode("latin-1")))
        if name in self.names or name.endswith(".localhost") or (self.default and _is_ip(name)):
            return None
        return (
            421,
            f"this server does not answer to the host {name[:100]!r}; add it to "
            "BACKPROP_LENS_ALLOWED_HOSTS (comma-separated, or * for any)",
        )


def write_problem(
    method: str, headers: Mapping[bytes, bytes], cors_origins: Iterable[str]
) -> Problem:
    """A write must send JSON (415 otherwise) and must not come from another site (403).

    A cross-site form or `fetch` without preflight can only send text/plain, form or
    multipart bodies, so requiring application/json refuses them all; a cross-site write
    without a body is refused by the browser's Sec-Fetch-Site header.
    """
    if method not in WRITES:
        return None
    site = headers.get(b"sec-fetch-site", b"").decode("latin-1").lower()
    origin = headers.get(b"origin", b"").decode("latin-1")
    if site == "cross-site" and origin not in set(cors_origins):
        return (
            403,
            "writes from another site are refused; allow its origin in BACKPROP_LENS_CORS_ORIGINS",
        )
    has_body = headers.get(b"content-length", b"0") != b"0" or b"transfer-encoding" in headers
    kind = headers.get(b"content-type")
    if kind is None and not has_body:
        return None
    media, _, params = (kind or b"").decode("latin-1").partition(";")
    if media.strip().lower() != "application/json":
        shown = media.strip()[:100] or "none"
        return 415, f"the body must be JSON: send Content-Type: application/json (got {shown})"
    charset = _param(params, "charset")
    if charset not in (None, "utf-8", "utf8"):
        return 415, f"the body must be UTF-8 JSON; charset={charset[:40]} is not accepted"
    return None


def _param(params: str, name: str) -> str | None:
    for part in params.split(";"):
        key, _, value = part.partition("=")
        if key.strip().lower() == name:
            return value.strip().strip('"').lower()
    return None


def _without_port(host: str) -> str:
    if host.startswith("["):  # [::1]:8000
        return host[1:].partition("]")[0]
    name, colon, port = host.rpartition(":")
    return name if colon and port.isdigit() and ":" not in name else host


def _bare(name: str) -> str:
    return name.strip().lower().rstrip(".").strip("[]")


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True
