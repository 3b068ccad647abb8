"""The multi-layer perceptron: forward propagation and backpropagation, as in the seed note.

Conventions (shared/DESIGN.md): X is (n, d), rows are samples; layer l has W (n_in, n_out)
and b (n_out,); Z(l) = H(l-1) W(l) + b(l), H(l) = σ_l(Z(l)), H(0) = X, O = Z(L).
With residual=True every hidden layer whose input and output widths are equal adds a skip
connection: H(l) = H(l-1) + σ_l(Z(l)). The output layer never skips.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal, get_args

import numpy as np
from numpy.typing import ArrayLike, DTypeLike, NDArray

from core.activations import ACTIVATIONS, Activation, Array
from core.errors import Field, InvalidInput, check_rectangular
from core.losses import LOSSES, Loss, one_hot, softmax_cross_entropy, value_and_grad

Init = Literal["xavier", "he", "uniform", "zeros"]
InitName = Init  # the earlier name of the same type
INITS: Final[tuple[Init, ...]] = get_args(Init)
DTYPES: Final = ("float64", "float32")


# slots=True on the records made every step: a frozen instance with slots is built in a
# third of the time, which counts for small networks.
@dataclass(frozen=True, slots=True)
class LayerTrace:
    """One weight layer's forward values, each (n, n_out): z = H_prev W + b and h = H(l).

    h = σ(z), or H_prev + σ(z) on a skip layer, whose σ(z) is then `a`; `a` is None
    where there is no skip (σ(z) is h itself). `sigma` is σ(z) either way.
    """

    z: Array
    h: Array
    a: Array | None = None

    @property
    def sigma(self) -> Array:
        """σ(z), the activation's own output (without the skip's H_prev)."""
        return self.h if self.a is None else self.a


@dataclass(frozen=True, slots=True)
class ForwardTrace:
    """Every value of a forward pass over a batch x (n, d)."""

    x: Array
    layers: tuple[LayerTrace, ...]
    softmax_output: bool

    @property
    def output(self) -> Array:
        """O = Z(L), the last layer before its activation (the logits for softmax)."""
        return self.layers[-1].z

    @property
    def probs(self) -> Array | None:
        """Softmax probabilities P = H(L) when the last activation is softmax, else None."""
        return self.layers[-1].h if self.softmax_output else None

    @property
    def predictions(self) -> NDArray[np.intp]:
        """The seed's one-hot inference: argmax of the output per sample, (n,)."""
        return np.argmax(self.layers[-1].z, axis=1)

    def input_of(self, layer: int) -> Array:
        """H(l-1), the input of weight layer `layer` (X for layer 0)."""
        return self.x if layer == 0 else self.layers[layer - 1].h


@dataclass(frozen=True, slots=True)
class LayerGrad:
    """One weight layer's gradients: dz = ∂L/∂Z (the delta), dh = ∂L/∂H, dW, db."""

    dz: Array
    dh: Array
    dW: Array
    db: Array


@dataclass(frozen=True, slots=True)
class Gradients:
    """Every gradient of a backward pass, and the loss it differentiates."""

    layers: tuple[LayerGrad, ...]
    loss: float
    data_loss: float
    l2: float = 0.0  # the L2 coefficient λ that `loss` and every dW include


def _as_float_array(value: ArrayLike, field: Field, dtype: np.dtype[Any]) -> Array:
    check_rectangular(value, field)
    try:
        arr = np.asarray(value, dtype=dtype)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(field, f"{_name(field)} must be an array of numbers ({exc})") from None
    return arr


def _name(field: Field) -> str:
    """("weights", 2) -> "weights[2]", as the messages write a field."""
    return str(field[0]) + "".join(f"[{k}]" for k in field[1:])


