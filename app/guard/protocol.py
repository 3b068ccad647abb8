"""Uvicorn's HTTP protocol with a deadline for a request's headers.

Uvicorn times out idle keep-alive connections, but a connection that sends nothing, or
sends its headers a byte at a time, is kept forever: 300 of them exhausted a server's file
descriptors and its health check stopped answering. Here every request's headers must be
complete within BACKPROP_LENS_CLIENT_TIMEOUT seconds of the connection opening (or of the
request's first byte on a kept-alive connection); otherwise the server answers 408 (or,
when nothing came at all, just closes). The body's deadline is the guard's
(app/guard/middleware.py), since uvicorn hands the body over as it arrives.
"""

from __future__ import annotations

import asyncio
import functools

import h11
import orjson

from app.server import NoDelayH11Protocol
from app.settings import Settings


@functools.cache
def client_timeout() -> float:
    """Seconds a client has for its headers (each worker reads the environment once)."""
    return Settings.from_env().limits.client_timeout


def _timeout_response(seconds: float) -> bytes:
    body = orjson.dumps(
        {
            "detail": f"the request headers did not arrive within {seconds:g} s "
            "(BACKPROP_LENS_CLIENT_TIMEOUT)"
        }
    )
    head = (
        "HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\n"
        f"content-length: {len(body)}\r\nconnection: close\r\n"
        "x-content-type-options: nosniff\r\n\r\n"
    )
    return head.encode() + body


class GuardedH11Protocol(NoDelayH11Protocol):
    """TCP_NODELAY, and a deadline for every request's headers."""

    _headers_timer: asyncio.TimerHandle | None = None
    _received = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        self._received = True
        super().data_received(data)
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            if self._headers_timer is None:  # a new request's headers are arriving
                self._arm()
        else:
            self._disarm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def on_response_complete(self) -> None:
        self._received = False
        super().on_response_complete()  # keep-alive's own timer watches the idle time

    def _arm(self) -> None:
        self._disarm()
        self._headers_timer = self.loop.call_later(client_timeout(), self._headers_too_slow)

    def _disarm(self) -> None:
        if self._headers_timer is not None:
            self._headers_timer.cancel()
            self._headers_timer = None

    def _headers_too_slow(self) -> None:
        self._headers_timer = None
        if self.transport.is_closing() or self.conn.their_state is not h11.IDLE:
            return
        if self._received:
            self.transport.write(_timeout_response(client_timeout()))
        self.transport.close()
