"""Names, defaults and errors defined once in core: Literals, default tables, InvalidInput."""

from __future__ import annotations

import inspect
import pickle
from collections.abc import Callable
from typing import Any, get_args

import numpy as np
import pytest

import core
from core import (
    ACTIVATIONS,
    DATASET_DEFAULTS,
    DATASETS,
    FEATURES,
    HIDDEN_ACTIVATIONS,
    INITS,
    LOSSES,
    MLP,
    OPTIMIZER_DEFAULTS,
    OPTIMIZERS,
    SGD,
    Adam,
    InvalidInput,
    boundary_surface,
    check_architecture,
    explain,
    feature_matrix,
    from_points,
    linear_collapse,
    make_dataset,
    select_batch,
)


def test_every_name_tuple_is_its_literal_in_the_same_order() -> None:
    assert tuple(ACTIVATIONS) == get_args(core.Activation)
    assert tuple(a for a in get_args(core.Activation) if a != "softmax") == HIDDEN_ACTIVATIONS
    assert tuple(LOSSES) == get_args(core.Loss)
    assert get_args(core.Init) == INITS
    assert get_args(core.OptimizerName) == OPTIMIZERS
    assert tuple(DATASETS) == get_args(core.DatasetKind)
    assert get_args(core.Feature) == FEATURES
    assert {spec.task for spec in DATASETS.values()} == set(get_args(core.Task))


def test_optimizers_take_their_defaults_from_the_one_table() -> None:
    assert set(OPTIMIZER_DEFAULTS) == set(OPTIMIZERS)
    for optimizer in (SGD(), Adam()):
        defaults = OPTIMIZER_DEFAULTS[optimizer.name]
        assert {k: getattr(optimizer, k) for k in defaults} == dict(defaults)
    assert OPTIMIZER_DEFAULTS["sgd"] == {"learning_rate": 0.1, "momentum": 0.0}
    assert set(OPTIMIZER_DEFAULTS["adam"]) == {"learning_rate", "beta1", "beta2", "eps"}


def test_make_dataset_takes_its_defaults_from_the_one_table() -> None:
    params = inspect.signature(make_dataset).parameters
    assert {k: params[k].default for k in DATASET_DEFAULTS} == dict(DATASET_DEFAULTS)
    data = make_dataset("circle")
    assert len(data.points) == DATASET_DEFAULTS["n"]


def test_defaults_cannot_be_changed_by_a_caller() -> None:
    with pytest.raises(TypeError):
        OPTIMIZER_DEFAULTS["sgd"]["learning_rate"] = 1.0  # type: ignore[index]
    with pytest.raises(TypeError):
        DATASET_DEFAULTS["n"] = 5  # type: ignore[index]


def _net() -> MLP:
    return MLP.init([2, 3, 2], ["tanh", "softmax"], seed=0)


def _explain(layer: int, i: int, j: int) -> Callable[[], object]:
    net = _net()
    trace = net.forward(np.zeros((2, 2)))
    grads = net.backward(trace, [0, 1])
    return lambda: explain(net, trace, grads, layer, i, j)