def _init_weight(
    init: Init, n_in: int, n_out: int, rng: np.random.Generator, dtype: np.dtype[Any]
) -> Array:
    if init == "xavier":  # Glorot uniform: keeps the variance of z and dz across layers.
        limit = np.sqrt(6.0 / (n_in + n_out))
        return rng.uniform(-limit, limit, (n_in, n_out)).astype(dtype)
    if init == "he":  # He normal: the variance-preserving choice for ReLU.
        return (rng.standard_normal((n_in, n_out)) * np.sqrt(2.0 / n_in)).astype(dtype)
    if init == "uniform":
        return rng.uniform(-0.5, 0.5, (n_in, n_out)).astype(dtype)
    if init == "zeros":
        return np.zeros((n_in, n_out), dtype=dtype)
    raise InvalidInput(("init",), f"unknown init '{init}'; choose one of {', '.join(INITS)}")


def check_architecture(sizes: Sequence[int], activations: Sequence[str]) -> None:
    """Raise InvalidInput unless `sizes` and `activations` describe a valid MLP.

    It checks names given as any strings (that is its job); the sizes' field is "layers",
    the API's name for a network's neuron counts.
    """
    if len(sizes) < 2:
        raise InvalidInput(
            ("layers",), f"layers needs at least 2 sizes (input and output); got {len(sizes)}"
        )
    for k, size in enumerate(sizes):
        if int(size) < 1:
            raise InvalidInput(
                ("layers", k), f"layers[{k}] = {size}; every layer needs at least 1 neuron"
            )
    if len(activations) != len(sizes) - 1:
        raise InvalidInput(
            ("activations",),
            f"activations has {len(activations)} entries; expected {len(sizes) - 1}, "
            "one per weight layer",
        )
    for k, name in enumerate(activations):
        if name not in ACTIVATIONS:
            raise InvalidInput(
                ("activations", k),
                f"activations[{k}] = '{name}' is unknown; choose one of {', '.join(ACTIVATIONS)}",
            )
        if name == "softmax" and k != len(activations) - 1:
            raise InvalidInput(
                ("activations", k),
                f"activations[{k}] = 'softmax' is allowed only in the last layer",
            )


def skip_layers(sizes: Sequence[int]) -> tuple[bool, ...]:
    """Per weight layer of a network of `sizes`: whether residual=True gives it a skip
    connection, that is, a hidden layer whose input and output widths are equal."""
    last = len(sizes) - 2
    return tuple(k < last and sizes[k] == sizes[k + 1] for k in range(len(sizes) - 1))


@dataclass(frozen=True, slots=True)
class Targets:
    """Targets checked once for one loss and batch size (from `MLP.targets`).

    `values`: class indices (n,) for cross-entropy, vectors (n, p) of the network's dtype for
    mse. `backward` and `loss` take them without checking again.
    """

    values: NDArray[np.generic]
    loss: Loss
    n: int


