"""The chain rule for one weight expanded two more ways (explain's form=paths and form=note):
the sum over every path to the outputs, and the lecture note's derivation with its Kronecker
deltas. Both end at the same number as dW."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

import core
from app.domain.errors import ConflictError, DivergedError
from app.domain.limits import check_limit
from app.domain.training import all_finite
from app.settings import Limits

EXACT = 2**53  # integers below this are exact as JSON numbers


@dataclass(frozen=True)
class Weight:
    """W(layer)[i, j] of `net`, and the pass explained: its trace and gradients on `batch`
    (training indices, one per row)."""

    net: core.MLP
    trace: core.ForwardTrace
    grads: core.Gradients
    batch: np.ndarray
    layer: int
    i: int
    j: int


def count(value: int) -> dict[str, Any]:
    """A count that may pass 2^53 (paths grow exponentially): as a number and in digits."""
    return {"value": float(value), "exact": str(value)}


def paths(w: Weight, max_paths: int | None, limits: Limits) -> dict[str, Any]:
    """core.explain_paths for the weight, each listed path with its factors.

    At most `max_paths` paths are listed (default and bound: BACKPROP_LENS_MAX_PATHS); each
    carries a number per batch row and factor, which BACKPROP_LENS_MAX_EXPLAIN_TERMS bounds.
    """
    net, trace, grads, batch, layer, i, j = w.net, w.trace, w.grads, w.batch, w.layer, w.i, w.j
    if max_paths is None:
        max_paths = limits.max_paths
    check_limit(limits, "max_paths", max_paths, ("max_paths",))
    steps = len(net.weights) - layer
    listed = min(max_paths, _path_count(net, layer))
    terms = listed * len(batch) * 2 * steps
    check_limit(
        limits,
        "max_explain_terms",
        terms,
        ("max_paths",),
        subject=f"{listed} paths of {2 * steps} factors over the batch of {len(batch)} take "
        f"{terms} terms",
        hint="ask for fewer paths with max_paths= or one sample with sample=",
        conflict=True,
    )
    result = core.explain_paths(net, trace, grads, layer, i, j, max_paths=max_paths)
    values = [v for p in result.paths for v in (*p.samples, *p.weights)]
    if not all_finite(np.asarray(values), result.rest, result.total):
        raise DivergedError("a path's product overflowed: this network's numbers are too large")
    return {
        "count": count(result.count),
        "max_paths": max_paths,
        "paths": [
            {
                **asdict(path),
                "factors": [
                    asdict(f) for f in core.path_factors(net, trace, grads, layer, i, path)
                ],
            }
            for path in result.paths
        ],
        "rest": result.rest,
        "rest_count": count(result.rest_count),
        "data_gradient": result.data_gradient,
        "l2_term": result.l2_term,
        "total": result.total,
        "dW": result.dW,
        "multiplications": {k: count(v) for k, v in result.multiplications.items()},
    }


def _path_count(net: core.MLP, layer: int) -> int:
    sizes, skips = net.sizes, net.skips
    total = 1
    for m in range(layer + 1, len(net.weights)):
        total *= sizes[m + 1] + int(skips[m])
        if total > EXACT:
            break
    return total


def note(w: Weight, loss: core.Loss, y: np.ndarray, limits: Limits) -> dict[str, Any]:
    """core.note_derivation for W(1)[i, j] (layer 0) of a two-layer network, every sample of
    the batch (targets `y`); 409 naming why for another layer or depth."""
    net, trace, grads, batch, layer, i, j = w.net, w.trace, w.grads, w.batch, w.layer, w.i, w.j
    count_ = len(net.weights)
    if count_ != 2:
        raise ConflictError(
            ("form",),
            "form=note walks the lecture note's derivation, which is for two weight layers "
            f"(one hidden layer, layers [d, h, p]); this network has {count_} weight layers: "
            "use form=paths for any depth",
        )
    if layer != 0:
        raise ConflictError(
            ("layer",),
            f"form=note derives a first-layer weight, W(1)[i, j] in the note (layer = 0); "
            f"layer = {layer} is the output layer, whose gradient is h_i · ∂L/∂o_j (no form)",
        )
    hidden, outputs = net.weights[1].shape
    terms = len(batch) * outputs * hidden * hidden
    check_limit(
        limits,
        "max_explain_terms",
        terms,
        ("sample",),
        subject=f"the note's sum over l, r, k for the batch of {len(batch)} has {terms} terms",
        hint="ask for one sample with sample=",
        conflict=True,
    )
    per_sample = []
    for s in range(len(batch)):
        d = core.note_derivation(
            net, trace, grads, y, i, j, sample=s, loss=loss, max_terms=limits.max_explain_terms
        )
        products = [t.product for t in d.terms] + [
            t.product for o in d.softmax or () for t in o.terms
        ]
        if not all_finite(np.asarray(products), d.total):
            raise DivergedError("a term of the derivation overflowed: the numbers are too large")
        out = asdict(d)
        out["sample"] = int(batch[s])
        per_sample.append(out)
    data_gradient = float(sum(d["total"] for d in per_sample))
    l2_term = float(grads.l2 * net.weights[0][i, j])
    return {
        "samples": per_sample,
        "data_gradient": data_gradient,
        "l2_term": l2_term,
        "total": data_gradient + l2_term,
        "dW": float(grads.layers[0].dW[i, j]),
    }
