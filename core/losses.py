"""Loss functions (means over the batch), each beside its gradient, in one table keyed by name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
from numpy.typing import DTypeLike, NDArray

from core.activations import Array, log_softmax

LossName = Literal["cross_entropy", "mse"]


@dataclass(frozen=True)
class Loss:
    """A loss L(h, y) of the network's final activations h = H(L), shape (n, p).

    `value(z, h, y)` is the batch mean; `grad(z, h, y)` is ∂L/∂h (n, p). Cross-entropy
    takes class indices y (n,) and needs a softmax output; mse takes targets y (n, p).
    """

    name: str
    value: Callable[[Array, Array, NDArray[np.generic]], float]
    grad: Callable[[Array, Array, NDArray[np.generic]], Array]
    targets: Literal["classes", "vectors"]
    formula: str


def one_hot(y: NDArray[np.generic], classes: int, dtype: DTypeLike = np.float64) -> Array:
    """Class indices y (n,) as a one-hot matrix (n, classes)."""
    out = np.zeros((y.shape[0], classes), dtype=dtype)
    out[np.arange(y.shape[0]), y] = 1.0
    return out


def _ce_value(z: Array, h: Array, y: NDArray[np.generic]) -> float:
    # log-softmax of the logits, never log(h): h may underflow to 0 at extreme logits.
    rows = np.arange(z.shape[0])
    return float(-log_softmax(z)[rows, y].mean())


def _ce_grad(z: Array, h: Array, y: NDArray[np.generic]) -> Array:
    # ∂L/∂p_y = −1/(n p_y) = −exp(−log p_y)/n; overflow only if p_y < 1e-308.
    n = z.shape[0]
    rows = np.arange(n)
    out = np.zeros_like(h)
    with np.errstate(over="ignore"):
        out[rows, y] = -np.exp(-log_softmax(z)[rows, y]) / n
    return out


def _mse_value(z: Array, h: Array, y: Array) -> float:
    diff = h - y
    return float(0.5 * np.einsum("ij,ij->", diff, diff) / h.shape[0])


def _mse_grad(z: Array, h: Array, y: Array) -> Array:
    return (h - y) / h.shape[0]


LOSSES: Final[dict[str, Loss]] = {
    "cross_entropy": Loss(
        "cross_entropy", _ce_value, _ce_grad, "classes", "L = −(1/n) Σ_s log p_s,y_s"
    ),
    "mse": Loss("mse", _mse_value, _mse_grad, "vectors", "L = (1/n) Σ_s ½ Σ_k (o_sk − y_sk)²"),
}
