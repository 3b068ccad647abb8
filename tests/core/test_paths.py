"""explain_paths: ∂L/∂W(l)[i,j] as the sum over every path to the outputs equals backprop's dW."""

from __future__ import annotations

import math

import numpy as np
import pytest

from core import ACTIVATIONS, MLP, InvalidInput, explain, explain_paths, path_factors
from tests.core.helpers import make_case

ARCHITECTURES = {
    2: ([3, 4, 3], ["tanh", "softmax"]),
    3: ([2, 3, 3, 2], ["sigmoid", "tanh", "softmax"]),
    4: ([3, 3, 3, 3, 2], ["tanh", "leaky_relu", "sigmoid", "softmax"]),
    5: ([2, 3, 3, 3, 3, 2], ["tanh", "sigmoid", "tanh", "relu", "softmax"]),
}


def _case(depth: int, residual: bool, l2: float = 0.0):
    sizes, activations = ARCHITECTURES[depth]
    net, x, y = make_case(sizes, activations, "cross_entropy", n=4, seed=depth, residual=residual)
    trace = net.forward(x)
    return net, trace, net.backward(trace, y, "cross_entropy", l2)


def _branches(net: MLP, layer: int) -> int:
    sizes = net.sizes
    return math.prod(sizes[m + 1] + int(net.skips[m]) for m in range(layer + 1, len(net.weights)))


@pytest.mark.parametrize("residual", [False, True])
@pytest.mark.parametrize("depth", [2, 3, 4, 5])
def test_every_path_summed_is_dw_in_every_layer(depth: int, residual: bool) -> None:
    net, trace, grads = _case(depth, residual, l2=0.03)
    for layer in range(depth):
        result = explain_paths(net, trace, grads, layer, 1, 0, max_paths=10_000)
        assert result.count == _branches(net, layer) == len(result.paths)
        assert (result.rest, result.rest_count) == (0.0, 0)
        assert result.total == pytest.approx(grads.layers[layer].dW[1, 0], abs=1e-12)
        assert result.dW == grads.layers[layer].dW[1, 0]
        assert result.l2_term == 0.03 * net.weights[layer][1, 0]
        assert sum(p.value for p in result.paths) == pytest.approx(result.data_gradient, abs=1e-14)
        if residual and layer < depth - 2:
            assert any(any(p.skips) for p in result.paths)


@pytest.mark.parametrize("residual", [False, True])
@pytest.mark.parametrize("depth", [3, 4, 5])
def test_past_max_paths_the_largest_are_listed_and_the_rest_summed_exactly(
    depth: int, residual: bool
) -> None:
    net, trace, grads = _case(depth, residual)
    result = explain_paths(net, trace, grads, 0, 0, 1, max_paths=3)
    assert len(result.paths) == 3
    assert result.rest_count == result.count - 3 > 0
    listed = [abs(p.value) for p in result.paths]
    assert listed == sorted(listed, reverse=True)
    assert sum(p.value for p in result.paths) + result.rest == pytest.approx(
        grads.layers[0].dW[0, 1], abs=1e-12
    )
    assert result.total == pytest.approx(grads.layers[0].dW[0, 1], abs=1e-12)


