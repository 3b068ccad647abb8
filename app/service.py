"""What the API does to networks, without HTTP: build, step, patch, import and export them.

Routes call these functions (read-only views live in app/views.py); they take and return
plain data (records, dicts of NumPy arrays) and raise InputError (→ 422), ConflictError or
DivergedError (→ 409) or NotFoundError (→ 404).
"""

from __future__ import annotations

import functools
import itertools
import math
import weakref
from typing import Any

import numpy as np
import orjson

import core
from app.records import NetworkRecord, new_id, param_shapes
from app.schemas import DatasetPoints, NetworkCreate, NetworkImport, NetworkPatch, StepRequest
from app.settings import Limits
from app.store import Change, Store, now


class InputError(ValueError):
    """A request that is well-formed JSON but not acceptable; `loc` names the field."""

    def __init__(self, loc: tuple[str | int, ...], msg: str) -> None:
        super().__init__(msg)
        self.loc = loc
        self.msg = msg

    def __reduce__(self) -> tuple[type[InputError], tuple[tuple[str | int, ...], str]]:
        # Raised in a worker process and sent back: rebuild it from both arguments.
        return type(self), (self.loc, self.msg)


class ConflictError(InputError):
    """A well-formed request that does not fit the network as it is: an index past its
    layers or its training set, an option of another optimizer, inputs of another width."""


class DivergedError(RuntimeError):
    """The network's numbers became NaN or infinite."""


class StoreFullError(RuntimeError):
    """No room for another network."""


# ---- configuration


def _default_layers(data: core.Dataset, loss: str) -> list[int]:
    # Regression data has no classes: a wrong loss must be reported as such by check_config,
    # not as an output layer of 0 neurons.
    out = data.classes if loss == "cross_entropy" and data.task == "classification" else 1
    return [len(data.features), 4, 4, out]


def build_config(body: NetworkCreate, limits: Limits) -> tuple[dict[str, Any], core.Dataset]:
    """The full configuration (defaults filled in, cross-field rules checked) and its data."""
    dataset_cfg = body.dataset.model_dump(mode="json")
    data = load_dataset(dataset_cfg, limits)
    if dataset_cfg["kind"] != "points" or len(data.features) <= 2:
        dataset_cfg["features"] = list(data.features)  # the defaults, spelled out
    loss = body.loss or ("cross_entropy" if data.task == "classification" else "mse")
    layers = list(body.layers) if body.layers else _default_layers(data, loss)
    if body.activations is None:
        activations = ["tanh"] * (len(layers) - 2) + [
            "softmax" if loss == "cross_entropy" else "linear"
        ]
    else:
        activations = list(body.activations)
    config = {
        "layers": layers,
        "activations": activations,
        "loss": loss,
        "init": body.init,
        "seed": body.seed,
        "dtype": body.dtype,
        "dataset": dataset_cfg,
        "optimizer": body.optimizer.model_dump(mode="json"),
        # The default batch shrinks to a lowered BACKPROP_LENS_MAX_BATCH; a given one is checked.
        "batch_size": (
            body.batch_size
            if "batch_size" in body.model_fields_set
            else min(body.batch_size, limits.max_batch)
        ),
        "l2": body.l2,
    }
    check_config(config, data, limits)
    return config, data


def check_size(layers: list[int], activations: list[str], limits: Limits) -> None:
    """Raise InputError unless the architecture is valid and within the size limits."""
    if len(layers) - 1 > limits.max_layers:
        raise InputError(
            ("layers",),
            f"{len(layers) - 1} weight layers exceed the limit of {limits.max_layers} "
            "(BACKPROP_LENS_MAX_LAYERS)",
        )
    for k, size in enumerate(layers):
        if size > limits.max_width:
            raise InputError(
                ("layers", k),
                f"layers[{k}] = {size} exceeds the limit of {limits.max_width} neurons per layer "
                "(BACKPROP_LENS_MAX_WIDTH)",
            )
    n_params = sum(a * b + b for a, b in itertools.pairwise(layers))
    if n_params > limits.max_params:
        raise InputError(
            ("layers",),
            f"{n_params} parameters exceed the limit of {limits.max_params} "
            "(BACKPROP_LENS_MAX_PARAMS)",
        )
    try:
        core.check_architecture(layers, activations)
    except ValueError as exc:
        raise InputError(("activations",), str(exc)) from None


