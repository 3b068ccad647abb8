"""Backpropagation equals central finite differences for every activation × loss, depth 1–4."""

from __future__ import annotations

import numpy as np
import pytest

from core import ACTIVATIONS, HIDDEN_ACTIVATIONS, gradcheck
from tests.core.helpers import make_case

WIDTHS = [3, 4, 3, 4, 3]


def _cases() -> list[tuple[str, str, int]]:
    cases = []
    for depth in range(1, 5):
        for act in HIDDEN_ACTIVATIONS:
            cases.append((act, "mse", depth))  # every layer uses `act`
            cases.append((act, "cross_entropy", depth))  # hidden `act`, softmax output
        cases.append(("softmax", "mse", depth))  # softmax output through its Jacobian
    return cases


def _architecture(act: str, loss: str, depth: int) -> list[str]:
    if act == "softmax":
        return ["tanh"] * (depth - 1) + ["softmax"]
    if loss == "cross_entropy":
        return [act] * (depth - 1) + ["softmax"]
    return [act] * depth


@pytest.mark.parametrize(("act", "loss", "depth"), _cases())
def test_backprop_matches_finite_differences(act: str, loss: str, depth: int) -> None:
    activations = _architecture(act, loss, depth)
    net, x, y = make_case(WIDTHS[: depth + 1], activations, loss, seed=depth)
    check = gradcheck(net, x, y, loss)
    assert check.max_rel_error < 1e-7, check.worst


@pytest.mark.parametrize("loss", ["cross_entropy", "mse"])
def test_l2_penalty_gradient_matches_finite_differences(loss: str) -> None:
    net, x, y = make_case([2, 4, 3], ["tanh", "softmax"], loss)
    check = gradcheck(net, x, y, loss, l2=0.3)
    assert check.max_rel_error < 1e-7, check.worst


def test_l2_penalty_adds_half_lambda_squared_weights_to_the_loss() -> None:
    net, x, y = make_case([2, 4, 3], ["tanh", "softmax"], "cross_entropy")
    base = net.loss(x, y, "cross_entropy")
    expected = base + 0.5 * 0.2 * sum(float((w**2).sum()) for w in net.weights)
    assert net.loss(x, y, "cross_entropy", l2=0.2) == pytest.approx(expected, rel=1e-12)


def test_l2_does_not_touch_bias_gradients() -> None:
    net, x, y = make_case([2, 4, 3], ["tanh", "softmax"], "cross_entropy")
    plain = net.backward(net.forward(x), y, "cross_entropy")
    decayed = net.backward(net.forward(x), y, "cross_entropy", l2=0.5)
    for w, a, b in zip(net.weights, plain.layers, decayed.layers, strict=True):
        np.testing.assert_array_equal(a.db, b.db)
        np.testing.assert_allclose(b.dW - a.dW, 0.5 * w, rtol=1e-12)


def test_fused_softmax_cross_entropy_delta_is_p_minus_y_over_n() -> None:
    net, x, y = make_case([2, 3, 4], ["relu", "softmax"], "cross_entropy", n=6)
    trace = net.forward(x)
    grads = net.backward(trace, y, "cross_entropy")
    expected = trace.probs.copy()
    expected[np.arange(6), y] -= 1
    np.testing.assert_allclose(grads.layers[-1].dz, expected / 6, rtol=0, atol=1e-15)


def test_every_activation_has_a_backward_rule() -> None:
    for name, act in ACTIVATIONS.items():
        assert act.name == name
        assert callable(act.backward)
        assert (act.derivative is None) == (name == "softmax")


def test_cross_entropy_from_the_probabilities_equals_the_log_softmax_form() -> None:
    # While every p_y is a normal float the loss is taken as −mean log p_y from the softmax
    # output; at extreme logits (p_y underflows) from the log-softmax of the logits.
    from core import LOSSES, log_softmax, softmax

    rng = np.random.default_rng(3)
    for scale in (1.0, 30.0, 800.0):
        z = rng.normal(size=(16, 4)) * scale
        y = rng.integers(0, 4, 16)
        expected = -np.mean(log_softmax(z)[np.arange(16), y])
        value = LOSSES["cross_entropy"].value(z, softmax(z), y)
        assert np.isfinite(value)
        assert abs(value - expected) <= 1e-13 * max(1.0, abs(expected))