CASES: list[tuple[str, Callable[[], object], tuple[Any, ...]]] = [
    ("one size", lambda: check_architecture([2], []), ("layers",)),
    ("empty layer", lambda: check_architecture([2, 0, 2], ["tanh", "softmax"]), ("layers", 1)),
    ("activation count", lambda: check_architecture([2, 2], ["tanh", "softmax"]), ("activations",)),
    (
        "unknown activation",
        lambda: check_architecture([2, 2, 2], ["tanh", "gelu"]),
        ("activations", 1),
    ),
    (
        "hidden softmax",
        lambda: check_architecture([2, 2, 2], ["softmax", "tanh"]),
        ("activations", 0),
    ),
    ("init", lambda: MLP.init([2, 2], ["softmax"], init="bogus"), ("init",)),  # type: ignore[arg-type]
    ("dtype", lambda: MLP([np.eye(2)], [np.zeros(2)], ["softmax"], dtype=np.int32), ("dtype",)),
    (
        "weights chain",
        lambda: MLP([np.eye(2), np.eye(3)], [np.zeros(2), np.zeros(3)], ["tanh", "softmax"]),
        ("weights", 1),
    ),
    ("bias shape", lambda: MLP([np.eye(2)], [np.zeros(3)], ["softmax"]), ("biases", 0)),
    ("not numbers", lambda: MLP([[["a", "b"]]], [[0.0, 0.0]], ["softmax"]), ("weights", 0)),
    ("x shape", lambda: _net().forward(np.zeros((3, 5))), ("x",)),
    ("x nan", lambda: _net().forward([[np.nan, 0.0]]), ("x",)),
    ("y class", lambda: _net().backward(_net().forward(np.zeros((2, 2))), [0, 7]), ("y",)),
    ("loss", lambda: _net().loss(np.zeros((2, 2)), [0, 1], "hinge"), ("loss",)),  # type: ignore[arg-type]
    (
        "ce without softmax",
        lambda: MLP.init([2, 2], ["linear"]).loss(np.zeros((1, 2)), [0]),
        ("loss",),
    ),
    ("dataset kind", lambda: make_dataset("swirl"), ("kind",)),  # type: ignore[arg-type]
    ("noise", lambda: make_dataset("circle", noise=2.0), ("noise",)),
    ("n", lambda: make_dataset("circle", n=2), ("n",)),
    ("classes", lambda: make_dataset("spiral", classes=9), ("classes",)),
    ("test fraction", lambda: make_dataset("circle", test_fraction=0.95), ("test_fraction",)),
    ("feature", lambda: make_dataset("circle", features=["x1", "x3"]), ("features", 1)),  # type: ignore[list-item]
    ("feature twice", lambda: feature_matrix(np.zeros((4, 2)), ["x1", "x1"]), ("features", 1)),
    (
        "points",
        lambda: from_points(np.zeros((4, 3)), [0, 1, 0, 1], task="classification"),
        ("points",),
    ),
    ("task", lambda: from_points(np.zeros((4, 2)), [0, 1, 0, 1], task="ranking"), ("task",)),  # type: ignore[arg-type]
    ("points y", lambda: from_points(np.zeros((4, 2)), [0, 1, 0], task="classification"), ("y",)),
    ("sample", lambda: select_batch(10, 2, 0, 0, sample=10), ("sample",)),
    ("batch", lambda: select_batch(10, 2, 0, 0, indices=[3, 11]), ("batch",)),
    ("batch size", lambda: select_batch(10, 0, 0, 0), ("batch_size",)),
    ("explain layer", _explain(2, 0, 0), ("layer",)),
    ("explain i", _explain(0, 2, 0), ("i",)),
    ("explain j", _explain(1, 0, 2), ("j",)),
    ("collapse", lambda: linear_collapse(_net()), ("activations",)),
    ("resolution", lambda: boundary_surface(_net(), make_dataset("circle"), 1), ("resolution",)),
]


@pytest.mark.parametrize(
    ("check", "field"), [(c[1], c[2]) for c in CASES], ids=[c[0] for c in CASES]
)
def test_every_core_check_raises_invalid_input_naming_the_field(
    check: Callable[[], object], field: tuple[Any, ...]
) -> None:
    with pytest.raises(InvalidInput) as err:
        check()
    assert err.value.field == field
    assert err.value.message == str(err.value) and err.value.message
    assert isinstance(err.value, ValueError)  # callers catching ValueError keep working


def test_invalid_input_survives_pickling_with_its_field() -> None:
    # The app's worker processes send errors back to the server process.
    err = pickle.loads(pickle.dumps(InvalidInput(("layers", 2), "too wide")))
    assert (err.field, err.message) == (("layers", 2), "too wide")
