"""Seeded toy datasets in the spirit of TensorFlow Playground, split into train and test."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Final, Literal, get_args

import numpy as np
from numpy.random import Generator
from numpy.typing import ArrayLike, NDArray

from core.errors import InvalidInput, check_rectangular

Task = Literal["classification", "regression"]
DatasetKind = Literal["circle", "xor", "gauss", "moons", "spiral", "blobs", "sine", "plane"]
Feature = Literal["x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"]
FloatArray = NDArray[np.float64]
Labels = NDArray[np.int64] | NDArray[np.float64]
Sample = tuple[FloatArray, Labels]  # (points (n, d), y (n,)) as a generator returns them
_Maker = Callable[[int, float, int, Generator], Sample]

FEATURES: Final[tuple[Feature, ...]] = get_args(Feature)
# name -> (input dimension the feature needs, column built from points (n, d))
_FEATURE_FNS: Final[dict[str, tuple[int, Callable[[FloatArray], FloatArray]]]] = {
    "x1": (1, lambda p: p[:, 0]),
    "x2": (2, lambda p: p[:, 1]),
    "x1^2": (1, lambda p: p[:, 0] ** 2),
    "x2^2": (2, lambda p: p[:, 1] ** 2),
    "x1*x2": (2, lambda p: p[:, 0] * p[:, 1]),
    "sin(x1)": (1, lambda p: np.sin(p[:, 0])),
    "sin(x2)": (2, lambda p: np.sin(p[:, 1])),
}
MIN_SAMPLES: Final = 4
MAX_TEST_FRACTION: Final = 0.9
MAX_NOISE: Final = 1.0

# The one place for a generated dataset's defaults (make_dataset, the API, the page).
DATASET_DEFAULTS: Final[Mapping[str, float | int]] = MappingProxyType(
    {"n": 200, "noise": 0.1, "test_fraction": 0.2, "seed": 0, "classes": 2}
)
# The allowed range of each generator parameter; n has no upper bound in core (the API's is a
# limit in its settings).
DATASET_RANGES: Final[Mapping[str, tuple[float, float | None]]] = MappingProxyType(
    {"n": (MIN_SAMPLES, None), "noise": (0.0, MAX_NOISE), "test_fraction": (0.0, MAX_TEST_FRACTION)}
)


@dataclass(frozen=True)
class DatasetSpec:
    """One row of the catalog: what a generator makes and which `classes` it accepts."""

    name: str
    task: Task
    input_dim: int
    min_classes: int  # 0..0 for regression: classes do not apply
    max_classes: int
    description: str


def _spec(name: str, dim: int, classes: tuple[int, int], description: str) -> DatasetSpec:
    task: Task = "classification" if classes[0] else "regression"
    return DatasetSpec(name, task, dim, *classes, description)


DATASETS: Final[dict[str, DatasetSpec]] = {
    s.name: s
    for s in (
        _spec("circle", 2, (2, 2), "A disc of one class inside a ring of the other."),
        _spec("xor", 2, (2, 2), "Four quadrants, labelled by whether x1 and x2 differ in sign."),
        _spec("gauss", 2, (2, 2), "Two Gaussian clusters on opposite corners of the plane."),
        _spec("moons", 2, (2, 2), "Two interleaving half circles."),
        _spec("spiral", 2, (2, 8), "Interleaved spiral arms, one arm per class."),
        _spec("blobs", 2, (2, 8), "Gaussian clusters evenly spaced on a circle, one per class."),
        _spec("sine", 1, (0, 0), "A 1-D regression of y = sin(x) for x in [-6, 6]."),
        _spec("plane", 2, (0, 0), "A 2-D regression of the tilted plane y = (2 x1 - x2) / 18."),
    )
}


@dataclass(frozen=True, eq=False)  # eq=False: comparing ndarray fields with == is ambiguous
class Dataset:
    """Points, model inputs and targets, split by `train_index` / `test_index` into points.

    points: (n, input_dim); x_*: (n_*, len(features)); y_*: class indices (n_*,) int64 for
    classification, targets (n_*, p) float64 for regression (p = 1 for the generators; explicit
    points may give several outputs). classes is 0 for regression.
    """

    name: str
    task: Task
    points: FloatArray
    features: tuple[str, ...]
    x_train: FloatArray
    y_train: Labels
    x_test: FloatArray
    y_test: Labels
    train_index: NDArray[np.int64]
    test_index: NDArray[np.int64]
    classes: int

    @property
    def n_train(self) -> int:
        return len(self.train_index)

    @property
    def n_test(self) -> int:
        return len(self.test_index)

    @property
    def input_dim(self) -> int:
        return int(self.points.shape[1])

    @property
    def outputs(self) -> int:
        """Neurons the output layer needs: one per class, or one per regression target."""
        return self.classes if self.task == "classification" else int(self.y_train.shape[1])


def _labels(n: int, k: int) -> NDArray[np.int64]:
    # Round-robin labels keep every class within one sample of n / k.
    return np.arange(n, dtype=np.int64) % k


def _jitter(rng: Generator, n: int, noise: float, scale: float) -> FloatArray:
    # Always drawn, even at noise 0, so one seed gives the same base points at every noise.
    return noise * scale * rng.standard_normal((n, 2))


def _polar(r: FloatArray, angle: FloatArray) -> FloatArray:
    return np.column_stack((r * np.cos(angle), r * np.sin(angle)))


def _circle(n: int, noise: float, classes: int, rng: Generator) -> Sample:
    y = _labels(n, 2)
    # The gap between the disc (r <= 2.5) and the ring (r >= 3.5) makes clean data separable.
    r = np.where(y == 0, rng.uniform(0.0, 2.5, n), rng.uniform(3.5, 5.0, n))
    return _polar(r, rng.uniform(0.0, 2 * np.pi, n)) + _jitter(rng, n, noise, 1.0), y


def _xor(n: int, noise: float, classes: int, rng: Generator) -> Sample:
    y = _labels(n, 2)
    size = rng.uniform(0.3, 5.0, (n, 2))  # 0.3 keeps clean points off the axes, as in TF
    s1 = rng.choice([-1.0, 1.0], n)
    s2 = np.where(y == 1, -s1, s1)  # class 1 where x1 * x2 < 0
    return size * np.column_stack((s1, s2)) + _jitter(rng, n, noise, 1.0), y


def _gauss(n: int, noise: float, classes: int, rng: Generator) -> Sample:
    y = _labels(n, 2)
    centers = np.array([[-2.0, -2.0], [2.0, 2.0]])
    std = np.sqrt(0.5 + 3.5 * noise)  # TF Playground's variance range 0.5..4
    return centers[y] + std * rng.standard_normal((n, 2)), y


def _moons(n: int, noise: float, classes: int, rng: Generator) -> Sample:
    y = _labels(n, 2)
    t = rng.uniform(0.0, np.pi, n)
    upper = np.column_stack((np.cos(t), np.sin(t)))
    lower = np.column_stack((1.0 - np.cos(t), 0.5 - np.sin(t)))
    unit = np.where((y == 0)[:, None], upper, lower)
    return 3.0 * (unit - [0.5, 0.25]) + _jitter(rng, n, noise, 1.0), y


def _spiral(n: int, noise: float, classes: int, rng: Generator) -> Sample:
    y = _labels(n, classes)
    u = rng.uniform(0.0, 1.0, n)
    # TF's 1.75 turns for two arms; more arms get fewer turns so the gap between neighbouring
    # arms stays wide enough to learn. Starting at r = 0.5 keeps arms apart at the centre.
    turns = max(0.75, 3.5 / classes)
    angle = 2 * np.pi * (turns * u + y / classes)
    return _polar(0.5 + 4.5 * u, angle) + _jitter(rng, n, noise, 0.5), y


def _blobs(n: int, noise: float, classes: int, rng: Generator) -> Sample:
    y = _labels(n, classes)
    centers = _polar(np.full(classes, 4.0), 2 * np.pi * np.arange(classes) / classes)
    return centers[y] + (0.5 + 0.7 * noise) * rng.standard_normal((n, 2)), y


def _sine(n: int, noise: float, classes: int, rng: Generator) -> Sample:
    x = rng.uniform(-6.0, 6.0, (n, 1))
    return x, np.sin(x[:, 0]) + 0.3 * noise * rng.standard_normal(n)


def _plane(n: int, noise: float, classes: int, rng: Generator) -> Sample:
    x = rng.uniform(-6.0, 6.0, (n, 2))
    # Dividing by 18 keeps targets in [-1, 1], the range of a tanh output.
    return x, (2.0 * x[:, 0] - x[:, 1]) / 18.0 + 0.3 * noise * rng.standard_normal(n)


_GENERATORS: Final[dict[str, _Maker]] = {
    "circle": _circle,
    "xor": _xor,
    "gauss": _gauss,
    "moons": _moons,
    "spiral": _spiral,
    "blobs": _blobs,
    "sine": _sine,
    "plane": _plane,
}


def _check_points(points: FloatArray) -> None:
    if points.ndim != 2 or points.shape[1] not in (1, 2):
        raise InvalidInput(
            ("points",), f"points must have shape (n, 1) or (n, 2); got {points.shape}"
        )


def feature_matrix(points: FloatArray, features: Sequence[str]) -> FloatArray:
    """Model inputs (n, len(features)) built column by column from raw points (n, d)."""
    _check_points(points)
    if isinstance(features, str):
        raise InvalidInput(
            ("features",), f"features must be a sequence of names, not the string {features!r}"
        )
    if not features:
        raise InvalidInput(
            ("features",), f"features must not be empty; choose from {', '.join(FEATURES)}"
        )
    dim = points.shape[1]
    for i, name in enumerate(features):
        if name not in _FEATURE_FNS:
            raise InvalidInput(
                ("features", i), f"unknown feature {name!r}; choose from {', '.join(FEATURES)}"
            )
        if name in features[:i]:
            raise InvalidInput(
                ("features", i), f"feature {name!r} is listed twice; each feature may appear once"
            )
        if _FEATURE_FNS[name][0] > dim:
            allowed = ", ".join(f for f in FEATURES if _FEATURE_FNS[f][0] <= dim)
            raise InvalidInput(
                ("features", i),
                f"feature {name!r} needs 2-D points but these are {dim}-D; choose from {allowed}",
            )
    return np.column_stack([_FEATURE_FNS[name][1](points) for name in features])


def _split(
    n: int, test_fraction: float, rng: Generator, few: bool = False
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    # `few` (explicit points): a test share that rounds to no sample leaves the test set
    # empty, and at least one sample always stays for training.
    if not 0.0 <= test_fraction <= MAX_TEST_FRACTION:
        raise InvalidInput(
            ("test_fraction",),
            f"test_fraction = {test_fraction:g} is out of range (0..{MAX_TEST_FRACTION})",
        )
    n_test = round(n * test_fraction)
    if few:
        n_test = min(n_test, n - 1)
    elif test_fraction > 0 and not 0 < n_test < n:
        empty = "test" if n_test == 0 else "training"
        raise InvalidInput(
            ("test_fraction",),
            f"test_fraction = {test_fraction:g} with n = {n} leaves the {empty} set "
            "empty; use more samples or another fraction",
        )
    order = rng.permutation(n).astype(np.int64)
    return np.sort(order[n_test:]), np.sort(order[:n_test])


def _build(
    name: str,
    task: Task,
    points: FloatArray,
    y: Labels,
    classes: int,
    test_fraction: float,
    rng: Generator,
    features: Sequence[str] | None,
    few: bool = False,
) -> Dataset:
    names = tuple(features) if features is not None else FEATURES[: points.shape[1]]
    x = feature_matrix(points, names)
    train, test = _split(len(points), test_fraction, rng, few)
    if task == "regression" and y.ndim == 1:
        y = y.reshape(-1, 1)
    return Dataset(
        name, task, points, names, x[train], y[train], x[test], y[test], train, test, classes
    )


def make_dataset(
    name: DatasetKind,
    *,
    n: int = int(DATASET_DEFAULTS["n"]),
    noise: float = float(DATASET_DEFAULTS["noise"]),
    classes: int = int(DATASET_DEFAULTS["classes"]),
    test_fraction: float = float(DATASET_DEFAULTS["test_fraction"]),
    seed: int = int(DATASET_DEFAULTS["seed"]),
    features: Sequence[Feature] | None = None,
) -> Dataset:
    """Generate catalog dataset `name` (defaults: DATASET_DEFAULTS); `classes` is ignored for
    regression datasets. Errors are InvalidInput; the dataset's name is the field "kind"."""
    if name not in DATASETS:
        raise InvalidInput(
            ("kind",), f"unknown dataset {name!r}; choose one of {', '.join(DATASETS)}"
        )
    spec = DATASETS[name]
    if spec.task == "regression":
        classes = 0
    elif not spec.min_classes <= classes <= spec.max_classes:
        raise InvalidInput(
            ("classes",),
            f"classes = {classes} is out of range for {name} "
            f"({spec.min_classes}..{spec.max_classes})",
        )
    need = max(MIN_SAMPLES, 2 * classes)  # at least two samples of every class
    if n < need:
        raise InvalidInput(("n",), f"n = {n} is too small; need at least {need} samples")
    if not 0.0 <= noise <= MAX_NOISE:
        raise InvalidInput(("noise",), f"noise = {noise:g} is out of range (0..1)")
    rng = np.random.default_rng(seed)
    points, y = _GENERATORS[name](n, noise, classes, rng)
    return _build(name, spec.task, points, y, classes, test_fraction, rng, features)


