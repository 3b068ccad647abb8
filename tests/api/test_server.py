"""The uvicorn protocol turns Nagle's algorithm off on every accepted TCP connection."""

from __future__ import annotations

import asyncio
import socket

from uvicorn.config import Config
from uvicorn.server import ServerState

from app.server import NoDelayH11Protocol


def test_accepted_connections_get_tcp_nodelay_even_from_a_socket_bound_with_proto_0() -> None:
    async def scenario() -> int:
        # Bound like uvicorn's --workers supervisor binds it: proto left at 0.
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.bind(("127.0.0.1", 0))
        port = listener.getsockname()[1]
        seen: list[int] = []
        config = Config(app=lambda scope, receive, send: None, http=NoDelayH11Protocol)
        config.load()

        class Probe(NoDelayH11Protocol):
            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                super().connection_made(transport)
                sock = transport.get_extra_info("socket")
                seen.append(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
                transport.close()

        loop = asyncio.get_running_loop()
        server = await loop.create_server(lambda: Probe(config, ServerState(), {}), sock=listener)
        _, writer = await asyncio.open_connection("127.0.0.1", port)
        for _ in range(200):
            if seen:
                break
            await asyncio.sleep(0.01)
        writer.close()
        server.close()
        return seen[0]

    assert asyncio.run(scenario()) == 1
