"""Stored networks: create, get, data, patch, reset, delete, export and import."""

from __future__ import annotations

import numpy as np
from fastapi.testclient import TestClient

from core import SGD, Adam, OptimizerState, compute_updates, flat_params, make_dataset
from tests.api.helpers import API, UNKNOWN_ID, arrays, create, get, messages, net_of, step, url

DEFAULT_CONFIG = {
    "layers": [2, 4, 4, 2],
    "activations": ["tanh", "tanh", "softmax"],
    "loss": "cross_entropy",
    "init": "xavier",
    "seed": 0,
    "dtype": "float64",
    "optimizer": {"name": "sgd", "learning_rate": 0.1, "momentum": 0.0, "nesterov": False},
    "batch_size": 10,
    "l2": 0.0,
}


# ---- create and get


def test_create_answers_201_with_a_location_that_gets_the_same_network(
    client: TestClient,
) -> None:
    r = client.post(f"{API}/networks", json={})
    assert r.status_code == 201
    created = r.json()
    assert r.headers["location"] == f"{API}/networks/{created['id']}"
    fetched = client.get(r.headers["location"])
    assert fetched.status_code == 200
    assert fetched.json() == created


def test_create_without_a_body_fills_in_the_defaults(client: TestClient) -> None:
    r = client.post(f"{API}/networks")
    assert r.status_code == 201
    config = r.json()["config"]
    assert {k: config[k] for k in DEFAULT_CONFIG} == DEFAULT_CONFIG
    dataset = config["dataset"]
    assert (dataset["kind"], dataset["n"], dataset["noise"], dataset["classes"]) == (
        "circle",
        200,
        0.1,
        2,
    )
    assert (dataset["test_fraction"], dataset["seed"]) == (0.2, 0)


def test_create_returns_a_fresh_state(client: TestClient) -> None:
    state = create(client)
    assert len(state["id"]) == 32
    assert int(state["id"], 16) >= 0
    assert (state["step"], state["history"], state["diverged"], state["message"]) == (
        0,
        [],
        False,
        None,
    )
    assert state["n_params"] == 2 * 4 + 4 + 4 * 4 + 4 + 4 * 2 + 2
    assert [np.shape(w) for w in state["weights"]] == [(2, 4), (4, 4), (4, 2)]
    assert [np.shape(b) for b in state["biases"]] == [(4,), (4,), (2,)]
    assert set(state["metrics"]) == {"train_loss", "train_accuracy", "test_loss", "test_accuracy"}


def test_create_gives_every_network_its_own_id(client: TestClient) -> None:
    assert create(client)["id"] != create(client)["id"]


def test_create_with_the_same_seed_gives_the_same_weights(client: TestClient) -> None:
    a, b = create(client, seed=7), create(client, seed=7)
    assert a["weights"] == b["weights"]
    assert create(client, seed=8)["weights"] != a["weights"]


def test_create_regression_defaults_to_mse_with_a_linear_output(client: TestClient) -> None:
    config = create(client, dataset={"kind": "sine"})["config"]
    assert config["loss"] == "mse"
    assert config["layers"] == [1, 4, 4, 1]
    assert config["activations"][-1] == "linear"


def test_create_from_explicit_points(client: TestClient) -> None:
    points = [[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.5, 0.5]]
    state = create(
        client,
        layers=[2, 3, 2],
        activations=["tanh", "softmax"],
        dataset={"kind": "points", "points": points, "y": [0, 1, 1, 0, 1]},
    )
    data = client.get(url(state["id"], "/data")).json()
    assert data["points"] == points
    assert data["y"] == [0, 1, 1, 0, 1]


def test_get_metrics_match_the_core_on_the_training_set(client: TestClient) -> None:
    state = create(client)
    data = make_dataset("circle", n=200, noise=0.1, classes=2, test_fraction=0.2, seed=0)
    expected = net_of(state).loss(data.x_train, data.y_train)
    assert abs(state["metrics"]["train_loss"] - expected) < 1e-12


# ---- data


def test_data_returns_points_targets_and_a_split(client: TestClient, network: str) -> None:
    r = client.get(url(network, "/data"))
    assert r.status_code == 200
    data = r.json()
    assert (data["kind"], data["task"], data["classes"]) == ("circle", "classification", 2)
    assert data["features"] == ["x1", "x2"]
    points = np.asarray(data["points"])
    assert points.shape == (200, 2)
    assert set(data["y"]) == {0, 1}
    assert sorted(data["train_index"] + data["test_index"]) == list(range(200))
    assert len(data["test_index"]) == 40
    np.testing.assert_array_equal(np.asarray(data["x_train"]), points[data["train_index"]])
    np.testing.assert_array_equal(np.asarray(data["x_test"]), points[data["test_index"]])