def check_batch_size(batch_size: int, limits: Limits) -> None:
    """Raise InputError if batch_size is past BACKPROP_LENS_MAX_BATCH."""
    if batch_size > limits.max_batch:
        raise InputError(
            ("batch_size",),
            f"batch_size = {batch_size} exceeds the limit of {limits.max_batch} "
            "(BACKPROP_LENS_MAX_BATCH)",
        )


def check_rows(rows: int, field: str, limits: Limits) -> None:
    """Raise InputError if a request carries more rows than BACKPROP_LENS_MAX_BATCH."""
    if rows > limits.max_batch:
        raise InputError(
            (field,),
            f"{field} has {rows} rows, past the limit of {limits.max_batch} "
            "(BACKPROP_LENS_MAX_BATCH)",
        )


def check_config(config: dict[str, Any], data: core.Dataset, limits: Limits) -> None:
    """Raise InputError unless the architecture fits the data, the loss and the limits."""
    layers, activations, loss = config["layers"], config["activations"], config["loss"]
    check_size(layers, activations, limits)
    check_batch_size(config["batch_size"], limits)
    if layers[0] != len(data.features):
        raise InputError(
            ("layers", 0),
            f"layers[0] = {layers[0]} but the dataset has {len(data.features)} input "
            f"feature(s) ({', '.join(data.features)}); layers[0] must equal it",
        )
    if data.task == "classification":
        if loss != "cross_entropy":
            raise InputError(
                ("loss",), f"loss '{loss}' does not fit classification; use cross_entropy"
            )
        if layers[-1] != data.classes:
            raise InputError(
                ("layers", len(layers) - 1),
                f"layers[-1] = {layers[-1]} but the dataset has {data.classes} classes; "
                "the output layer needs one neuron per class",
            )
        if activations[-1] != "softmax":
            raise InputError(
                ("activations", len(activations) - 1),
                "cross_entropy needs a softmax output layer; "
                f"the last activation is '{activations[-1]}'",
            )
    else:
        if loss != "mse":
            raise InputError(("loss",), f"loss '{loss}' does not fit regression; use mse")
        if layers[-1] != 1:
            raise InputError(
                ("layers", len(layers) - 1),
                f"layers[-1] = {layers[-1]}; a regression output has exactly 1 neuron",
            )
        if activations[-1] == "softmax":
            raise InputError(
                ("activations", len(activations) - 1),
                "softmax makes no sense for a 1-neuron regression output; use linear",
            )


def load_dataset(cfg: dict[str, Any], limits: Limits) -> core.Dataset:
    """The dataset a config describes (cached: generation is deterministic)."""
    if cfg["kind"] == "points":
        rows = len(cfg["points"])
        width = len(cfg["points"][0]) if rows else 0
        if rows > limits.max_samples:
            raise InputError(
                ("dataset", "points"),
                f"{rows} samples exceed the limit of {limits.max_samples} "
                "(BACKPROP_LENS_MAX_SAMPLES)",
            )
        if width > limits.max_features:
            raise InputError(
                ("dataset", "points"),
                f"{width} input columns exceed the limit of {limits.max_features} "
                "(BACKPROP_LENS_MAX_FEATURES)",
            )
    elif cfg["n"] > limits.max_samples:
        raise InputError(
            ("dataset", "n"),
            f"n = {cfg['n']} exceeds the limit of {limits.max_samples} samples "
            "(BACKPROP_LENS_MAX_SAMPLES)",
        )
    return _cached_dataset(orjson.dumps(cfg, option=orjson.OPT_SORT_KEYS))


