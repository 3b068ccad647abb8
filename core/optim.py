"""Optimizers with explicit state: SGD (momentum, Nesterov) and Adam.

Parameters and gradients travel as one flat list in the order [W0, b0, W1, b1, ...]; the
state is a step counter and named buffers in that same order, so it serialises as arrays.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final, Literal, get_args

import numpy as np

from core.activations import Array

OptimizerName = Literal["sgd", "adam"]
OPTIMIZERS: Final[tuple[OptimizerName, ...]] = get_args(OptimizerName)

# The one place for the optimizers' default hyper-parameters: SGD and Adam below, the API's
# schemas and the page's menus all read them from here.
OPTIMIZER_DEFAULTS: Final[Mapping[str, Mapping[str, float]]] = MappingProxyType(
    {
        "sgd": MappingProxyType({"learning_rate": 0.1, "momentum": 0.0}),
        "adam": MappingProxyType(
            {"learning_rate": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
        ),
    }
)
_SGD: Final = OPTIMIZER_DEFAULTS["sgd"]
_ADAM: Final = OPTIMIZER_DEFAULTS["adam"]


@dataclass(frozen=True)
class SGD:
    """θ ← θ − lr·g; with momentum μ: v ← μv + g, θ ← θ − lr·v (Nesterov: θ − lr·(g + μv))."""

    learning_rate: float = _SGD["learning_rate"]
    momentum: float = _SGD["momentum"]
    nesterov: bool = False
    name: Literal["sgd"] = field(default="sgd", init=False)

    def buffer_names(self) -> tuple[str, ...]:
        return ("velocity",) if self.momentum else ()


@dataclass(frozen=True)
class Adam:
    """Adam (Kingma & Ba): bias-corrected first and second moment estimates."""

    learning_rate: float = _ADAM["learning_rate"]
    beta1: float = _ADAM["beta1"]
    beta2: float = _ADAM["beta2"]
    eps: float = _ADAM["eps"]
    name: Literal["adam"] = field(default="adam", init=False)

    def buffer_names(self) -> tuple[str, ...]:
        return ("m", "v")


Optimizer = SGD | Adam


@dataclass(frozen=True, slots=True)  # slots: one is made every step, and builds faster
class OptimizerState:
    """t: updates applied so far; buffers: name -> one array per parameter, in param order."""

    t: int = 0
    buffers: dict[str, list[Array]] = field(default_factory=dict)


def flat_params(weights: Sequence[Array], biases: Sequence[Array]) -> list[Array]:
    """[W0, b0, W1, b1, ...]: the parameter order used by optimizers and their state."""
    return [p for pair in zip(weights, biases, strict=True) for p in pair]


def init_state(optimizer: Optimizer, params: Sequence[Array]) -> OptimizerState:
    """A fresh state (zero buffers) for `params`."""
    return OptimizerState(
        0, {k: [np.zeros_like(p) for p in params] for k in optimizer.buffer_names()}
    )


def _buffers(
    optimizer: Optimizer, state: OptimizerState, params: Sequence[Array]
) -> OptimizerState:
    # A state whose buffers do not fit (another optimizer, momentum switched on) starts afresh
    # for the missing buffers only, so changing a hyper-parameter never resets training.
    missing = [k for k in optimizer.buffer_names() if k not in state.buffers]
    if not missing:
        return state
    fresh = {k: [np.zeros_like(p) for p in params] for k in missing}
    return OptimizerState(state.t, {**state.buffers, **fresh})


def compute_updates(
    optimizer: Optimizer, state: OptimizerState, params: Sequence[Array], grads: Sequence[Array]
) -> tuple[list[Array], OptimizerState]:
    """The additive updates Δθ (θ_new = θ + Δθ) and the next state; inputs are not changed."""
    state = _buffers(optimizer, state, params)
    t = state.t + 1
    lr = optimizer.learning_rate
    if isinstance(optimizer, SGD):
        if not optimizer.momentum:
            step = -lr  # np.multiply(g, −lr): the numbers of −lr·g, without the operator's detour
            return [np.multiply(g, step) for g in grads], OptimizerState(t, state.buffers)
        mu = optimizer.momentum
        velocity = [mu * v + g for v, g in zip(state.buffers["velocity"], grads, strict=True)]
        if optimizer.nesterov:
            updates = [-lr * (g + mu * v) for g, v in zip(grads, velocity, strict=True)]
        else:
            updates = [-lr * v for v in velocity]
        return updates, OptimizerState(t, {**state.buffers, "velocity": velocity})
    b1, b2 = optimizer.beta1, optimizer.beta2
    m = [b1 * m0 + (1 - b1) * g for m0, g in zip(state.buffers["m"], grads, strict=True)]
    v = [b2 * v0 + (1 - b2) * (g * g) for v0, g in zip(state.buffers["v"], grads, strict=True)]
    # Bias correction folded into the step size, as in the paper's efficient form.
    # Python floats, not NumPy scalars, so float32 parameters stay float32.
    step = float(lr * np.sqrt(1 - b2**t) / (1 - b1**t))
    eps = float(optimizer.eps * np.sqrt(1 - b2**t))
    updates = [-step * mk / (np.sqrt(vk) + eps) for mk, vk in zip(m, v, strict=True)]
    return updates, OptimizerState(t, {**state.buffers, "m": m, "v": v})