# ---- patch


def test_patch_learning_rate_keeps_the_step_count_and_weights(
    client: TestClient, network: str
) -> None:
    step(client, network, steps=3)
    before = get(client, network)
    r = client.patch(url(network), json={"learning_rate": 0.05})
    assert r.status_code == 200
    after = r.json()
    assert after["config"]["optimizer"]["learning_rate"] == 0.05
    assert after["step"] == 3
    assert after["weights"] == before["weights"]
    assert after["biases"] == before["biases"]
    assert after["history"] == before["history"]


def test_patch_learning_rate_is_used_by_the_next_step(client: TestClient, network: str) -> None:
    client.patch(url(network), json={"learning_rate": 0.05})
    trace = step(client, network)
    dW = np.asarray(trace["layers"][0]["dW"])
    np.testing.assert_allclose(np.asarray(trace["layers"][0]["update"]["dW"]), -0.05 * dW)


def test_patch_batch_size_and_l2_change_the_config(client: TestClient, network: str) -> None:
    config = client.patch(url(network), json={"batch_size": 4, "l2": 0.01}).json()["config"]
    assert (config["batch_size"], config["l2"]) == (4, 0.01)
    assert len(step(client, network)["batch"]) == 4


def test_patch_sets_one_weight_and_nothing_else(client: TestClient, network: str) -> None:
    before = get(client, network)
    r = client.patch(
        url(network), json={"set": {"layer": 1, "kind": "W", "i": 2, "j": 3, "value": 0.5}}
    )
    assert r.status_code == 200
    weights = arrays(r.json()["weights"])
    expected = arrays(before["weights"])
    expected[1][2, 3] = 0.5
    for w, e in zip(weights, expected, strict=True):
        np.testing.assert_array_equal(w, e)
    assert r.json()["biases"] == before["biases"]


def test_patch_sets_one_bias_and_nothing_else(client: TestClient, network: str) -> None:
    before = get(client, network)
    r = client.patch(url(network), json={"set": {"layer": 2, "kind": "b", "i": 1, "value": -0.25}})
    assert r.status_code == 200
    biases = arrays(r.json()["biases"])
    expected = arrays(before["biases"])
    expected[2][1] = -0.25
    for b, e in zip(biases, expected, strict=True):
        np.testing.assert_array_equal(b, e)
    assert r.json()["weights"] == before["weights"]


def test_patch_switching_to_adam_fills_in_adam_defaults(client: TestClient, network: str) -> None:
    step(client, network, steps=2)
    r = client.patch(url(network), json={"optimizer": "adam", "learning_rate": 0.02})
    assert r.status_code == 200
    assert r.json()["config"]["optimizer"] == {
        "name": "adam",
        "learning_rate": 0.02,
        "beta1": 0.9,
        "beta2": 0.999,
        "eps": 1e-8,
    }
    assert r.json()["step"] == 2


def test_patch_switching_optimizer_starts_it_from_a_fresh_state(
    client: TestClient, network: str
) -> None:
    step(client, network, steps=3)
    client.patch(url(network), json={"optimizer": "adam"})
    trace = step(client, network, apply=False)
    grads = flat_params(
        arrays([l["dW"] for l in trace["layers"]]), arrays([l["db"] for l in trace["layers"]])
    )
    params = flat_params(arrays(trace["weights"]), arrays(trace["biases"]))
    expected, _ = compute_updates(Adam(), OptimizerState(), params, grads)
    got = [a for l in trace["layers"] for a in arrays([l["update"]["dW"], l["update"]["db"]])]
    for g, e in zip(got, expected, strict=True):
        np.testing.assert_allclose(g, e, rtol=1e-12, atol=1e-15)


def test_patch_switching_back_to_sgd_uses_sgd_defaults(client: TestClient) -> None:
    state = create(client, optimizer={"name": "adam", "learning_rate": 0.01})
    config = client.patch(url(state["id"]), json={"optimizer": "sgd"}).json()["config"]
    assert config["optimizer"] == {
        "name": "sgd",
        "learning_rate": 0.1,
        "momentum": 0.0,
        "nesterov": False,
    }
    trace = step(client, state["id"])
    grads = [np.asarray(l["dW"]) for l in trace["layers"]]
    updates = [np.asarray(l["update"]["dW"]) for l in trace["layers"]]
    expected, _ = compute_updates(SGD(), OptimizerState(), grads, grads)
    for u, e in zip(updates, expected, strict=True):
        np.testing.assert_allclose(u, e)


