"""Loss functions (means over the batch), each beside its gradient, in one table keyed by name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
from numpy.typing import DTypeLike, NDArray

from core.activations import Array

Loss = Literal["cross_entropy", "mse"]
LossName = Loss  # the earlier name of the same type


@dataclass(frozen=True)
class LossFn:
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


def _log_p_target(z: Array, y: NDArray[np.generic]) -> Array:
    """log p_y per sample (n,): log-softmax of the logits z (n, p), at the targets only."""
    # Never log(h): h may underflow to 0 at extreme logits. Same numbers as
    # log_softmax(z)[rows, y], without forming the whole (n, p) log-softmax.
    shifted = z - z.max(axis=-1, keepdims=True)
    picked = shifted[np.arange(z.shape[0]), y]
    picked -= np.log(np.exp(shifted).sum(axis=-1))
    return picked


def _ce_value_of(log_py: Array) -> float:
    # The mean as NumPy takes it (sum, then divide), without .mean()'s Python overhead.
    return float(-(np.add.reduce(log_py) / log_py.shape[0]))


def _ce_grad_of(log_py: Array, h: Array, y: NDArray[np.generic]) -> Array:
    # ∂L/∂p_y = −1/(n p_y) = −exp(−log p_y)/n. When p_y underflows (extreme logits) the true
    # value exceeds any float; it saturates at the largest finite one instead of becoming inf.
    n = h.shape[0]
    out = np.zeros(h.shape, dtype=h.dtype)
    big = np.finfo(h.dtype).max
    with np.errstate(over="ignore"):
        out[np.arange(n), y] = -np.minimum(np.exp(-log_py), big) / n
    return out


def _ce_value(z: Array, h: Array, y: NDArray[np.generic]) -> float:
    return _ce_value_of(_log_p_target(z, y))


def _ce_grad(z: Array, h: Array, y: NDArray[np.generic]) -> Array:
    return _ce_grad_of(_log_p_target(z, y), h, y)


def _mse_value(z: Array, h: Array, y: Array) -> float:
    diff = h - y
    return float(0.5 * np.einsum("ij,ij->", diff, diff) / h.shape[0])


def _mse_grad(z: Array, h: Array, y: Array) -> Array:
    return (h - y) / h.shape[0]


LOSSES: Final[dict[str, LossFn]] = {
    "cross_entropy": LossFn(
        "cross_entropy", _ce_value, _ce_grad, "classes", "L = −(1/n) Σ_s log p_s,y_s"
    ),
    "mse": LossFn("mse", _mse_value, _mse_grad, "vectors", "L = (1/n) Σ_s ½ Σ_k (o_sk − y_sk)²"),
}


def value_and_grad(loss: str, z: Array, h: Array, y: NDArray[np.generic]) -> tuple[float, Array]:
    """LOSSES[loss].value and .grad of one batch at once (cross-entropy shares its log p_y)."""
    if loss == "cross_entropy":
        log_py = _log_p_target(z, y)
        return _ce_value_of(log_py), _ce_grad_of(log_py, h, y)
    fn = LOSSES[loss]
    return fn.value(z, h, y), fn.grad(z, h, y)