@functools.lru_cache(maxsize=256)
def _cached_dataset(key: bytes) -> core.Dataset:
    cfg = orjson.loads(key)
    try:
        if cfg["kind"] == "points":
            spec = DatasetPoints.model_validate(cfg)
            features: list[str] | None = list(spec.features) if spec.features else None
            if features is None and spec.points and len(spec.points[0]) > 2:
                features = [f"x{k + 1}" for k in range(len(spec.points[0]))]
            return _from_points(spec, features)
        return core.make_dataset(
            cfg["kind"],
            n=cfg["n"],
            noise=cfg["noise"],
            classes=cfg["classes"],
            test_fraction=cfg["test_fraction"],
            seed=cfg["seed"],
            features=cfg["features"],
        )
    except ValueError as exc:
        raise InputError(("dataset",), str(exc)) from None


def _from_points(spec: DatasetPoints, features: list[str] | None) -> core.Dataset:
    points = np.asarray(spec.points, dtype=np.float64)
    if points.ndim != 2:
        raise InputError(("dataset", "points"), "points must be a list of rows of equal length")
    if points.shape[1] > 2:
        # High-dimensional points (e.g. pixels) are used as they are: no derived features.
        return _raw_dataset(spec, points)
    return core.from_points(
        points,
        np.asarray(spec.y),
        task=spec.task,
        test_fraction=spec.test_fraction,
        seed=spec.seed,
        features=features,
        classes=spec.classes,
    )


def _raw_dataset(spec: DatasetPoints, points: np.ndarray) -> core.Dataset:
    d = points.shape[1]
    base = core.from_points(
        points[:, :2],
        np.asarray(spec.y),
        task=spec.task,
        test_fraction=spec.test_fraction,
        seed=spec.seed,
        classes=spec.classes,
    )
    return core.Dataset(
        name="custom",
        task=base.task,
        points=points,
        features=tuple(f"x{k + 1}" for k in range(d)),
        x_train=points[base.train_index],
        y_train=base.y_train,
        x_test=points[base.test_index],
        y_test=base.y_test,
        train_index=base.train_index,
        test_index=base.test_index,
        classes=base.classes,
    )


def optimizer_of(config: dict[str, Any]) -> core.Optimizer:
    """The core optimizer a config names."""
    opt = dict(config["optimizer"])
    name = opt.pop("name")
    return core.SGD(**opt) if name == "sgd" else core.Adam(**opt)


def network_of(record: NetworkRecord, params: list[np.ndarray] | None = None) -> core.MLP:
    """The core MLP of a record (its current parameters unless others are given)."""
    p = record.params if params is None else params
    return core.MLP(p[0::2], p[1::2], record.config["activations"], dtype=record.config["dtype"])


def new_record(config: dict[str, Any]) -> NetworkRecord:
    """A freshly initialised network for `config`."""
    net = core.MLP.init(
        config["layers"],
        config["activations"],
        init=config["init"],
        seed=config["seed"],
        dtype=config["dtype"],
    )
    t = now()
    return NetworkRecord(
        id=new_id(),
        config=config,
        params=core.flat_params(net.weights, net.biases),
        created=t,
        touched=t,
    )


def reset_record(record: NetworkRecord) -> NetworkRecord:
    """The same network back at its initial weights, step 0, no optimizer state."""
    fresh = new_record(record.config)
    fresh.id, fresh.created = record.id, record.created
    fresh.config_changed = False
    return fresh


# ---- metrics and steps


_STACKED: weakref.WeakKeyDictionary[core.Dataset, np.ndarray] = weakref.WeakKeyDictionary()


def _stacked_inputs(data: core.Dataset) -> np.ndarray:
    # Train and test inputs in one array, so one forward pass scores both sets.
    x = _STACKED.get(data)
    if x is None:
        x = _STACKED[data] = np.concatenate([data.x_train, data.x_test])
    return x


