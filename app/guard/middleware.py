"""ASGI middleware that guards every request: body size, creation rate, security headers.

Pure ASGI (not BaseHTTPMiddleware) so it can stop an oversized body while it streams in,
before the application reads it, whether or not the client sent Content-Length.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import orjson

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# No inline scripts or styles anywhere: every script and stylesheet is a file under 'self'.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
CREATE_PATHS = ("/api/v1/networks", "/api/v1/networks/import")


class RateLimiter:
    """A token bucket per client address: `per_minute` creations, refilled continuously."""

    def __init__(self, per_minute: int, max_clients: int = 10_000) -> None:
        self.rate = per_minute / 60.0
        self.capacity = float(per_minute)
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()
        self._max_clients = max_clients

    def acquire(self, client: str, now: float | None = None) -> float:
        """0 if allowed (a token is taken), else the seconds until the next token."""
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, last = self._buckets.pop(client, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            wait = 0.0 if tokens >= 1.0 else (1.0 - tokens) / self.rate
            self._buckets[client] = (tokens - 1.0 if not wait else tokens, now)
            while len(self._buckets) > self._max_clients:  # forget the longest-idle clients
                self._buckets.popitem(last=False)
            return wait


class Guard:
    """Refuses oversized bodies (413) and too many creations (429); adds security headers."""

    def __init__(self, app: ASGIApp, max_body: int, creates_per_minute: int) -> None:
        self.app = app
        self.max_body = max_body
        self.limiter = RateLimiter(creates_per_minute) if creates_per_minute > 0 else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in names]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        headers = dict(scope.get("headers", []))
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            await self._refuse(send_with_headers, 413, self._too_large())
            return
        if (
            self.limiter is not None
            and scope["method"] == "POST"
            and scope["path"].rstrip("/") in CREATE_PATHS
        ):
            client = (scope.get("client") or ("unknown", 0))[0]
            wait = self.limiter.acquire(client)
            if wait:
                retry = str(max(1, math.ceil(wait)))
                detail = (
                    "too many networks created from this address; try again in "
                    f"{retry} s (BACKPROP_LENS_CREATES_PER_MINUTE)"
                )
                await self._refuse(
                    send_with_headers, 429, detail, [(b"retry-after", retry.encode())]
                )
                return

        received = 0
        too_large = False

        async def counting_receive() -> Message:
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    too_large = True
                    # Hand the app an empty, final body; the response is replaced below.
                    return {"type": "http.request", "body": b"", "more_body": False}
            return message

        started = False

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if too_large:
                if not started:
                    started = True
                    await self._refuse(send_with_headers, 413, self._too_large())
                return
            started = started or message["type"] == "http.response.start"
            await send_with_headers(message)

        await self.app(scope, counting_receive, guarded_send)

    def _too_large(self) -> str:
        return (
            f"request body exceeds the limit of {self.max_body} bytes "
            "(BACKPROP_LENS_MAX_BODY_BYTES)"
        )

    @staticmethod
    async def _refuse(
        send: Send, status: int, detail: str, headers: list[tuple[bytes, bytes]] | None = None
    ) -> None:
        body = orjson.dumps({"detail": detail})
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    *(headers or []),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