class MLP:
    """A multi-layer perceptron with explicit parameters.

    weights[l]: (n_in, n_out); biases[l]: (n_out,); activations[l]: a name in ACTIVATIONS.
    Every input check raises core.InvalidInput naming the field.
    """

    def __init__(
        self,
        weights: Sequence[ArrayLike],
        biases: Sequence[ArrayLike],
        activations: Sequence[Activation],
        *,
        dtype: DTypeLike = np.float64,
        residual: bool = False,
    ) -> None:
        dt: np.dtype[Any] = np.dtype(dtype)
        if dt.name not in DTYPES:
            raise InvalidInput(
                ("dtype",), f"dtype {dt.name} is not supported; choose one of {DTYPES}"
            )
        if len(weights) != len(biases):
            raise InvalidInput(
                ("biases",), f"{len(weights)} weight matrices but {len(biases)} bias vectors"
            )
        if len(weights) < 1:
            raise InvalidInput(("weights",), "an MLP needs at least one weight layer")
        ws = [_as_float_array(w, ("weights", k), dt) for k, w in enumerate(weights)]
        bs = [_as_float_array(b, ("biases", k), dt) for k, b in enumerate(biases)]
        for k, w in enumerate(ws):
            if w.ndim != 2:
                raise InvalidInput(
                    ("weights", k), f"weights[{k}] has shape {w.shape}; expected (n_in, n_out)"
                )
            if k > 0 and w.shape[0] != ws[k - 1].shape[1]:
                raise InvalidInput(
                    ("weights", k),
                    f"weights[{k}] has shape {w.shape}; expected ({ws[k - 1].shape[1]}, n_out) "
                    f"to follow weights[{k - 1}] {ws[k - 1].shape}",
                )
            if bs[k].shape != (w.shape[1],):
                raise InvalidInput(
                    ("biases", k), f"biases[{k}] has shape {bs[k].shape}; expected ({w.shape[1]},)"
                )
        sizes = [ws[0].shape[0], *(w.shape[1] for w in ws)]
        check_architecture(sizes, activations)
        self.weights: list[Array] = ws
        self.biases: list[Array] = bs
        self.activations: list[Activation] = list(activations)
        self.dtype: np.dtype[Any] = dt
        self.residual: bool = bool(residual)

    @classmethod
    def init(
        cls,
        sizes: Sequence[int],
        activations: Sequence[Activation],
        *,
        init: Init = "xavier",
        seed: int | np.random.Generator = 0,
        dtype: DTypeLike = np.float64,
        residual: bool = False,
    ) -> MLP:
        """A new network with `sizes` = [d, n_1, ..., p]; biases start at zero."""
        check_architecture(sizes, activations)
        if init not in INITS:
            raise InvalidInput(
                ("init",), f"unknown init '{init}'; choose one of {', '.join(INITS)}"
            )
        dt: np.dtype[Any] = np.dtype(dtype)
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        pairs = list(itertools.pairwise(sizes))
        weights = [_init_weight(init, int(i), int(o), rng, dt) for i, o in pairs]
        biases = [np.zeros(int(o), dtype=dt) for o in sizes[1:]]
        return cls(weights, biases, activations, dtype=dt, residual=residual)

    @property
    def sizes(self) -> list[int]:
        """[d, n_1, ..., p]: neurons per layer, input first."""
        return [self.weights[0].shape[0], *(w.shape[1] for w in self.weights)]

    @property
    def n_params(self) -> int:
        """Number of weights and biases."""
        return sum(w.size + b.size for w, b in zip(self.weights, self.biases, strict=True))

    def with_params(self, weights: Sequence[ArrayLike], biases: Sequence[ArrayLike]) -> MLP:
        """The same architecture with other parameters.

        Arrays of exactly this network's shapes and dtype are taken as they are (a training
        step's new parameters); anything else goes through the full validation of MLP().
        """
        if _same_layout(weights, self.weights) and _same_layout(biases, self.biases):
            new = object.__new__(MLP)  # the arrays are checked: no need for MLP()'s checks
            new.weights, new.biases = list(weights), list(biases)  # type: ignore[arg-type]
            new.activations, new.dtype = self.activations, self.dtype
            new.residual = self.residual
            return new
        return MLP(weights, biases, self.activations, dtype=self.dtype, residual=self.residual)

    @property
    def skips(self) -> tuple[bool, ...]:
        """Per weight layer: whether it adds a skip connection, H(l) = H(l−1) + σ(Z(l)).

        True for every hidden layer of a residual network whose input and output widths are
        equal; never for the output layer.
        """
        eligible = skip_layers(self.sizes)
        return eligible if self.residual else (False,) * len(eligible)

    def copy(self) -> MLP:
        """A deep copy: its arrays can be changed without touching this network."""
        return self.with_params([w.copy() for w in self.weights], [b.copy() for b in self.biases])

    def check_x(self, x: ArrayLike) -> Array:
        """x as an (n, d) array of this network's dtype, or InvalidInput naming the shape."""
        arr = x if type(x) is np.ndarray and x.dtype == self.dtype else None
        if arr is None:
            arr = _as_float_array(x, ("x",), self.dtype)
        d = self.weights[0].shape[0]
        if arr.ndim != 2 or arr.shape[1] != d or arr.shape[0] < 1:
            raise InvalidInput(("x",), f"x has shape {arr.shape}; expected (n, {d}) with n >= 1")
        if not _all_finite(arr):
            raise InvalidInput(("x",), "x contains NaN or infinity")
        return arr

    def check_y(self, y: ArrayLike, n: int, loss: Loss) -> NDArray[np.generic]:
        """Targets for `loss` on n samples: class indices (n,) for cross-entropy, vectors
        (n, p) for mse, which takes class indices (n,) of integers as their one-hot vectors
        (one output neuron per class)."""
        if loss not in LOSSES:
            raise InvalidInput(
                ("loss",), f"loss '{loss}' is unknown; choose one of {', '.join(LOSSES)}"
            )
        p = self.weights[-1].shape[1]
        if LOSSES[loss].targets == "classes":
            if self.activations[-1] != "softmax":
                raise InvalidInput(
                    ("loss",),
                    "loss 'cross_entropy' needs a softmax output layer; "
                    f"the last activation is '{self.activations[-1]}'",
                )
            arr = np.asarray(y)
            if arr.shape != (n,) or not (arr.size == 0 or arr.dtype.kind in "iu"):
                raise InvalidInput(
                    ("y",), f"y has shape {arr.shape}; expected ({n},) class indices"
                )
            if arr.size and (np.minimum.reduce(arr) < 0 or np.maximum.reduce(arr) >= p):
                raise InvalidInput(("y",), f"y has class indices outside 0..{p - 1}")
            return arr.astype(np.intp, copy=False)
        vector = y if isinstance(y, np.ndarray) else _as_array(y)
        if vector is not None and vector.shape == (n,) and vector.dtype.kind in "iu":
            # Class indices for a vector loss (mse on a classification dataset): their one-hot
            # vectors, one output neuron per class.
            if vector.size and (np.minimum.reduce(vector) < 0 or np.maximum.reduce(vector) >= p):
                raise InvalidInput(
                    ("y",), f"y has class indices outside 0..{p - 1} ({p} output neurons)"
                )
            return one_hot(vector, p, self.dtype)
        vec = _as_float_array(y if vector is None else vector, ("y",), self.dtype)
        if vec.shape != (n, p):
            raise InvalidInput(
                ("y",),
                f"y has shape {vec.shape}; expected ({n}, {p}) target vectors "
                f"or ({n},) class indices",
            )
        if not _all_finite(vec):
            raise InvalidInput(("y",), "y contains NaN or infinity")
        return vec

    def targets(self, y: ArrayLike | Targets, n: int, loss: Loss) -> Targets:
        """`y` checked once for `loss` on n samples, for `backward` and `loss` to reuse."""
        if isinstance(y, Targets) and y.loss == loss and y.n == n:
            return y
        if isinstance(y, Targets):
            y = y.values
        return Targets(self.check_y(y, n, loss), loss, n)

    def forward(self, x: ArrayLike) -> ForwardTrace:
        """Forward propagation of x (n, d): every layer's z and h."""
        h = x_arr = self.check_x(x)
        skips = self.skips if self.residual else None
        layers: list[LayerTrace] = []
        for w, b, name in zip(self.weights, self.biases, self.activations, strict=True):
            z = h @ w
            z += b
            a = ACTIVATIONS[name].forward(z)
            if skips is not None and skips[len(layers)]:
                h = h + a
                layers.append(LayerTrace(z, h, a))
            else:
                h = a
                layers.append(LayerTrace(z, h))
        return ForwardTrace(x_arr, tuple(layers), self.activations[-1] == "softmax")

    def l2_penalty(self, l2: float) -> float:
        """(λ/2) Σ‖W‖² over weight matrices (biases are not regularised)."""
        if not l2:
            return 0.0
        return 0.5 * l2 * float(sum(np.einsum("ij,ij->", w, w) for w in self.weights))

    def loss(
        self,
        x: ArrayLike,
        y: ArrayLike | Targets,
        loss: Loss = "cross_entropy",
        l2: float = 0.0,
    ) -> float:
        """The loss of the batch (x, y), including the L2 penalty."""
        trace = self.forward(x)
        y_arr = self.targets(y, trace.x.shape[0], loss).values
        last = trace.layers[-1]
        return LOSSES[loss].value(last.z, last.h, y_arr) + self.l2_penalty(l2)

    def backward(
        self,
        trace: ForwardTrace,
        y: ArrayLike | Targets,
        loss: Loss = "cross_entropy",
        l2: float = 0.0,
    ) -> Gradients:
        """Backpropagation: every layer's dz, dh, dW, db, from the output back to the input."""
        n = trace.x.shape[0]
        y_arr = self.targets(y, n, loss).values
        layers = trace.layers
        last = layers[-1]
        if loss == "cross_entropy":  # check_y made sure the output is softmax
            # Fused softmax + cross-entropy: ∂L/∂O = (P − Y)/n, exact and cheap.
            data_loss, dh, dz = softmax_cross_entropy(last.z, last.h, y_arr)
        else:
            data_loss, dh = value_and_grad(loss, last.z, last.h, y_arr)
            dz = ACTIVATIONS[self.activations[-1]].backward(last.z, last.h, dh)
        grads: list[LayerGrad] = []
        weights, activations = self.weights, self.activations
        skips = self.skips if self.residual else None
        for layer in range(len(weights) - 1, -1, -1):
            w = weights[layer]
            below = layers[layer - 1] if layer else None
            dw = np.matmul((below.h if below is not None else trace.x).T, dz)
            if l2:
                dw += l2 * w
            grads.append(LayerGrad(dz, dh, dw, np.add.reduce(dz, axis=0)))
            if below is not None:
                dh_next = np.matmul(dz, w.T)
                if skips is not None and skips[layer]:
                    dh_next += dh  # the skip path: ∂L/∂H(l−1) gets ∂L/∂H(l) directly
                dh = dh_next
                sigma = below.h if below.a is None else below.a
                dz = ACTIVATIONS[activations[layer - 1]].backward(below.z, sigma, dh)
        grads.reverse()
        return Gradients(tuple(grads), data_loss + self.l2_penalty(l2), data_loss, l2)


