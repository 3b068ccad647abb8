"""Residual (skip) connections: H(l) = H(l−1) + σ(Z(l)) on equal-width hidden layers, exact."""

from __future__ import annotations

import numpy as np
import pytest

from core import (
    HIDDEN_ACTIVATIONS,
    MLP,
    SGD,
    explain,
    flat_params,
    gradcheck,
    init_state,
    linear_collapse,
    skip_layers,
    train_step,
)
from tests.core.helpers import make_case


def test_equal_width_hidden_layers_add_their_input_and_the_output_never_skips() -> None:
    net = MLP.init([3, 3, 4, 4, 4], ["tanh", "relu", "sigmoid", "linear"], seed=1, residual=True)
    assert net.skips == (True, False, True, False)
    x = np.random.default_rng(0).normal(size=(5, 3))
    trace = net.forward(x)
    h = x
    for layer, (w, b, skip) in enumerate(zip(net.weights, net.biases, net.skips, strict=True)):
        z = h @ w + b
        sigma = {"tanh": np.tanh, "relu": lambda v: np.maximum(v, 0), "linear": lambda v: v}.get(
            net.activations[layer], lambda v: 1 / (1 + np.exp(-v))
        )(z)
        h = h + sigma if skip else sigma
        np.testing.assert_allclose(trace.layers[layer].z, z, rtol=1e-14, atol=1e-15)
        np.testing.assert_allclose(trace.layers[layer].h, h, rtol=1e-14, atol=1e-15)
        np.testing.assert_allclose(trace.layers[layer].sigma, sigma, rtol=1e-14, atol=1e-15)
        assert (trace.layers[layer].a is None) == (not skip)


def test_without_residual_nothing_skips_and_the_numbers_are_the_plain_networks() -> None:
    plain = MLP.init([3, 3, 3, 2], ["tanh", "tanh", "softmax"], seed=2)
    skip = MLP(plain.weights, plain.biases, plain.activations, residual=True)
    assert plain.skips == (False, False, False) and skip.skips == (True, True, False)
    x = np.random.default_rng(1).normal(size=(4, 3))
    assert not np.allclose(plain.forward(x).output, skip.forward(x).output)


@pytest.mark.parametrize("act", HIDDEN_ACTIVATIONS)
@pytest.mark.parametrize(
    ("sizes", "loss"),
    [([3, 3, 3, 2], "cross_entropy"), ([2, 4, 4, 4, 3], "cross_entropy"), ([3, 3, 3], "mse")],
)
def test_residual_backprop_matches_finite_differences(
    act: str, sizes: list[int], loss: str
) -> None:
    depth = len(sizes) - 1
    last = "softmax" if loss == "cross_entropy" else act
    net, x, y = make_case(sizes, [act] * (depth - 1) + [last], loss, seed=depth, residual=True)
    assert any(net.skips)
    check = gradcheck(net, x, y, loss, l2=0.01)
    assert check.max_rel_error < 1e-7, check.worst


def test_the_skip_path_carries_dh_straight_back() -> None:
    net, x, y = make_case([3, 3, 3, 2], ["tanh", "tanh", "softmax"], "cross_entropy", residual=True)
    grads = net.backward(net.forward(x), y)
    # ∂L/∂H(0) = dZ(1) W(1)ᵀ + ∂L/∂H(1): the usual term plus the skip's.
    expected = grads.layers[1].dz @ net.weights[1].T + grads.layers[1].dh
    np.testing.assert_allclose(grads.layers[0].dh, expected, rtol=1e-14, atol=1e-16)


@pytest.mark.parametrize("layer", [0, 1, 2])
def test_explain_stays_exact_with_skips(layer: int) -> None:
    net, x, y = make_case(
        [3, 3, 3, 2], ["sigmoid", "tanh", "softmax"], "cross_entropy", n=6, residual=True
    )
    trace = net.forward(x)
    grads = net.backward(trace, y, "cross_entropy", 0.05)
    result = explain(net, trace, grads, layer, 1, 0)
    assert result.total == pytest.approx(grads.layers[layer].dW[1, 0], abs=1e-12)
    for term in result.samples:
        if layer == 0:  # layer 1 skips: its ∂L/∂H reaches H(0) along the skip edge
            assert term.skip == grads.layers[1].dh[term.sample, 0]
            assert term.dh == pytest.approx(
                sum(t.product for t in term.backprop) + term.skip, abs=1e-15
            )
        elif layer == 1:  # the output layer never skips
            assert term.skip is None


def test_a_linear_residual_stack_collapses_to_w_plus_identity() -> None:
    net = MLP.init([3, 3, 3, 2], ["linear", "linear", "linear"], seed=4, residual=True)
    net.biases = [np.random.default_rng(k).normal(size=b.shape) for k, b in enumerate(net.biases)]
    x = np.random.default_rng(5).normal(size=(6, 3))
    single = linear_collapse(net).as_network()
    np.testing.assert_allclose(single.forward(x).output, net.forward(x).output, atol=1e-12)


def test_copies_and_training_steps_keep_the_skips() -> None:
    net, x, y = make_case([3, 3, 2], ["tanh", "softmax"], "cross_entropy", residual=True)
    opt = SGD()
    step = train_step(net, opt, init_state(opt, flat_params(net.weights, net.biases)), x, y)
    assert step.network.residual and net.copy().residual
    assert step.network.skips == net.skips == (True, False)
    assert step.trace.loss_after == step.network.loss(x, y)


def test_skip_layers_says_where_residual_would_skip_on_or_off() -> None:
    assert skip_layers([3, 3, 4, 4, 4]) == (True, False, True, False)
    assert skip_layers([2, 2]) == (False,)  # the output layer never skips
    for residual in (False, True):
        net = MLP.init([2, 2, 2, 3, 3], ["tanh", "relu", "tanh", "softmax"], residual=residual)
        expected = (True, True, False, False) if residual else (False,) * 4
        assert net.skips == expected
        assert skip_layers(net.sizes) == (True, True, False, False)
