"""Which loss fits which dataset (issue 10): mse on a classification dataset works through
every endpoint (one-hot targets, any output activation, accuracy still reported); cross-entropy
on regression is a 422 of type loss_mismatch; explicit points from one sample; n × p targets."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

import core
from app.domain.data import load_dataset
from app.settings import Limits
from tests.api.helpers import API, create, get, net_of, step, url

BLOBS = {"kind": "blobs", "classes": 3, "n": 60, "noise": 0.2}


def _mse_net(client: TestClient, output: str, **body: Any) -> dict[str, Any]:
    return create(
        client,
        dataset=BLOBS,
        loss="mse",
        layers=[2, 5, 3],
        activations=["tanh", output],
        batch_size=8,
        **body,
    )


def _data(client: TestClient, network_id: str) -> core.Dataset:
    # The network's own dataset, from its stored config.
    return load_dataset(get(client, network_id)["config"]["dataset"], Limits())


@pytest.mark.parametrize("output", list(core.ACTIVATIONS))
def test_mse_on_classification_trains_with_one_hot_targets(client: TestClient, output: str) -> None:
    state = _mse_net(client, output)
    assert state["config"]["loss"] == "mse" and state["config"]["activations"][-1] == output
    data = _data(client, state["id"])
    net = net_of(state)
    out = step(client, state["id"], sample=3)
    # The single sample's loss is ½‖h − one_hot(class)‖², as core computes it.
    x, cls = data.x_train[[3]], data.y_train[[3]]
    h = net.forward(x).layers[-1].h
    assert out["loss_before"] == pytest.approx(
        0.5 * float(((h - core.one_hot(cls, 3)) ** 2).sum()), rel=1e-12
    )
    assert out["y"] == [int(cls[0])]  # the class index, as for cross-entropy
    # Accuracy is reported on train and test: the argmax against the class.
    after = core.MLP(out["weights"], out["biases"], state["config"]["activations"])
    evaluation = core.evaluate(after, data, "mse")
    assert out["train"] == {
        "loss": pytest.approx(evaluation.train.loss, rel=1e-12),
        "accuracy": evaluation.train.accuracy,
    }
    assert evaluation.test is not None
    assert out["test"]["accuracy"] == evaluation.test.accuracy
    assert 0.0 <= out["train"]["accuracy"] <= 1.0
    history = get(client, state["id"])["history"]
    assert history[-1]["train_accuracy"] == out["train"]["accuracy"]


def test_mse_on_classification_batch_preview_and_many_steps(client: TestClient) -> None:
    state = _mse_net(client, "softmax")
    preview = step(client, state["id"], batch=[0, 1, 2, 3], apply=False)
    assert preview["applied"] is False and get(client, state["id"])["step"] == 0
    applied = step(client, state["id"], batch=[0, 1, 2, 3])
    assert applied["loss_before"] == preview["loss_before"]
    assert applied["layers"][0]["dW"] == preview["layers"][0]["dW"]
    many = step(client, state["id"], steps=20)
    assert many["step"] == 21 and len(many["history"]) == 20
    assert many["loss_after"] < applied["loss_before"]


def test_mse_on_classification_forward_explain_gradcheck_boundary(client: TestClient) -> None:
    state = _mse_net(client, "softmax", l2=0.01)
    net_id = state["id"]
    step(client, net_id, batch=[0, 1, 2, 3, 4])
    r = client.post(url(net_id, "/forward"), json={"x": [[0.5, -1.0], [2.0, 2.0]]})
    assert r.status_code == 200, r.text
    assert len(r.json()["predictions"]) == 2 and r.json()["probs"] is not None
    for layer, i, j in ((0, 1, 2), (1, 4, 0)):
        for of in ("last", "next"):
            r = client.get(
                url(net_id, "/explain"), params={"layer": layer, "i": i, "j": j, "of": of}
            )
            assert r.status_code == 200, r.text
            body = r.json()
            assert abs(body["total"] - body["dW"]) <= 1e-12
    r = client.post(url(net_id, "/gradcheck"), json={"batch": [0, 1, 2]})
    assert r.status_code == 200, r.text
    assert r.json()["max_rel_error"] < 1e-7 and r.json()["failing"] == []
    r = client.get(url(net_id, "/boundary"), params={"resolution": 10})
    assert r.status_code == 200, r.text
    assert r.json()["task"] == "classification" and "class" in r.json()["output"]


def test_mse_on_classification_patch_export_import_copy(client: TestClient) -> None:
    state = _mse_net(client, "sigmoid")
    net_id = state["id"]
    step(client, net_id, steps=3)
    r = client.patch(url(net_id), json={"learning_rate": 0.5, "l2": 0.01})
    assert r.status_code == 200, r.text
    doc = client.get(url(net_id, "/export")).json()
    assert doc["config"]["loss"] == "mse"
    r = client.post(f"{API}/networks/import", json=doc)
    assert r.status_code == 201, r.text
    imported = r.json()["id"]
    r = client.post(url(net_id, "/copy"))
    assert r.status_code == 201, r.text
    copied = r.json()["id"]
    # The original, its import and its copy take the same next step.
    steps = [step(client, k) for k in (net_id, imported, copied)]
    assert steps[0]["weights"] == steps[1]["weights"] == steps[2]["weights"]
    assert steps[0]["train"]["accuracy"] is not None


def test_mse_on_classification_needs_one_output_neuron_per_class(client: TestClient) -> None:
    r = client.post(f"{API}/networks", json={"dataset": BLOBS, "loss": "mse", "layers": [2, 4, 1]})
    assert r.status_code == 422
    assert "3 classes" in r.json()["detail"][0]["msg"]


def test_mse_on_classification_defaults_to_a_linear_output_per_class(client: TestClient) -> None:
    state = create(client, dataset=BLOBS, loss="mse")
    assert state["config"]["layers"][-1] == 3
    assert state["config"]["activations"][-1] == "linear"
    assert state["metrics"]["train_accuracy"] is not None


def test_cross_entropy_on_regression_is_a_loss_mismatch(client: TestClient) -> None:
    for dataset in ({"kind": "sine"}, {"kind": "plane"}):
        r = client.post(f"{API}/networks", json={"dataset": dataset, "loss": "cross_entropy"})
        assert r.status_code == 422, r.text
        [item] = r.json()["detail"]
        assert item["type"] == "loss_mismatch"
        assert item["loc"] == ["body", "loss"]
        assert item["msg"] == "loss 'cross_entropy' does not fit regression; use mse"


def test_cross_entropy_needs_a_softmax_output(client: TestClient) -> None:
    r = client.post(
        f"{API}/networks",
        json={"loss": "cross_entropy", "activations": ["tanh", "tanh", "sigmoid"]},
    )
    assert r.status_code == 422
    assert "cross_entropy needs a softmax output layer" in r.json()["detail"][0]["msg"]


def test_the_catalog_says_which_loss_fits_which_task(client: TestClient) -> None:
    body = client.get(f"{API}/catalog").json()
    details = {d["name"]: d for d in body["loss_details"]}
    assert set(details) == set(body["losses"])
    assert details["mse"]["tasks"] == ["classification", "regression"]
    assert details["cross_entropy"]["tasks"] == ["classification"]
    assert details["cross_entropy"]["outputs"] == ["softmax"]
    assert set(details["mse"]["outputs"]) == set(body["activations"]["output"])
    assert body["default_losses"] == {"classification": "cross_entropy", "regression": "mse"}
    # What the catalog offers is what the API accepts, and nothing else.
    for name, d in details.items():
        for task, kind in (("classification", "circle"), ("regression", "plane")):
            r = client.post(f"{API}/networks", json={"dataset": {"kind": kind}, "loss": name})
            assert (r.status_code == 201) == (task in d["tasks"]), (name, task, r.text)
            if r.status_code == 201:
                assert r.json()["config"]["activations"][-1] == d["default_output"]


# ---- explicit points: one sample, n × p targets

MAZUR = {
    "kind": "points",
    "task": "regression",
    "points": [[0.05, 0.10]],
    "y": [[0.01, 0.99]],
}


def test_a_single_point_with_two_targets_trains_a_2_2_2_network(client: TestClient) -> None:
    # Mazur's worked example: one sample, two inputs, two outputs, sigmoid, mse, lr 0.5.
    state = create(
        client,
        dataset=MAZUR,
        layers=[2, 2, 2],
        activations=["sigmoid", "sigmoid"],
        optimizer={"name": "sgd", "learning_rate": 0.5},
    )
    assert state["config"]["loss"] == "mse"
    assert state["metrics"]["test_loss"] is None and state["metrics"]["test_accuracy"] is None
    data = client.get(url(state["id"], "/data")).json()
    assert data["y"] == [[0.01, 0.99]] and data["test_index"] == []
    out = step(client, state["id"])
    assert out["batch"] == [0] and out["test"] == {"loss": None, "accuracy": None}
    assert out["y"] == [[0.01, 0.99]]
    net = net_of(state)
    h = net.forward([[0.05, 0.10]]).layers[-1].h
    assert out["loss_before"] == pytest.approx(
        0.5 * float(((h - [[0.01, 0.99]]) ** 2).sum()), rel=1e-12
    )
    r = client.post(url(state["id"], "/gradcheck"))
    assert r.status_code == 200 and r.json()["max_rel_error"] < 1e-7
    r = client.get(url(state["id"], "/explain"), params={"layer": 0, "i": 0, "j": 1})
    assert r.status_code == 200 and abs(r.json()["total"] - r.json()["dW"]) <= 1e-12
    r = client.get(url(state["id"], "/boundary"), params={"resolution": 5})
    assert r.status_code == 200, r.text
    doc = client.get(url(state["id"], "/export")).json()
    r = client.post(f"{API}/networks/import", json=doc)
    assert r.status_code == 201, r.text
    assert r.json()["weights"] == get(client, state["id"])["weights"]


def test_default_layers_give_one_output_per_target(client: TestClient) -> None:
    points = np.linspace(-1, 1, 8)[:, None].tolist()
    y = [[p[0], -p[0], 2 * p[0]] for p in points]
    state = create(
        client, dataset={"kind": "points", "task": "regression", "points": points, "y": y}
    )
    assert state["config"]["layers"] == [1, 4, 4, 3]
    assert state["config"]["activations"][-1] == "linear"


def test_an_output_layer_of_another_width_than_the_targets_is_refused(client: TestClient) -> None:
    r = client.post(f"{API}/networks", json={"dataset": MAZUR, "layers": [2, 2, 1]})
    assert r.status_code == 422
    [item] = r.json()["detail"]
    assert item["loc"] == ["body", "layers", 2]
    assert "2 regression target(s)" in item["msg"]


def test_ragged_target_rows_are_refused(client: TestClient) -> None:
    dataset = {**MAZUR, "points": [[0.0, 0.0], [1.0, 1.0]], "y": [[1.0, 2.0], [3.0]]}
    r = client.post(f"{API}/networks", json={"dataset": dataset})
    assert r.status_code == 422
    assert "same number of targets" in r.json()["detail"][0]["msg"]


def test_target_columns_are_bounded_by_the_width_limit(client_with: Any) -> None:
    client = client_with(max_width=3)
    dataset = {**MAZUR, "y": [[0.1, 0.2, 0.3, 0.4]]}
    r = client.post(f"{API}/networks", json={"dataset": dataset})
    assert r.status_code == 422
    [item] = r.json()["detail"]
    assert item["type"] == "limit" and item["limit"] == "BACKPROP_LENS_MAX_WIDTH"
    assert item["loc"] == ["body", "dataset", "y"]
    assert item["msg"] == (
        "y has 4 columns (one output neuron each), past the limit of 3 neurons per layer "
        "(BACKPROP_LENS_MAX_WIDTH)"
    )


def test_a_single_classified_point_trains_with_an_empty_test_set(client: TestClient) -> None:
    dataset = {"kind": "points", "points": [[1.0, 2.0]], "y": [1], "classes": 2}
    state = create(client, dataset=dataset)
    assert state["metrics"]["test_loss"] is None
    out = step(client, state["id"])
    assert out["train"]["accuracy"] in (0.0, 1.0) and out["test"]["accuracy"] is None
