"""Forward, explain, gradcheck and boundary: the views that explain a network."""

from __future__ import annotations

import base64

import numpy as np
import pytest
from fastapi.testclient import TestClient

from core import make_dataset, select_batch
from tests.api.helpers import API, create, get, step, url

N_TRAIN = 160  # the default circle dataset: 200 samples, 20% held out


def explain(client: TestClient, network: str, **params: object) -> dict[str, object]:
    r = client.get(url(network, "/explain"), params={"layer": 0, "i": 1, "j": 2, **params})
    assert r.status_code == 200, r.text
    return dict(r.json())


def b64_len(text: str) -> int:
    return len(base64.b64decode(text, validate=True))


# ---- forward


def test_forward_returns_one_row_per_input(client: TestClient, network: str) -> None:
    r = client.post(url(network, "/forward"), json={"x": [[0.0, 1.0], [1.0, 0.0]]})
    assert r.status_code == 200
    out = r.json()
    assert [np.shape(layer["h"]) for layer in out["layers"]] == [(2, 4), (2, 4), (2, 2)]
    assert np.shape(out["output"]) == (2, 2)
    np.testing.assert_allclose(np.sum(out["probs"], axis=1), 1.0)
    assert len(out["predictions"]) == 2


def test_forward_does_not_change_the_network(client: TestClient, network: str) -> None:
    before = get(client, network)
    client.post(url(network, "/forward"), json={"x": [[0.0, 1.0]]})
    assert get(client, network) == before


def test_forward_of_a_regression_network_has_no_probs(client: TestClient) -> None:
    nid = create(client, dataset={"kind": "sine"})["id"]
    out = client.post(url(nid, "/forward"), json={"x": [[0.3]]}).json()
    assert out["probs"] is None
    assert np.shape(out["output"]) == (1, 1)


# ---- explain


def test_explain_defaults_to_the_last_step_once_one_has_run(
    client: TestClient, network: str
) -> None:
    trace = step(client, network)
    explained = explain(client, network)
    assert (explained["of"], explained["step"], explained["batch"]) == ("last", 1, trace["batch"])
    assert explained["layer"] == 0
    assert (explained["i"], explained["j"]) == (1, 2)
    assert explained["activation"] == "tanh"
    assert explained["is_output"] is False


def test_explain_defaults_to_the_next_step_before_any_step(
    client: TestClient, network: str
) -> None:
    explained = explain(client, network)
    assert explained["of"] == "next"
    assert explained["step"] == 1
    assert explained["batch"] == select_batch(N_TRAIN, 10, 0, 0).tolist()


def test_explain_next_equals_the_dW_of_the_step_that_follows(
    client: TestClient, network: str
) -> None:
    step(client, network)
    explained = explain(client, network, of="next")
    trace = step(client, network)
    assert explained["batch"] == trace["batch"]
    assert abs(explained["total"] - trace["layers"][0]["dW"][1][2]) < 1e-12


def test_explain_last_before_any_step_is_refused(client: TestClient, network: str) -> None:
    r = client.get(url(network, "/explain"), params={"layer": 0, "i": 0, "j": 0, "of": "last"})
    assert r.status_code == 409
    assert "of=next" in r.json()["detail"][0]["msg"]


def test_explain_sample_uses_that_one_training_sample(client: TestClient, network: str) -> None:
    step(client, network)
    explained = explain(client, network, sample=9)
    assert explained["batch"] == [9]
    samples = explained["samples"]
    assert isinstance(samples, list)
    assert [s["sample"] for s in samples] == [9]
    data = make_dataset("circle", n=200, noise=0.1, classes=2, test_fraction=0.2, seed=0)
    assert abs(samples[0]["h_in"] - data.x_train[9, 1]) < 1e-12


def test_explain_samples_are_named_by_training_index(client: TestClient, network: str) -> None:
    trace = step(client, network)
    samples = explain(client, network)["samples"]
    assert isinstance(samples, list)
    assert [s["sample"] for s in samples] == trace["batch"]


def test_explain_of_an_output_weight_has_no_backprop_terms(
    client: TestClient, network: str
) -> None:
    step(client, network)
    explained = explain(client, network, layer=2, i=3, j=1)
    assert explained["is_output"] is True
    assert explained["activation"] == "softmax"
    samples = explained["samples"]
    assert isinstance(samples, list)
    assert all(s["backprop"] is None and s["sigma_prime"] is None for s in samples)


def test_explain_rejects_a_weight_outside_the_network(client: TestClient, network: str) -> None:
    r = client.get(url(network, "/explain"), params={"layer": 0, "i": 2, "j": 0})
    assert r.status_code == 409
    assert "i = 2" in r.json()["detail"][0]["msg"]


# ---- gradcheck


def test_gradcheck_defaults_to_the_next_batch(client: TestClient, network: str) -> None:
    check = client.post(url(network, "/gradcheck")).json()
    assert check["batch"] == select_batch(N_TRAIN, 10, 0, 0).tolist()
    assert check["eps"] > 0
    assert {p["kind"] for p in check["params"]} == {"W", "b"}


def test_gradcheck_of_an_explicit_batch(client: TestClient, network: str) -> None:
    check = client.post(url(network, "/gradcheck"), json={"batch": [0, 2, 4]}).json()
    assert check["batch"] == [0, 2, 4]
    assert check["max_rel_error"] < 1e-7


def test_gradcheck_does_not_change_the_network(client: TestClient, network: str) -> None:
    before = get(client, network)
    client.post(url(network, "/gradcheck"))
    assert get(client, network) == before