def test_patch_rejects_an_option_of_the_other_optimizer(client: TestClient, network: str) -> None:
    r = client.patch(url(network), json={"beta1": 0.8})
    assert r.status_code == 409
    assert "beta1" in messages(r)
    assert "sgd" in messages(r)


def test_patch_rejects_a_weight_outside_its_shape(client: TestClient, network: str) -> None:
    r = client.patch(
        url(network), json={"set": {"layer": 0, "kind": "W", "i": 2, "j": 0, "value": 1}}
    )
    assert r.status_code == 409
    assert "(2, 4)" in messages(r)


def test_patch_rejects_a_weight_without_j(client: TestClient, network: str) -> None:
    r = client.patch(url(network), json={"set": {"layer": 0, "kind": "W", "i": 0, "value": 1}})
    assert r.status_code == 422
    assert "j" in messages(r)


def test_patch_rejects_a_layer_the_network_does_not_have(client: TestClient, network: str) -> None:
    r = client.patch(url(network), json={"set": {"layer": 3, "kind": "b", "i": 0, "value": 1}})
    assert r.status_code == 409
    assert "0..2" in messages(r)


def test_rejected_patch_changes_nothing(client: TestClient, network: str) -> None:
    before = get(client, network)
    r = client.patch(
        url(network),
        json={"learning_rate": 0.5, "set": {"layer": 0, "kind": "W", "i": 9, "j": 0, "value": 1}},
    )
    assert r.status_code == 409
    assert get(client, network) == before


# ---- reset and delete


def test_reset_restores_initial_weights_step_zero_and_empty_history(client: TestClient) -> None:
    created = create(client, optimizer={"name": "sgd", "learning_rate": 0.1, "momentum": 0.9})
    nid = created["id"]
    step(client, nid, steps=3)
    client.patch(url(nid), json={"set": {"layer": 0, "kind": "W", "i": 0, "j": 0, "value": 3.0}})
    r = client.post(url(nid, "/reset"))
    assert r.status_code == 200
    state = r.json()
    assert state["weights"] == created["weights"]
    assert state["biases"] == created["biases"]
    assert (state["step"], state["history"], state["diverged"]) == (0, [], False)
    assert get(client, nid) == state


def test_reset_starts_the_optimizer_afresh(client: TestClient) -> None:
    created = create(client, optimizer={"name": "sgd", "learning_rate": 0.1, "momentum": 0.9})
    nid = created["id"]
    first = step(client, nid)
    step(client, nid, steps=2)
    client.post(url(nid, "/reset"))
    assert step(client, nid)["weights"] == first["weights"]


def test_delete_answers_204_then_the_network_is_gone(client: TestClient, network: str) -> None:
    r = client.delete(url(network))
    assert r.status_code == 204
    assert r.content == b""
    assert client.get(url(network)).status_code == 404
    assert client.delete(url(network)).status_code == 404


# ---- export and import


def test_export_is_a_document_with_config_params_state_step_and_history(
    client: TestClient, network: str
) -> None:
    step(client, network, steps=2)
    r = client.get(url(network, "/export"))
    assert r.status_code == 200
    assert "attachment" in r.headers["content-disposition"]
    doc = r.json()
    assert (doc["format"], doc["version"], doc["step"]) == ("backprop-lens/network", 1, 2)
    assert len(doc["params"]) == 6
    assert doc["optimizer_state"]["t"] == 2
    assert [h["step"] for h in doc["history"]] == [1, 2]


def test_import_of_an_export_recreates_the_network(client: TestClient) -> None:
    nid = create(client, optimizer={"name": "adam", "learning_rate": 0.01})["id"]
    step(client, nid, steps=3)
    doc = client.get(url(nid, "/export")).json()
    r = client.post(f"{API}/networks/import", json=doc)
    assert r.status_code == 201
    copy = r.json()
    assert copy["id"] != nid
    assert r.headers["location"] == f"{API}/networks/{copy['id']}"
    original = get(client, nid)
    for key in ("config", "weights", "biases", "step", "history"):
        assert copy[key] == original[key], key
    assert client.get(url(copy["id"], "/export")).json() == doc


