"""Residual (skip) connections through the API: stored, shown, kept, and exact in every view."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.schemas import BackpropResult, ExplainResult, NetworkExport, NetworkPublic, StepResult
from core import MLP
from tests.api.helpers import API, BACKPROP, create, get, step, url

# 2 → 3 → 3 → 3 → 2: layers 1 and 2 (3 → 3) skip; layer 0 (2 → 3) and the output never do.
RESIDUAL = {
    "layers": [2, 3, 3, 3, 2],
    "activations": ["tanh", "sigmoid", "tanh", "softmax"],
    "residual": True,
}
SKIPS = [False, True, True, False]


def core_net(state: dict[str, Any]) -> MLP:
    """The core MLP of a network state, with its residual flag."""
    return MLP(
        state["weights"],
        state["biases"],
        state["config"]["activations"],
        residual=state["config"]["residual"],
    )


# ---- POST /backprop


def backprop_body(residual: bool) -> dict[str, Any]:
    rng = np.random.default_rng(3)
    sizes = [2, 3, 3, 2]
    return {
        "layers": sizes,
        "activations": ["tanh", "sigmoid", "softmax"],
        "loss": "cross_entropy",
        "weights": [rng.normal(size=(a, b)).tolist() for a, b in itertools.pairwise(sizes)],
        "biases": [rng.normal(size=b).tolist() for b in sizes[1:]],
        "x": rng.normal(size=(4, 2)).tolist(),
        "y": [0, 1, 1, 0],
        "residual": residual,
    }


def test_backprop_with_residual_matches_core_and_marks_the_skip_layer(client: TestClient) -> None:
    body = backprop_body(True)
    r = client.post(f"{API}/backprop", json=body)
    assert r.status_code == 200, r.text
    out = BackpropResult.model_validate(r.json())
    net = MLP(body["weights"], body["biases"], body["activations"], residual=True)
    trace = net.forward(body["x"])
    grads = net.backward(trace, np.array(body["y"]), "cross_entropy")
    assert [layer.skip for layer in out.layers] == [False, True, False]
    for got, lt, g in zip(out.layers, trace.layers, grads.layers, strict=True):
        np.testing.assert_allclose(got.h, lt.h, rtol=1e-14, atol=1e-15)
        np.testing.assert_allclose(got.dW, g.dW, rtol=1e-14, atol=1e-15)
    assert out.layers[0].skip_dh is None and out.layers[2].skip_dh is None
    np.testing.assert_array_equal(out.layers[1].skip_dh, out.layers[1].dh)
    # ∂L/∂H(0) = dZ(1) W(1)ᵀ (the weights) + ∂L/∂H(1) (the skip edge)
    through_w = np.asarray(out.layers[1].dz) @ np.asarray(body["weights"][1]).T
    np.testing.assert_allclose(
        out.layers[0].dh, through_w + np.asarray(out.layers[1].skip_dh), rtol=1e-13, atol=1e-15
    )


def test_backprop_residual_changes_the_numbers_and_defaults_to_off(client: TestClient) -> None:
    plain = client.post(f"{API}/backprop", json=backprop_body(False)).json()
    skip = client.post(f"{API}/backprop", json=backprop_body(True)).json()
    default = client.post(f"{API}/backprop", json=BACKPROP).json()
    assert not np.allclose(plain["output"], skip["output"])
    assert all(not layer["skip"] for layer in plain["layers"] + default["layers"])


def test_backprop_residual_must_be_a_boolean(client: TestClient) -> None:
    r = client.post(f"{API}/backprop", json={**backprop_body(True), "residual": 1})
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "residual"]


# ---- networks: stored, shown, kept


def test_a_created_network_stores_and_shows_residual(client: TestClient) -> None:
    state = NetworkPublic.model_validate(create(client, **RESIDUAL)).model_dump()
    assert state["config"]["residual"] is True
    assert state["skips"] == SKIPS
    again = get(client, state["id"])
    assert again["config"]["residual"] is True and again["skips"] == SKIPS
    assert state["skip_layers"] == SKIPS
    plain = create(client)
    assert plain["config"]["residual"] is False
    assert plain["skips"] == [False, False, False]
    # where the toggle would add skips: the 4 → 4 hidden layer of the default 2-4-4-2
    assert plain["skip_layers"] == [False, True, False]


def test_export_import_copy_patch_and_reset_keep_residual(client: TestClient) -> None:
    nid = create(client, **RESIDUAL)["id"]
    step(client, nid)
    doc = NetworkExport.model_validate(client.get(url(nid, "/export")).json())
    assert doc.config.residual is True
    imported = client.post(f"{API}/networks/import", json=doc.model_dump(mode="json"))
    assert imported.status_code == 201, imported.text
    assert imported.json()["config"]["residual"] is True
    assert imported.json()["skips"] == SKIPS
    copied = client.post(url(nid, "/copy"))
    assert copied.status_code == 201, copied.text
    assert copied.json()["config"]["residual"] is True
    patched = client.patch(url(nid), json={"learning_rate": 0.05})
    assert patched.json()["config"]["residual"] is True
    reset = client.post(url(nid, "/reset"))
    assert reset.json()["config"]["residual"] is True


def test_an_import_without_residual_is_a_plain_network(client: TestClient) -> None:
    nid = create(client, **RESIDUAL)["id"]
    doc = client.get(url(nid, "/export")).json()
    del doc["config"]["residual"]
    imported = client.post(f"{API}/networks/import", json=doc).json()
    assert imported["config"]["residual"] is False and imported["skips"] == [False] * 4


# ---- the step trace


def test_a_residual_step_is_the_cores_and_names_each_skip_edges_gradient(
    client: TestClient,
) -> None:
    state = create(client, **RESIDUAL)
    net = core_net(state)
    trace = StepResult.model_validate(step(client, state["id"], apply=False))
    assert [layer.skip for layer in trace.layers] == SKIPS
    fwd = net.forward(trace.x)
    grads = net.backward(fwd, np.array(trace.y), "cross_entropy")
    for k, (got, g) in enumerate(zip(trace.layers, grads.layers, strict=True)):
        np.testing.assert_allclose(got.dW, g.dW, rtol=1e-13, atol=1e-15)
        if SKIPS[k]:
            np.testing.assert_array_equal(got.skip_dh, got.dh)
            # what reaches H(k−1): through the weights, plus the skip edge's ∂L/∂H(k)
            below = np.asarray(got.dz) @ np.asarray(state["weights"][k]).T
            np.testing.assert_allclose(
                trace.layers[k - 1].dh, below + np.asarray(got.skip_dh), rtol=1e-13, atol=1e-15
            )
        else:
            assert got.skip_dh is None


def test_residual_training_lowers_the_loss(client: TestClient) -> None:
    nid = create(client, **RESIDUAL, optimizer={"name": "adam", "learning_rate": 0.05})["id"]
    first = step(client, nid)["train"]["loss"]
    for _ in range(8):
        last = step(client, nid, steps=5)["train"]["loss"]
    assert last < 0.9 * first


# ---- explain, gradcheck, forward, boundary, collapse


@pytest.mark.parametrize("layer", [0, 1, 2, 3])
def test_explain_of_a_residual_network_totals_dw_exactly(client: TestClient, layer: int) -> None:
    nid = create(client, **RESIDUAL, l2=0.01)["id"]
    trace = step(client, nid)
    r = client.get(url(nid, "/explain"), params={"layer": layer, "i": 1, "j": 1})
    assert r.status_code == 200, r.text
    out = ExplainResult.model_validate(r.json())
    dw = trace["layers"][layer]["dW"][1][1]
    assert abs(out.total - dw) <= 1e-12 * max(1.0, abs(dw))
    # the skip edge above: layer + 1 skips for layers 0 and 1
    skipped_above = layer + 1 < len(SKIPS) and SKIPS[layer + 1]
    assert all((t.skip is not None) == skipped_above for t in out.samples)
    for t in out.samples:
        if t.skip is not None:
            assert t.dh == pytest.approx(sum(b.product for b in t.backprop or []) + t.skip)


def test_gradcheck_of_a_residual_network_agrees(client: TestClient) -> None:
    nid = create(client, **RESIDUAL)["id"]
    r = client.post(url(nid, "/gradcheck"), json={"sample": 3})
    assert r.status_code == 200, r.text
    assert r.json()["max_rel_error"] < 1e-7


def test_gradcheck_uses_the_residual_network(client: TestClient) -> None:
    # A residual network's analytic gradient is not the plain one's: if the check built a
    # plain network, its numbers would be the plain gradients.
    state = create(client, **RESIDUAL)
    check = client.post(url(state["id"], "/gradcheck"), json={"sample": 0}).json()
    net = core_net(state)
    sample = step(client, state["id"], sample=0, apply=False)
    grads = net.backward(net.forward(sample["x"]), np.array(sample["y"]), "cross_entropy")
    w1 = [p for p in check["params"] if p["layer"] == 1 and p["kind"] == "W"]
    for p in w1:
        assert p["analytic"] == pytest.approx(grads.layers[1].dW[tuple(p["index"])], abs=1e-14)


def test_forward_honours_residual(client: TestClient) -> None:
    state = create(client, **RESIDUAL)
    x = [[0.3, -0.2], [1.0, 0.5]]
    out = client.post(url(state["id"], "/forward"), json={"x": x}).json()
    trace = core_net(state).forward(x)
    assert [layer["skip"] for layer in out["layers"]] == SKIPS
    for got, lt in zip(out["layers"], trace.layers, strict=True):
        np.testing.assert_allclose(got["h"], lt.h, rtol=1e-14, atol=1e-15)
    plain = MLP(state["weights"], state["biases"], RESIDUAL["activations"]).forward(x)
    assert not np.allclose(out["output"], plain.output)


def test_boundary_honours_residual(client: TestClient) -> None:
    state = create(
        client,
        layers=[1, 4, 4, 1],
        activations=["tanh", "tanh", "linear"],
        dataset={"kind": "sine"},
        residual=True,
    )
    curve = client.get(url(state["id"], "/boundary"), params={"resolution": 9}).json()
    net = core_net(state)
    expected = net.forward(np.asarray(curve["x"])[:, None]).layers[-1].h[:, 0]
    np.testing.assert_allclose(curve["y"], expected, rtol=1e-13, atol=1e-15)


def test_linear_collapse_of_a_residual_network_equals_the_network(client: TestClient) -> None:
    state = create(
        client, layers=[2, 2, 2, 2], activations=["linear", "linear", "softmax"], residual=True
    )
    card = state["linear_collapse"]
    assert card is not None and state["skips"] == [True, True, False]
    x = np.random.default_rng(0).normal(size=(5, 2))
    logits = core_net(state).forward(x).output
    np.testing.assert_allclose(x @ np.asarray(card["W"]) + card["b"], logits, rtol=1e-12)
    plain = MLP(state["weights"], state["biases"], ["linear", "linear", "softmax"])
    assert not np.allclose(plain.forward(x).output, logits)
