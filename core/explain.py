"""The chain rule for one weight, with real numbers: every factor, every partial sum, the total.

∂L/∂W(l)[i,j] = Σ_s H(l−1)[s,i] · dZ(l)[s,j], where
dZ(l)[s,j] = σ_l'(Z(l)[s,j]) · Σ_k W(l+1)[j,k] · dZ(l+1)[s,k], and dZ(L) = ∂L/∂O.
For a two-layer network the first layer's gradient is also given in the seed's form
Σ_l ∂L/∂o_l · W2_jl · σ'(z_j) · x_i, term by term.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.activations import ACTIVATIONS
from core.errors import InvalidInput
from core.mlp import MLP, ForwardTrace, Gradients


@dataclass(frozen=True)
class BackpropTerm:
    """W(l+1)[j,k] · dZ(l+1)[s,k]: how neuron j's error collects from neuron k above."""

    k: int
    w: float
    dz_next: float
    product: float


@dataclass(frozen=True)
class SampleTerm:
    """Sample s's share of the gradient: H(l−1)[s,i] · dZ(l)[s,j].

    For the output layer dz is ∂L/∂o_j itself and `sigma_prime`, `dh`, `backprop` are None.
    When layer l+1 is a skip layer (residual), `skip` is ∂L/∂H(l+1)[s,j], which the skip
    edge carries straight back: dh = Σ backprop + skip. Otherwise `skip` is None.
    """

    sample: int
    h_in: float
    z: float
    dz: float
    sigma_prime: float | None
    dh: float | None
    backprop: tuple[BackpropTerm, ...] | None
    product: float
    skip: float | None = None


@dataclass(frozen=True)
class SeedTerm:
    """One term ∂L/∂o_l · W2_jl · σ'(z_j) · x_i of the seed's two-layer formula."""

    sample: int
    l: int  # the seed's own name for the output index
    dL_do: float
    w2: float
    sigma_prime: float
    x_i: float
    product: float


@dataclass(frozen=True)
class Explanation:
    """The decomposition of ∂L/∂W(layer)[i, j]; `total` equals `dW` of the backward pass."""

    layer: int
    i: int
    j: int
    activation: str
    is_output: bool
    samples: tuple[SampleTerm, ...]
    data_gradient: float
    l2_term: float
    total: float
    dW: float
    seed_form: tuple[SeedTerm, ...] | None
    seed_total: float | None


def check_index(net: MLP, layer: int, i: int, j: int) -> None:
    count = len(net.weights)
    if not 0 <= layer < count:
        raise InvalidInput(
            ("layer",), f"layer = {layer} is out of range; this network has layers 0..{count - 1}"
        )
    n_in, n_out = net.weights[layer].shape
    if not 0 <= i < n_in:
        raise InvalidInput(("i",), f"i = {i} is out of range for layer {layer} (0..{n_in - 1})")
    if not 0 <= j < n_out:
        raise InvalidInput(("j",), f"j = {j} is out of range for layer {layer} (0..{n_out - 1})")


def explain(
    net: MLP,
    trace: ForwardTrace,
    grads: Gradients,
    layer: int,
    i: int,
    j: int,
    l2: float | None = None,
) -> Explanation:
    """Decompose ∂L/∂W(layer)[i, j] of the batch behind `trace` and `grads` (from net.backward).

    The L2 term uses the λ the gradients were computed with (`grads.l2`) unless `l2` is given.
    """
    check_index(net, layer, i, j)
    if l2 is None:
        l2 = grads.l2
    is_output = layer == len(net.weights) - 1
    h_in = trace.input_of(layer)[:, i]
    z = trace.layers[layer].z[:, j]
    dz = grads.layers[layer].dz[:, j]
    samples: list[SampleTerm] = []
    sigma_prime = None
    if not is_output:
        derivative = ACTIVATIONS[net.activations[layer]].derivative
        assert derivative is not None  # softmax is last-layer only (checked by MLP)
        sigma_prime = derivative(trace.layers[layer].z, trace.layers[layer].sigma)[:, j]
        w_next = net.weights[layer + 1][j, :]
        dz_next = grads.layers[layer + 1].dz
        dh_skip = grads.layers[layer + 1].dh[:, j] if net.skips[layer + 1] else None
    for s in range(trace.x.shape[0]):
        backprop = dh = sp = skip = None
        if sigma_prime is not None:
            backprop = tuple(
                BackpropTerm(
                    k, float(w_next[k]), float(dz_next[s, k]), float(w_next[k] * dz_next[s, k])
                )
                for k in range(w_next.shape[0])
            )
            skip = None if dh_skip is None else float(dh_skip[s])
            dh = float(sum(t.product for t in backprop) + (skip or 0.0))
            sp = float(sigma_prime[s])
        samples.append(
            SampleTerm(
                s,
                float(h_in[s]),
                float(z[s]),
                float(dz[s]),
                sp,
                dh,
                backprop,
                float(h_in[s] * dz[s]),
                skip,
            )
        )
    data_gradient = float(sum(t.product for t in samples))
    l2_term = float(l2 * net.weights[layer][i, j])
    seed_form = seed_total = None
    if len(net.weights) == 2 and layer == 0 and sigma_prime is not None:
        seed_form = _seed_terms(net, trace, grads, i, j, sigma_prime.tolist())
        seed_total = float(sum(t.product for t in seed_form))
    return Explanation(
        layer=layer,
        i=i,
        j=j,
        activation=net.activations[layer],
        is_output=is_output,
        samples=tuple(samples),
        data_gradient=data_gradient,
        l2_term=l2_term,
        total=data_gradient + l2_term,
        dW=float(grads.layers[layer].dW[i, j]),
        seed_form=seed_form,
        seed_total=seed_total,
    )


def _seed_terms(
    net: MLP, trace: ForwardTrace, grads: Gradients, i: int, j: int, sigma_prime: list[float]
) -> tuple[SeedTerm, ...]:
    d_out = grads.layers[1].dz  # ∂L/∂o, (n, p)
    w2 = net.weights[1]
    return tuple(
        SeedTerm(
            sample=s,
            l=out,
            dL_do=float(d_out[s, out]),
            w2=float(w2[j, out]),
            sigma_prime=sigma_prime[s],
            x_i=float(trace.x[s, i]),
            product=float(d_out[s, out] * w2[j, out] * sigma_prime[s] * trace.x[s, i]),
        )
        for s in range(trace.x.shape[0])
        for out in range(w2.shape[1])
    )
