"""Building networks: the full config from a request, its checks, a fresh record, a reset,
a patch, room in the store, and the network as the API shows it."""

from __future__ import annotations

import itertools
from typing import Any

import core
from app.domain.data import load_dataset
from app.domain.errors import ConflictError, InputError, StoreFullError
from app.domain.limits import check_limit
from app.domain.training import all_finite, metrics, network_of
from app.schemas import NetworkCreate, NetworkPatch
from app.settings import Limits
from app.store import Change, NetworkRecord, Store, new_id, now


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
        "residual": body.residual,
    }
    check_config(config, data, limits)
    return config, data


def check_size(layers: list[int], activations: list[str], limits: Limits) -> None:
    """Raise InputError unless the architecture is valid and within the size limits."""
    n = len(layers) - 1
    subject = f"layers has {n + 1} sizes, that is {n} weight layers"
    check_limit(limits, "max_layers", n, ("layers",), subject=subject)
    for k, size in enumerate(layers):
        check_limit(limits, "max_width", size, ("layers", k))
    n_params = sum(a * b + b for a, b in itertools.pairwise(layers))
    subject = f"layers {layers} make {n_params} parameters"
    check_limit(limits, "max_params", n_params, ("layers",), subject=subject)
    try:
        core.check_architecture(layers, activations)
    except ValueError as exc:
        raise InputError(("activations",), str(exc)) from None


def check_batch_size(batch_size: int, limits: Limits) -> None:
    """Raise LimitError if batch_size is past BACKPROP_LENS_MAX_BATCH."""
    check_limit(limits, "max_batch", batch_size, ("batch_size",))


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


def new_record(config: dict[str, Any]) -> NetworkRecord:
    """A freshly initialised network for `config`."""
    net = core.MLP.init(
        config["layers"],
        config["activations"],
        init=config["init"],
        seed=config["seed"],
        dtype=config["dtype"],
        residual=config.get("residual", False),
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


def make_room(store: Store, limits: Limits) -> None:
    """Delete idle networks; refuse (429) when the store is still full."""
    store.purge_idle(now() - limits.idle_days * 86400)
    if store.count() >= limits.max_networks:
        raise StoreFullError(
            f"the server already stores {limits.max_networks} networks "
            "(BACKPROP_LENS_MAX_NETWORKS); delete one or try again later"
        )


def public(record: NetworkRecord, history: list[dict[str, Any]], limits: Limits) -> dict[str, Any]:
    """The network state as the API returns it."""
    net = network_of(record)
    data = load_dataset(record.config["dataset"], limits)
    m = metrics(net, data, record.config) if not record.diverged else {"train": {}, "test": {}}
    collapse = None
    if core.is_linear_stack(net) and len(net.weights) > 1:
        c = core.linear_collapse(net)
        if all_finite(c.W, c.b):  # huge weights (an imported network) can overflow the product
            collapse = {"W": c.W, "b": c.b, "activation": c.activation}
    return {
        "id": record.id,
        "config": shown_config(record.config),
        "weights": net.weights,
        "biases": net.biases,
        "step": record.step,
        "diverged": record.diverged is not None,
        "message": record.diverged,
        "history": history,
        "metrics": {
            "train_loss": m["train"].get("loss"),
            "train_accuracy": m["train"].get("accuracy"),
            "test_loss": m["test"].get("loss"),
            "test_accuracy": m["test"].get("accuracy"),
        },
        "linear_collapse": collapse,
        "n_params": net.n_params,
        "skips": list(net.skips),
        "skip_layers": list(core.skip_layers(net.sizes)),
    }


def shown_config(config: dict[str, Any]) -> dict[str, Any]:
    """A stored config as the API shows it: one stored before `residual` existed has none."""
    return config if "residual" in config else {**config, "residual": False}
