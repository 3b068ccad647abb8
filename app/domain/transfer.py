"""Networks moving out and in: the export document, an import, a server-side copy."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import orjson

from app.domain.errors import InputError
from app.domain.networks import build_config, new_record
from app.schemas import NetworkConfig, NetworkCreate, NetworkImport
from app.settings import Limits
from app.store import NetworkRecord, config_json, new_id, now, param_shapes


def export_doc(record: NetworkRecord, history: list[dict[str, Any]]) -> dict[str, Any]:
    """Everything needed to recreate the network elsewhere."""
    return {
        "format": "backprop-lens/network",
        "version": 1,
        "config": orjson.Fragment(config_json(record.config)),
        "params": record.params,
        "optimizer_state": {"t": record.opt_t, "buffers": record.buffers},
        "step": record.step,
        "history": history,
    }


def copy_record(record: NetworkRecord) -> NetworkRecord:
    """A new network equal to `record` (config, weights, optimizer state, step, last step),
    under a new id; nothing is shared, so training either leaves the other unchanged."""
    t = now()
    return replace(
        record,
        id=new_id(),
        config=record.config,  # frozen: shared safely
        params=[p.copy() for p in record.params],
        buffers={k: [b.copy() for b in v] for k, v in record.buffers.items()},
        last_params=None if record.last_params is None else [p.copy() for p in record.last_params],
        last_batch=None if record.last_batch is None else list(record.last_batch),
        created=t,
        touched=t,
        config_changed=True,
    )


VALUE_BOUND = 1e6  # as for every number in a request (schemas.Value)


def import_record(doc: NetworkImport, limits: Limits) -> tuple[NetworkRecord, list[dict[str, Any]]]:
    """A new record from an export document; InputError naming what does not match.

    Its numbers are bounded like every request's (±1e6), so no pass over them overflows."""
    known = NetworkCreate.model_fields.keys() | NetworkConfig.model_fields.keys()
    for key in doc.config:
        if key not in known:
            raise InputError(
                ("config", key),
                f"config.{key[:60]} is not a network setting (known: {', '.join(sorted(known))})",
                "unknown_field",
            )
    create_fields = {k: v for k, v in doc.config.items() if k in NetworkCreate.model_fields}
    try:
        body = NetworkCreate.model_validate(create_fields)
    except ValueError as exc:
        raise InputError(("config",), f"config is not valid: {exc}") from None
    try:
        config, _ = build_config(body, limits)
    except InputError as exc:  # a field of the document's config, not of the body
        exc.loc = ("config", *exc.loc)
        raise
    record = new_record(config)
    shapes = param_shapes(config.layers)
    # Parameters within ±1e6 (so no forward pass overflows); optimizer buffers only finite:
    # Adam's squared gradients may legitimately be larger.
    record.params = _arrays(doc.params, shapes, config.dtype, ("params",), bounded=True)
    record.buffers = {
        k: _arrays(v, shapes, config.dtype, ("optimizer_state", "buffers", k))
        for k, v in doc.optimizer_state.buffers.items()
    }
    record.opt_t, record.step = doc.optimizer_state.t, doc.step
    _check_history(doc, len(config.layers) - 1)
    history = [h.model_dump() for h in doc.history]
    return record, history[-limits.max_history :]


def _check_history(doc: NetworkImport, weight_layers: int) -> None:
    """A history is the network's own: steps rising one entry at a time, none past the
    document's step, one gradient norm per weight layer; InputError naming the entry."""
    previous = 0
    for k, entry in enumerate(doc.history):
        if entry.step <= previous:
            raise InputError(
                ("history", k, "step"),
                f"history[{k}].step = {entry.step} does not follow the entry before it "
                f"(step {previous}): steps must rise",
            )
        if entry.step > doc.step:
            raise InputError(
                ("history", k, "step"),
                f"history[{k}].step = {entry.step} is past the network's step ({doc.step})",
            )
        if len(entry.grad_norms) != weight_layers:
            raise InputError(
                ("history", k, "grad_norms"),
                f"history[{k}].grad_norms has {len(entry.grad_norms)} values; this network has "
                f"{weight_layers} weight layers (one norm each)",
            )
        previous = entry.step


def _arrays(
    values: Any,
    shapes: list[tuple[int, ...]],
    dtype: str,
    loc: tuple[str, ...],
    bounded: bool = False,
) -> list[np.ndarray]:
    if not isinstance(values, list) or len(values) != len(shapes):
        raise InputError(
            loc, f"expected {len(shapes)} arrays [W0, b0, W1, b1, ...] for this architecture"
        )
    out = []
    for k, (v, shape) in enumerate(zip(values, shapes, strict=True)):
        try:
            arr = np.asarray(v, dtype=dtype)
        except (TypeError, ValueError):
            raise InputError(
                (*loc, k), f"{loc[-1]}[{k}] must be numbers of shape {shape}"
            ) from None
        if arr.shape != shape:
            raise InputError((*loc, k), f"{loc[-1]}[{k}] has shape {arr.shape}; expected {shape}")
        if not np.isfinite(arr).all():
            raise InputError((*loc, k), f"{loc[-1]}[{k}] contains NaN or infinity")
        largest = float(np.abs(arr).max(initial=0.0))
        if bounded and largest > VALUE_BOUND:
            raise InputError(
                (*loc, k),
                f"{loc[-1]}[{k}] holds {largest:g}, past ±1e6, the bound on every number a "
                "request gives",
                "range",
            )
        out.append(arr)
    return out
