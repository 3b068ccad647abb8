"""Read-only looks into a stored network: its data, a forward pass, the chain rule for one
weight, the gradient check, the decision boundary."""

from __future__ import annotations

import base64
from dataclasses import asdict
from typing import Any

import numpy as np

import core
from app.domain import expand
from app.domain.data import network_data
from app.domain.errors import ConflictError, DivergedError, InputError
from app.domain.limits import check_limit
from app.domain.training import all_finite, batch_of, check_batch, check_rows, network_of
from app.settings import Limits
from app.store import NetworkRecord


def data_view(record: NetworkRecord, limits: Limits) -> dict[str, Any]:
    """The dataset of a network: raw points, targets and the split."""
    data = network_data(record.config, limits)
    y = (
        np.empty(data.points.shape[0], dtype=np.int64)
        if data.task == "classification"
        else np.empty((data.points.shape[0], data.outputs))
    )
    y[data.train_index] = data.y_train
    y[data.test_index] = data.y_test
    return {
        "kind": record.config.dataset.kind,
        "task": data.task,
        "classes": data.classes,
        "features": list(data.features),
        "points": data.points,
        "y": y,
        "train_index": data.train_index,
        "test_index": data.test_index,
        "x_train": data.x_train,
        "x_test": data.x_test,
    }


def forward_view(record: NetworkRecord, x: list[list[float]], limits: Limits) -> dict[str, Any]:
    """A forward pass of the current network on x."""
    check_rows(len(x), "x", limits)
    net = network_of(record)
    try:
        trace = net.forward(x)
    except ValueError as exc:  # a wrong shape is a bad request (422), as in /backprop
        raise InputError(("x",), str(exc)) from None
    if not all_finite(*(layer.h for layer in trace.layers), *(layer.z for layer in trace.layers)):
        # Inputs are at most 1e6 in size: only weights grown huge by training overflow.
        raise ConflictError(
            ("x",), "the forward pass overflowed: this network's weights are too large; reset it"
        )
    return {
        "layers": [
            {"z": lt.z, "h": lt.h, "skip": skip}
            for lt, skip in zip(trace.layers, net.skips, strict=True)
        ],
        "output": trace.output,
        "probs": trace.probs,
        "predictions": trace.predictions,
    }


def explain_view(
    record: NetworkRecord,
    layer: int,
    i: int,
    j: int,
    sample: int | None,
    of: str | None,
    limits: Limits,
    form: str = "backprop",
    max_paths: int | None = None,
) -> dict[str, Any]:
    """The chain-rule decomposition of one weight's gradient (last step, or the next); with
    form=paths also as the sum over every path to the outputs, with form=note as the lecture
    note's derivation (two-layer networks)."""
    data = network_data(record.config, limits)
    if of is None:
        of = "last" if record.last_params is not None else "next"
    if of == "last":
        if record.last_params is None:
            raise ConflictError(("of",), "no step has run yet; use of=next")
        params, step = record.last_params, record.step
        batch = np.asarray(record.last_batch, dtype=np.intp)
        if sample is not None:
            check_batch(sample, None, data)
            batch = np.array([sample], dtype=np.intp)
    else:
        params, step = record.params, record.step + 1
        batch = batch_of(record, data, sample, None)
    layers = record.config.layers
    if 0 <= layer < len(layers) - 1:
        # One backprop term per sample and neuron of the layer above: bound the answer's size.
        terms = len(batch) * (layers[layer + 2] if layer + 2 < len(layers) else 1)
        check_limit(
            limits,
            "max_explain_terms",
            terms,
            ("sample",),
            subject=f"explaining this weight over the batch of {len(batch)} takes {terms} terms",
            hint="ask for one sample with sample=",
            conflict=True,
        )
    net = network_of(record, params)
    trace = net.forward(data.x_train[batch])
    # The last step's own λ: a PATCH of l2 since then must not change its explanation.
    l2 = record.config.l2 if of == "next" or record.last_l2 is None else record.last_l2
    grads = net.backward(trace, data.y_train[batch], record.config.loss, l2)
    try:
        result = core.explain(net, trace, grads, layer, i, j, l2=l2)
    except ValueError as exc:
        field = str(exc).split(" ", 1)[0]  # core names the index: "layer = …", "i = …", "j = …"
        loc = (field if field in ("layer", "i", "j") else "layer",)
        raise ConflictError(loc, str(exc)) from None
    out = asdict(result)
    for term in out["samples"]:
        term["sample"] = int(batch[term["sample"]])
    for term in out["seed_form"] or []:
        term["sample"] = int(batch[term["sample"]])
    # `seed` is the random seed's name; the lecture note's form is `note` (seed_*: deprecated).
    out.update(note_form=out["seed_form"], note_total=out["seed_total"])
    out.update(of=of, step=step, batch=batch, form=form, paths=None, derivation=None)
    weight = expand.Weight(net, trace, grads, batch, layer, i, j)
    if form == "paths":
        out["paths"] = expand.paths(weight, max_paths, limits)
    elif form == "note":
        out["derivation"] = expand.note(weight, record.config.loss, data.y_train[batch], limits)
    if not all_finite(*(v for v in (out["total"], out["dW"]))):
        raise DivergedError("the gradient is not finite; reset the network")
    return out


