"""Every endpoint's JSON is exactly its documented response model (issue 12).

The routes return JSONResponse, so FastAPI never checks what they send against their
`response_model`. Here every operation of the OpenAPI document is called until it succeeds
(each success status: 200, 201, 204) on networks of every kind, and its body is validated
with the pydantic model the document names and dumped back: a missing, extra, renamed or
mistyped field fails, and so does an operation no case calls.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from pydantic import TypeAdapter

import app.schemas
from app.main import create_app
from app.settings import Settings
from tests.api.helpers import API, BACKPROP

SCENARIOS: dict[str, dict[str, Any]] = {
    "classification, two layers": {
        "layers": [2, 3, 2],
        "activations": ["tanh", "softmax"],
        "dataset": {"kind": "circle", "n": 40},
    },
    "regression curve": {"dataset": {"kind": "sine", "n": 40}},
    "regression grid, adam": {
        "dataset": {"kind": "plane", "n": 40},
        "optimizer": {"name": "adam"},
    },
    "mse on classes, softmax": {
        "dataset": {"kind": "blobs", "classes": 3, "n": 30},
        "loss": "mse",
        "layers": [2, 4, 3],
        "activations": ["sigmoid", "softmax"],
    },
    "one point, two targets": {
        "dataset": {
            "kind": "points",
            "task": "regression",
            "points": [[0.05, 0.1]],
            "y": [[0.01, 0.99]],
        },
        "layers": [2, 2, 2],
        "activations": ["sigmoid", "sigmoid"],
    },
}


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(store="memory://"))) as c:
        yield c


@pytest.fixture(scope="module")
def operations(client: TestClient) -> dict[tuple[str, str], tuple[str, Any]]:
    """(method, path) → (success status, its response schema) of every API operation."""
    doc = client.get("/openapi.json").json()
    out = {}
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            [(status, response)] = [(k, v) for k, v in op["responses"].items() if k[0] == "2"]
            schema = response.get("content", {}).get("application/json", {}).get("schema")
            out[(method.upper(), path)] = (status, schema)
    return out


def _model(schema: dict[str, Any] | None) -> Any:
    """The pydantic type of a response schema: a component by name, or their union."""
    if schema is None:
        return None
    if "$ref" in schema:
        return getattr(app.schemas, schema["$ref"].rsplit("/", 1)[-1])
    models = tuple(_model(s) for s in schema["oneOf"])
    union: Any = models[0]
    for m in models[1:]:
        union = union | m
    return union


class Checker:
    """Calls operations and checks each answer against its documented model."""

    def __init__(self, operations: dict[tuple[str, str], tuple[str, Any]]) -> None:
        self.operations = operations
        self.seen: set[tuple[str, str]] = set()

    def __call__(self, response: Response, method: str, path: str) -> Any:
        status, schema = self.operations[(method, path)]
        assert response.status_code == int(status), (method, path, response.text)
        self.seen.add((method, path))
        model = _model(schema)
        if model is None:
            assert response.content == b""
            return None
        body = json.loads(response.content)
        adapter = TypeAdapter(model)
        value = adapter.validate_json(response.content)
        dumped = adapter.dump_python(value, mode="json", by_alias=True, exclude_unset=True)
        assert dumped == body, f"{method} {path}: the body is not exactly {model}"
        return body


NET = API + "/networks/{network_id}"


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_every_operation_answers_its_response_model(
    client: TestClient, operations: dict[tuple[str, str], tuple[str, Any]], name: str
) -> None:
    check = Checker(operations)
    check(client.get(f"{API}/health"), "GET", f"{API}/health")
    check(client.get(f"{API}/datasets"), "GET", f"{API}/datasets")
    check(client.get(f"{API}/catalog"), "GET", f"{API}/catalog")
    check(client.post(f"{API}/backprop", json=BACKPROP), "POST", f"{API}/backprop")
    net = check(client.post(f"{API}/networks", json=SCENARIOS[name]), "POST", f"{API}/networks")
    base = f"{API}/networks/{net['id']}"
    check(client.get(f"{base}/data"), "GET", NET + "/data")
    check(client.post(f"{base}/step", json={"apply": False}), "POST", NET + "/step")
    check(client.post(f"{base}/step", json={"steps": 3}), "POST", NET + "/step")
    check(client.post(f"{base}/step", json={"sample": 0}), "POST", NET + "/step")
    check(client.get(base), "GET", NET)
    check(client.patch(base, json={"learning_rate": 0.05, "l2": 0.01}), "PATCH", NET)
    width = net["config"]["layers"][0]
    x = [[0.5] * width, [-1.0] * width]
    check(client.post(f"{base}/forward", json={"x": x}), "POST", NET + "/forward")
    for of in ("last", "next"):
        params = {"layer": 0, "i": 0, "j": 1, "of": of}
        check(client.get(f"{base}/explain", params=params), "GET", NET + "/explain")
    check(client.post(f"{base}/gradcheck"), "POST", NET + "/gradcheck")
    for neurons in ("true", "false"):
        params = {"resolution": 6, "neurons": neurons}
        check(client.get(f"{base}/boundary", params=params), "GET", NET + "/boundary")
    doc = check(client.get(f"{base}/export"), "GET", NET + "/export")
    imported = check(
        client.post(f"{API}/networks/import", json=doc), "POST", f"{API}/networks/import"
    )
    check(client.post(f"{base}/copy"), "POST", NET + "/copy")
    check(client.post(f"{base}/reset"), "POST", NET + "/reset")
    check(client.delete(f"{API}/networks/{imported['id']}"), "DELETE", NET)
    assert check.seen == set(operations), f"not called: {set(operations) - check.seen}"


def test_the_check_fails_on_a_field_the_model_does_not_have(
    operations: dict[tuple[str, str], tuple[str, Any]],
) -> None:
    check = Checker(operations)
    body = {"status": "ok", "version": "1", "store": "memory"}
    check(Response(200, json=body), "GET", f"{API}/health")
    with pytest.raises(AssertionError, match="not exactly"):
        check(Response(200, json={**body, "extra": 1}), "GET", f"{API}/health")
    with pytest.raises(ValueError, match="status"):
        check(Response(200, json={**body, "status": "fine"}), "GET", f"{API}/health")
