"""Numeric gradient check: central finite differences over every parameter, in float64."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from core.losses import Loss
from core.mlp import MLP

# Relative errors divide by max(|analytic|, |numeric|, FLOOR). A gradient that is (nearly) zero,
# such as a dead ReLU's, is then judged by its absolute error over FLOOR instead of 0/0: the
# finite difference itself carries an absolute rounding noise of about 1e-13 in float64.
FLOOR = 1e-5


@dataclass(frozen=True)
class ParamCheck:
    """One parameter: its place, the backprop value, the finite-difference value, their error."""

    layer: int
    kind: Literal["W", "b"]
    index: tuple[int, ...]
    analytic: float
    numeric: float
    rel_error: float


@dataclass(frozen=True)
class GradCheck:
    """Every parameter's check, the largest relative error and where it is."""

    params: tuple[ParamCheck, ...]
    max_rel_error: float
    worst: ParamCheck
    eps: float


def gradcheck(
    net: MLP,
    x: ArrayLike,
    y: ArrayLike,
    loss: Loss = "cross_entropy",
    l2: float = 0.0,
    eps: float = 1e-3,
) -> GradCheck:
    """Compare backprop's gradients with the fourth-order central difference
    (−L(θ+2h) + 8L(θ+h) − 8L(θ−h) + L(θ−2h)) / 12h, parameter by parameter, in float64.
    """
    net64 = MLP(
        net.weights, net.biases, net.activations, dtype=np.float64, residual=net.residual
    ).copy()
    x64 = net64.check_x(x)
    grads = net64.backward(net64.forward(x64), y, loss, l2)
    checks: list[ParamCheck] = []
    for layer in range(len(net64.weights)):
        pairs: tuple[tuple[Literal["W", "b"], NDArray[np.float64], NDArray[np.float64]], ...] = (
            ("W", net64.weights[layer], grads.layers[layer].dW),
            ("b", net64.biases[layer], grads.layers[layer].db),
        )
        for kind, param, grad in pairs:
            for index in np.ndindex(param.shape):
                numeric = _central_difference(net64, param, index, eps, x64, y, loss, l2)
                analytic = float(grad[index])
                denom = max(abs(analytic), abs(numeric), FLOOR)
                rel_error = abs(analytic - numeric) / denom
                checks.append(ParamCheck(layer, kind, index, analytic, numeric, rel_error))
    worst = max(checks, key=lambda c: c.rel_error)
    return GradCheck(tuple(checks), worst.rel_error, worst, eps)


def _central_difference(
    net: MLP,
    param: NDArray[np.float64],
    index: tuple[int, ...],
    eps: float,
    x: NDArray[np.float64],
    y: ArrayLike,
    loss: Loss,
    l2: float,
) -> float:
    original = param[index]
    values = []
    for offset in (2 * eps, eps, -eps, -2 * eps):
        param[index] = original + offset
        values.append(net.loss(x, y, loss, l2))
    param[index] = original
    return (-values[0] + 8 * values[1] - 8 * values[2] + values[3]) / (12 * eps)