def test_a_path_is_the_product_of_its_local_derivatives_by_hand() -> None:
    net, trace, grads = _case(4, residual=True)
    result = explain_paths(net, trace, grads, 0, 2, 1, max_paths=10_000)
    d_out = grads.layers[-1].dz
    for path in result.paths[:: max(1, len(result.paths) // 25)]:
        layer0 = trace.layers[0]
        sp = ACTIVATIONS[net.activations[0]].derivative(layer0.z, layer0.sigma)[:, 1]
        value = trace.x[:, 2] * sp
        for step, (m, node, skip) in enumerate(
            zip(range(1, 4), path.neurons[1:], path.skips, strict=True)
        ):
            prev = path.neurons[step]
            if skip:
                assert node == prev and path.weights[step] == 1.0
                continue
            assert path.weights[step] == net.weights[m][prev, node]
            if m == 3:
                value = value * net.weights[m][prev, node] * d_out[:, node]
            else:
                lt = trace.layers[m]
                sp = ACTIVATIONS[net.activations[m]].derivative(lt.z, lt.sigma)[:, node]
                value = value * net.weights[m][prev, node] * sp
        np.testing.assert_allclose(path.samples, value, rtol=1e-12, atol=1e-18)
        assert path.value == pytest.approx(value.sum(), abs=1e-16)


def test_two_layers_give_the_notes_formula_one_path_per_output() -> None:
    net, trace, grads = _case(2, residual=False)
    result = explain_paths(net, trace, grads, 0, 1, 2)
    seed = explain(net, trace, grads, 0, 1, 2).seed_form
    assert seed is not None
    assert sorted(p.neurons[1] for p in result.paths) == [0, 1, 2]
    for path in result.paths:
        k = path.neurons[1]
        by_note = sum(t.product for t in seed if t.l == k)  # Σ_s ∂L/∂o_k W2_jk σ'(z_j) x_i
        assert path.value == pytest.approx(by_note, abs=1e-15)
    n, hidden, out = 4, 4, 3
    assert result.multiplications == {
        "paths": n * 3 * out,
        "backprop": n * (out * hidden + hidden + 1),
    }


def test_the_output_layer_has_one_path() -> None:
    net, trace, grads = _case(3, residual=False)
    result = explain_paths(net, trace, grads, 2, 1, 0)
    assert result.count == 1 and result.paths[0].neurons == (0,)
    assert result.total == pytest.approx(grads.layers[2].dW[1, 0], abs=1e-15)


def test_path_counts_past_two_to_the_64_stay_exact_python_ints() -> None:
    sizes = [1, *[200] * 10, 2]
    net = MLP.init(sizes, ["tanh"] * 10 + ["softmax"], seed=0)
    trace = net.forward(np.array([[0.3], [-0.2]]))
    grads = net.backward(trace, [0, 1])
    result = explain_paths(net, trace, grads, 0, 0, 5, max_paths=4)
    assert result.count == 200**9 * 2 > 2**64 and isinstance(result.count, int)
    assert result.rest_count == result.count - 4
    assert result.total == pytest.approx(grads.layers[0].dW[0, 5], abs=1e-12)
    assert result.multiplications["paths"] > result.multiplications["backprop"]


@pytest.mark.parametrize("bad", [0, -1, 2.0, True])
def test_max_paths_below_one_names_the_field(bad: object) -> None:
    net, trace, grads = _case(2, residual=False)
    with pytest.raises(InvalidInput) as err:
        explain_paths(net, trace, grads, 0, 0, 0, max_paths=bad)  # type: ignore[arg-type]
    assert err.value.field == ("max_paths",)


@pytest.mark.parametrize("residual", [False, True])
@pytest.mark.parametrize("depth", [2, 3, 4])
def test_each_paths_factors_multiply_to_its_value_per_sample(depth: int, residual: bool) -> None:
    net, trace, grads = _case(depth, residual)
    for layer in range(depth):
        result = explain_paths(net, trace, grads, layer, 1, 0, max_paths=10_000)
        for path in result.paths:
            factors = path_factors(net, trace, grads, layer, 1, path)
            product = np.ones(trace.x.shape[0])
            for f in factors:
                product = product * (f.value if f.samples is None else np.asarray(f.samples))
            np.testing.assert_allclose(product, path.samples, rtol=1e-12, atol=1e-300)
            kinds = [f.kind for f in factors]
            # every path ends at an output (the output layer never skips)
            assert kinds[0] == "h_in" and kinds[-1] == "dL_do" and kinds.count("dL_do") == 1
            assert kinds.count("skip") == sum(path.skips)
            assert kinds.count("W") == len(path.skips) - sum(path.skips)
            if layer == depth - 1:
                assert kinds == ["h_in", "dL_do"]
