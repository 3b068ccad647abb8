"""evaluate (loss and accuracy on train and test) and grad_norms, against numbers by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from core import (
    MLP,
    SGD,
    Gradients,
    LayerGrad,
    evaluate,
    flat_params,
    from_points,
    grad_norms,
    init_state,
    train_step,
)

# W = I, b = 0, softmax: the logits are the points themselves, so a point (a, b) of class 0
# costs −log(e^a / (e^a + e^b)) = log(1 + e^(b − a)), and of class 1 log(1 + e^(a − b)).
POINTS = [(2.0, 0.0), (0.0, 1.0), (1.0, 1.5), (0.0, 3.0)]
LABELS = [0, 1, 1, 0]
BY_HAND = {
    (2.0, 0.0): math.log(1 + math.exp(-2.0)),
    (0.0, 1.0): math.log(1 + math.exp(-1.0)),
    (1.0, 1.5): math.log(1 + math.exp(-0.5)),
    (0.0, 3.0): math.log(1 + math.exp(3.0)),  # the one point predicted wrong
}
RIGHT = {(2.0, 0.0): 1.0, (0.0, 1.0): 1.0, (1.0, 1.5): 1.0, (0.0, 3.0): 0.0}


def _identity_net() -> MLP:
    return MLP([np.eye(2)], [np.zeros(2)], ["softmax"])


def test_evaluate_without_a_test_split_scores_the_training_set_by_hand() -> None:
    data = from_points(POINTS, LABELS, task="classification", test_fraction=0.0)
    result = evaluate(_identity_net(), data, "cross_entropy")
    assert result.test is None
    assert result.train.loss == pytest.approx(sum(BY_HAND.values()) / 4, abs=1e-15)
    assert result.train.accuracy == 0.75


def test_evaluate_splits_train_and_test_and_adds_the_l2_penalty_to_both() -> None:
    data = from_points(POINTS, LABELS, task="classification", test_fraction=0.5, seed=3)
    l2 = 0.2
    penalty = 0.5 * l2 * 2.0  # (λ/2) ‖I‖², two ones
    result = evaluate(_identity_net(), data, "cross_entropy", l2=l2)
    assert result.test is not None
    for metrics, index in ((result.train, data.train_index), (result.test, data.test_index)):
        points = [POINTS[k] for k in index]
        assert metrics.loss == pytest.approx(
            sum(BY_HAND[p] for p in points) / len(points) + penalty, abs=1e-15
        )
        assert metrics.accuracy == sum(RIGHT[p] for p in points) / len(points)


def test_evaluate_of_a_regression_is_half_the_mean_squared_error_and_no_accuracy() -> None:
    # o = 2x + 1 on x = 0, 1, 2, 3 gives 1, 3, 5, 7; targets 1, 3, 4, 7 miss by 0, 0, 1, 0.
    data = from_points(
        [[0.0], [1.0], [2.0], [3.0]], [1.0, 3.0, 4.0, 7.0], task="regression", test_fraction=0.0
    )
    net = MLP([[[2.0]]], [[1.0]], ["linear"])
    result = evaluate(net, data, "mse")
    assert result.train.loss == pytest.approx(0.5 * 1.0 / 4, abs=1e-15)
    assert result.train.accuracy is None
    assert result.test is None


def test_grad_norms_are_the_frobenius_norms_of_dw_and_db() -> None:
    dz = np.zeros((1, 2))
    grads = Gradients(
        (
            LayerGrad(dz, dz, np.array([[3.0, 4.0]]), np.array([0.0, 5.0])),
            LayerGrad(dz, dz, np.array([[1.0], [2.0], [2.0]]), np.array([12.0, 5.0])),
        ),
        loss=0.0,
        data_loss=0.0,
    )
    norms = grad_norms(grads)
    assert [(n.dW, n.db) for n in norms] == [(5.0, 5.0), (3.0, 13.0)]


def test_a_training_step_reports_the_same_norms() -> None:
    rng = np.random.default_rng(0)
    net = MLP.init([2, 5, 3], ["tanh", "softmax"], seed=1)
    x, y = rng.normal(size=(8, 2)), rng.integers(0, 3, 8)
    opt = SGD(learning_rate=0.1)
    step = train_step(net, opt, init_state(opt, flat_params(net.weights, net.biases)), x, y)
    assert step.trace.norms == tuple(grad_norms(step.trace.grads))
    assert step.trace.grad_norms == tuple(
        float(np.linalg.norm(g.dW)) for g in step.trace.grads.layers
    )


def test_evaluate_checks_each_network_against_the_targets_it_has_seen() -> None:
    # The dataset's checked targets are kept per (loss, width, dtype): a later network without
    # a softmax output is still refused for cross-entropy, and mse gets its own one-hot ones.
    data = from_points(POINTS, LABELS, task="classification", test_fraction=0.0)
    evaluate(_identity_net(), data, "cross_entropy")
    with pytest.raises(ValueError, match="needs a softmax output"):
        evaluate(MLP([np.eye(2)], [np.zeros(2)], ["sigmoid"]), data, "cross_entropy")
    mse = evaluate(MLP([np.eye(2)], [np.zeros(2)], ["linear"]), data, "mse")
    assert mse.train.accuracy == 0.75
    with pytest.raises(ValueError, match="outside"):
        evaluate(MLP([np.eye(2)[:, :1]], [np.zeros(1)], ["linear"]), data, "mse")
