"""Training a stored network: batches, steps, metrics on train and test, divergence."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

import core
from app.domain.data import network_data
from app.domain.errors import ConflictError, DivergedError, InputError
from app.domain.limits import check_limit
from app.domain.memo import PerObject
from app.schemas import NetworkConfig, StepRequest
from app.settings import Limits
from app.store import Change, NetworkRecord, now


@dataclass(frozen=True, slots=True)
class _Kit:
    """What every request on a config builds from it: computed once per config object."""

    optimizer: core.Optimizer
    template: core.MLP  # the architecture, with zero parameters: `with_params` checks layouts
    skips: tuple[bool, ...]


def _kit_of(config: NetworkConfig) -> _Kit:
    opt = config.optimizer.model_dump(exclude={"name"})
    optimizer = core.SGD(**opt) if config.optimizer.name == "sgd" else core.Adam(**opt)
    dtype = np.dtype(config.dtype)
    shapes = list(itertools.pairwise(config.layers))
    template = core.MLP(
        [np.zeros(shape, dtype) for shape in shapes],
        [np.zeros(n_out, dtype) for _, n_out in shapes],
        config.activations,
        dtype=dtype,
        residual=config.residual,
    )
    return _Kit(optimizer, template, template.skips)


_KITS = PerObject(_kit_of)


def network_of(record: NetworkRecord, params: list[np.ndarray] | None = None) -> core.MLP:
    """The core MLP of a record (its current parameters unless others are given)."""
    p = record.params if params is None else params
    # The template's with_params takes arrays of its layout as they are, checks anything else.
    return _KITS(record.config).template.with_params(p[0::2], p[1::2])


def layer_values(
    net: core.MLP,
    forward: core.ForwardTrace,
    grads: core.Gradients,
    skips: tuple[bool, ...] | None = None,
) -> list[dict[str, Any]]:
    """Each weight layer's values and gradients as a trace shows them; on a skip layer also
    the gradient its skip edge carries back to H(l−1) (∂L/∂H(l) itself). `skips` are `net`'s
    when the caller knows them."""
    return [
        {
            "z": lt.z,
            "h": lt.h,
            "dz": g.dz,
            "dh": g.dh,
            "dW": g.dW,
            "db": g.db,
            "skip": skip,
            "skip_dh": g.dh if skip else None,
        }
        for lt, g, skip in zip(
            forward.layers, grads.layers, net.skips if skips is None else skips, strict=True
        )
    ]


def metrics(
    net: core.MLP, data: core.Dataset, config: NetworkConfig
) -> dict[str, dict[str, float | None]]:
    """Loss and accuracy on the training and the test set (core.evaluate; null for no set)."""
    result = core.evaluate(net, data, config.loss, config.l2)
    test = result.test
    return {
        "train": {"loss": result.train.loss, "accuracy": result.train.accuracy},
        "test": {"loss": None, "accuracy": None}
        if test is None
        else {"loss": test.loss, "accuracy": test.accuracy},
    }


def all_finite(*values: Any) -> bool:
    """True when no value (float or array) holds NaN or infinity."""
    total = 0.0
    for v in values:
        if v is None:
            continue
        # One reduction per array: NaN and ±inf survive a sum (inf − inf is NaN). A sum of
        # huge finite values could overflow too, but such a network has diverged anyway.
        total += float(v) if isinstance(v, float) else float(np.add.reduce(v, axis=None))
    return math.isfinite(total)


def _trace_arrays(trace: core.StepTrace) -> list[np.ndarray]:
    layers = zip(trace.forward.layers, trace.grads.layers, strict=True)
    return [a for lt, g in layers for a in (lt.z, lt.h, g.dz, g.dh, g.dW)]


MAX_COUNT = 2**53 - 1  # steps and optimizer updates stay exact in every JSON reader


def divergence_message(record: NetworkRecord, what: str) -> str:
    """Why the next step diverges, naming the setting to change (not always the rate)."""
    return f"Training diverged at step {record.step + 1}: {what} became NaN or infinite. " + (
        divergence_cause(record.config)
    )


def divergence_cause(config: NetworkConfig) -> str:
    """The likeliest cause of a divergence under `config`, and what to do."""
    opt = config.optimizer
    lr, l2 = opt.learning_rate, config.l2
    if opt.name == "adam" and opt.eps < 1e-12:
        return (
            f"Adam's eps ({opt.eps:g}) is too small: where a gradient's square underflows to "
            "0 the update m / (√v + eps) becomes huge, whatever the learning rate. Set eps "
            "back to about 1e-8 (PATCH) and reset the network."
        )
    if opt.name == "sgd" and lr * l2 > 2.0:  # w ← (1 − lr·l2)·w − lr·g
        return (
            f"learning_rate × l2 = {lr * l2:g} is above 2: weight decay alone makes every "
            "weight grow each step. Lower the learning rate or l2 (PATCH) and reset."
        )
    return f"Lower the learning rate (now {lr:g}) and reset the network."


def check_batch(req_sample: int | None, req_batch: list[int] | None, data: core.Dataset) -> None:
    n = data.x_train.shape[0]
    if req_sample is not None and req_batch is not None:
        raise InputError(("sample",), "give either sample or batch, not both")
    if req_sample is not None and req_sample >= n:
        raise ConflictError(
            ("sample",), f"sample = {req_sample} is out of range (0..{n - 1} training samples)"
        )
    if req_batch is not None and max(req_batch) >= n:
        raise ConflictError(("batch",), f"batch has indices outside 0..{n - 1} (training samples)")


def batch_of(
    record: NetworkRecord, data: core.Dataset, sample: int | None, batch: list[int] | None
) -> np.ndarray:
    """Training indices for the next update of `record`."""
    check_batch(sample, batch, data)
    return core.select_batch(
        data.x_train.shape[0],
        record.config.batch_size,
        record.step,
        record.config.seed,
        sample=sample,
        indices=batch,
    )


def check_rows(rows: int, field: str, limits: Limits) -> None:
    """Raise LimitError if a request carries more rows than BACKPROP_LENS_MAX_BATCH."""
    check_limit(limits, "max_batch", rows, (field,), subject=f"{field} has {rows} rows")


def run_steps(record: NetworkRecord, req: StepRequest, limits: Limits) -> Change[dict[str, Any]]:
    """Apply `req.steps` updates (or compute one without applying); the last step's trace."""
    check_limit(limits, "max_steps", req.steps, ("steps",))  # the schema knows the default only
    if record.diverged:
        raise DivergedError(record.diverged)
    ahead = req.steps if req.apply else 0
    if max(record.step, record.opt_t) + ahead > MAX_COUNT:
        raise ConflictError(
            ("steps",),
            f"step {record.step} + {ahead} would pass {MAX_COUNT} (2^53 − 1), the largest count "
            "every JSON reader holds exactly; reset the network",
        )
    config = record.config
    data = network_data(config, limits)
    check_rows(len(req.batch or []), "batch", limits)
    check_batch(req.sample, req.batch, data)
    kit = _KITS(config)
    net = network_of(record)
    optimizer = kit.optimizer
    state = core.OptimizerState(record.opt_t, record.buffers)
    history: list[dict[str, Any]] = []
    steps = req.steps if req.apply else 1
    result = None
    for k in range(steps):
        batch = batch_of(record, data, req.sample, req.batch)
        before = record.params
        result = core.train_step(
            net,
            optimizer,
            state,
            data.x_train[batch],
            data.y_train[batch],
            loss=config.loss,
            l2=config.l2,
            apply=req.apply,
            # Only the last step's trace is answered; the history takes the loss before.
            compute_loss_after=k == steps - 1,
        )
        trace = result.trace
        new_params = core.flat_params(result.network.weights, result.network.biases)
        if not all_finite(trace.loss_before, trace.loss_after, *new_params, *_trace_arrays(trace)):
            if not req.apply:  # a preview changes nothing, its divergence included
                raise DivergedError(
                    "This step would diverge (nothing was applied): the loss, an activation "
                    f"or a gradient would become NaN or infinite. {divergence_cause(config)}"
                )
            record.diverged = divergence_message(record, "the loss, an activation or a gradient")
            record.touched = now()
            return Change(result={"diverged": record.diverged}, record=record, history=history)
        if not req.apply:
            break
        net, state = result.network, result.state
        m = metrics(net, data, config)
        if not all_finite(m["train"]["loss"], m["test"]["loss"]):
            # The batch was fine but the whole training or test set overflows: diverged too.
            record.diverged = divergence_message(record, "the loss on the training or test set")
            record.touched = now()
            return Change(result={"diverged": record.diverged}, record=record, history=history)
        record.params, record.opt_t, record.buffers = new_params, state.t, state.buffers
        record.last_params, record.last_batch = before, batch.tolist()
        record.last_l2 = config.l2
        record.step += 1
        history.append(
            {
                "step": record.step,
                "loss": trace.loss_before,
                "train_loss": m["train"]["loss"],
                "train_accuracy": m["train"]["accuracy"],
                "test_loss": m["test"]["loss"],
                "test_accuracy": m["test"]["accuracy"],
                "grad_norms": list(trace.grad_norms),
            }
        )
    assert result is not None
    trace = result.trace
    if not req.apply:  # otherwise `m` already holds the metrics of the updated network
        m = metrics(result.network, data, config)
    out = {
        "step": record.step,
        "applied": req.apply,
        "batch": batch,
        "x": trace.forward.x,
        "y": data.y_train[batch],
        "layers": [
            {**values, "update": {"dW": u[0], "db": u[1]}}
            for values, u in zip(
                layer_values(result.network, trace.forward, trace.grads, kit.skips),
                trace.updates,
                strict=True,
            )
        ],
        "output": trace.forward.output,
        "probs": trace.forward.probs,
        "predictions": trace.forward.predictions,
        "loss_before": trace.loss_before,
        "loss_after": trace.loss_after,
        "grad_norms": list(trace.grad_norms),
        "train": m["train"],
        "test": m["test"],
        "weights": result.network.weights,
        "biases": result.network.biases,
        "history": history,
        "diverged": False,
        "message": None,
    }
    if not req.apply:
        return Change(result=out)
    record.touched = now()
    return Change(result=out, record=record, history=history)
