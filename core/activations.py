"""Activation functions, each defined once beside its derivative, in one table keyed by name."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final, Literal, get_args

import numpy as np
from numpy.typing import NDArray

from core.errors import InvalidInput

# NDArray[Any]: float64 or float32, whichever dtype the network was built with.
Array = NDArray[Any]
Activation = Literal["sigmoid", "tanh", "relu", "leaky_relu", "linear", "softmax"]
ActivationName = Activation  # the earlier name of the same type

LEAKY_SLOPE: Final = 0.01


@dataclass(frozen=True)
class ActivationFn:
    """An activation h = σ(z) with its local chain rule.

    `derivative(z, h)` is σ'(z) elementwise (None for softmax, whose Jacobian is not
    diagonal); `backward(z, h, dh)` returns dz = ∂L/∂z given dh = ∂L/∂h, both (n, p).
    """

    name: str
    forward: Callable[[Array], Array]
    derivative: Callable[[Array, Array], Array] | None
    backward: Callable[[Array, Array, Array], Array]
    formula: str


def _elementwise(
    name: str,
    forward: Callable[[Array], Array],
    derivative: Callable[[Array, Array], Array],
    formula: str,
    backward: Callable[[Array, Array, Array], Array] | None = None,
) -> ActivationFn:
    def chain(z: Array, h: Array, dh: Array) -> Array:
        return _times(dh, derivative(z, h))

    return ActivationFn(name, forward, derivative, backward or chain, formula)


def _times(dh: Array, d: Array) -> Array:
    """dh ⊙ d, written into d (a fresh temporary) when that gives the same array."""
    if d.dtype == dh.dtype and d.shape == dh.shape:
        return np.multiply(dh, d, out=d)
    return dh * d


def _one_minus(a: Array) -> Array:
    """1 − a, in place when `a` (a temporary of its caller) is a float array."""
    return np.subtract(1.0, a, out=a) if a.dtype.kind == "f" else 1.0 - a


def _tanh_backward(z: Array, h: Array, dh: Array) -> Array:
    # dh ⊙ (1 − h²) in one temporary and without helper calls: tanh is the page's default
    # hidden activation, and small networks spend their step in per-call overhead.
    d = h * h
    if d.dtype == dh.dtype and d.shape == dh.shape and d.dtype.kind == "f":
        np.subtract(1.0, d, out=d)
        return np.multiply(dh, d, out=d)
    return dh * (1.0 - d)


def _relu_backward(z: Array, h: Array, dh: Array) -> Array:
    # dh ⊙ [z > 0]: the boolean mask multiplies as 0/1, with no float copy of it.
    return np.multiply(dh, z > 0, dtype=np.result_type(dh, z))


def sigmoid(z: Array) -> Array:
    """σ(z) = 1 / (1 + e^(−z)), without overflow: e^(−|z|) never exceeds 1."""
    e = np.exp(-np.abs(z))
    # 1/(1 + e) for z ≥ 0, e/(1 + e) below: one division, not one per branch.
    out = np.where(z >= 0, 1.0, e)
    out /= 1.0 + e
    return out


def softmax(z: Array) -> Array:
    """Row-wise softmax of z (n, p); the row max is subtracted first, as in the seed."""
    # The ufuncs' own reduce, not the ndarray methods' Python wrappers: same numbers.
    e = np.subtract(z, np.maximum.reduce(z, axis=-1, keepdims=True))
    np.exp(e, out=e)
    e /= np.add.reduce(e, axis=-1, keepdims=True)
    return e


def log_softmax(z: Array) -> Array:
    """Row-wise log-softmax of z (n, p), finite for any finite z."""
    shifted = z - z.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def _softmax_backward(z: Array, h: Array, dh: Array) -> Array:
    # Jacobian-vector product of softmax: J = diag(p) − p pᵀ, so dz = p ⊙ (dh − ⟨dh, p⟩).
    return h * (dh - (dh * h).sum(axis=-1, keepdims=True))


ACTIVATIONS: Final[dict[str, ActivationFn]] = {
    "sigmoid": _elementwise(
        "sigmoid", sigmoid, lambda z, h: _times(h, 1.0 - h), "σ(z) = 1/(1+e^(−z))"
    ),
    "tanh": _elementwise(
        "tanh", np.tanh, lambda z, h: _one_minus(h * h), "tanh(z)", _tanh_backward
    ),
    "relu": _elementwise(
        "relu",
        lambda z: np.maximum(z, 0.0),
        lambda z, h: (z > 0).astype(z.dtype),
        "max(0, z)",
        _relu_backward,
    ),
    "leaky_relu": _elementwise(
        "leaky_relu",
        lambda z: np.where(z > 0, z, LEAKY_SLOPE * z),
        lambda z, h: np.where(z > 0, 1.0, LEAKY_SLOPE).astype(z.dtype, copy=False),
        "max(0.01 z, z)",
    ),
    "linear": _elementwise("linear", lambda z: z, lambda z, h: np.ones_like(z), "z"),
    "softmax": ActivationFn("softmax", softmax, None, _softmax_backward, "e^(z_k) / Σ_j e^(z_j)"),
}

HIDDEN_ACTIVATIONS: Final[tuple[Activation, ...]] = tuple(
    name for name in get_args(Activation) if name != "softmax"
)


@dataclass(frozen=True)
class ActivationCurve:
    """σ and σ′ of one activation at `points` evenly spaced z from lo to hi, each (points,)."""

    name: str
    formula: str
    z: NDArray[np.float64]
    sigma: NDArray[np.float64]
    sigma_prime: NDArray[np.float64]


def activation_curve(name: str, lo: float, hi: float, points: int) -> ActivationCurve:
    """σ(z) and σ′(z) of the hidden activation `name` over [lo, hi] (points ≥ 2), in float64,
    computed by the same table the network uses, so a plot of it is the network's own σ."""
    if name not in HIDDEN_ACTIVATIONS:
        why = "is not elementwise (its Jacobian is not diagonal)" if name == "softmax" else ""
        raise InvalidInput(
            ("name",),
            f"activation '{name}' {why or 'is unknown'}; a curve is drawn for "
            f"{', '.join(HIDDEN_ACTIVATIONS)}",
        )
    if not (math.isfinite(lo) and math.isfinite(hi)) or not lo < hi:
        raise InvalidInput(("lo",), f"lo = {lo:g} and hi = {hi:g}; lo must be below hi")
    if isinstance(points, bool) or not isinstance(points, int) or points < 2:
        raise InvalidInput(("points",), f"points = {points}; it must be an integer of at least 2")
    fn = ACTIVATIONS[name]
    z = np.linspace(lo, hi, points)
    sigma = fn.forward(z)
    assert fn.derivative is not None  # every hidden activation is elementwise
    return ActivationCurve(name, fn.formula, z, sigma, fn.derivative(z, sigma))
