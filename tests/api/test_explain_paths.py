"""explain form=paths: ∂L/∂W(l)[i,j] as the sum over every path to the outputs, through the API."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.schemas import ExplainResult
from core import MLP, explain_paths
from tests.api.helpers import create, step, url

DEEP = {
    "layers": [2, 3, 3, 3, 2],
    "activations": ["tanh", "sigmoid", "tanh", "softmax"],
}


def paths(client: TestClient, nid: str, **params: Any) -> ExplainResult:
    r = client.get(url(nid, "/explain"), params={"form": "paths", **params})
    assert r.status_code == 200, r.text
    out = ExplainResult.model_validate(r.json())
    assert out.form == "paths" and out.paths is not None
    return out


def core_net(state: dict[str, Any], residual: bool = False) -> MLP:
    return MLP(state["weights"], state["biases"], state["config"]["activations"], residual=residual)


@pytest.mark.parametrize("residual", [False, True])
@pytest.mark.parametrize("layer", [0, 1, 2, 3])
def test_the_paths_total_equals_dw_to_1e_12(client: TestClient, residual: bool, layer: int) -> None:
    nid = create(client, **DEEP, residual=residual, l2=0.02)["id"]
    trace = step(client, nid)
    out = paths(client, nid, layer=layer, i=1, j=0)
    assert out.paths is not None
    dw = trace["layers"][layer]["dW"][1][0]
    assert abs(out.paths.total - dw) <= 1e-12
    assert out.paths.dW == out.dW == dw
    assert out.paths.total == pytest.approx(out.total, abs=1e-14)  # the δ recursion's total
    listed = sum(p.value for p in out.paths.paths)
    assert listed + out.paths.rest == pytest.approx(out.paths.data_gradient, abs=1e-14)
    branches = [3 + int(residual), 3 + int(residual), 2][layer:]  # layers above; output: 1 path
    assert out.paths.count.value == math.prod(branches) == len(out.paths.paths)
    if residual and layer < 2:
        assert any(any(p.skips) for p in out.paths.paths)
    else:
        assert not any(any(p.skips) for p in out.paths.paths)


def test_a_two_layer_networks_paths_are_the_notes_terms(client: TestClient) -> None:
    # Path j → k: Σ_s x_i σ′(z_j) W2[j,k] ∂L/∂o_k, the note's term l = k, summed over the batch.
    state = create(client, layers=[2, 4, 2], activations=["sigmoid", "softmax"])
    out = paths(client, state["id"], layer=0, i=0, j=3, of="next")
    net = core_net(state)
    x = np.asarray(step(client, state["id"], apply=False)["x"])
    y = np.asarray(step(client, state["id"], apply=False)["y"])
    trace = net.forward(x)
    grads = net.backward(trace, y, "cross_entropy")
    h = trace.layers[0].h[:, 3]
    assert out.paths is not None and [p.neurons for p in out.paths.paths] != []
    for p in out.paths.paths:
        k = p.neurons[-1]
        expected = x[:, 0] * h * (1 - h) * net.weights[1][3, k] * grads.layers[1].dz[:, k]
        np.testing.assert_allclose(p.samples, expected, rtol=1e-12)
        assert p.neurons[0] == 3 and p.weights == [net.weights[1][3, k]]


def test_each_paths_factors_multiply_to_its_value(client: TestClient) -> None:
    nid = create(client, **DEEP, residual=True)["id"]
    step(client, nid)
    out = paths(client, nid, layer=0, i=0, j=2)
    assert out.paths is not None
    for p in out.paths.paths:
        product = np.ones(len(out.batch))
        for f in p.factors:
            product = product * (f.value if f.samples is None else np.asarray(f.samples))
        np.testing.assert_allclose(product, p.samples, rtol=1e-12)
        assert p.value == pytest.approx(sum(p.samples), abs=1e-15)
        skip_factors = [f for f in p.factors if f.kind == "skip"]
        assert len(skip_factors) == sum(p.skips) and all(f.value == 1.0 for f in skip_factors)


def test_one_sample_gives_one_number_per_path(client: TestClient) -> None:
    nid = create(client, **DEEP)["id"]
    trace = step(client, nid, sample=7)
    out = paths(client, nid, layer=1, i=2, j=1, sample=7)
    assert out.batch == [7]
    assert out.paths is not None and all(len(p.samples) == 1 for p in out.paths.paths)
    assert abs(out.paths.total - trace["layers"][1]["dW"][2][1]) <= 1e-12


def test_past_max_paths_the_largest_are_listed_and_the_rest_summed(client: TestClient) -> None:
    nid = create(client, **DEEP, residual=True)["id"]
    trace = step(client, nid)
    out = paths(client, nid, layer=0, i=1, j=1, max_paths=5)
    assert out.paths is not None
    assert out.paths.max_paths == 5 and len(out.paths.paths) == 5
    assert out.paths.count.value == 4 * 4 * 2
    assert out.paths.rest_count.value == 32 - 5 and out.paths.rest_count.exact == "27"
    sizes = [abs(p.value) for p in out.paths.paths]
    assert sizes == sorted(sizes, reverse=True)
    assert abs(out.paths.total - trace["layers"][0]["dW"][1][1]) <= 1e-12


def test_the_default_bound_is_the_setting(client_with: Callable[..., TestClient]) -> None:
    c = client_with(max_paths=4)
    nid = create(c, **DEEP)["id"]
    step(c, nid)
    out = paths(c, nid, layer=0, i=0, j=0)
    assert out.paths is not None and out.paths.max_paths == 4 and len(out.paths.paths) == 4
    assert out.paths.rest_count.value == 18 - 4


def test_max_paths_past_the_setting_is_a_422_naming_it(
    client_with: Callable[..., TestClient],
) -> None:
    c = client_with(max_paths=4)
    nid = create(c, **DEEP)["id"]
    r = c.get(
        url(nid, "/explain"), params={"layer": 0, "i": 0, "j": 0, "form": "paths", "max_paths": 5}
    )
    assert r.status_code == 422
    (item,) = r.json()["detail"]
    assert item["loc"] == ["query", "max_paths"]
    assert (item["type"], item["limit"], item["bound"], item["value"]) == (
        "limit",
        "BACKPROP_LENS_MAX_PATHS",
        4,
        5,
    )
    assert item["msg"] == (
        "max_paths = 5 exceeds the limit of 4 paths listed in one expansion "
        "(BACKPROP_LENS_MAX_PATHS)"
    )


def test_max_paths_past_the_schemas_bound_is_worded_as_the_limit(client: TestClient) -> None:
    nid = create(client, **DEEP)["id"]
    r = client.get(
        url(nid, "/explain"),
        params={"layer": 0, "i": 0, "j": 0, "form": "paths", "max_paths": 1001},
    )
    assert r.status_code == 422
    (item,) = r.json()["detail"]
    assert item["limit"] == "BACKPROP_LENS_MAX_PATHS" and "1000 paths listed" in item["msg"]


def test_an_answer_past_the_explain_terms_limit_is_a_409_naming_it(
    client_with: Callable[..., TestClient],
) -> None:
    c = client_with(max_explain_terms=300)
    nid = create(c, **DEEP, batch_size=10)["id"]
    step(c, nid)
    r = c.get(url(nid, "/explain"), params={"layer": 0, "i": 0, "j": 0, "form": "paths"})
    assert r.status_code == 409
    (item,) = r.json()["detail"]
    assert item["limit"] == "BACKPROP_LENS_MAX_EXPLAIN_TERMS"
    assert "18 paths of 8 factors over the batch of 10 take 1440 terms" in item["msg"]
    assert "max_paths=" in item["msg"] and "sample=" in item["msg"]
    ok = c.get(
        url(nid, "/explain"), params={"layer": 0, "i": 0, "j": 0, "form": "paths", "sample": 0}
    )
    assert ok.status_code == 200, ok.text


def test_the_multiplications_are_counted_each_way(client: TestClient) -> None:
    shallow = create(client, layers=[2, 4, 2], activations=["tanh", "softmax"])["id"]
    deep = create(client, layers=[2, 4, 4, 4, 4, 2], activations=["tanh"] * 4 + ["softmax"])
    step(client, shallow, sample=0)
    step(client, deep["id"], sample=0)
    counts = {}
    for nid in (shallow, deep["id"]):
        out = paths(client, nid, layer=0, i=0, j=0)
        assert out.paths is not None
        counts[nid] = {k: v.value for k, v in out.paths.multiplications.items()}
    # the same numbers as core's, on the step's own network (the parameters before it)
    net = core_net(deep)
    sample = step(client, deep["id"], sample=0, apply=False)
    trace = net.forward(sample["x"])
    grads = net.backward(trace, np.asarray(sample["y"]), "cross_entropy")
    assert counts[deep["id"]] == explain_paths(net, trace, grads, 0, 0, 0).multiplications
    # one sample, two paths of 4 factors (x_i, σ′, W, ∂L/∂o): 3 products each; backprop:
    # dh = dZ Wᵀ (2 × 4), dZ = σ′ ⊙ dh (4), then x_i · dZ_j (1)
    assert counts[shallow] == {"paths": 2 * 3, "backprop": 2 * 4 + 4 + 1}
    assert counts[deep["id"]]["paths"] > 10 * counts[deep["id"]]["backprop"]


def test_the_default_form_has_no_paths(client: TestClient) -> None:
    nid = create(client)["id"]
    step(client, nid)
    out = client.get(url(nid, "/explain"), params={"layer": 0, "i": 0, "j": 0}).json()
    assert out["form"] == "backprop" and out["paths"] is None


def test_an_unknown_form_is_a_422(client: TestClient) -> None:
    nid = create(client)["id"]
    r = client.get(url(nid, "/explain"), params={"layer": 0, "i": 0, "j": 0, "form": "trees"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "form"]
