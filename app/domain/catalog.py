"""What the API accepts, for the page: every name, default and limit (GET /catalog), and the
older dataset list (GET /datasets)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import numpy as np

import core
from app.domain.errors import InputError
from app.domain.limits import check_limit
from app.domain.networks import build_config
from app.schemas import NetworkCreate
from app.settings import Limits


def catalog(limits: Limits) -> dict[str, Any]:
    """The dataset generators and every name the API accepts."""
    return {
        "datasets": _datasets(limits),
        "features": list(core.FEATURES),
        "activations": list(core.ACTIVATIONS),
        "losses": list(core.LOSSES),
        "inits": list(core.INITS),
        "optimizers": list(core.OPTIMIZERS),
    }


def _feature_dim(name: str) -> int:
    # Core builds each feature from raw points: one that cannot be built from 1-D points
    # needs 2-D ones.
    try:
        core.feature_matrix(np.zeros((1, 1)), [name])
    except core.InvalidInput:
        return 2
    return 1


def api_catalog(limits: Limits) -> dict[str, Any]:
    """Every name, default and limit: what the page offers is what the API accepts."""
    defaults, _ = build_config(NetworkCreate(), limits)
    return {
        "activations": {"hidden": list(core.HIDDEN_ACTIVATIONS), "output": list(core.ACTIVATIONS)},
        "losses": list(core.LOSSES),
        "inits": list(core.INITS),
        "optimizers": [
            {"name": name, "defaults": dict(core.OPTIMIZER_DEFAULTS[name])}
            for name in core.OPTIMIZERS
        ],
        "features": [{"name": f, "input_dim": _feature_dim(f)} for f in core.FEATURES],
        "datasets": _datasets(limits),
        "defaults": defaults,
        "limits": asdict(limits),
    }


def _datasets(limits: Limits) -> list[dict[str, Any]]:
    ranges = core.DATASET_RANGES
    parameters = {
        "n": [int(ranges["n"][0]), limits.max_samples],  # core has no upper bound; settings do
        "noise": list(ranges["noise"]),
        "test_fraction": list(ranges["test_fraction"]),
    }
    return [
        {
            "name": s.name,
            "task": s.task,
            "input_dim": s.input_dim,
            "classes": [s.min_classes, s.max_classes] if s.task == "classification" else None,
            "description": s.description,
            "parameters": parameters,
        }
        for s in core.DATASETS.values()
    ]


def activation_curve(name: str, lo: float, hi: float, resolution: int, limits: Limits) -> Any:
    """σ and σ′ of a hidden activation at `resolution` points from lo to hi (core's own σ)."""
    check_limit(limits, "max_resolution", resolution, ("resolution",))
    try:
        curve = core.activation_curve(name, lo, hi, resolution)
    except core.InvalidInput as exc:
        field = {"points": "resolution"}.get(str(exc.field[0]), exc.field[0])
        raise InputError((field, *exc.field[1:]), exc.message) from None
    return {
        "name": curve.name,
        "formula": curve.formula,
        "lo": lo,
        "hi": hi,
        "resolution": resolution,
        "z": curve.z,
        "sigma": curve.sigma,
        "sigma_prime": curve.sigma_prime,
    }
