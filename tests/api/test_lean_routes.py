"""The busy routes skip FastAPI's dependency solver (app/encode.py JSONRoute): every answer
must be what FastAPI's own handler gives, well-formed requests and refused ones alike."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import APIRouter
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

import app.encode
from app.encode import JSONResponse, JSONRoute, _lean_plan
from app.main import create_app
from app.settings import Settings
from tests.api.helpers import API, BACKPROP, UNKNOWN_ID, create, url

CONFIG = {
    "layers": [2, 5, 3],
    "activations": ["tanh", "softmax"],
    "dataset": {"kind": "blobs", "classes": 3},
    "batch_size": 4,
    "seed": 7,
}

JSON = {"content-type": "application/json"}

# (method, path tail after the network, body bytes or None, headers): each is sent to a
# network answered by the lean path and to its twin answered by FastAPI's handler.
REQUESTS: list[tuple[str, str, bytes | None, dict[str, str]]] = [
    ("POST", "/step", b"{}", JSON),
    ("POST", "/step", None, {}),
    ("POST", "/step", b'{"steps": 3}', JSON),
    ("POST", "/step", b'{"sample": 2, "apply": false}', JSON),
    ("POST", "/step", b'{"batch": [0, 1, 5]}', JSON),
    ("POST", "/step", b"null", JSON),
    ("POST", "/step", b'{"steps": 0}', JSON),
    ("POST", "/step", b'{"steps": "3"}', JSON),
    ("POST", "/step", b'{"steps": 1e9}', JSON),
    ("POST", "/step", b'{"stepz": 1}', JSON),
    ("POST", "/step", b'{"sample": 1, "batch": [1]}', JSON),
    ("POST", "/step", b'{"sample": 99999}', JSON),
    ("POST", "/step", b"[1, 2]", JSON),
    ("POST", "/step", b'{"steps": 2', JSON),
    ("POST", "/step", b"\xff{}", JSON),
    ("POST", "/step", b"{}", {"content-type": "text/plain"}),
    ("POST", "/forward", b'{"x": [[0.5, -1.0], [2, 3]]}', JSON),
    ("POST", "/forward", b'{"x": [[0.5]]}', JSON),
    ("POST", "/forward", b'{"x": []}', JSON),
    ("POST", "/forward", b"{}", JSON),
    ("POST", "/forward", None, {}),
    ("POST", "/gradcheck", b"{}", JSON),
    ("POST", "/gradcheck", b'{"sample": 0}', JSON),
    ("POST", "/gradcheck", b'{"eps": -1}', JSON),
]


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(store="memory://"))) as c:
        yield c


def answer(client: TestClient, method: str, path: str, body: bytes | None, headers: Any) -> Any:
    r = client.request(method, path, content=body, headers=headers)
    try:
        return r.status_code, r.json()
    except ValueError:
        return r.status_code, r.text


def test_the_busy_routes_are_lean_and_the_others_are_not() -> None:
    """Health, a step, a forward pass, a gradient check and /backprop skip the solver; a
    route with query parameters or a plain `def` (run in the thread pool) keeps it."""
    app = create_app(Settings(store="memory://"))
    lean = {
        (method, route.path.replace("{network_id:network_id}", "{id}"))
        for route in app.router.routes
        if isinstance(route, APIRoute) and _lean_plan(route.dependant) is not None
        for method in route.methods
    }
    assert lean == {
        ("GET", f"{API}/health"),
        ("POST", f"{API}/networks/{{id}}/step"),
        ("POST", f"{API}/networks/{{id}}/forward"),
        ("POST", f"{API}/networks/{{id}}/gradcheck"),
        ("POST", f"{API}/backprop"),
    }


def test_lean_answers_equal_fastapis(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two networks alike; each request goes to one through the lean path and to the other
    through FastAPI's handler: same status, same body, and the lean path was taken exactly
    for the requests that are well-formed."""
    lean_id, general_id = create(client, **CONFIG)["id"], create(client, **CONFIG)["id"]
    arguments = app.encode._arguments
    taken: list[bool] = []
    statuses = set()

    async def spy(lean: Any, request: Any) -> Any:
        values = await arguments(lean, request)
        taken.append(values is not None)
        return values

    async def never(lean: Any, request: Any) -> None:
        return None

    for method, tail, body, headers in REQUESTS:
        monkeypatch.setattr(app.encode, "_arguments", spy)
        taken.clear()
        got = answer(client, method, url(lean_id, tail), body, headers)
        lean_taken = taken == [True]
        monkeypatch.setattr(app.encode, "_arguments", never)
        expected = answer(client, method, url(general_id, tail), body, headers)
        assert got == expected, (method, tail, body)
        statuses.add(expected[0])
        # Every request answered was taken by the lean path (one it refuses goes to
        # FastAPI's handler, which must then refuse it the same way: compared above).
        assert lean_taken or expected[0] != 200, (method, tail, body)
    assert statuses == {200, 409, 415, 422}
    # Both networks went through the same steps: the same state.
    assert (
        client.get(url(lean_id)).json()["weights"] == client.get(url(general_id)).json()["weights"]
    )


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", f"{API}/health", None),
        ("POST", f"{API}/backprop", None),
        ("POST", f"{API}/networks/{UNKNOWN_ID}/step", b"{}"),
        ("POST", f"{API}/networks/not-an-id/step", b"{}"),
        ("POST", f"{API}/networks/{'A' * 32}/forward", b'{"x": [[1, 2]]}'),
    ],
)
def test_lean_answers_equal_fastapis_without_a_network(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, method: str, path: str, body: Any
) -> None:
    """Routes and ids with no network behind them answer alike both ways."""
    if path.endswith("/backprop"):
        body = app.encode.dumps(BACKPROP)
    headers = JSON if body is not None else {}
    got = answer(client, method, path, body, headers)

    async def never(lean: Any, request: Any) -> None:
        return None

    monkeypatch.setattr(app.encode, "_arguments", never)
    assert got == answer(client, method, path, body, headers)
    assert got[0] in (200, 404, 422)


def test_only_routes_that_fit_are_lean() -> None:
    """A route returning data (FastAPI serializes it through its model), a plain `def` (run
    in the thread pool) or one with a query parameter keeps FastAPI's handler."""
    router = APIRouter(route_class=JSONRoute)

    @router.get("/answer/{n}")
    async def answer_route(n: int) -> JSONResponse:
        return JSONResponse({"n": n})

    @router.get("/data")
    async def data_route() -> dict[str, int]:
        return {"n": 1}

    @router.get("/plain")
    def plain_route() -> JSONResponse:
        return JSONResponse({})

    @router.get("/query")
    async def query_route(q: int = 0) -> JSONResponse:
        return JSONResponse({"q": q})

    lean = {
        route.path: _lean_plan(route.dependant) is not None
        for route in router.routes
        if isinstance(route, APIRoute)
    }
    assert lean == {"/answer/{n}": True, "/data": False, "/plain": False, "/query": False}
