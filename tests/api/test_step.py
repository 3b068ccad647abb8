"""Training steps: the next seeded batch, several steps, one sample, a batch, apply=false."""

from __future__ import annotations

import itertools

import numpy as np
from fastapi.testclient import TestClient

from core import MLP, make_dataset, select_batch
from tests.api.helpers import API, get, step, url

DATA = make_dataset("circle", n=200, noise=0.1, classes=2, test_fraction=0.2, seed=0)
N_TRAIN = DATA.x_train.shape[0]


def test_step_without_a_body_uses_the_next_batch_of_the_seeded_shuffle(
    client: TestClient, network: str
) -> None:
    r = client.post(url(network, "/step"))
    assert r.status_code == 200
    trace = r.json()
    assert trace["batch"] == select_batch(N_TRAIN, 10, 0, 0).tolist()
    assert (trace["step"], trace["applied"], trace["diverged"], trace["message"]) == (
        1,
        True,
        False,
        None,
    )


def test_successive_steps_walk_through_the_shuffle(client: TestClient, network: str) -> None:
    step(client, network)
    assert step(client, network)["batch"] == select_batch(N_TRAIN, 10, 1, 0).tolist()


def test_step_trace_holds_the_batch_inputs_and_targets(client: TestClient, network: str) -> None:
    trace = step(client, network)
    np.testing.assert_array_equal(np.asarray(trace["x"]), DATA.x_train[trace["batch"]])
    assert trace["y"] == DATA.y_train[trace["batch"]].tolist()


def test_step_trace_has_every_layer_value_with_its_shape(client: TestClient, network: str) -> None:
    trace = step(client, network)
    sizes = [2, 4, 4, 2]
    for layer, (n_in, n_out) in enumerate(itertools.pairwise(sizes)):
        values = trace["layers"][layer]
        for key in ("z", "h", "dz", "dh"):
            assert np.shape(values[key]) == (10, n_out), (layer, key)
        assert np.shape(values["dW"]) == (n_in, n_out)
        assert np.shape(values["db"]) == (n_out,)
        assert np.shape(values["update"]["dW"]) == (n_in, n_out)
        assert np.shape(values["update"]["db"]) == (n_out,)
    assert np.shape(trace["probs"]) == (10, 2)
    assert len(trace["predictions"]) == 10
    assert len(trace["grad_norms"]) == 3


def test_step_records_one_history_entry(client: TestClient, network: str) -> None:
    trace = step(client, network)
    assert [h["step"] for h in trace["history"]] == [1]
    entry = trace["history"][0]
    assert entry["loss"] == trace["loss_before"]
    assert entry["train_loss"] == trace["train"]["loss"]
    assert entry["test_accuracy"] == trace["test"]["accuracy"]
    assert get(client, network)["history"] == trace["history"]


def test_steps_k_runs_k_updates_and_returns_the_last(client: TestClient, network: str) -> None:
    trace = step(client, network, steps=4)
    assert trace["step"] == 4
    assert trace["batch"] == select_batch(N_TRAIN, 10, 3, 0).tolist()
    assert [h["step"] for h in trace["history"]] == [1, 2, 3, 4]
    state = get(client, network)
    assert state["step"] == 4
    assert state["weights"] == trace["weights"]


def test_steps_k_equals_k_single_steps(client: TestClient) -> None:
    a = client.post(f"{API}/networks").json()["id"]
    b = client.post(f"{API}/networks").json()["id"]
    many = step(client, a, steps=5)
    for _ in range(5):
        last = step(client, b)
    assert many["weights"] == last["weights"]
    assert get(client, a)["history"] == get(client, b)["history"]


def test_sample_runs_a_single_sample_step(client: TestClient, network: str) -> None:
    trace = step(client, network, sample=7)
    assert trace["batch"] == [7]
    assert trace["x"] == [DATA.x_train[7].tolist()]
    assert trace["y"] == [int(DATA.y_train[7])]
    assert trace["step"] == 1


def test_batch_runs_a_step_on_those_indices(client: TestClient, network: str) -> None:
    trace = step(client, network, batch=[3, 1, 4, 1])
    assert trace["batch"] == [3, 1, 4, 1]
    assert trace["y"] == DATA.y_train[[3, 1, 4, 1]].tolist()
    assert np.shape(trace["layers"][0]["z"]) == (4, 4)


def test_apply_false_leaves_the_network_unchanged(client: TestClient, network: str) -> None:
    step(client, network)
    before = get(client, network)
    trace = step(client, network, apply=False)
    assert trace["applied"] is False
    assert trace["step"] == 1
    assert trace["history"] == []
    assert trace["weights"] == before["weights"]
    assert get(client, network) == before


def test_apply_false_computes_the_step_that_would_run_next(
    client: TestClient, network: str
) -> None:
    preview = step(client, network, apply=False)
    real = step(client, network)
    assert preview["batch"] == real["batch"]
    assert preview["layers"] == real["layers"]
    assert preview["loss_before"] == real["loss_before"]


def test_loss_after_is_the_loss_of_the_updated_network_on_the_batch(
    client: TestClient, network: str
) -> None:
    trace = step(client, network)
    after = MLP(trace["weights"], trace["biases"], ["tanh", "tanh", "softmax"])
    assert abs(after.loss(trace["x"], trace["y"]) - trace["loss_after"]) < 1e-12


def test_a_small_learning_rate_lowers_the_batch_loss(client: TestClient, network: str) -> None:
    trace = step(client, network)
    assert trace["loss_after"] < trace["loss_before"]
