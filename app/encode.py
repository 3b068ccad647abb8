"""JSON at the boundary: NumPy arrays go straight to orjson, never through jsonable_encoder."""

from __future__ import annotations

import inspect
import json
import typing
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

import numpy as np
import orjson
from fastapi import Request, Response, params
from fastapi._compat import ModelField
from fastapi.dependencies.models import Dependant
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
    """An API route that reads its body through JSONRequest, and answers a well-formed request
    without FastAPI's general dependency solver when its signature allows.

    The solver (with the body's content-type parsing and its per-request bookkeeping) cost
    the busiest route, a step, about 0.1 ms of its 0.75 ms in-process. A route whose
    parameters are only path parameters, at most one JSON body, the request, and dependencies
    that take only the request (app/deps.py) is served by `_arguments`: each value is
    validated by the very pydantic field FastAPI built for it, in FastAPI's order. Whenever
    anything is off (a value that fails validation, JSON that does not parse, a body without
    a JSON content type), the request goes to FastAPI's own handler instead, so every error
    response is FastAPI's, word for word, and the OpenAPI document is the route's as declared.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        general = super().get_route_handler()
        lean = _lean_plan(self.dependant)
        endpoint = self.dependant.call

        async def route_handler(request: Request) -> Response:
            request = JSONRequest(request.scope, request.receive)
            if lean is not None and endpoint is not None:
                values = await _arguments(lean, request)
                if values is not None:
                    response: Response = await endpoint(**values)
                    return response
            return await general(request)

        return route_handler


@dataclass(frozen=True)
class _Lean:
    """What a lean route's arguments are made of (see JSONRoute)."""

    path: tuple[ModelField, ...]
    body: ModelField | None
    request: str | None
    deps: tuple[tuple[str, Callable[[Request], Coroutine[Any, Any, Any]]], ...]


def _lean_plan(dependant: Dependant) -> _Lean | None:
    """How to build the arguments of `dependant` without the solver; None when it needs it."""
    if (
        dependant.query_params
        or dependant.header_params
        or dependant.cookie_params
        or len(dependant.body_params) > 1
        or not inspect.iscoroutinefunction(dependant.call)
        or not _returns_response(dependant.call)
        or any(
            name is not None
            for name in (
                dependant.websocket_param_name,
                dependant.http_connection_param_name,
                dependant.response_param_name,
                dependant.background_tasks_param_name,
                dependant.security_scopes_param_name,
            )
        )
    ):
        return None
    body = dependant.body_params[0] if dependant.body_params else None
    if body is not None and (
        not isinstance(body.field_info, params.Body)
        or body.field_info.embed
        or isinstance(body.field_info, params.Form)
        or (not body.field_info.is_required() and body.field_info.get_default() is not None)
    ):
        return None
    deps: list[tuple[str, Callable[[Request], Coroutine[Any, Any, Any]]]] = []
    for sub in dependant.dependencies:
        takes_request_only = (
            sub.request_param_name is not None
            and not sub.dependencies
            and not (sub.path_params or sub.query_params or sub.header_params)
            and not (sub.cookie_params or sub.body_params)
            and inspect.iscoroutinefunction(sub.call)
        )
        if not takes_request_only or sub.name is None or sub.call is None:
            return None
        deps.append((sub.name, sub.call))
    return _Lean(tuple(dependant.path_params), body, dependant.request_param_name, tuple(deps))


def _returns_response(call: Callable[..., Any]) -> bool:
    """Whether `call` is declared to return a Response (sent as it is): a route returning
    data needs FastAPI's serialization through its response model."""
    try:
        returned = typing.get_type_hints(call).get("return")
    except (NameError, TypeError):
        return False
    return inspect.isclass(returned) and issubclass(returned, Response)


async def _arguments(lean: _Lean, request: JSONRequest) -> dict[str, Any] | None:
    """The endpoint's arguments, each validated as FastAPI would; None if anything is off."""
    values: dict[str, Any] = {}
    path_params = request.path_params
    for field in lean.path:
        value, errors = field.validate(path_params.get(field.alias), values, loc=("path",))
        if errors:
            return None
        values[field.name] = value
    if lean.body is not None:
        value = None  # a body left out is None (_lean_plan), or missing if required
        if not await request.body():
            if lean.body.field_info.is_required():
                return None
        else:
            if request.headers.get("content-type", "").lower() != "application/json":
                return None
            try:
                data = await request.json()
            except json.JSONDecodeError:
                return None
            value, errors = lean.body.validate(data, values, loc=("body",))
            if errors:
                return None
        values[lean.body.name] = value
    if lean.request is not None:
        values[lean.request] = request
    for name, call in lean.deps:
        values[name] = await call(request)
    return values
