"""Activation curves: σ and σ′ over a range, from the same table the network uses."""

from __future__ import annotations

import numpy as np
import pytest

from core import ACTIVATIONS, HIDDEN_ACTIVATIONS, MLP, InvalidInput, activation_curve


@pytest.mark.parametrize("name", HIDDEN_ACTIVATIONS)
def test_the_curve_is_the_networks_own_sigma(name: str) -> None:
    curve = activation_curve(name, -4.0, 3.0, 15)
    np.testing.assert_array_equal(curve.z, np.linspace(-4.0, 3.0, 15))
    # a one-neuron layer with weight 1 and bias 0 computes σ(z) itself
    net = MLP([np.ones((1, 1)), np.ones((1, 1))], [np.zeros(1), np.zeros(1)], [name, "linear"])
    h = net.forward(curve.z[:, None]).layers[0].h[:, 0]
    np.testing.assert_array_equal(curve.sigma, h)
    assert curve.formula == ACTIVATIONS[name].formula


@pytest.mark.parametrize("name", HIDDEN_ACTIVATIONS)
def test_sigma_prime_is_the_slope_of_sigma(name: str) -> None:
    # points that stay clear of the kink at 0, where ReLU's slope jumps
    curve = activation_curve(name, -3.05, 2.95, 31)
    eps = 1e-6
    numeric = (
        ACTIVATIONS[name].forward(curve.z + eps) - ACTIVATIONS[name].forward(curve.z - eps)
    ) / (2 * eps)
    np.testing.assert_allclose(curve.sigma_prime, numeric, rtol=1e-7, atol=1e-9)


def test_softmax_has_no_curve_and_says_why() -> None:
    with pytest.raises(InvalidInput, match="not elementwise") as info:
        activation_curve("softmax", -1.0, 1.0, 5)
    assert info.value.field == ("name",)
    with pytest.raises(InvalidInput, match="unknown"):
        activation_curve("swish", -1.0, 1.0, 5)


@pytest.mark.parametrize(
    ("lo", "hi", "points", "field"),
    [(1.0, 1.0, 5, "lo"), (2.0, -2.0, 5, "lo"), (0.0, np.inf, 5, "lo"), (0.0, 1.0, 1, "points")],
)
def test_a_bad_range_or_count_names_its_field(
    lo: float, hi: float, points: int, field: str
) -> None:
    with pytest.raises(InvalidInput) as info:
        activation_curve("tanh", lo, hi, points)
    assert info.value.field == (field,)
