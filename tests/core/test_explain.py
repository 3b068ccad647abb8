"""The chain-rule explanation: its total equals dW, and it is the seed's formula term by term."""

from __future__ import annotations

import numpy as np
import pytest

from core import MLP, explain, is_linear_stack, linear_collapse
from tests.core.helpers import make_case


def _explained(net: MLP, x: np.ndarray, y: np.ndarray, loss: str, layer: int, i: int, j: int):
    trace = net.forward(x)
    grads = net.backward(trace, y, loss)
    return explain(net, trace, grads, layer, i, j), grads


@pytest.mark.parametrize("layer", [0, 1, 2])
def test_explain_total_equals_dw_in_every_layer(layer: int) -> None:
    net, x, y = make_case([3, 4, 4, 3], ["tanh", "relu", "softmax"], "cross_entropy", n=7)
    result, grads = _explained(net, x, y, "cross_entropy", layer, 2, 1)
    assert result.total == pytest.approx(grads.layers[layer].dW[2, 1], abs=1e-12)
    assert result.dW == grads.layers[layer].dW[2, 1]
    assert result.is_output == (layer == 2)


def test_explain_factors_multiply_to_each_samples_delta() -> None:
    net, x, y = make_case([2, 3, 2], ["sigmoid", "softmax"], "cross_entropy", n=4)
    result, _ = _explained(net, x, y, "cross_entropy", 0, 1, 2)
    for term in result.samples:
        assert term.dh == pytest.approx(sum(t.w * t.dz_next for t in term.backprop), abs=1e-15)
        assert term.dz == pytest.approx(term.sigma_prime * term.dh, abs=1e-15)
        assert term.product == pytest.approx(term.h_in * term.dz, abs=1e-15)


def test_seed_two_layer_formula_reproduced_by_hand() -> None:
    # ∂L/∂W1_ij = Σ_l ∂L/∂o_l · W2_jl · σ'(z_j) · x_i for one sample, softmax + cross-entropy.
    w1 = np.array([[0.2, -0.4, 0.1], [0.7, 0.3, -0.5]])
    b1 = np.array([0.1, -0.2, 0.05])
    w2 = np.array([[0.6, -0.1], [-0.3, 0.8], [0.25, 0.4]])
    b2 = np.array([0.0, 0.1])
    net = MLP([w1, w2], [b1, b2], ["sigmoid", "softmax"])
    x = np.array([[1.5, -0.5]])
    y = np.array([1])
    z = x[0] @ w1 + b1
    h = 1 / (1 + np.exp(-z))
    o = h @ w2 + b2
    p = np.exp(o) / np.exp(o).sum()
    dL_do = p - np.array([0.0, 1.0])
    i, j = 1, 2
    by_hand = sum(dL_do[l] * w2[j, l] * h[j] * (1 - h[j]) * x[0, i] for l in range(2))
    result, grads = _explained(net, x, y, "cross_entropy", 0, i, j)
    assert grads.layers[0].dW[i, j] == pytest.approx(by_hand, rel=1e-12)
    assert result.seed_total == pytest.approx(by_hand, rel=1e-12)
    assert [t.l for t in result.seed_form] == [0, 1]
    for term in result.seed_form:
        assert term.dL_do == pytest.approx(dL_do[term.l], rel=1e-12)
        assert term.w2 == w2[j, term.l]
        assert term.x_i == x[0, i]


def test_seed_form_is_only_for_the_first_layer_of_two() -> None:
    net, x, y = make_case([2, 3, 3, 2], ["tanh", "tanh", "softmax"], "cross_entropy")
    deep, _ = _explained(net, x, y, "cross_entropy", 0, 0, 0)
    assert deep.seed_form is None and deep.seed_total is None


def test_explain_includes_the_l2_term() -> None:
    net, x, y = make_case([2, 3, 2], ["tanh", "softmax"], "cross_entropy")
    trace = net.forward(x)
    grads = net.backward(trace, y, "cross_entropy", l2=0.25)
    result = explain(net, trace, grads, 1, 2, 0, l2=0.25)
    assert result.l2_term == pytest.approx(0.25 * net.weights[1][2, 0])
    assert result.total == pytest.approx(grads.layers[1].dW[2, 0], abs=1e-12)


@pytest.mark.parametrize(
    ("layer", "i", "j", "message"), [(2, 0, 0, "layer = 2"), (0, 5, 0, "i = 5"), (1, 0, 9, "j = 9")]
)
def test_explain_refuses_indices_out_of_range(layer: int, i: int, j: int, message: str) -> None:
    net, x, y = make_case([2, 3, 2], ["tanh", "softmax"], "cross_entropy")
    with pytest.raises(ValueError, match=message):
        _explained(net, x, y, "cross_entropy", layer, i, j)


def test_linear_collapse_gives_the_same_output_and_probabilities() -> None:
    net, x, _ = make_case([3, 5, 4, 2], ["linear", "linear", "softmax"], "cross_entropy")
    collapsed = linear_collapse(net)
    assert collapsed.W.shape == (3, 2) and collapsed.b.shape == (2,)
    single = collapsed.as_network().forward(x)
    np.testing.assert_allclose(single.output, net.forward(x).output, atol=1e-12)
    np.testing.assert_allclose(single.probs, net.forward(x).probs, atol=1e-12)


def test_a_nonlinear_network_does_not_collapse() -> None:
    net, _, _ = make_case([3, 5, 2], ["tanh", "softmax"], "cross_entropy")
    assert not is_linear_stack(net)
    with pytest.raises(ValueError, match="linear hidden layers"):
        linear_collapse(net)
