"""The chain rule as a sum over paths: ∂L/∂W(l)[i,j] expanded path by path, to the outputs.

Every path starts at neuron j of layer l and ends at an output o_k. From H(m−1)_r it steps
either along a weight, W(m)[r,k] then σ_m'(z_k), to H(m)_k, or (in a residual network, on a
skip layer m) along the skip edge, factor 1, to H(m)_r; the last step is W(L)[r,k] to o_k,
where ∂L/∂o_k ends it. A path's value for sample s is the product of its factors times
H(l−1)[s,i] · σ_l'(z_j); summed over the samples and over every path it is ∂L/∂W(l)[i,j]
without the L2 term: the same number backprop's δ recursion computes, which groups the
paths by the node they pass and so does linear work where the paths are exponential.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

from core.activations import ACTIVATIONS, Array
from core.errors import InvalidInput
from core.explain import check_index
from core.mlp import MLP, ForwardTrace, Gradients

DEFAULT_MAX_PATHS = 1000


@dataclass(frozen=True)
class Path:
    """One path from neuron j of layer l to output `neurons[-1]`.

    neurons: the neuron it passes in layers l, l+1, …, L (j first, the output k last);
    skips: per step (layers l+1 … L), True where it takes the skip edge (no W, no σ′);
    weights: per step, the weight W(m)[r,k] it multiplies by (1.0 on a skip edge);
    samples: its value per sample; value: their sum, its share of ∂L/∂W(l)[i,j].
    """

    neurons: tuple[int, ...]
    skips: tuple[bool, ...]
    weights: tuple[float, ...]
    samples: tuple[float, ...]
    value: float


@dataclass(frozen=True)
class PathExpansion:
    """∂L/∂W(layer)[i,j] as a sum over paths; `total` equals `dW` of the backward pass.

    `count` is the number of paths (a Python int: past 2**64 for wide, deep networks, so
    JSON must carry it as a string or a float). `paths` lists at most max_paths of them,
    the largest by |value| found; `rest` is the exact sum of all the others (`rest_count`
    paths), each group of them summed through backprop's ∂L/∂H where it was set aside.
    `multiplications` counts the products each way over the batch: every path's own
    (`paths`) against the δ recursion from the outputs down to layer l (`backprop`).
    """

    layer: int
    i: int
    j: int
    count: int
    paths: tuple[Path, ...]
    rest: float
    rest_count: int
    data_gradient: float
    l2_term: float
    total: float
    dW: float
    multiplications: dict[str, int]


def explain_paths(
    net: MLP,
    trace: ForwardTrace,
    grads: Gradients,
    layer: int,
    i: int,
    j: int,
    *,
    max_paths: int = DEFAULT_MAX_PATHS,
) -> PathExpansion:
    """Expand ∂L/∂W(layer)[i,j] of the batch behind `trace` and `grads` into its paths."""
    check_index(net, layer, i, j)
    if isinstance(max_paths, bool) or not isinstance(max_paths, int) or max_paths < 1:
        raise InvalidInput(("max_paths",), f"max_paths = {max_paths}; it must be at least 1")
    last = len(net.weights) - 1
    skips = net.skips
    sizes = net.sizes
    n = trace.x.shape[0]
    d_out = grads.layers[last].dz  # ∂L/∂O, (n, p)
    h_in = trace.input_of(layer)[:, i]
    # Branches out of each layer m > l: its neurons, plus the skip edge on a skip layer.
    branches = [sizes[m + 1] + int(skips[m]) for m in range(len(net.weights))]
    below = [math.prod(branches[m + 1 :]) for m in range(len(net.weights))]  # paths after m
    count = below[layer]

    if layer == last:
        # The output layer: one path, the empty one from o_j, its value h_in · ∂L/∂o_j.
        prefix = (h_in * d_out[:, j])[None, :]
    else:
        prefix = (h_in * _sigma_prime(net, trace, layer)[:, j])[None, :]
    states: list[tuple[tuple[int, ...], tuple[bool, ...], tuple[float, ...]]] = [((j,), (), ())]
    ends = np.array([j])
    rest, rest_count = 0.0, 0
    for m in range(layer + 1, last + 1):
        w_out = net.weights[m][ends]  # (B, width): W(m)[r, k] from each path's node r
        width = w_out.shape[1]
        # A weight step multiplies by W(m)[r,k] and σ_m'(z_k), or by ∂L/∂o_k on the output.
        local = d_out if m == last else _sigma_prime(net, trace, m)
        # What all completions of each new partial path add up to: its prefix times ∂L/∂H(m)
        # at its node (on the output layer, the finished path's value itself).
        ahead = local if m == last else local * grads.layers[m].dh
        totals = ((prefix @ ahead) * w_out).reshape(-1)
        if skips[m]:  # the skip edge: H(m−1)_r straight to H(m)_r, factor 1
            dh = grads.layers[m].dh[:, ends]
            totals = np.concatenate([totals, np.einsum("bs,sb->b", prefix, dh)])
        if totals.size > max_paths:
            order = np.argsort(-np.abs(totals), kind="stable")
            keep, drop = np.sort(order[:max_paths]), order[max_paths:]
            rest += float(totals[drop].sum())
            rest_count += int(drop.size) * below[m]
        else:
            keep = np.arange(totals.size)
        weight_steps = width * len(states)
        new_states, rows, new_ends = [], [], []
        for c in keep.tolist():
            if c < weight_steps:
                b, k = divmod(c, width)
                wk = float(w_out[b, k])
                rows.append(prefix[b] * wk * local[:, k])
                node, skip = k, False
            else:
                b = c - weight_steps
                wk, node, skip = 1.0, int(ends[b]), True
                rows.append(prefix[b])
            neurons, flags, ws = states[b]
            new_states.append(((*neurons, node), (*flags, skip), (*ws, wk)))
            new_ends.append(node)
        states, prefix, ends = new_states, np.array(rows), np.array(new_ends)
    values = prefix.sum(axis=1)
    order = np.argsort(-np.abs(values), kind="stable")
    paths = tuple(
        Path(
            neurons=states[c][0],
            skips=states[c][1],
            weights=states[c][2],
            samples=tuple(prefix[c].tolist()),
            value=float(values[c]),
        )
        for c in order.tolist()
    )
    data_gradient = float(values.sum()) + rest
    l2_term = float(grads.l2 * net.weights[layer][i, j])
    dw = float(grads.layers[layer].dW[i, j])
    mults = _multiplications(sizes, skips, layer, n)
    total = data_gradient + l2_term
    return PathExpansion(
        layer, i, j, count, paths, rest, rest_count, data_gradient, l2_term, total, dw, mults
    )


@dataclass(frozen=True)
class PathFactor:
    """One factor of a path's product: which local derivative, where, and its value.

    kind: "h_in" (H(l−1)[s,i], where the weight's input enters), "sigma_prime" (σ_m′(z_k)),
    "W" (W(m)[r,k], one step along a weight), "skip" (1, one step along a skip edge) or
    "dL_do" (∂L/∂o_k, where the path ends). `layer` is the weight layer m it belongs to and
    `index` the neuron(s): (i,) or (k,), (r, k) for a weight, (r,) for a skip edge. A weight
    and a skip edge are one number (`value`); the others vary by sample (`samples`).
    """

    kind: Literal["h_in", "sigma_prime", "W", "skip", "dL_do"]
    layer: int
    index: tuple[int, ...]
    value: float | None
    samples: tuple[float, ...] | None


def path_factors(
    net: MLP, trace: ForwardTrace, grads: Gradients, layer: int, i: int, path: Path
) -> tuple[PathFactor, ...]:
    """The factors of `path` (from explain_paths for W(layer)[i, ·]) in order: per sample
    their product is `path.samples`."""
    last = len(net.weights) - 1
    d_out = grads.layers[last].dz

    def per_sample(values: Array) -> tuple[float, ...]:
        return tuple(float(v) for v in values)

    def end_or_sigma(m: int, k: int) -> PathFactor:
        if m == last:
            return PathFactor("dL_do", m, (k,), None, per_sample(d_out[:, k]))
        return PathFactor(
            "sigma_prime", m, (k,), None, per_sample(_sigma_prime(net, trace, m)[:, k])
        )

    j = path.neurons[0]
    factors = [
        PathFactor("h_in", layer, (i,), None, per_sample(trace.input_of(layer)[:, i])),
        end_or_sigma(layer, j),
    ]
    for step, (skip, k) in enumerate(zip(path.skips, path.neurons[1:], strict=True)):
        m, r = layer + 1 + step, path.neurons[step]
        if skip:
            factors.append(PathFactor("skip", m, (r,), 1.0, None))
        else:
            factors.append(PathFactor("W", m, (r, k), float(net.weights[m][r, k]), None))
            factors.append(end_or_sigma(m, k))
    return tuple(factors)


def _sigma_prime(net: MLP, trace: ForwardTrace, m: int) -> Array:
    derivative = ACTIVATIONS[net.activations[m]].derivative
    if derivative is None:  # softmax: only ever the output layer, whose paths end at o_k
        raise InvalidInput(("activations", m), "softmax has no elementwise derivative")
    return derivative(trace.layers[m].z, trace.layers[m].sigma)


def _multiplications(
    sizes: list[int], skips: tuple[bool, ...], layer: int, n: int
) -> dict[str, int]:
    """Products over the batch: along every path, and in the δ recursion down to `layer`."""
    last = len(sizes) - 2
    # paths: each path's factors are H(l−1)_i, σ_l′ (or ∂L/∂o on the output layer), then two
    # per weight step (W and σ′, or W and ∂L/∂o) and none per skip step; factors − 1 products.
    count, factors = 1, 2
    for m in range(layer + 1, last + 1):
        width, branch = sizes[m + 1], sizes[m + 1] + int(skips[m])
        count, factors = count * branch, factors * branch + count * width * 2
    along_paths = n * (factors - count)
    # backprop: dh(m) = dZ(m+1) W(m+1)ᵀ and dZ(m) = σ′ ⊙ dh(m) for m = L−1 … l, then the
    # weight's own Σ_s H(l−1)[s,i] dZ(l)[s,j].
    recursion = sum(n * sizes[m + 2] * sizes[m + 1] + n * sizes[m + 1] for m in range(layer, last))
    return {"paths": along_paths, "backprop": recursion + n}
