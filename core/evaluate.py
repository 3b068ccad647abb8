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
from core.mlp import MLP, Gradients


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


# Train and test sets stacked once per dataset, so one forward pass scores both.
_Stacked = tuple[NDArray[np.float64], NDArray[np.generic]]
_STACKED: weakref.WeakKeyDictionary[Dataset, _Stacked] = weakref.WeakKeyDictionary()


def _stacked(data: Dataset) -> _Stacked:
    xy = _STACKED.get(data)
    if xy is None:
        xy = (
            np.concatenate([data.x_train, data.x_test]),
            np.concatenate([data.y_train, data.y_test]),
        )
        _STACKED[data] = xy
    return xy


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
    x, y_all = _stacked(data)
    trace = net.forward(x)
    n = data.x_train.shape[0]
    y = net.check_y(y_all, x.shape[0], loss)
    last = trace.layers[-1]
    penalty = net.l2_penalty(l2)
    predictions = trace.predictions if data.task == "classification" else None

    def metrics(rows: slice) -> Metrics:
        value = LOSSES[loss].value(last.z[rows], last.h[rows], y[rows]) + penalty
        acc = None
        if predictions is not None:
            acc = float(np.mean(predictions[rows] == y_all[rows]))
        return Metrics(value, acc)

    test = metrics(slice(n, None)) if data.x_test.shape[0] else None
    return Evaluation(metrics(slice(0, n)), test)


def grad_norms(grads: Gradients) -> list[LayerNorms]:
    """‖dW‖ and ‖db‖ of every weight layer, input side first.

    Each is √(a·a) over the flattened array, as np.linalg.norm takes it (a BLAS dot,
    several times faster than einsum).
    """
    sqrt, vdot = math.sqrt, np.vdot
    return [LayerNorms(sqrt(vdot(g.dW, g.dW)), sqrt(vdot(g.db, g.db))) for g in grads.layers]
