"""Uvicorn wiring: an HTTP protocol that always turns Nagle's algorithm off.

With `--workers N` uvicorn binds the listening socket itself with `proto` 0, so asyncio does
not set TCP_NODELAY on accepted connections and every keep-alive response waits ~40 ms for
the client's delayed ACK (uvicorn issue #3149). Setting it per connection fixes both paths.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket

from uvicorn.protocols.http.h11_impl import H11Protocol


class NoDelayH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, with TCP_NODELAY on every TCP connection."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            # A socket that is already closing has nothing to tune.
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)  # type: ignore[arg-type]
