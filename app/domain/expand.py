"""The chain rule for one weight expanded two more ways (explain's form=paths and form=note):
the sum over every path to the outputs, and the lecture note's derivation with its Kronecker
deltas. Both end at the same number as dW."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import numpy as np

import core
from app.domain.limits import check_limit
from app.settings import Limits

EXACT = 2**53  # integers below this are exact as JSON numbers


def count(value: int) -> dict[str, Any]:
    """A count that may pass 2^53 (paths grow exponentially): as a number and in digits."""
    return {"value": float(value), "exact": str(value)}


def paths(
    net: core.MLP,
    trace: core.ForwardTrace,
    grads: core.Gradients,
    layer: int,
    i: int,
    j: int,
    batch: np.ndarray,
    max_paths: int | None,
    limits: Limits,
) -> dict[str, Any]:
    """core.explain_paths for W(layer)[i, j], each listed path with its factors.

    At most `max_paths` paths are listed (default and bound: BACKPROP_LENS_MAX_PATHS); each
    carries a number per batch row and factor, which BACKPROP_LENS_MAX_EXPLAIN_TERMS bounds.
    """
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
