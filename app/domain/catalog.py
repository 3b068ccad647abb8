"""What the API accepts, for the page: every name, default and limit (GET /catalog), and the
older dataset list (GET /datasets)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import numpy as np
from pydantic import ValidationError

import core
from app.domain.data import load_dataset
from app.domain.errors import InputError
from app.domain.limits import check_limit
from app.domain.networks import build_config
from app.schemas import DatasetGenerator, DatasetPoints, NetworkCreate, ParamSet, SGDConfig
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
        "loss_details": [
            {
                "name": name,
                "tasks": list(fn.tasks),
                "outputs": list(fn.outputs),
                "default_output": fn.default_output,
                "formula": fn.formula,
            }
            for name, fn in core.LOSSES.items()
        ],
        "default_losses": dict(core.DEFAULT_LOSS),
        "inits": list(core.INITS),
        "optimizers": [
            {"name": name, "defaults": dict(core.OPTIMIZER_DEFAULTS[name])}
            for name in core.OPTIMIZERS
        ],
        "features": [{"name": f, "input_dim": _feature_dim(f)} for f in core.FEATURES],
        "datasets": _datasets(limits),
        "defaults": defaults.model_dump(mode="json"),
        "limits": asdict(limits),
        "tasks": [_task(spec, limits) for spec in _one_dataset_per_task()],
        "points": _points(limits),
        "bounds": _bounds(limits),
    }


def _bound(prop: dict[str, Any]) -> dict[str, Any]:
    return {
        "min": prop.get("minimum", prop.get("exclusiveMinimum")),
        "max": prop.get("maximum", prop.get("exclusiveMaximum")),
        "min_exclusive": "exclusiveMinimum" in prop,
        "max_exclusive": "exclusiveMaximum" in prop,
    }


def _bounds(limits: Limits) -> dict[str, Any]:
    """The ranges of the body's free numbers, of a weight set by hand and of a number in an
    explicit `points` dataset (a coordinate or a target), read from the schemas (the batch's
    from settings)."""
    body = NetworkCreate.model_json_schema()["properties"]
    sgd = SGDConfig.model_json_schema()["properties"]
    bounds = {name: _bound(body[name]) for name in ("seed", "l2")}
    bounds["batch_size"] = {**_bound(body["batch_size"]), "max": limits.max_batch}
    bounds |= {name: _bound(sgd[name]) for name in ("learning_rate", "momentum")}
    bounds["value"] = _bound(ParamSet.model_json_schema()["properties"]["value"])
    points = DatasetPoints.model_json_schema()["properties"]["points"]
    bounds["point"] = _bound(points["items"]["items"])
    return bounds


_SMALLEST = int(core.DATASET_RANGES["n"][0])


def _one_dataset_per_task() -> list[core.DatasetSpec]:
    first: dict[str, core.DatasetSpec] = {}
    for spec in core.DATASETS.values():
        first.setdefault(spec.task, spec)
    return list(first.values())


def _accepts(body: dict[str, Any], limits: Limits) -> bool:
    """Whether the API makes a network of `body` (its schema and build_config's checks)."""
    try:
        build_config(NetworkCreate.model_validate(body), limits)
    except (ValidationError, InputError, core.InvalidInput):
        return False
    return True


def _task(spec: core.DatasetSpec, limits: Limits) -> dict[str, Any]:
    """A task's default loss and output activation (core's), and the output activations each
    loss takes there: asked of the API's own checks (build_config) on the smallest dataset of
    that task with one weight layer, so what the catalog says is what the API accepts."""
    dataset = {"kind": spec.name, "n": _SMALLEST}
    out = spec.min_classes if spec.task == "classification" else 1
    layers = [len(_default_features(spec, limits)), out]  # only the output activation varies
    losses = []
    for loss in core.LOSSES:
        outputs = [
            act
            for act in core.ACTIVATIONS
            if _accepts(
                {"dataset": dataset, "layers": layers, "activations": [act], "loss": loss}, limits
            )
        ]
        if outputs:
            losses.append({"name": loss, "outputs": outputs})
    loss = core.DEFAULT_LOSS[spec.task]
    return {
        "name": spec.task,
        "loss": loss,
        "output": core.LOSSES[loss].default_output,
        "losses": losses,
    }


def _points(limits: Limits) -> dict[str, Any]:
    """The bounds of an explicit `points` dataset, read from its schema."""
    props = DatasetPoints.model_json_schema()["properties"]
    classes = next(p for p in props["classes"]["anyOf"] if p.get("type") == "integer")
    fraction = props["test_fraction"]
    return {
        "n": [int(props["points"]["minItems"]), limits.max_samples],
        "classes": [int(classes["minimum"]), limits.max_width],
        "test_fraction": [float(fraction["minimum"]), float(fraction["maximum"])],
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
            "features": _default_features(s, limits),
        }
        for s in core.DATASETS.values()
    ]


def _default_features(spec: core.DatasetSpec, limits: Limits) -> list[str]:
    """The features the API fills in for a dataset given none."""
    generator = DatasetGenerator.model_validate({"kind": spec.name, "n": _SMALLEST})
    return list(load_dataset(generator.model_dump(mode="json"), limits).features)


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
