"""Measures of a network: loss and accuracy on a dataset's train and test sets, gradient norms."""

from __future__ import annotations

import math
import weakref
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from core.datasets import Dataset
from core.errors import InvalidInput
from core.losses import LOSSES, Loss
from core.mlp import MLP, Gradients, Targets, accuracy


@dataclass(frozen=True, slots=True)
class Metrics:
    """Loss (the data loss plus the L2 penalty) and accuracy (None for a non-class loss)."""

    loss: float
    accuracy: float | None


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Metrics on the training set, and on the test set (None when there is no test split)."""

    train: Metrics
    test: Metrics | None


@dataclass(frozen=True, slots=True)
class LayerNorms:
    """One weight layer's gradient norms: ‖dW‖ (Frobenius) and ‖db‖."""

    dW: float
    db: float


@dataclass(frozen=True, slots=True)
class _Stacked:
    """A dataset's train and test sets stacked once, so one forward pass scores both, and
    its targets as each (loss, output width, dtype) checked them (a dataset never changes)."""

    x: NDArray[np.float64]
    y: NDArray[np.generic]
    targets: dict[tuple[str, int, str], Targets]


_STACKED: weakref.WeakKeyDictionary[Dataset, _Stacked] = weakref.WeakKeyDictionary()


def _stacked(data: Dataset) -> _Stacked:
    stacked = _STACKED.get(data)
    if stacked is None:
        stacked = _Stacked(
            np.concatenate([data.x_train, data.x_test]),
            np.concatenate([data.y_train, data.y_test]),
            {},
        )
        _STACKED[data] = stacked
    return stacked


def evaluate(net: MLP, data: Dataset, loss: Loss, l2: float = 0.0) -> Evaluation:
    """`net`'s loss and accuracy on `data`'s training and test sets.

    Each set's loss is its mean data loss plus the same L2 penalty (λ/2) Σ‖W‖², as the
    training loss is; accuracy is the share of argmax predictions equal to the class, for a
    classification dataset under any loss (mse takes the classes as one-hot targets).
    """
    if loss not in LOSSES:
        raise InvalidInput(
            ("loss",), f"loss '{loss}' is unknown; choose one of {', '.join(LOSSES)}"
        )
    stacked = _stacked(data)
    x = stacked.x
    trace = net.forward(x)
    key = (loss, net.weights[-1].shape[1], net.dtype.str)
    targets = stacked.targets.get(key)
    if targets is None or (loss == "cross_entropy" and not trace.softmax_output):
        targets = net.targets(stacked.y, x.shape[0], loss)  # checked (and one-hot) once
        stacked.targets[key] = targets
    y = targets.values
    n = data.x_train.shape[0]
    last = trace.layers[-1]
    penalty = net.l2_penalty(l2)
    value = LOSSES[loss].value
    predictions = trace.predictions if data.task == "classification" else None

    def metrics(rows: slice) -> Metrics:
        acc = None if predictions is None else accuracy(predictions[rows], stacked.y[rows])
        return Metrics(value(last.z[rows], last.h[rows], y[rows]) + penalty, acc)

    test = metrics(slice(n, None)) if data.x_test.shape[0] else None
    return Evaluation(metrics(slice(0, n)), test)


def grad_norms(grads: Gradients) -> list[LayerNorms]:
    """‖dW‖ and ‖db‖ of every weight layer, input side first.

    Each is √(a·a) over the flattened array, as np.linalg.norm takes it (a BLAS dot,
    several times faster than einsum).
    """
    sqrt, vdot = math.sqrt, np.vdot
    return [LayerNorms(sqrt(vdot(g.dW, g.dW)), sqrt(vdot(g.db, g.db))) for g in grads.layers]