# ---- boundary


def test_boundary_of_circle_is_a_grid_of_resolution_squared_cells(
    client: TestClient, network: str
) -> None:
    r = client.get(url(network, "/boundary"), params={"resolution": 12})
    assert r.status_code == 200
    grid = r.json()
    assert (grid["kind"], grid["resolution"], grid["task"], grid["classes"]) == (
        "grid",
        12,
        "classification",
        2,
    )
    assert b64_len(grid["output"]["class"]) == 144
    assert b64_len(grid["output"]["confidence"]) == 144
    assert [len(layer) for layer in grid["neurons"]] == [4, 4]
    for layer in grid["neurons"]:
        for neuron in layer:
            assert b64_len(neuron["value"]) == 144
            assert neuron["min"] <= neuron["max"]
    assert grid["x_range"][0] < grid["x_range"][1]
    assert grid["y_range"][0] < grid["y_range"][1]


def test_boundary_classes_are_the_forward_predictions_of_the_grid(
    client: TestClient, network: str
) -> None:
    grid = client.get(url(network, "/boundary"), params={"resolution": 5}).json()
    (x_lo, x_hi), (y_lo, y_hi) = grid["x_range"], grid["y_range"]
    # Row-major from the top-left corner (x_lo, y_hi), like an image.
    xs, ys = np.meshgrid(np.linspace(x_lo, x_hi, 5), np.linspace(y_hi, y_lo, 5))
    points = np.stack([xs.ravel(), ys.ravel()], axis=1).tolist()
    predictions = client.post(url(network, "/forward"), json={"x": points}).json()["predictions"]
    classes = list(base64.b64decode(grid["output"]["class"]))
    assert classes == predictions


def test_boundary_default_resolution_is_40(client: TestClient, network: str) -> None:
    grid = client.get(url(network, "/boundary")).json()
    assert grid["resolution"] == 40
    assert b64_len(grid["output"]["class"]) == 1600


def test_boundary_of_sine_is_a_curve(client: TestClient) -> None:
    nid = create(client, dataset={"kind": "sine"})["id"]
    r = client.get(url(nid, "/boundary"), params={"resolution": 30})
    assert r.status_code == 200
    curve = r.json()
    assert curve["kind"] == "curve"
    assert len(curve["x"]) == len(curve["y"]) == 30
    assert curve["x"] == sorted(curve["x"])


def test_boundary_of_a_regression_grid_has_scaled_values(client: TestClient) -> None:
    nid = create(client, dataset={"kind": "plane"})["id"]
    grid = client.get(url(nid, "/boundary"), params={"resolution": 8}).json()
    assert (grid["kind"], grid["task"]) == ("grid", "regression")
    assert b64_len(grid["output"]["value"]) == 64
    assert grid["output"]["min"] <= grid["output"]["max"]


def test_explain_last_keeps_the_l2_of_that_step_after_a_patch(client: TestClient) -> None:
    network = create(client, l2=0.1)["id"]
    trace = step(client, network)
    assert client.patch(url(network), json={"l2": 0.5}).status_code == 200
    why = client.get(url(network, "/explain?layer=1&i=2&j=0")).json()
    assert why["total"] == pytest.approx(trace["layers"][1]["dW"][2][0], abs=1e-12)


def test_boundary_without_neurons_sends_the_output_only(client: TestClient, network: str) -> None:
    full = client.get(url(network, "/boundary?resolution=8")).json()
    lean = client.get(url(network, "/boundary?resolution=8&neurons=false")).json()
    assert [len(layer) for layer in full["neurons"]] == [4, 4]
    assert lean["neurons"] == []
    assert lean["output"] == full["output"]


def test_gradcheck_names_failing_parameters_and_a_relu_kink(client: TestClient) -> None:
    from app.schemas import GradcheckResult

    # Every point has x1 = 0, so neuron 0 of the ReLU layer (z = x1) sits exactly on its kink.
    doc = {
        "format": "backprop-lens/network",
        "version": 1,
        "config": {
            "layers": [2, 2, 2],
            "activations": ["relu", "softmax"],
            "dataset": {
                "kind": "points",
                "points": [[0.0, 1.0], [0.0, 2.0], [0.0, -1.0], [0.0, 3.0]],
                "y": [0, 1, 0, 1],
                "test_fraction": 0.0,
            },
        },
        "params": [[[1.0, 0.5], [0.0, 0.5]], [0.0, 0.1], [[1.0, -1.0], [0.3, 0.2]], [0.0, 0.0]],
    }
    r = client.post(f"{API}/networks/import", json=doc)
    assert r.status_code == 201, r.text
    checked = client.post(url(r.json()["id"], "/gradcheck"), json={"sample": 0})
    assert checked.status_code == 200, checked.text
    body = GradcheckResult.model_validate(checked.json())
    assert body.kink is True
    assert body.failing, body.message
    # Only neuron 0's own parameters (the column W(0)[:, 0] and b(0)[0]) straddle the kink.
    assert {(p.layer, p.index[-1] if p.kind == "W" else p.index[0]) for p in body.failing} == {
        (0, 0)
    }
    assert all(p.rel_error > 1e-4 for p in body.failing)
    assert body.message is not None and "kink" in body.message and "W(0)[" in body.message


def test_gradcheck_of_a_smooth_network_has_no_failing_parameter(
    client: TestClient, network: str
) -> None:
    body = client.post(url(network, "/gradcheck")).json()
    assert body["failing"] == []
    assert body["kink"] is False
    assert "every parameter agrees" in body["message"]
