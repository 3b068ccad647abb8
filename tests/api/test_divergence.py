"""A diverged network answers 409 with a clear message, keeps valid JSON, and can recover."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.helpers import create, strict_json, url


@pytest.fixture
def diverged(client: TestClient) -> str:
    """A regression network driven to NaN/infinity by a learning rate of 1e6 (set by PATCH)."""
    nid = str(create(client, dataset={"kind": "sine"})["id"])
    assert client.patch(url(nid), json={"learning_rate": 1e6}).status_code == 200
    for _ in range(100):
        r = client.post(url(nid, "/step"), json={"steps": 1})
        if r.status_code == 409:
            return nid
        assert r.status_code == 200, r.text
    raise AssertionError("the network did not diverge in 100 steps")


def test_divergence_answers_409_saying_it_diverged(client: TestClient) -> None:
    nid = create(client, dataset={"kind": "sine"})["id"]
    client.patch(url(nid), json={"learning_rate": 1e6})
    r = client.post(url(nid, "/step"), json={"steps": 100})
    assert r.status_code == 409
    detail = r.json()["detail"]
    assert "diverged" in detail
    assert "learning rate" in detail


def test_diverged_network_state_is_valid_json_without_nan(
    client: TestClient, diverged: str
) -> None:
    r = client.get(url(diverged))
    assert r.status_code == 200
    state = strict_json(r.text)
    assert state["diverged"] is True
    assert "diverged" in state["message"]
    assert all(v is not None for w in state["weights"] for row in w for v in row)


def test_diverged_network_keeps_the_steps_before_divergence(
    client: TestClient, diverged: str
) -> None:
    state = client.get(url(diverged)).json()
    assert state["step"] > 0
    assert [h["step"] for h in state["history"]] == list(range(1, state["step"] + 1))
    assert f"step {state['step'] + 1}" in state["message"]


def test_further_steps_on_a_diverged_network_answer_409(client: TestClient, diverged: str) -> None:
    step_before = client.get(url(diverged)).json()["step"]
    for body in ({}, {"steps": 3}, {"sample": 0}, {"apply": False}):
        r = client.post(url(diverged, "/step"), json=body)
        assert r.status_code == 409, body
        assert "diverged" in r.json()["detail"]
    assert client.get(url(diverged)).json()["step"] == step_before


@pytest.mark.parametrize(
    ("method", "tail", "params"),
    [
        ("GET", "/export", None),
        ("GET", "/data", None),
        ("GET", "/boundary", {"resolution": 8}),
        ("GET", "/explain", {"layer": 0, "i": 0, "j": 0}),
        ("POST", "/gradcheck", None),
    ],
)
def test_diverged_network_never_answers_500_or_nan(
    client: TestClient, diverged: str, method: str, tail: str, params: dict[str, int] | None
) -> None:
    r = client.request(method, url(diverged, tail), params=params)
    assert r.status_code < 500, r.text
    strict_json(r.text)


def test_reset_recovers_a_diverged_network(client: TestClient, diverged: str) -> None:
    r = client.post(url(diverged, "/reset"))
    assert r.status_code == 200
    assert (r.json()["diverged"], r.json()["message"], r.json()["step"]) == (False, None, 0)
    r = client.post(url(diverged, "/step"))
    assert r.status_code == 200
    assert r.json()["step"] == 1


def test_patch_lets_a_diverged_network_step_again(client: TestClient, diverged: str) -> None:
    state = client.patch(url(diverged), json={"learning_rate": 1e-12}).json()
    assert state["diverged"] is False
    r = client.post(url(diverged, "/step"))
    assert r.status_code == 200, r.text
    assert r.json()["step"] == state["step"] + 1