def check_gradcheck(record: NetworkRecord, batch: list[int] | None, limits: Limits) -> None:
    """The gradient check's own limits: rows, and the network's parameters (a 409: the
    network, not the request, is too large), checked before its work is estimated."""
    check_rows(len(batch or []), "batch", limits)
    n_params = sum(p.size for p in record.params)
    subject = f"this network has {n_params} parameters"
    check_limit(
        limits, "max_gradcheck_params", n_params, ("network",), subject=subject, conflict=True
    )


def gradcheck_view(
    record: NetworkRecord, sample: int | None, batch: list[int] | None, limits: Limits
) -> dict[str, Any]:
    """Finite differences against backprop on the next batch (or the one given)."""
    check_gradcheck(record, batch, limits)
    net = network_of(record)
    data = network_data(record.config, limits)
    idx = batch_of(record, data, sample, batch)
    check = core.gradcheck(
        net, data.x_train[idx], data.y_train[idx], record.config.loss, record.config.l2
    )
    params = [asdict(p) for p in check.params]
    if not all_finite(*(p["rel_error"] for p in params), *(p["numeric"] for p in params)):
        raise DivergedError("the gradient check overflowed: the network's numbers are too large")
    failing = [p for p in params if p["rel_error"] > FAIL_REL_ERROR]
    kink = _at_a_kink(net, data.x_train[idx])
    return {
        "max_rel_error": check.max_rel_error,
        "worst": asdict(check.worst),
        "params": params,
        "eps": check.eps,
        "batch": idx,
        "failing": failing,
        "kink": kink,
        "message": _gradcheck_message(failing, kink),
    }


# A relative error past this is a parameter whose backprop and finite difference disagree.
FAIL_REL_ERROR = 1e-4
_KINKED = ("relu", "leaky_relu")  # activations whose derivative jumps at z = 0


def _at_a_kink(net: core.MLP, x: np.ndarray) -> bool:
    """True when some ReLU or leaky-ReLU input z of the batch is exactly 0."""
    trace = net.forward(x)
    return any(
        name in _KINKED and bool((layer.z == 0).any())
        for name, layer in zip(net.activations, trace.layers, strict=True)
    )


def _gradcheck_message(failing: list[dict[str, Any]], kink: bool) -> str:
    if not failing:
        return f"every parameter agrees (relative error at most {FAIL_REL_ERROR:g})"
    named = ", ".join(
        f"{p['kind']}({p['layer']})[{', '.join(map(str, p['index']))}] ({p['rel_error']:.3g})"
        for p in sorted(failing, key=lambda p: -p["rel_error"])[:5]
    )
    more = f" and {len(failing) - 5} more" if len(failing) > 5 else ""
    text = f"{len(failing)} parameter(s) disagree: {named}{more}"
    if kink:
        text += (
            "; a ReLU input of this batch is exactly 0, where its derivative jumps: the finite "
            "difference straddles a kink, which is not a bug in backprop"
        )
    return text


def check_resolution(resolution: int, limits: Limits) -> None:
    """Raise LimitError past BACKPROP_LENS_MAX_RESOLUTION (the schema knows only the default)."""
    check_limit(limits, "max_resolution", resolution, ("resolution",))


def boundary_view(
    record: NetworkRecord, resolution: int, limits: Limits, with_neurons: bool = True
) -> dict[str, Any]:
    """The network over a grid of the input plane (or along the line, for 1-D data):
    core.boundary_surface, encoded (base64 uint8 cells) for the page."""
    data = network_data(record.config, limits)
    try:
        surface = core.boundary_surface(network_of(record), data, resolution, with_neurons)
    except core.InvalidInput as exc:  # data of more than 2 columns: not this network's plane
        raise ConflictError(("network",), exc.message) from None
    if not surface.finite:
        raise DivergedError("the network's output is not finite; reset the network")
    if surface.kind == "curve":
        return {"kind": "curve", "resolution": resolution, "x": surface.xs, "y": surface.value}
    if surface.predictions is not None:
        output: dict[str, Any] = {
            "class": _b64(surface.predictions.astype(np.uint8)),
            "confidence": _cells(surface.value, surface.min, surface.max)["value"],
        }
    else:
        output = _cells(surface.value, surface.min, surface.max)
    assert surface.y_range is not None  # a grid has both ranges
    return {
        "kind": "grid",
        "resolution": resolution,
        "x_range": list(surface.x_range),
        "y_range": list(surface.y_range),
        "task": surface.task,
        "classes": surface.classes,
        "output": output,
        "neurons": [
            [
                _cells(layer.values[:, j], float(layer.min[j]), float(layer.max[j]))
                for j in range(layer.values.shape[1])
            ]
            for layer in surface.neurons
        ],
    }


def _b64(cells: np.ndarray) -> str:
    return base64.b64encode(cells.tobytes()).decode()


def _cells(values: np.ndarray, vmin: float, vmax: float) -> dict[str, Any]:
    """Values as base64 uint8 cells, vmin → 0 and vmax → 255 (all 0 when vmax = vmin)."""
    scale = 255.0 / (vmax - vmin) if vmax > vmin else 0.0
    q = np.clip(np.rint((values - vmin) * scale), 0, 255).astype(np.uint8)
    return {"value": _b64(q), "min": vmin, "max": vmax}