def from_points(
    points: ArrayLike,
    y: ArrayLike,
    *,
    task: Task,
    test_fraction: float = 0.2,
    seed: int = 0,
    features: Sequence[str] | None = None,
    classes: int | None = None,
    name: str = "custom",
) -> Dataset:
    """Dataset from explicit points (n, 1 or 2), n ≥ 1, and y: class indices (n,) or
    regression targets (n,) or (n, p). The test set takes round(n · test_fraction) samples
    but leaves at least one for training; with few points it may be empty."""
    if task not in get_args(Task):
        raise InvalidInput(
            ("task",), f"task = {task!r} is unknown; choose classification or regression"
        )
    check_rectangular(points, ("points",))
    p = np.array(points, dtype=np.float64)
    _check_points(p)
    n = len(p)
    if n == 0 or not np.all(np.isfinite(p)):
        raise InvalidInput(
            ("points",), f"points must be a non-empty (n, {p.shape[1]}) array of finite numbers"
        )
    target, k = _check_y(np.asarray(y), task, n, classes)
    rng = np.random.default_rng(seed)
    return _build(name, task, p, target, k, test_fraction, rng, features, few=True)


def _check_y(y: NDArray[Any], task: Task, n: int, classes: int | None) -> tuple[Labels, int]:
    """Validated targets (float64 (n,) or int64 class indices (n,)) and the class count."""
    if task == "regression":
        if classes:
            raise InvalidInput(
                ("classes",), f"classes = {classes} does not apply to regression; leave it unset"
            )
        if not (y.shape == (n,) or (y.ndim == 2 and y.shape[0] == n and y.shape[1] >= 1)) or (
            y.dtype.kind not in "iuf"
        ):
            raise InvalidInput(
                ("y",), f"y must have shape ({n},) or ({n}, p) of numbers; got {y.shape}"
            )
        if not np.all(np.isfinite(y)):
            raise InvalidInput(("y",), "y must hold finite numbers; it contains nan or inf")
        return y.astype(np.float64), 0
    if y.shape != (n,):
        raise InvalidInput(("y",), f"y must have shape ({n},) of class indices; got {y.shape}")
    # JSON or a float array may carry 1.0 for 1; anything fractional is not a class.
    if y.dtype.kind not in "iu" and not (y.dtype.kind == "f" and np.all(y == np.round(y))):
        raise InvalidInput(("y",), f"y must hold integer class indices; got {y.dtype} values")
    if y.min() < 0:
        raise InvalidInput(("y",), f"y contains class {y.min():g}; class indices start at 0")
    k = int(y.max()) + 1 if classes is None else classes
    if k < 2:
        raise InvalidInput(("classes",), f"classes = {k} is too few; need at least 2")
    outside = y[y >= k]
    if outside.size:
        raise InvalidInput(
            ("y",), f"y contains class {outside[0]:g}, outside 0..{k - 1} (classes = {k})"
        )
    return y.astype(np.int64), k
