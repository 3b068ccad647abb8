"""The MLP's forward pass, its numerical stability, seeding, and the errors at its boundary."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from core import MLP, InvalidInput, accuracy, sigmoid, softmax
from core.losses import LOSSES, softmax_cross_entropy


def test_forward_is_the_seed_recurrence_z_equals_h_w_plus_b() -> None:
    net = MLP.init([2, 3, 2], ["tanh", "softmax"], seed=4)
    x = np.array([[0.5, -1.0], [2.0, 0.25]])
    z1 = x @ net.weights[0] + net.biases[0]
    h1 = np.tanh(z1)
    o = h1 @ net.weights[1] + net.biases[1]
    trace = net.forward(x)
    np.testing.assert_allclose(trace.layers[0].z, z1)
    np.testing.assert_allclose(trace.layers[0].h, h1)
    np.testing.assert_allclose(trace.output, o)
    np.testing.assert_allclose(trace.probs, np.exp(o) / np.exp(o).sum(axis=1, keepdims=True))
    np.testing.assert_array_equal(trace.predictions, o.argmax(axis=1))


def test_one_weight_layer_is_softmax_regression() -> None:
    net = MLP.init([4, 3], ["softmax"], seed=1)
    x = np.random.default_rng(0).normal(size=(6, 4))
    trace = net.forward(x)
    np.testing.assert_allclose(trace.output, x @ net.weights[0] + net.biases[0])
    np.testing.assert_allclose(trace.probs.sum(axis=1), 1.0)


def test_probs_is_none_without_softmax() -> None:
    net = MLP.init([2, 1], ["linear"], seed=0)
    assert net.forward(np.zeros((1, 2))).probs is None


@pytest.mark.parametrize("scale", [1000.0, -1000.0])
def test_softmax_and_sigmoid_are_finite_and_silent_at_extreme_logits(scale: float) -> None:
    z = np.array([[scale, 0.0, -scale], [scale, scale, 0.0]])
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        p = softmax(z)
        s = sigmoid(z)
    assert np.all(np.isfinite(p)) and np.all(np.isfinite(s))
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    assert s[0, 0] == (1.0 if scale > 0 else 0.0)


def test_cross_entropy_at_extreme_logits_is_finite_and_exact() -> None:
    z = np.array([[1000.0, -1000.0]])
    p = softmax(z)
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        value = LOSSES["cross_entropy"].value(z, p, np.array([1]))
    assert value == pytest.approx(2000.0)


def test_a_network_at_extreme_logits_backpropagates_finite_deltas() -> None:
    net = MLP([np.array([[1000.0, -1000.0]])], [np.zeros(2)], ["softmax"])
    trace = net.forward(np.array([[1.0]]))
    grads = net.backward(trace, np.array([1]), "cross_entropy")
    np.testing.assert_allclose(grads.layers[0].dz, [[1.0, -1.0]])
    assert np.isfinite(grads.loss)
    # ∂L/∂p_y = −1/p_y overflows every float here: it saturates instead of becoming inf.
    assert np.all(np.isfinite(grads.layers[0].dh))
    assert grads.layers[0].dh[0, 1] == -np.finfo(np.float64).max


def test_same_seed_gives_identical_weights_and_another_seed_does_not() -> None:
    a = MLP.init([2, 8, 3], ["tanh", "softmax"], seed=7)
    b = MLP.init([2, 8, 3], ["tanh", "softmax"], seed=7)
    c = MLP.init([2, 8, 3], ["tanh", "softmax"], seed=8)
    for wa, wb in zip(a.weights, b.weights, strict=True):
        np.testing.assert_array_equal(wa, wb)
    assert not np.array_equal(a.weights[0], c.weights[0])


@pytest.mark.parametrize("init", ["xavier", "he", "uniform", "zeros"])
def test_initialisers_give_the_right_shapes_and_zero_biases(init: str) -> None:
    net = MLP.init([5, 4, 2], ["relu", "softmax"], init=init, seed=0)
    assert [w.shape for w in net.weights] == [(5, 4), (4, 2)]
    assert all(not b.any() for b in net.biases)
    assert (init == "zeros") == (not net.weights[0].any())


def test_xavier_respects_its_limit() -> None:
    net = MLP.init([30, 20], ["linear"], init="xavier", seed=0)
    assert np.abs(net.weights[0]).max() <= np.sqrt(6 / 50)


def test_float32_network_stays_float32_end_to_end() -> None:
    net = MLP.init([2, 4, 3], ["sigmoid", "softmax"], seed=0, dtype=np.float32)
    trace = net.forward(np.ones((3, 2)))
    grads = net.backward(trace, np.array([0, 1, 2]), "cross_entropy")
    arrays = [trace.output, *(g.dW for g in grads.layers), *(g.dz for g in grads.layers)]
    assert all(a.dtype == np.float32 for a in arrays)


def test_accuracy_counts_matching_predictions() -> None:
    assert accuracy(np.array([0, 1, 1, 2]), np.array([0, 1, 2, 2])) == 0.75
    assert accuracy(np.array([], dtype=int), np.array([], dtype=int)) is None


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: MLP.init([2], ["tanh"]), "at least 2 sizes"),
        (lambda: MLP.init([2, 0, 3], ["tanh", "softmax"]), r"layers\[1\] = 0"),
        (lambda: MLP.init([2, 3], ["tanh", "softmax"]), "expected 1, one per weight layer"),
        (lambda: MLP.init([2, 3, 2], ["softmax", "tanh"]), "only in the last layer"),
        (lambda: MLP.init([2, 3], ["swish"]), "'swish' is unknown"),
        (lambda: MLP.init([2, 3], ["tanh"], init="magic"), "unknown init 'magic'"),
        (
            lambda: MLP([np.ones((2, 3))], [np.ones(2)], ["tanh"]),
            r"biases\[0\] has shape \(2,\); expected \(3,\)",
        ),
        (
            lambda: MLP(
                [np.ones((2, 3)), np.ones((4, 1))], [np.ones(3), np.ones(1)], ["tanh", "linear"]
            ),
            r"weights\[1\] has shape \(4, 1\); expected \(3, n_out\)",
        ),
        (lambda: MLP([np.ones((2, 3))], [np.ones(3)], ["tanh"], dtype=np.int32), "not supported"),
    ],
)
def test_bad_architectures_are_refused_with_a_message(call, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize(
    ("x", "message"),
    [
        (np.ones((3, 5)), r"x has shape \(3, 5\); expected \(n, 2\)"),
        (np.ones(2), r"x has shape \(2,\); expected \(n, 2\)"),
        (np.array([[np.nan, 1.0]]), "NaN or infinity"),
        ([["a", "b"]], "x must be an array of numbers"),
    ],
)
def test_bad_inputs_are_refused_with_the_expected_shape(x, message: str) -> None:
    net = MLP.init([2, 3], ["softmax"], seed=0)
    with pytest.raises(ValueError, match=message):
        net.forward(x)


@pytest.mark.parametrize(
    ("y", "loss", "message"),
    [
        (np.array([0, 3]), "cross_entropy", r"outside 0..2"),
        (np.array([0.5, 1.0]), "cross_entropy", r"expected \(2,\) class indices"),
        (np.ones((2, 2)), "mse", r"y has shape \(2, 2\); expected \(2, 3\)"),
        (np.array([0, 1]), "hinge", "'hinge' is unknown"),
    ],
)
def test_bad_targets_are_refused_with_the_expected_shape(y, loss: str, message: str) -> None:
    net = MLP.init([2, 3], ["softmax"], seed=0)
    trace = net.forward(np.ones((2, 2)))
    with pytest.raises(ValueError, match=message):
        net.backward(trace, y, loss)


def test_cross_entropy_needs_a_softmax_output() -> None:
    net = MLP.init([2, 3], ["sigmoid"], seed=0)
    with pytest.raises(ValueError, match="needs a softmax output"):
        net.backward(net.forward(np.ones((1, 2))), np.array([0]), "cross_entropy")


def test_a_certain_prediction_has_a_loss_of_plus_zero() -> None:
    """−log 1 is 0.0, never −0.0 (which JSON shows as a surprising "-0.0")."""
    z = np.array([[800.0, -800.0]])
    h = softmax(z)
    y = np.array([0])
    for value in (LOSSES["cross_entropy"].value(z, h, y), softmax_cross_entropy(z, h, y)[0]):
        assert value == 0.0 and math.copysign(1.0, value) == 1.0


def test_ragged_rows_are_named_by_their_lengths() -> None:
    with pytest.raises(InvalidInput, match=r"x is ragged: its rows have lengths \[1, 2\]"):
        MLP.init([2, 2], ["softmax"]).forward([[1.0, 2.0], [3.0]])
    with pytest.raises(InvalidInput, match="some rows are single numbers"):
        MLP.init([2, 2], ["softmax"]).forward([[1.0, 2.0], 3.0])
