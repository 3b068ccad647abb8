"""Response examples for the OpenAPI document, computed by really running the API's service.

A tiny 2-2-2 network on 8 XOR points is created, stepped, explained and checked in a memory
store the first time /openapi.json is asked for, so every example shows real numbers that
agree with each other and can never drift from what the API returns.
"""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from app.domain import insight, networks, stateless, training
from app.encode import dumps
from app.schemas import BackpropRequest, NetworkCreate, StepRequest
from app.settings import Limits
from app.store import MemoryStore
from app.version import VERSION

TINY = {
    "layers": [2, 2, 2],
    "activations": ["tanh", "softmax"],
    "dataset": {"kind": "xor", "n": 8, "noise": 0.0, "test_fraction": 0.25},
    "batch_size": 2,
}


def _json(value: Any) -> Any:
    """Plain JSON data (NumPy arrays become lists), as the API would send it."""
    return orjson.loads(dumps(value))


def response_examples(limits: Limits) -> dict[tuple[str, str], Any]:
    """(method, path) → an example body of that operation's success response."""
    store = MemoryStore()
    config, _ = networks.build_config(NetworkCreate.model_validate(TINY), limits)
    record = networks.new_record(config)
    store.create(record)
    created = networks.public(record, [], limits)
    nid = record.id
    step = store.update(nid, lambda r: training.run_steps(r, StepRequest(), limits))
    record = store.get(nid)
    base = "/api/v1/networks/{network_id}"
    backprop_body = BackpropRequest.model_json_schema()["examples"][0]
    examples = {
        ("get", "/api/v1/health"): {"status": "ok", "version": VERSION, "store": "sqlite"},
        ("post", "/api/v1/backprop"): stateless.backprop_view(
            BackpropRequest.model_validate(backprop_body), limits
        ),
        ("post", "/api/v1/networks"): created,
        ("get", base): networks.public(record, store.history(nid), limits),
        ("post", base + "/step"): step,
        ("post", base + "/forward"): insight.forward_view(record, [[1.0, -2.0]], limits),
        ("get", base + "/explain"): insight.explain_view(record, 0, 1, 0, None, None, limits),
        ("post", base + "/gradcheck"): insight.gradcheck_view(record, None, None, limits),
        ("get", base + "/boundary"): insight.boundary_view(record, 4, limits),
        ("get", base + "/data"): insight.data_view(record, limits),
    }
    return {key: _json(value) for key, value in examples.items()}


def openapi_with_examples(app: FastAPI, limits: Limits) -> dict[str, Any]:
    """The app's OpenAPI document with a real example on each main success response."""
    if app.openapi_schema is None:
        schema = get_openapi(
            title=app.title,
            version=app.version,
            summary=app.summary,
            routes=app.routes,
        )
        for (method, path), body in response_examples(limits).items():
            responses = schema["paths"][path][method]["responses"]
            status = "201" if "201" in responses else "200"
            responses[status]["content"]["application/json"]["example"] = body
        app.openapi_schema = schema
    return app.openapi_schema
