"""Small helpers shared by the API tests: URLs, requests that must succeed, array views."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
from fastapi.testclient import TestClient

from core import MLP

API = "/api/v1"
# The stateless example of docs/api.md and the README: the seed's two-layer network.
BACKPROP = {
    "layers": [2, 3, 2],
    "activations": ["sigmoid", "softmax"],
    "loss": "cross_entropy",
    "weights": [[[0.2, -0.4, 0.1], [0.7, 0.3, -0.5]], [[0.6, -0.1], [-0.3, 0.8], [0.25, 0.4]]],
    "biases": [[0.1, -0.2, 0.05], [0.0, 0.1]],
    "x": [[1.5, -0.5]],
    "y": [1],
}

# A well-formed id (32 hex characters) that no network has: ids are 128 random bits.
UNKNOWN_ID = "0123456789abcdef" * 2


def url(network_id: str, tail: str = "") -> str:
    """The URL of a network, or of one of its sub-resources."""
    return f"{API}/networks/{network_id}{tail}"


def create(client: TestClient, **body: Any) -> dict[str, Any]:
    """Create a network (201) and return its state."""
    r = client.post(f"{API}/networks", json=body)
    assert r.status_code == 201, r.text
    return r.json()


def step(client: TestClient, network_id: str, **body: Any) -> dict[str, Any]:
    """Run a step request that must succeed; its trace."""
    r = client.post(url(network_id, "/step"), json=body)
    assert r.status_code == 200, r.text
    return r.json()


def get(client: TestClient, network_id: str) -> dict[str, Any]:
    """The network state (200)."""
    r = client.get(url(network_id))
    assert r.status_code == 200, r.text
    return r.json()


def net_of(state: dict[str, Any]) -> MLP:
    """The core MLP of a network state or a step result (its weights and biases)."""
    activations = state["config"]["activations"] if "config" in state else state["activations"]
    return MLP(state["weights"], state["biases"], activations)


def strict_json(text: str) -> Any:
    """Parse JSON, failing on NaN / Infinity (which are not JSON)."""

    def reject(token: str) -> Any:
        raise AssertionError(f"the response contains {token}")

    return json.loads(text, parse_constant=reject)


def messages(response: Any) -> str:
    """Every validation message of a 422 response, joined."""
    detail = response.json()["detail"]
    assert isinstance(detail, list), detail
    return " | ".join(d["msg"] for d in detail)


def arrays(values: list[Any]) -> list[np.ndarray]:
    """JSON lists as float arrays."""
    return [np.asarray(v, dtype=np.float64) for v in values]
