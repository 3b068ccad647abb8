"""The network over its input plane: the decision boundary grid (or the curve, for 1-D data)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from core.activations import Array
from core.datasets import Dataset, Task, feature_matrix
from core.errors import InvalidInput
from core.mlp import MLP

PAD: float = 0.05  # share of the data's extent added on every side of the drawn area


@dataclass(frozen=True, slots=True)
class Bounds:
    """The drawn area of the raw input (1-D or 2-D points), and how points become inputs."""

    lo: tuple[float, ...]
    hi: tuple[float, ...]
    features: tuple[str, ...]
    task: Task
    classes: int = 0

    @classmethod
    def of(cls, data: Dataset) -> Bounds:
        """The data's extent padded by PAD of its width on every side; an axis with no width
        (one point, or points on a line) spans 1 on each side of it, so there is a plane to
        draw the network's answer on."""
        lo, hi = data.points.min(axis=0), data.points.max(axis=0)
        width = hi - lo
        pad = np.where(width > 1e-9, PAD * width, 1.0)
        lo, hi = lo - pad, hi + pad
        return cls(
            tuple(float(v) for v in lo),
            tuple(float(v) for v in hi),
            data.features,
            data.task,
            data.classes,
        )


@dataclass(frozen=True, slots=True)
class LayerSurface:
    """One hidden layer's activations H(l) per cell (cells, width), with each neuron's range."""

    values: Array
    min: Array  # (width,)
    max: Array  # (width,)


@dataclass(frozen=True, slots=True)
class Surface:
    """The network evaluated on a grid of the input plane (kind "grid", resolution² cells, row
    by row, the top row first, like an image) or along the line (kind "curve", resolution
    points left to right).

    `output` is the last layer's activations H(L) per cell. `value` is what a map colours:
    for a grid of a classification network the winning class's probability (`confidence`,
    scale 0..1) beside the winning class (`predictions`); otherwise the first output, scaled
    by its own min..max. `neurons` holds every hidden layer's values when they were asked for.
    `finite` is False when any output is NaN or infinite (the network diverged).
    """

    kind: Literal["grid", "curve"]
    resolution: int
    task: Task
    classes: int
    xs: NDArray[np.float64]  # (resolution,) left to right
    ys: NDArray[np.float64] | None  # (resolution,) top to bottom; None for a curve
    x_range: tuple[float, float]
    y_range: tuple[float, float] | None
    points: NDArray[np.float64]  # (cells, d): the raw input of every cell
    output: Array
    predictions: NDArray[np.intp] | None
    confidence: Array | None
    value: Array
    min: float
    max: float
    neurons: tuple[LayerSurface, ...]
    finite: bool


def boundary_surface(
    net: MLP, data_or_bounds: Dataset | Bounds, resolution: int, neurons: bool = False
) -> Surface:
    """`net` over a resolution × resolution grid of the input plane (a line for 1-D inputs).

    A Dataset gives its padded extent (Bounds.of); the features turn each point into the
    network's input as in training.
    """
    bounds = data_or_bounds if isinstance(data_or_bounds, Bounds) else Bounds.of(data_or_bounds)
    if isinstance(resolution, bool) or int(resolution) != resolution or resolution < 2:
        raise InvalidInput(
            ("resolution",), f"resolution = {resolution}; it must be an integer of at least 2"
        )
    dim = len(bounds.lo)
    if dim not in (1, 2) or len(bounds.hi) != dim:
        raise InvalidInput(("bounds",), "the boundary is drawn only for 1-D or 2-D input data")
    lo, hi = bounds.lo, bounds.hi
    gx = np.linspace(lo[0], hi[0], resolution)
    if dim == 1:
        gy = None
        points = gx[:, None]
    else:
        gy = np.linspace(hi[1], lo[1], resolution)  # top row first, like an image
        points = np.stack(np.meshgrid(gx, gy), axis=-1).reshape(-1, 2)
    trace = net.forward(feature_matrix(points, bounds.features))
    out = trace.layers[-1].h
    predictions = confidence = None
    if dim == 2 and bounds.task == "classification":
        predictions = out.argmax(axis=1)
        confidence = out.max(axis=1)
        value, vmin, vmax = confidence, 0.0, 1.0
    else:
        value = out[:, 0]
        vmin, vmax = float(value.min()), float(value.max())
    layers: tuple[LayerSurface, ...] = ()
    if neurons:
        layers = tuple(
            LayerSurface(t.h, t.h.min(axis=0), t.h.max(axis=0)) for t in trace.layers[:-1]
        )
    return Surface(
        kind="curve" if dim == 1 else "grid",
        resolution=resolution,
        task=bounds.task,
        classes=bounds.classes,
        xs=gx,
        ys=gy,
        x_range=(lo[0], hi[0]),
        y_range=None if dim == 1 else (lo[1], hi[1]),
        points=points,
        output=out,
        predictions=predictions,
        confidence=confidence,
        value=value,
        min=vmin,
        max=vmax,
        neurons=layers,
        finite=bool(np.isfinite(out).all()),
    )
