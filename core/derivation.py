"""The lecture note's derivation of ∂L/∂W(1)[i,j] for a two-layer network, with real numbers.

For one sample of the batch, step by step as the note writes it:

    ∂L/∂W(1)ij = Σ_{l,r,k} ∂L/∂o_l · ∂o_l/∂h_r · ∂h_r/∂z_k · ∂z_k/∂W(1)ij
    ∂o_l/∂h_r = W(2)_rl,   ∂h_r/∂z_k = σ′(z_k) δ_rk,   ∂z_k/∂W(1)ij = x_i δ_jk

The Kronecker deltas keep only r = k = j, which leaves Σ_l ∂L/∂o_l W(2)_jl σ′(z_j) x_i. With a
softmax output, ∂L/∂o_l itself comes from ∂L/∂p_k through ∂p_k/∂o_l = p_k (δ_kl − p_l); for
cross-entropy, whose ∂L/∂p_k = −y_k / (n p_k), that sum is (p_l − y_l) / n.
(In the note's column convention W(2)_rl is the weight from h_r to o_l: here W[1][r, l].)
"""

from __future__ import annotations

from dataclasses import dataclass

from numpy.typing import ArrayLike

from core.activations import ACTIVATIONS
from core.errors import InvalidInput
from core.explain import check_index
from core.losses import Loss
from core.mlp import MLP, ForwardTrace, Gradients

DEFAULT_MAX_TERMS = 4096


@dataclass(frozen=True)
class SoftmaxTerm:
    """∂L/∂p_k · ∂p_k/∂o_l with ∂p_k/∂o_l = p_k (δ_kl − p_l); `vanishes` where ∂L/∂p_k = 0."""

    k: int
    dL_dp: float
    p_k: float
    delta: int
    dp_do: float
    product: float
    vanishes: bool


@dataclass(frozen=True)
class OutputStep:
    """∂L/∂o_l = Σ_k ∂L/∂p_k ∂p_k/∂o_l through the softmax.

    `p_minus_y` is the closed form (p_l − y_l)/n for cross-entropy (None for another loss);
    `backprop` is backprop's own ∂L/∂O[s, l].
    """

    l: int
    p_l: float
    terms: tuple[SoftmaxTerm, ...]
    total: float
    p_minus_y: float | None
    backprop: float


@dataclass(frozen=True)
class ChainTerm:
    """One (l, r, k) term ∂L/∂o_l · ∂o_l/∂h_r · ∂h_r/∂z_k · ∂z_k/∂W(1)ij of the note's sum.

    do_dh = W(2)_rl; dh_dz = σ′(z_k) δ_rk; dz_dW = x_i δ_jk. `kept` where r = k = j: every
    other term is zero, because one of its Kronecker deltas is.
    """

    l: int
    r: int
    k: int
    dL_do: float
    do_dh: float
    dh_dz: float
    dz_dW: float
    product: float
    kept: bool


@dataclass(frozen=True)
class Derivation:
    """The note's derivation for W(1)[i, j] and one sample, ending at backprop's number.

    `total` = Σ terms = Σ kept = Σ_l ∂L/∂o_l W(2)_jl σ′(z_j) x_i, and `backprop` is
    x_i · dZ(1)[s, j], the sample's share of dW(1)[i, j] (over a batch of one sample, dW
    itself without its L2 term).
    """

    sample: int
    i: int
    j: int
    activation: str
    x_i: float
    z_j: float
    sigma_prime: float
    softmax: tuple[OutputStep, ...] | None
    dL_do: tuple[float, ...]
    terms: tuple[ChainTerm, ...]
    kept: tuple[ChainTerm, ...]
    total: float
    backprop: float


def note_derivation(
    net: MLP,
    trace: ForwardTrace,
    grads: Gradients,
    y: ArrayLike,
    i: int,
    j: int,
    *,
    sample: int = 0,
    loss: Loss = "cross_entropy",
    max_terms: int = DEFAULT_MAX_TERMS,
) -> Derivation:
    """Walk the note's chain rule for W(1)[i, j] (weights[0][i, j]) with sample `sample`'s
    numbers; `trace`, `grads` and the targets `y` are those of net.backward."""
    if len(net.weights) != 2:
        raise InvalidInput(
            ("layers",),
            "the note's derivation is for two weight layers (one hidden layer); "
            f"this network has {len(net.weights)}",
        )
    check_index(net, 0, i, j)
    n = trace.x.shape[0]
    if isinstance(sample, bool) or not isinstance(sample, int) or not 0 <= sample < n:
        raise InvalidInput(("sample",), f"sample = {sample} is out of range (0..{n - 1})")
    hidden, outputs = net.weights[1].shape
    if outputs * hidden * hidden > max_terms:
        raise InvalidInput(
            ("max_terms",),
            f"the sum over l, r, k has {outputs * hidden * hidden} terms, past "
            f"max_terms = {max_terms}",
        )
    targets = net.targets(y, n, loss).values
    s = sample
    hidden_layer, out_layer = trace.layers
    derivative = ACTIVATIONS[net.activations[0]].derivative
    if derivative is None:  # pragma: no cover - softmax is output-only (checked by MLP)
        raise InvalidInput(("activations", 0), "softmax is allowed only in the last layer")
    sigma_prime = derivative(hidden_layer.z[s : s + 1], hidden_layer.sigma[s : s + 1])[0]
    d_out = grads.layers[1].dz[s]
    softmax = None
    if net.activations[1] == "softmax":
        p = out_layer.h[s]
        dL_dp = grads.layers[1].dh[s]  # −y_k / (n p_k) for cross-entropy
        steps = []
        for l_ in range(outputs):
            terms = tuple(
                SoftmaxTerm(
                    k,
                    float(dL_dp[k]),
                    float(p[k]),
                    int(k == l_),
                    float(p[k] * ((k == l_) - p[l_])),
                    float(dL_dp[k] * p[k] * ((k == l_) - p[l_])),
                    bool(dL_dp[k] == 0.0),
                )
                for k in range(outputs)
            )
            closed = None
            if loss == "cross_entropy":
                closed = float((p[l_] - (int(targets[s]) == l_)) / n)
            steps.append(
                OutputStep(
                    l_,
                    float(p[l_]),
                    terms,
                    float(sum(t.product for t in terms)),
                    closed,
                    float(d_out[l_]),
                )
            )
        softmax = tuple(steps)
    w2, x_i = net.weights[1], float(trace.x[s, i])
    chain = []
    for l_ in range(outputs):
        for r in range(hidden):
            for k in range(hidden):
                dh_dz = float(sigma_prime[k]) * (r == k)
                dz_dw = x_i * (j == k)
                product = float(d_out[l_]) * float(w2[r, l_]) * dh_dz * dz_dw
                kept = r == k == j
                chain.append(
                    ChainTerm(
                        l_, r, k, float(d_out[l_]), float(w2[r, l_]), dh_dz, dz_dw, product, kept
                    )
                )
    kept_terms = tuple(t for t in chain if t.kept)
    return Derivation(
        sample=s,
        i=i,
        j=j,
        activation=net.activations[0],
        x_i=x_i,
        z_j=float(hidden_layer.z[s, j]),
        sigma_prime=float(sigma_prime[j]),
        softmax=softmax,
        dL_do=tuple(float(v) for v in d_out),
        terms=tuple(chain),
        kept=kept_terms,
        total=float(sum(t.product for t in kept_terms)),
        backprop=float(x_i * grads.layers[0].dz[s, j]),
    )
