"""explain form=note: the lecture note's derivation of ∂L/∂W(1)ij with the sample's numbers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.schemas import ExplainResult, NoteDerivationOut
from core import MLP
from tests.api.helpers import create, step, url

TWO = {"layers": [2, 3, 2], "activations": ["sigmoid", "softmax"]}


def note(client: TestClient, nid: str, **params: Any) -> NoteDerivationOut:
    query = {"layer": 0, "i": 1, "j": 2, "form": "note", **params}
    r = client.get(url(nid, "/explain"), params=query)
    assert r.status_code == 200, r.text
    out = ExplainResult.model_validate(r.json())
    assert out.form == "note" and out.derivation is not None and out.paths is None
    return out.derivation


def test_one_samples_derivation_ends_at_dw(client: TestClient) -> None:
    state = create(client, **TWO)
    trace = step(client, state["id"], sample=11)
    d = note(client, state["id"], sample=11)
    assert [s.sample for s in d.samples] == [11]
    (s,) = d.samples
    dw = trace["layers"][0]["dW"][1][2]
    assert abs(s.total - dw) <= 1e-12 and abs(d.total - dw) <= 1e-12 and d.dW == dw
    assert s.backprop == pytest.approx(dw, abs=1e-15)


def test_every_term_has_the_notes_factors_and_the_deltas_keep_r_eq_k_eq_j(
    client: TestClient,
) -> None:
    state = create(client, **TWO)
    trace = step(client, state["id"], sample=4)
    (s,) = note(client, state["id"], sample=4).samples
    net = MLP(state["weights"], state["biases"], TWO["activations"])
    x = np.asarray(trace["x"])
    fwd = net.forward(x)
    grads = net.backward(fwd, np.asarray(trace["y"]), "cross_entropy")
    h = fwd.layers[0].h[0]
    sigma_prime = h * (1 - h)
    w2, d_out = net.weights[1], grads.layers[1].dz[0]
    assert len(s.terms) == 2 * 3 * 3  # l over outputs, r and k over hidden neurons
    for t in s.terms:
        assert t.do_dh == pytest.approx(w2[t.r, t.l], abs=1e-15)
        assert t.dh_dz == pytest.approx(sigma_prime[t.k] * (t.r == t.k), abs=1e-15)
        assert t.dz_dW == pytest.approx(x[0, 1] * (t.k == 2), abs=1e-15)
        assert t.dL_do == pytest.approx(d_out[t.l], abs=1e-15)
        assert t.product == pytest.approx(t.dL_do * t.do_dh * t.dh_dz * t.dz_dW, abs=1e-15)
        assert t.kept == (t.r == t.k == 2)
        if not t.kept:
            assert t.product == 0.0
    assert [(t.l, t.r, t.k) for t in s.kept] == [(0, 2, 2), (1, 2, 2)]
    assert s.x_i == x[0, 1] and s.sigma_prime == pytest.approx(sigma_prime[2], abs=1e-15)
    assert s.total == pytest.approx(sum(t.product for t in s.kept), abs=1e-15)


def test_the_softmax_step_gives_p_minus_y_over_n(client: TestClient) -> None:
    state = create(client, **TWO)
    trace = step(client, state["id"], sample=2)
    (s,) = note(client, state["id"], sample=2).samples
    assert s.softmax is not None
    p, y = trace["probs"][0], trace["y"][0]
    for out in s.softmax:
        closed = p[out.l] - (out.l == y)
        assert out.p_minus_y == pytest.approx(closed, abs=1e-15)
        assert out.total == pytest.approx(closed, abs=1e-12)
        assert out.backprop == pytest.approx(s.dL_do[out.l], abs=1e-15)
        # ∂L/∂p_k is 0 except at the target class: those terms vanish
        assert [t.vanishes for t in out.terms] == [k != y for k in range(2)]


def test_over_a_batch_the_samples_and_the_l2_term_sum_to_dw(client: TestClient) -> None:
    nid = create(client, **TWO, l2=0.05, batch_size=6)["id"]
    trace = step(client, nid)
    d = note(client, nid)
    assert [s.sample for s in d.samples] == trace["batch"]
    dw = trace["layers"][0]["dW"][1][2]
    assert d.data_gradient == pytest.approx(sum(s.total for s in d.samples), abs=1e-15)
    w_before = trace["weights"][0][1][2] - trace["layers"][0]["update"]["dW"][1][2]
    assert d.l2_term == pytest.approx(0.05 * w_before, rel=1e-12)
    assert abs(d.total - dw) <= 1e-12


def test_a_regression_network_has_no_softmax_step(client: TestClient) -> None:
    nid = create(
        client, layers=[1, 4, 1], activations=["tanh", "linear"], dataset={"kind": "sine"}
    )["id"]
    trace = step(client, nid)
    d = note(client, nid, i=0, j=3)
    assert all(s.softmax is None for s in d.samples)
    assert abs(d.total - trace["layers"][0]["dW"][0][3]) <= 1e-12


def test_a_residual_two_layer_network_ends_at_dw_too(client: TestClient) -> None:
    # d = h = 2: the hidden layer skips, H(1) = X + σ(Z(1)); the skip adds nothing to ∂h/∂W(1)
    state = create(client, layers=[2, 2, 2], activations=["tanh", "softmax"], residual=True)
    assert state["skips"] == [True, False]
    trace = step(client, state["id"])
    d = note(client, state["id"], i=0, j=1)
    assert abs(d.total - trace["layers"][0]["dW"][0][1]) <= 1e-12


def test_a_deeper_network_is_a_409_saying_why(client: TestClient) -> None:
    nid = create(client)["id"]  # 2-4-4-2: three weight layers
    r = client.get(url(nid, "/explain"), params={"layer": 0, "i": 0, "j": 0, "form": "note"})
    assert r.status_code == 409
    (item,) = r.json()["detail"]
    assert item["loc"] == ["query", "form"]
    assert "two weight layers" in item["msg"] and "has 3 weight layers" in item["msg"]
    assert "form=paths" in item["msg"]


def test_the_output_layer_is_a_409_saying_why(client: TestClient) -> None:
    nid = create(client, **TWO)["id"]
    r = client.get(url(nid, "/explain"), params={"layer": 1, "i": 0, "j": 0, "form": "note"})
    assert r.status_code == 409
    (item,) = r.json()["detail"]
    assert item["loc"] == ["query", "layer"] and "layer = 0" in item["msg"]


def test_a_derivation_past_the_terms_limit_is_a_409_naming_it(
    client_with: Callable[..., TestClient],
) -> None:
    c = client_with(max_explain_terms=100)
    nid = create(c, **TWO, batch_size=10)["id"]
    step(c, nid)
    r = c.get(url(nid, "/explain"), params={"layer": 0, "i": 0, "j": 0, "form": "note"})
    assert r.status_code == 409
    (item,) = r.json()["detail"]
    assert item["limit"] == "BACKPROP_LENS_MAX_EXPLAIN_TERMS" and "180 terms" in item["msg"]
    one = c.get(
        url(nid, "/explain"), params={"layer": 0, "i": 0, "j": 0, "form": "note", "sample": 1}
    )
    assert one.status_code == 200, one.text