def _set_metrics(
    z: np.ndarray,
    h: np.ndarray,
    predictions: np.ndarray,
    y: np.ndarray,
    config: dict[str, Any],
    l2: float,
) -> dict[str, float | None]:
    if z.shape[0] == 0:
        return {"loss": None, "accuracy": None}
    loss = core.LOSSES[config["loss"]].value(z, h, y) + l2
    acc = core.accuracy(predictions, y) if config["loss"] == "cross_entropy" else None
    return {"loss": loss, "accuracy": acc}


def metrics(
    net: core.MLP, data: core.Dataset, config: dict[str, Any]
) -> dict[str, dict[str, float | None]]:
    """Loss and accuracy on the training and the test set."""
    trace = net.forward(_stacked_inputs(data))
    z, h, pred = trace.layers[-1].z, trace.layers[-1].h, trace.predictions
    n = data.x_train.shape[0]
    l2 = net.l2_penalty(config["l2"])
    return {
        "train": _set_metrics(z[:n], h[:n], pred[:n], data.y_train, config, l2),
        "test": _set_metrics(z[n:], h[n:], pred[n:], data.y_test, config, l2),
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


def divergence_message(record: NetworkRecord, what: str) -> str:
    lr = record.config["optimizer"]["learning_rate"]
    return (
        f"Training diverged at step {record.step + 1}: {what} became NaN or infinite. "
        f"Lower the learning rate (now {lr:g}) and reset the network."
    )


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
        record.config["batch_size"],
        record.step,
        record.config["seed"],
        sample=sample,
        indices=batch,
    )


