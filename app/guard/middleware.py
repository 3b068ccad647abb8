"""ASGI middleware that checks every request before the application sees it.

In order: the Host (421), what a write declares (403, 415), the declared size (413), the
creation rate (429), then the whole body, read and bounded (413) within
BACKPROP_LENS_CLIENT_TIMEOUT (408) before the application runs, so a refused request has
done nothing. Pure ASGI (not BaseHTTPMiddleware) so it can
stop an oversized body while it streams in, with or without Content-Length.
"""

from __future__ import annotations

import asyncio
import math
import re

import anyio

from app.guard.asgi import ASGIApp, Message, Receive, Scope, Send, refuse
from app.guard.rules import Hosts, write_problem
from app.guard.shared import buckets_for
from app.settings import Settings

CREATE_PATHS = ("/api/v1/networks", "/api/v1/networks/import")
COPY_PATH = re.compile(r"/api/v1/networks/[^/]+/copy")  # a copy creates a network too


def creates(method: str, path: str) -> bool:
    """Whether a request creates a network (and so counts for the creation rate)."""
    path = path.rstrip("/")
    return method == "POST" and (path in CREATE_PATHS or COPY_PATH.fullmatch(path) is not None)


class Guard:
    """Refuses what `Settings` does not allow, before the application runs."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.max_body = settings.limits.max_body_bytes
        self.per_minute = settings.limits.creates_per_minute
        self.buckets = buckets_for(settings.store) if self.per_minute > 0 else None
        self.hosts = Hosts(settings.allowed_hosts, settings.host)
        self.cors_origins = settings.cors_origins
        self.client_timeout = settings.limits.client_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        problem = self.hosts.problem(headers.get(b"host")) or write_problem(
            scope["method"], headers, self.cors_origins
        )
        if problem is not None:
            await refuse(send, *problem)
            return
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            await refuse(send, 413, self._too_large())
            return
        if self.buckets is not None and creates(scope["method"], scope["path"]):
            # The client address is the peer's, or, behind BACKPROP_LENS_TRUSTED_PROXIES,
            # the one uvicorn took from X-Forwarded-For.
            client = (scope.get("client") or ("unknown", 0))[0]
            wait = await anyio.to_thread.run_sync(self.buckets.acquire, client, self.per_minute)
            if wait:
                retry = str(max(1, math.ceil(wait)))
                detail = (
                    "too many networks created from this address; try again in "
                    f"{retry} s (BACKPROP_LENS_CREATES_PER_MINUTE)"
                )
                await refuse(send, 429, detail, [(b"retry-after", retry.encode())])
                return

        try:
            # asyncio's own timeout: half the cost of anyio's cancel scope, on every request.
            async with asyncio.timeout(self.client_timeout):
                body = await self._read_body(receive)
        except TimeoutError:
            detail = (
                f"the request body did not arrive within {self.client_timeout:g} s "
                "(BACKPROP_LENS_CLIENT_TIMEOUT)"
            )
            await refuse(send, 408, detail, [(b"connection", b"close")])
            return
        if body is None:  # the client went away mid-body
            return
        if len(body) > self.max_body:
            await refuse(send, 413, self._too_large())
            return
        await self.app(scope, _replay(bytes(body), receive), send)

    async def _read_body(self, receive: Receive) -> bytes | None:
        """The whole body, or its first max_body + 1 bytes; None if the client left."""
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return None
            body += message.get("body", b"")
            if len(body) > self.max_body or not message.get("more_body", False):
                return bytes(body)

    def _too_large(self) -> str:
        return (
            f"request body exceeds the limit of {self.max_body} bytes "
            "(BACKPROP_LENS_MAX_BODY_BYTES)"
        )


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive that hands over `body` in one message, then waits for the disconnect."""
    pending = True

    async def replay() -> Message:
        nonlocal pending
        if pending:
            pending = False
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
