"""One training step (forward, loss, backward, update) with its full trace, and batch choice."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from core.activations import Array
from core.errors import InvalidInput
from core.evaluate import LayerNorms, grad_norms
from core.losses import Loss
from core.mlp import MLP, ForwardTrace, Gradients
from core.optim import Optimizer, OptimizerState, compute_updates, flat_params


@dataclass(frozen=True, slots=True)  # slots: made every step, and built faster
class StepTrace:
    """What one step did: the forward trace, the gradients, the applied updates (ΔW, Δb)
    per layer, the loss before and after (on the same batch) and the gradient norms."""

    forward: ForwardTrace
    grads: Gradients
    updates: tuple[tuple[Array, Array], ...]
    loss_before: float
    loss_after: float | None
    _norms: tuple[LayerNorms, ...] | None = field(default=None, repr=False, compare=False)

    @property
    def norms(self) -> tuple[LayerNorms, ...]:
        """‖dW‖ and ‖db‖ per layer: grad_norms of the step's gradients, taken on first use (a
        training loop that never reads them does not pay for them)."""
        norms = self._norms
        if norms is None:
            norms = tuple(grad_norms(self.grads))
            object.__setattr__(self, "_norms", norms)  # a cache: the value never changes
        return norms

    @property
    def grad_norms(self) -> tuple[float, ...]:
        """‖dW‖ per layer."""
        return tuple(n.dW for n in self.norms)


@dataclass(frozen=True, slots=True)
class StepResult:
    """The network and optimizer state after the step, and the step's trace."""

    network: MLP
    state: OptimizerState
    trace: StepTrace


def train_step(
    net: MLP,
    optimizer: Optimizer,
    state: OptimizerState,
    x: ArrayLike,
    y: ArrayLike,
    *,
    loss: Loss = "cross_entropy",
    l2: float = 0.0,
    apply: bool = True,
    compute_loss_after: bool = True,
) -> StepResult:
    """One gradient update on the batch (x, y); `net` and `state` are left unchanged.

    With apply=False the update is computed and reported but the returned network and
    state are the inputs.
    """
    trace = net.forward(x)
    # Check the targets once: the backward pass and the loss after reuse them.
    targets = net.targets(y, trace.x.shape[0], loss)
    grads = net.backward(trace, targets, loss, l2)
    grad_list = [g for layer in grads.layers for g in (layer.dW, layer.db)]
    params = flat_params(net.weights, net.biases)
    updates, new_state = compute_updates(optimizer, state, params, grad_list)
    new_params = list(map(np.add, params, updates))
    new_net = net.with_params(new_params[0::2], new_params[1::2])
    loss_after = new_net.loss(trace.x, targets, loss, l2) if compute_loss_after else None
    step_trace = StepTrace(
        forward=trace,
        grads=grads,
        updates=tuple(zip(updates[0::2], updates[1::2], strict=True)),
        loss_before=grads.loss,
        loss_after=loss_after,
    )
    if not apply:
        return StepResult(net, state, step_trace)
    return StepResult(new_net, new_state, step_trace)


def select_batch(
    n: int,
    batch_size: int,
    step: int,
    seed: int,
    *,
    sample: int | None = None,
    indices: ArrayLike | None = None,
) -> NDArray[np.intp]:
    """Indices of the training samples for update number `step` (0-based).

    By default, shuffled epochs: epoch e is a permutation of 0..n−1 drawn from (seed, e),
    cut into consecutive batches of `batch_size` (the last may be shorter); batch_size >= n
    is full-batch descent. `sample` picks one sample; `indices` an explicit batch.
    """
    if n < 1:
        raise InvalidInput(("dataset",), "the training set is empty")
    if sample is not None:
        if not 0 <= sample < n:
            raise InvalidInput(("sample",), f"sample = {sample} is out of range (0..{n - 1})")
        return np.array([sample], dtype=np.intp)
    if indices is not None:
        idx = np.asarray(indices)
        if idx.ndim != 1 or idx.size == 0 or not np.issubdtype(idx.dtype, np.integer):
            raise InvalidInput(("batch",), "batch must be a non-empty list of training indices")
        if idx.min() < 0 or idx.max() >= n:
            raise InvalidInput(("batch",), f"batch has indices outside 0..{n - 1}")
        return idx.astype(np.intp)
    if batch_size < 1:
        raise InvalidInput(("batch_size",), f"batch_size = {batch_size}; it must be at least 1")
    if batch_size >= n:
        return np.arange(n, dtype=np.intp)
    per_epoch = -(-n // batch_size)
    epoch, k = divmod(step, per_epoch)
    return epoch_order(n, seed, epoch)[k * batch_size : (k + 1) * batch_size].copy()


@functools.lru_cache(maxsize=64)
def epoch_order(n: int, seed: int, epoch: int) -> NDArray[np.intp]:
    """The shuffled order of 0..n−1 for one epoch, drawn from (seed, epoch); read-only.

    Cached: every batch of an epoch cuts the same permutation, and drawing it (a new
    Generator from a SeedSequence, then the shuffle) cost more than the rest of a small step's
    batch choice.
    """
    order = np.random.default_rng([seed, epoch]).permutation(n).astype(np.intp, copy=False)
    order.setflags(write=False)
    return order
