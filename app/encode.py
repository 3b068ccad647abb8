"""JSON at the boundary: NumPy arrays go straight to orjson, never through jsonable_encoder."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

import numpy as np
import orjson
from fastapi import Request, Response
from fastapi.responses import JSONResponse as _JSONResponse
from fastapi.routing import APIRoute

from app.guard.body import loads

_OPTIONS = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS


def _default(value: Any) -> Any:
    # orjson serialises C-contiguous float/int arrays itself; the rest (transposed views,
    # numpy scalars) comes here.
    if isinstance(value, np.ndarray):
        return np.ascontiguousarray(value)
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, tuple):
        return list(value)
    raise TypeError(f"cannot encode {type(value).__name__}")


def dumps(content: Any) -> bytes:
    """JSON bytes; NaN and infinity (which callers never pass on purpose) become null."""
    return orjson.dumps(content, default=_default, option=_OPTIONS)


def encoded_call(fn: Callable[..., Any], *args: Any) -> bytes:
    """fn(*args) encoded as JSON: run in a worker process, so that a large answer is encoded
    there and the server's event loop only passes its bytes on."""
    return dumps(fn(*args))


class JSONResponse(_JSONResponse):
    """A JSON response encoded with orjson (a JSONResponse, so OpenAPI shows its model)."""

    def render(self, content: Any) -> bytes:
        # Bytes are JSON already encoded (by a worker process: app/execute.py): sent as they
        # are, not copied again through orjson (a 300 MB answer held the event loop for that).
        return content if isinstance(content, bytes) else dumps(content)


class JSONRequest(Request):
    """A request whose body is read by app.guard.body: UTF-8 JSON, shallow, valid Unicode;
    anything else is a JSON decode error like any other (→ 422 naming the problem)."""

    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = loads(await self.body())
        return self._json


class JSONRoute(APIRoute):
    """An API route that reads its body through JSONRequest."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route_handler(request: Request) -> Response:
            return await handler(JSONRequest(request.scope, request.receive))

        return route_handler