def test_imported_network_trains_exactly_like_the_original(client: TestClient) -> None:
    nid = create(client, optimizer={"name": "adam", "learning_rate": 0.01})["id"]
    step(client, nid, steps=3)
    doc = client.get(url(nid, "/export")).json()
    copy = client.post(f"{API}/networks/import", json=doc).json()["id"]
    assert step(client, copy, steps=2)["weights"] == step(client, nid, steps=2)["weights"]


def test_import_rejects_a_document_of_another_format(client: TestClient) -> None:
    r = client.post(f"{API}/networks/import", json={"format": "other", "version": 1})
    assert r.status_code == 422
    assert "backprop-lens/network" in messages(r)


def test_import_rejects_params_of_the_wrong_shape(client: TestClient, network: str) -> None:
    doc = client.get(url(network, "/export")).json()
    doc["params"][2] = [[1.0, 2.0]]
    r = client.post(f"{API}/networks/import", json=doc)
    assert r.status_code == 422
    assert "params[2]" in messages(r)
    assert "(4, 4)" in messages(r)


def test_import_refuses_a_history_that_is_not_the_networks(client: TestClient) -> None:
    """Steps must rise, none past the document's step, one gradient norm per weight layer."""
    nid = create(client)["id"]
    step(client, nid, steps=3)
    doc = client.get(url(nid, "/export")).json()
    entry = doc["history"][1]
    cases = [
        ({**doc, "history": [entry, entry]}, 1, "history[1].step = 2 does not follow"),
        ({**doc, "history": [{**entry, "step": 999}]}, 0, "past the network's step (3)"),
        ({**doc, "history": [{**entry, "grad_norms": [1.0]}]}, 0, "has 1 values; this network"),
    ]
    for body, at, fragment in cases:
        r = client.post(f"{API}/networks/import", json=body)
        assert r.status_code == 422, r.text
        assert fragment in messages(r), messages(r)
        assert r.json()["detail"][0]["loc"][:3] == ["body", "history", at]


def test_create_spells_out_the_default_features(client: TestClient) -> None:
    assert create(client)["config"]["dataset"]["features"] == ["x1", "x2"]
    sine = create(client, dataset={"kind": "sine"})
    assert sine["config"]["dataset"]["features"] == ["x1"]


def test_a_dataset_without_kind_is_the_circle_generator(client: TestClient) -> None:
    assert create(client, dataset={"n": 40})["config"]["dataset"]["kind"] == "circle"


def test_an_optimizer_without_name_is_sgd(client: TestClient) -> None:
    optimizer = create(client, optimizer={"learning_rate": 0.3})["config"]["optimizer"]
    assert (optimizer["name"], optimizer["learning_rate"]) == ("sgd", 0.3)


def test_an_unknown_optimizer_names_the_ones_there_are(client: TestClient) -> None:
    r = client.post(f"{API}/networks", json={"optimizer": {"name": "rmsprop"}})
    assert r.status_code == 422
    assert "sgd or adam" in messages(r)


def test_get_and_patch_can_leave_the_history_out(client: TestClient, network: str) -> None:
    step(client, network, steps=3)
    assert len(get(client, network)["history"]) == 3
    assert client.get(url(network) + "?history=false").json()["history"] == []
    patched = client.patch(url(network) + "?history=false", json={"learning_rate": 0.2})
    assert patched.json()["history"] == []
    assert patched.json()["step"] == 3


def test_copy_makes_an_equal_network_and_leaves_the_source_alone(client: TestClient) -> None:
    from app.schemas import NetworkPublic

    source = create(client, optimizer={"name": "adam"})["id"]
    step(client, source, steps=3)
    before = get(client, source)
    r = client.post(url(source, "/copy"))
    assert r.status_code == 201, r.text
    copied = NetworkPublic.model_validate(r.json()).model_dump(mode="json")
    assert copied["id"] != source
    assert r.headers["location"] == f"{API}/networks/{copied['id']}"
    for key in ("config", "weights", "biases", "step", "history", "metrics"):
        assert copied[key] == before[key], key
    exports = [client.get(url(i, "/export")).json() for i in (source, copied["id"])]
    assert exports[0]["optimizer_state"] == exports[1]["optimizer_state"]
    # Training the copy changes only the copy; both then step alike from the same state.
    after_copy = step(client, copied["id"])
    assert get(client, source) == before
    assert step(client, source)["weights"] == after_copy["weights"]


def test_copy_of_an_unknown_network_is_404(client: TestClient) -> None:
    assert client.post(url(UNKNOWN_ID, "/copy")).status_code == 404
