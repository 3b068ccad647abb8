"""Property tests over random architectures and batch sizes (hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from core import HIDDEN_ACTIVATIONS, MLP, explain, gradcheck, linear_collapse

SMOOTH = ["sigmoid", "tanh", "linear"]


@st.composite
def networks(draw: st.DrawFn, hidden: list[str]) -> tuple[MLP, np.ndarray, np.ndarray, str]:
    depth = draw(st.integers(1, 4))
    sizes = [draw(st.integers(1, 5)) for _ in range(depth)] + [draw(st.integers(2, 4))]
    activations = [draw(st.sampled_from(hidden)) for _ in range(depth - 1)]
    loss = draw(st.sampled_from(["cross_entropy", "mse"]))
    activations.append("softmax" if loss == "cross_entropy" else draw(st.sampled_from(SMOOTH)))
    seed = draw(st.integers(0, 2**32 - 1))
    n = draw(st.integers(1, 8))
    rng = np.random.default_rng(seed)
    net = MLP.init(sizes, activations, seed=rng)
    x = rng.normal(size=(n, sizes[0]))
    y = (
        rng.integers(0, sizes[-1], n)
        if loss == "cross_entropy"
        else rng.normal(size=(n, sizes[-1]))
    )
    return net, x, y, loss


@settings(max_examples=60, deadline=None)
@given(networks(SMOOTH))
def test_gradients_match_finite_differences_for_any_smooth_network(case: tuple) -> None:
    net, x, y, loss = case
    assert gradcheck(net, x, y, loss).max_rel_error < 1e-7


@settings(max_examples=60, deadline=None)
@given(networks(list(HIDDEN_ACTIVATIONS)))
def test_shapes_follow_the_architecture(case: tuple) -> None:
    net, x, y, loss = case
    trace = net.forward(x)
    grads = net.backward(trace, y, loss)
    n = x.shape[0]
    for w, b, layer, grad in zip(net.weights, net.biases, trace.layers, grads.layers, strict=True):
        assert layer.z.shape == layer.h.shape == grad.dz.shape == grad.dh.shape == (n, w.shape[1])
        assert grad.dW.shape == w.shape
        assert grad.db.shape == b.shape
    assert trace.predictions.shape == (n,)
    assert np.isfinite(grads.loss)


@settings(max_examples=40, deadline=None)
@given(networks(list(HIDDEN_ACTIVATIONS)), st.data())
def test_explain_total_equals_dw_for_any_weight(case: tuple, data: st.DataObject) -> None:
    net, x, y, loss = case
    trace = net.forward(x)
    grads = net.backward(trace, y, loss, l2=0.1)
    layer = data.draw(st.integers(0, len(net.weights) - 1))
    i = data.draw(st.integers(0, net.weights[layer].shape[0] - 1))
    j = data.draw(st.integers(0, net.weights[layer].shape[1] - 1))
    result = explain(net, trace, grads, layer, i, j, l2=0.1)
    assert abs(result.total - grads.layers[layer].dW[i, j]) <= 1e-12


@settings(max_examples=40, deadline=None)
@given(networks(["linear"]))
def test_linear_stack_collapses_to_one_layer_with_equal_output(case: tuple) -> None:
    net, x, _, _ = case
    single = linear_collapse(net).as_network()
    np.testing.assert_allclose(single.forward(x).output, net.forward(x).output, atol=1e-10)