def run_steps(record: NetworkRecord, req: StepRequest, limits: Limits) -> Change[dict[str, Any]]:
    """Apply `req.steps` updates (or compute one without applying); the last step's trace."""
    if req.steps > limits.max_steps:  # the schema only knows the default limit
        raise InputError(
            ("steps",),
            f"steps = {req.steps} exceeds the limit of {limits.max_steps} per request "
            "(BACKPROP_LENS_MAX_STEPS)",
        )
    if record.diverged:
        raise DivergedError(record.diverged)
    config = record.config
    data = load_dataset(config["dataset"], limits)
    check_rows(len(req.batch or []), "batch", limits)
    check_batch(req.sample, req.batch, data)
    net = network_of(record)
    optimizer = optimizer_of(config)
    state = core.OptimizerState(record.opt_t, record.buffers)
    history: list[dict[str, Any]] = []
    steps = req.steps if req.apply else 1
    result = None
    for _ in range(steps):
        batch = batch_of(record, data, req.sample, req.batch)
        before = record.params
        result = core.train_step(
            net,
            optimizer,
            state,
            data.x_train[batch],
            data.y_train[batch],
            loss=config["loss"],
            l2=config["l2"],
            apply=req.apply,
        )
        trace = result.trace
        new_params = core.flat_params(result.network.weights, result.network.biases)
        if not all_finite(trace.loss_before, trace.loss_after, *new_params, *_trace_arrays(trace)):
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
        record.last_l2 = config["l2"]
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
            {
                "z": lt.z,
                "h": lt.h,
                "dz": g.dz,
                "dh": g.dh,
                "dW": g.dW,
                "db": g.db,
                "update": {"dW": u[0], "db": u[1]},
            }
            for lt, g, u in zip(
                trace.forward.layers, trace.grads.layers, trace.updates, strict=True
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


def apply_patch(record: NetworkRecord, patch: NetworkPatch, limits: Limits) -> Change[None]:
    """Change hyper-parameters (training continues) or set one parameter."""
    config = dict(record.config)
    opt = dict(config["optimizer"])
    fields = patch.model_dump(exclude_none=True, exclude={"set"})
    if "optimizer" in fields and fields["optimizer"] != opt["name"]:
        name = fields["optimizer"]
        opt = (
            {"name": "sgd", "learning_rate": 0.1, "momentum": 0.0, "nesterov": False}
            if name == "sgd"
            else {"name": "adam", "learning_rate": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
        )
        # The other optimizer's buffers mean nothing to this one; Adam's bias correction
        # counts from its own first update, so the counter starts afresh with the buffers.
        record.buffers, record.opt_t = {}, 0
    for key in ("learning_rate", "momentum", "nesterov", "beta1", "beta2", "eps"):
        if key in fields:
            if key not in opt:
                raise ConflictError((key,), f"{key} does not apply to the {opt['name']} optimizer")
            opt[key] = fields[key]
    config["optimizer"] = opt
    if "batch_size" in fields:
        check_batch_size(fields["batch_size"], limits)
    for key in ("batch_size", "l2"):
        if key in fields:
            config[key] = fields[key]
    if patch.set is not None:
        _set_param(record, patch)
    if config != record.config:
        record.config, record.config_changed = config, True
    if fields or patch.set is not None:
        record.diverged = None  # a changed network may train again; steps re-check it
    record.touched = now()
    return Change(result=None, record=record)


def _set_param(record: NetworkRecord, patch: NetworkPatch) -> None:
    s = patch.set
    assert s is not None
    layers = record.config["layers"]
    if s.layer >= len(layers) - 1:
        raise ConflictError(
            ("set", "layer"), f"layer = {s.layer} is out of range (0..{len(layers) - 2})"
        )
    n_in, n_out = layers[s.layer], layers[s.layer + 1]
    if s.kind == "W":
        if s.j is None:
            raise InputError(("set", "j"), "setting a weight needs both i and j")
        if s.i >= n_in or s.j >= n_out:
            raise ConflictError(
                ("set",), f"W({s.layer})[{s.i}, {s.j}] is outside its shape ({n_in}, {n_out})"
            )
        record.params[2 * s.layer][s.i, s.j] = s.value
    else:
        if s.j is not None:
            raise InputError(("set", "j"), "a bias has one index: give i only")
        if s.i >= n_out:
            raise ConflictError(
                ("set", "i"), f"b({s.layer})[{s.i}] is outside its shape ({n_out},)"
            )
        record.params[2 * s.layer + 1][s.i] = s.value


def export_doc(record: NetworkRecord, history: list[dict[str, Any]]) -> dict[str, Any]:
    """Everything needed to recreate the network elsewhere."""
    return {
        "format": "backprop-lens/network",
        "version": 1,
        "config": record.config,
        "params": record.params,
        "optimizer_state": {"t": record.opt_t, "buffers": record.buffers},
        "step": record.step,
        "history": history,
    }


def import_record(doc: NetworkImport, limits: Limits) -> tuple[NetworkRecord, list[dict[str, Any]]]:
    """A new record from an export document; InputError naming what does not match."""
    create_fields = {k: v for k, v in doc.config.items() if k in NetworkCreate.model_fields}
    try:
        body = NetworkCreate.model_validate(create_fields)
    except ValueError as exc:
        raise InputError(("config",), f"config is not valid: {exc}") from None
    config, _ = build_config(body, limits)
    record = new_record(config)
    shapes = param_shapes(config["layers"])
    record.params = _arrays(doc.params, shapes, config["dtype"], ("params",))
    record.buffers = {
        k: _arrays(v, shapes, config["dtype"], ("optimizer_state", "buffers", k))
        for k, v in doc.optimizer_state.buffers.items()
    }
    record.opt_t, record.step = doc.optimizer_state.t, doc.step
    history = [h.model_dump() for h in doc.history]
    return record, history[-limits.max_history :]


def _arrays(
    values: Any, shapes: list[tuple[int, ...]], dtype: str, loc: tuple[str, ...]
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
        out.append(arr)
    return out


def make_room(store: Store, limits: Limits) -> None:
    """Delete idle networks; refuse (429) when the store is still full."""
    store.purge_idle(now() - limits.idle_days * 86400)
    if store.count() >= limits.max_networks:
        raise StoreFullError(
            f"the server already stores {limits.max_networks} networks "
            "(BACKPROP_LENS_MAX_NETWORKS); delete one or try again later"
        )
