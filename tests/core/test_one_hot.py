"""MSE on class indices: the targets are their one-hot vectors (one output neuron per class),
for every output activation (softmax through its Jacobian), and accuracy is still reported."""

from __future__ import annotations

import numpy as np
import pytest

from core import ACTIVATIONS, LOSSES, MLP, evaluate, explain, from_points, gradcheck, one_hot
from core.losses import DEFAULT_LOSS, loss_fit
from tests.core.helpers import make_case


@pytest.mark.parametrize("output", list(ACTIVATIONS))
@pytest.mark.parametrize("depth", [1, 2, 3])
def test_mse_on_class_indices_matches_finite_differences(output: str, depth: int) -> None:
    sizes = [2, 4, 3, 3][: depth + 1]
    activations = ["tanh"] * (depth - 1) + [output]
    net, x, _ = make_case(sizes, activations, "mse", n=6, seed=depth)
    y = np.array([0, 2, 1, 1, 0, 2])
    check = gradcheck(net, x, y, "mse", l2=0.1)
    assert check.max_rel_error < 1e-7, check.worst


@pytest.mark.parametrize("output", list(ACTIVATIONS))
def test_mse_on_class_indices_equals_mse_on_their_one_hot_vectors(output: str) -> None:
    net, x, _ = make_case([2, 4, 3], ["sigmoid", output], "mse", n=5)
    y = np.array([2, 0, 1, 2, 2])
    by_index = net.backward(net.forward(x), y, "mse")
    by_vector = net.backward(net.forward(x), one_hot(y, 3), "mse")
    assert by_index.loss == by_vector.loss
    for a, b in zip(by_index.layers, by_vector.layers, strict=True):
        np.testing.assert_array_equal(a.dW, b.dW)
        np.testing.assert_array_equal(a.db, b.db)
    h = net.forward(x).layers[-1].h
    assert by_index.data_loss == pytest.approx(0.5 * ((h - one_hot(y, 3)) ** 2).sum() / 5)


def test_mse_with_a_softmax_output_goes_through_the_softmax_jacobian() -> None:
    # dZ = J_softmax · dL/dP per sample, with dL/dP = (P − Y)/n: not the fused P − Y of CE.
    net, x, _ = make_case([2, 3], ["softmax"], "mse", n=4)
    y = np.array([0, 1, 2, 1])
    trace = net.forward(x)
    grads = net.backward(trace, y, "mse")
    p, target = trace.layers[-1].h, one_hot(y, 3)
    expected = np.stack(
        [(np.diag(p[s]) - np.outer(p[s], p[s])) @ ((p[s] - target[s]) / 4) for s in range(4)]
    )
    np.testing.assert_allclose(grads.layers[-1].dz, expected, rtol=1e-12, atol=1e-15)


def test_class_indices_past_the_output_neurons_are_refused() -> None:
    net = MLP.init([2, 3], ["sigmoid"], seed=0)
    with pytest.raises(ValueError, match=r"outside 0\.\.2 \(3 output neurons\)"):
        net.backward(net.forward(np.ones((2, 2))), np.array([0, 3]), "mse")


def test_evaluate_reports_accuracy_for_mse_on_a_classification_dataset() -> None:
    # W = I, b = 0, linear: outputs are the points; the argmax is the larger coordinate.
    points = [(2.0, 0.0), (0.0, 1.0), (1.0, 1.5), (0.0, 3.0)]
    labels = [0, 1, 1, 0]
    data = from_points(points, labels, task="classification", test_fraction=0.0)
    net = MLP([np.eye(2)], [np.zeros(2)], ["linear"])
    result = evaluate(net, data, "mse")
    assert result.train.accuracy == 0.75
    targets = one_hot(np.array(labels), 2)
    expected = 0.5 * ((np.array(points) - targets) ** 2).sum() / 4
    assert result.train.loss == pytest.approx(expected, abs=1e-15)


@pytest.mark.parametrize("output", ["softmax", "sigmoid", "linear"])
def test_explain_of_mse_on_classes_sums_to_dw(output: str) -> None:
    net, x, _ = make_case([2, 3, 3], ["tanh", output], "mse", n=4)
    y = np.array([0, 2, 1, 0])
    trace = net.forward(x)
    grads = net.backward(trace, y, "mse", 0.05)
    for layer, i, j in ((0, 1, 2), (1, 2, 0)):
        result = explain(net, trace, grads, layer, i, j, l2=0.05)
        assert abs(result.total - result.dW) <= 1e-12


def test_which_loss_fits_which_task_is_said_once_in_core() -> None:
    assert loss_fit("mse", "classification") is None
    assert loss_fit("mse", "regression") is None
    assert loss_fit("cross_entropy", "classification") is None
    assert loss_fit("cross_entropy", "regression") == (
        "loss 'cross_entropy' does not fit regression; use mse"
    )
    assert LOSSES["cross_entropy"].outputs == ("softmax",)
    assert set(LOSSES["mse"].outputs) == set(ACTIVATIONS)
    for task, loss in DEFAULT_LOSS.items():
        assert loss_fit(loss, task) is None