def _as_array(value: ArrayLike) -> NDArray[Any] | None:
    """`value` as an array, or None when it is no array (ragged, not numbers)."""
    try:
        return np.asarray(value)
    except (TypeError, ValueError):
        return None


def _same_layout(arrays: Sequence[ArrayLike], like: Sequence[Array]) -> bool:
    """True when `arrays` are ndarrays of exactly the shapes and dtypes of `like`."""
    if len(arrays) != len(like):
        return False
    for a, b in zip(arrays, like, strict=True):
        if type(a) is not np.ndarray or a.shape != b.shape or a.dtype != b.dtype:
            return False
    return True


def _all_finite(a: Array) -> bool:
    """No NaN or infinity in `a`: its sum is finite (one read, no temporary), or, when the sum
    overflowed or `a` is not float, the elementwise check says so."""
    if a.dtype.kind == "f" and math.isfinite(np.add.reduce(a, axis=None)):
        return True
    return bool(np.isfinite(a).all())


def accuracy(predictions: NDArray[np.integer], y: NDArray[np.generic]) -> float | None:
    """Share of samples whose predicted class equals the target; None for no samples."""
    if predictions.shape[0] == 0:
        return None
    # count / n: the value np.mean gives (an exact count, one rounding), without its overhead.
    return int(np.count_nonzero(predictions == y)) / predictions.shape[0]
