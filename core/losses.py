"""Loss functions (means over the batch), each beside its gradient, in one table keyed by name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final, Literal, get_args

import numpy as np
from numpy.typing import DTypeLike, NDArray

from core.activations import Activation, Array
from core.datasets import Task

Loss = Literal["cross_entropy", "mse"]
LossName = Loss  # the earlier name of the same type


@dataclass(frozen=True)
class LossFn:
    """A loss L(h, y) of the network's final activations h = H(L), shape (n, p).

    `value(z, h, y)` is the batch mean; `grad(z, h, y)` is ∂L/∂h (n, p). Cross-entropy
    takes class indices y (n,) and needs a softmax output; mse takes targets y (n, p), and
    class indices as their one-hot vectors (MLP.check_y converts them).

    `tasks` are the dataset tasks the loss fits, `outputs` the output activations it
    accepts and `default_output` the one a new network gets.
    """

    name: str
    value: Callable[[Array, Array, NDArray[np.generic]], float]
    grad: Callable[[Array, Array, NDArray[np.generic]], Array]
    targets: Literal["classes", "vectors"]
    formula: str
    tasks: tuple[Task, ...] = ("classification", "regression")
    outputs: tuple[Activation, ...] = get_args(Activation)
    default_output: Activation = "linear"


def one_hot(y: NDArray[np.generic], classes: int, dtype: DTypeLike = np.float64) -> Array:
    """Class indices y (n,) as a one-hot matrix (n, classes)."""
    out = np.zeros((y.shape[0], classes), dtype=dtype)
    out[rows(y.shape[0]), y] = 1.0
    return out


_ROWS: dict[int, NDArray[np.intp]] = {}
# The smallest normal float per dtype: below it 1/p and log p lose precision or overflow.
_TINY: Final[dict[np.dtype[Any], float]] = {
    np.dtype(t): float(np.finfo(t).tiny) for t in (np.float64, np.float32, np.float16)
}


def rows(n: int) -> NDArray[np.intp]:
    """0..n−1 (read-only, cached): the row index of a per-sample gather or scatter."""
    r = _ROWS.get(n)
    if r is None:
        r = np.arange(n, dtype=np.intp)
        r.setflags(write=False)
        if len(_ROWS) < 256:  # the batch sizes a process uses are few
            _ROWS[n] = r
    return r


def _log_p_target(z: Array, h: Array, y: NDArray[np.generic]) -> tuple[Array, Array, bool]:
    """(p_y, log p_y, every p_y normal) per sample (n,), for logits z and softmax
    probabilities h, both (n, p).

    While every p_y is a normal float, log p_y is log(h[s, y_s]) (the softmax already took
    the logits' maximum and sum). When one underflows (extreme logits) log p_y comes from
    the log-softmax of z instead, which stays finite: never log(0).
    """
    picked = h[rows(h.shape[0]), y]
    if np.minimum.reduce(picked) >= _TINY.get(h.dtype, 1.0):
        return picked, np.log(picked), True
    shifted = z - np.maximum.reduce(z, axis=-1, keepdims=True)
    log_py = shifted[rows(z.shape[0]), y]
    log_py -= np.log(np.add.reduce(np.exp(shifted), axis=-1))
    return picked, log_py, False


def _ce_value_of(log_py: Array) -> float:
    # The mean as NumPy takes it (sum, then divide), without .mean()'s Python overhead.
    # 0 − mean, not −mean: a certain prediction's loss is 0.0, never −0.0.
    return float(0.0 - np.add.reduce(log_py) / log_py.shape[0])


def _ce_grad_of(p_y: Array, log_py: Array, normal: bool, h: Array, y: NDArray[np.generic]) -> Array:
    # ∂L/∂p_y = −1/(n p_y). When p_y underflows (extreme logits) the true value exceeds any
    # float; it saturates at the largest finite one (−exp(−log p_y)/n, capped) instead of inf.
    n = h.shape[0]
    out = np.zeros(h.shape, dtype=h.dtype)
    if normal:
        out[rows(n), y] = np.divide(-1.0 / n, p_y)
        return out
    big = np.finfo(h.dtype).max
    with np.errstate(over="ignore"):
        out[rows(n), y] = -np.minimum(np.exp(-log_py), big) / n
    return out


def _ce_value(z: Array, h: Array, y: NDArray[np.generic]) -> float:
    return _ce_value_of(_log_p_target(z, h, y)[1])


def _ce_grad(z: Array, h: Array, y: NDArray[np.generic]) -> Array:
    return _ce_grad_of(*_log_p_target(z, h, y), h, y)


def _mse_value(z: Array, h: Array, y: Array) -> float:
    diff = h - y
    return float(0.5 * np.einsum("ij,ij->", diff, diff) / h.shape[0])


def _mse_grad(z: Array, h: Array, y: Array) -> Array:
    return (h - y) / h.shape[0]


LOSSES: Final[dict[str, LossFn]] = {
    "cross_entropy": LossFn(
        "cross_entropy",
        _ce_value,
        _ce_grad,
        "classes",
        "L = −(1/n) Σ_s log p_s,y_s",
        tasks=("classification",),
        outputs=("softmax",),
        default_output="softmax",
    ),
    "mse": LossFn("mse", _mse_value, _mse_grad, "vectors", "L = (1/n) Σ_s ½ Σ_k (o_sk − y_sk)²"),
}
# The loss a new network gets for each task (another one that fits may be asked for).
DEFAULT_LOSS: Final[dict[Task, Loss]] = {"classification": "cross_entropy", "regression": "mse"}


def loss_fit(loss: str, task: Task) -> str | None:
    """None when `loss` fits a dataset of `task`; otherwise why not, naming what fits."""
    fn = LOSSES.get(loss)
    if fn is None:
        return f"loss '{loss}' is unknown; choose one of {', '.join(LOSSES)}"
    if task in fn.tasks:
        return None
    fitting = [name for name, f in LOSSES.items() if task in f.tasks]
    return f"loss '{loss}' does not fit {task}; use {' or '.join(fitting)}"


def value_and_grad(loss: str, z: Array, h: Array, y: NDArray[np.generic]) -> tuple[float, Array]:
    """LOSSES[loss].value and .grad of one batch at once (cross-entropy shares its log p_y)."""
    if loss == "cross_entropy":
        p_y, log_py, normal = _log_p_target(z, h, y)
        return _ce_value_of(log_py), _ce_grad_of(p_y, log_py, normal, h, y)
    fn = LOSSES[loss]
    return fn.value(z, h, y), fn.grad(z, h, y)


def softmax_cross_entropy(z: Array, h: Array, y: NDArray[np.generic]) -> tuple[float, Array, Array]:
    """Cross-entropy of softmax outputs at once: (L, ∂L/∂P, ∂L/∂O), ∂L/∂O = (P − Y)/n fused."""
    p_y, log_py, normal = _log_p_target(z, h, y)
    n = h.shape[0]
    dz = h.copy()
    dz[rows(n), y] = p_y - 1.0  # P − Y: the one-hot Y subtracts 1 at the targets only
    dz /= n
    return _ce_value_of(log_py), _ce_grad_of(p_y, log_py, normal, h, y), dz
