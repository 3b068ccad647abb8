"""The API's numbers are the core's: gradients, updates, explain, gradcheck, stateless backprop."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from fastapi.testclient import TestClient

from core import MLP
from tests.api.helpers import API, BACKPROP, arrays, create, get, net_of, step, url

TOL = 1e-12


@pytest.fixture
def l2_network(client: TestClient) -> str:
    """A sigmoid/relu network with L2, so every term of the gradient is exercised."""
    return str(
        create(
            client,
            layers=[2, 5, 3, 2],
            activations=["sigmoid", "leaky_relu", "softmax"],
            l2=0.01,
            seed=3,
            batch_size=8,
        )["id"]
    )


def test_step_gradients_equal_the_cores(client: TestClient, l2_network: str) -> None:
    before = get(client, l2_network)
    trace = step(client, l2_network)
    net = net_of(before)
    grads = net.backward(net.forward(trace["x"]), trace["y"], "cross_entropy", l2=0.01)
    assert abs(trace["loss_before"] - grads.loss) < TOL
    for layer, g in enumerate(grads.layers):
        got = trace["layers"][layer]
        np.testing.assert_allclose(np.asarray(got["dW"]), g.dW, rtol=0, atol=TOL)
        np.testing.assert_allclose(np.asarray(got["db"]), g.db, rtol=0, atol=TOL)
        np.testing.assert_allclose(np.asarray(got["dz"]), g.dz, rtol=0, atol=TOL)


def test_step_forward_values_equal_the_cores(client: TestClient, l2_network: str) -> None:
    before = get(client, l2_network)
    trace = step(client, l2_network)
    forward = net_of(before).forward(trace["x"])
    for layer, values in enumerate(forward.layers):
        np.testing.assert_allclose(np.asarray(trace["layers"][layer]["z"]), values.z, atol=TOL)
        np.testing.assert_allclose(np.asarray(trace["layers"][layer]["h"]), values.h, atol=TOL)
    np.testing.assert_allclose(np.asarray(trace["probs"]), forward.probs, atol=TOL)
    assert trace["predictions"] == forward.predictions.tolist()


def test_step_weights_equal_weights_before_plus_update(client: TestClient, l2_network: str) -> None:
    step(client, l2_network)  # a second step, so the "before" weights are not the initial ones
    before = get(client, l2_network)
    trace = step(client, l2_network)
    for layer in range(3):
        update = trace["layers"][layer]["update"]
        np.testing.assert_allclose(
            np.asarray(trace["weights"][layer]),
            np.asarray(before["weights"][layer]) + np.asarray(update["dW"]),
            rtol=0,
            atol=TOL,
        )
        np.testing.assert_allclose(
            np.asarray(trace["biases"][layer]),
            np.asarray(before["biases"][layer]) + np.asarray(update["db"]),
            rtol=0,
            atol=TOL,
        )


def test_sgd_update_is_minus_learning_rate_times_the_gradient(
    client: TestClient, network: str
) -> None:
    trace = step(client, network)
    for values in trace["layers"]:
        np.testing.assert_allclose(
            np.asarray(values["update"]["dW"]), -0.1 * np.asarray(values["dW"]), atol=TOL
        )


def test_explain_total_equals_the_steps_dW_for_every_weight(
    client: TestClient, l2_network: str
) -> None:
    trace = step(client, l2_network)
    for layer, (n_in, n_out) in enumerate(itertools.pairwise([2, 5, 3, 2])):
        dW = np.asarray(trace["layers"][layer]["dW"])
        for i, j in itertools.product(range(n_in), range(n_out)):
            r = client.get(url(l2_network, "/explain"), params={"layer": layer, "i": i, "j": j})
            assert r.status_code == 200, r.text
            explained = r.json()
            assert abs(explained["total"] - dW[i, j]) < TOL, (layer, i, j)
            assert abs(explained["dW"] - dW[i, j]) < TOL, (layer, i, j)


def test_explain_sample_products_sum_to_the_data_gradient(
    client: TestClient, l2_network: str
) -> None:
    step(client, l2_network)
    explained = client.get(url(l2_network, "/explain"), params={"layer": 0, "i": 1, "j": 2}).json()
    total = sum(s["product"] for s in explained["samples"])
    assert abs(total - explained["data_gradient"]) < TOL
    assert abs(explained["data_gradient"] + explained["l2_term"] - explained["total"]) < TOL


def test_explain_seed_form_of_a_two_layer_network_sums_to_dW(client: TestClient) -> None:
    nid = create(client, layers=[2, 3, 2], activations=["tanh", "softmax"])["id"]
    trace = step(client, nid)
    explained = client.get(url(nid, "/explain"), params={"layer": 0, "i": 1, "j": 2}).json()
    assert explained["seed_form"]
    assert abs(explained["seed_total"] - trace["layers"][0]["dW"][1][2]) < TOL
    # The lecture note's form under its own name; seed_* stay as deprecated aliases.
    assert explained["note_form"] == explained["seed_form"]
    assert explained["note_total"] == explained["seed_total"]


def test_gradcheck_agrees_to_1e_7(client: TestClient, l2_network: str) -> None:
    r = client.post(url(l2_network, "/gradcheck"))
    assert r.status_code == 200
    check = r.json()
    assert check["max_rel_error"] < 1e-7
    assert len(check["params"]) == 2 * 5 + 5 + 5 * 3 + 3 + 3 * 2 + 2
    assert check["worst"]["rel_error"] == check["max_rel_error"]


def test_gradcheck_of_one_sample_agrees_to_1e_7(client: TestClient, network: str) -> None:
    check = client.post(url(network, "/gradcheck"), json={"sample": 5}).json()
    assert check["batch"] == [5]
    assert check["max_rel_error"] < 1e-7


def test_stateless_backprop_agrees_with_a_network_step(client: TestClient, l2_network: str) -> None:
    state = get(client, l2_network)
    trace = step(client, l2_network, apply=False)
    r = client.post(
        f"{API}/backprop",
        json={
            "layers": state["config"]["layers"],
            "activations": state["config"]["activations"],
            "loss": "cross_entropy",
            "weights": state["weights"],
            "biases": state["biases"],
            "x": trace["x"],
            "y": trace["y"],
            "l2": 0.01,
        },
    )
    assert r.status_code == 200, r.text
    stateless = r.json()
    assert abs(stateless["loss"] - trace["loss_before"]) < TOL
    np.testing.assert_allclose(np.asarray(stateless["probs"]), np.asarray(trace["probs"]), atol=TOL)
    for mine, theirs in zip(stateless["layers"], trace["layers"], strict=True):
        for key in ("z", "h", "dz", "dh", "dW", "db"):
            np.testing.assert_allclose(
                np.asarray(mine[key]), np.asarray(theirs[key]), rtol=0, atol=TOL, err_msg=key
            )
    np.testing.assert_allclose(stateless["grad_norms"], trace["grad_norms"], atol=TOL)


def test_forward_equals_the_cores_forward(client: TestClient, network: str) -> None:
    x = [[0.5, -1.0], [2.0, 0.25], [0.0, 0.0]]
    r = client.post(url(network, "/forward"), json={"x": x})
    assert r.status_code == 200
    out = r.json()
    expected = net_of(get(client, network)).forward(x)
    for layer, values in enumerate(expected.layers):
        np.testing.assert_allclose(np.asarray(out["layers"][layer]["z"]), values.z, atol=TOL)
        np.testing.assert_allclose(np.asarray(out["layers"][layer]["h"]), values.h, atol=TOL)
    np.testing.assert_allclose(np.asarray(out["output"]), expected.output, atol=TOL)
    np.testing.assert_allclose(np.asarray(out["probs"]), expected.probs, atol=TOL)
    assert out["predictions"] == expected.predictions.tolist()


def test_backprop_of_the_documented_example_matches_the_core(client: TestClient) -> None:
    body = {**BACKPROP, "l2": 0.0}
    r = client.post(f"{API}/backprop", json=body)
    assert r.status_code == 200
    out = r.json()
    net = MLP(arrays(body["weights"]), arrays(body["biases"]), body["activations"])
    grads = net.backward(net.forward(body["x"]), body["y"])
    assert abs(out["loss"] - grads.loss) < TOL
    assert out["data_loss"] == out["loss"]
    for layer, g in enumerate(grads.layers):
        np.testing.assert_allclose(np.asarray(out["layers"][layer]["dW"]), g.dW, atol=TOL)
