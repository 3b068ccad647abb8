"""The stateless forward and backward pass of POST /backprop: nothing is stored."""

from __future__ import annotations

from typing import Any

import numpy as np

import core
from app.domain.errors import InputError
from app.domain.networks import check_size
from app.domain.training import all_finite, check_rows, layer_values
from app.settings import Limits
from app.store import param_shapes


def backprop_view(body: Any, limits: Limits) -> dict[str, Any]:
    """The stateless forward + backward pass."""
    layers = list(body.layers)
    config = {"layers": layers, "activations": body.activations, "loss": body.loss}
    check_size(layers, list(body.activations), limits)
    check_rows(len(body.x), "x", limits)
    try:
        core.check_architecture(layers, config["activations"])
    except ValueError as exc:
        raise InputError(("activations",), str(exc)) from None
    shapes = param_shapes(layers)
    if len(body.weights) != len(layers) - 1 or len(body.biases) != len(layers) - 1:
        raise InputError(
            ("weights",),
            f"layers {layers} need {len(layers) - 1} weight matrices and bias vectors; got "
            f"{len(body.weights)} and {len(body.biases)}",
        )
    weights, biases = [], []
    for k in range(len(layers) - 1):
        w = _matrix(body.weights[k], ("weights", k))
        b = np.asarray(body.biases[k], dtype=np.float64)
        if w.shape != shapes[2 * k]:
            raise InputError(
                ("weights", k), f"weights[{k}] has shape {w.shape}; expected {shapes[2 * k]}"
            )
        if b.shape != shapes[2 * k + 1]:
            raise InputError(
                ("biases", k), f"biases[{k}] has shape {b.shape}; expected {shapes[2 * k + 1]}"
            )
        weights.append(w)
        biases.append(b)
    net = core.MLP(weights, biases, body.activations, residual=body.residual)
    x = _matrix(body.x, ("x",))
    try:
        trace = net.forward(x)
    except ValueError as exc:
        raise InputError(("x",), str(exc)) from None
    y: Any = body.y
    # Class indices (for either loss: mse takes them one-hot) or one target row per sample.
    y_arr = _matrix(y, ("y",)) if y and isinstance(y[0], list) else np.asarray(y)
    try:
        grads = net.backward(trace, y_arr, body.loss, body.l2)
    except ValueError as exc:
        raise InputError(("y",), str(exc)) from None
    out: dict[str, Any] = {
        "loss": grads.loss,
        "data_loss": grads.data_loss,
        "output": trace.output,
        "probs": trace.probs,
        "predictions": trace.predictions,
        "layers": layer_values(net, trace, grads),
        "grad_norms": [norms.dW for norms in core.grad_norms(grads)],
    }
    arrays = [layer[k] for layer in out["layers"] for k in ("z", "h", "dz", "dh", "dW", "db")]
    if not all_finite(grads.loss, *arrays):
        raise InputError(
            ("weights",), "the computation overflowed: the weights or inputs are too large"
        )
    return out


def _matrix(rows: Any, loc: tuple[str | int, ...]) -> np.ndarray:
    try:
        core.check_rectangular(rows, loc)
    except core.InvalidInput as exc:
        raise InputError(loc, exc.message) from None
    try:
        return np.asarray(rows, dtype=np.float64)
    except (TypeError, ValueError):
        raise InputError(loc, f"{loc[0]} must be a matrix of numbers") from None
