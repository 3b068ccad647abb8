"""boundary_surface: the network over a grid of the input plane equals its forward pass."""

from __future__ import annotations

import numpy as np
import pytest

from core import (
    MLP,
    Bounds,
    InvalidInput,
    boundary_surface,
    feature_matrix,
    from_points,
    make_dataset,
)


def test_a_grid_is_the_forward_pass_of_its_own_points() -> None:
    data = make_dataset("spiral", n=60, classes=3, seed=2, features=["x1", "x2", "sin(x1)"])
    net = MLP.init([3, 5, 4, 3], ["tanh", "relu", "softmax"], seed=0)
    surface = boundary_surface(net, data, 7, neurons=True)
    trace = net.forward(feature_matrix(surface.points, data.features))
    assert surface.kind == "grid" and surface.points.shape == (49, 2)
    np.testing.assert_array_equal(surface.output, trace.layers[-1].h)
    np.testing.assert_array_equal(surface.predictions, trace.layers[-1].h.argmax(axis=1))
    np.testing.assert_array_equal(surface.confidence, trace.layers[-1].h.max(axis=1))
    np.testing.assert_array_equal(surface.value, surface.confidence)
    assert (surface.min, surface.max) == (0.0, 1.0)
    assert len(surface.neurons) == 2
    for layer, lt in zip(surface.neurons, trace.layers[:-1], strict=True):
        np.testing.assert_array_equal(layer.values, lt.h)
        np.testing.assert_array_equal(layer.min, lt.h.min(axis=0))
        np.testing.assert_array_equal(layer.max, lt.h.max(axis=0))
    assert surface.finite


def test_grid_cells_run_row_by_row_from_the_top_left() -> None:
    data = make_dataset("circle", n=40, seed=0)
    surface = boundary_surface(MLP.init([2, 2], ["softmax"]), data, 4)
    assert surface.ys is not None
    for r in range(4):
        for c in range(4):
            assert tuple(surface.points[4 * r + c]) == (surface.xs[c], surface.ys[r])
    assert surface.xs[0] < surface.xs[-1] and surface.ys[0] > surface.ys[-1]
    assert surface.neurons == ()


def test_the_area_is_the_data_extent_padded_by_five_percent() -> None:
    data = make_dataset("gauss", n=30, seed=4)
    lo, hi = data.points.min(axis=0), data.points.max(axis=0)
    surface = boundary_surface(MLP.init([2, 3, 2], ["tanh", "softmax"]), data, 5)
    width = hi - lo
    assert surface.x_range == pytest.approx((lo[0] - 0.05 * width[0], hi[0] + 0.05 * width[0]))
    assert surface.y_range == pytest.approx((lo[1] - 0.05 * width[1], hi[1] + 0.05 * width[1]))
    assert surface.xs[0] == surface.x_range[0] and surface.xs[-1] == surface.x_range[1]


def test_one_point_gets_a_plane_of_one_on_each_side() -> None:
    data = from_points([[0.5, -2.0]], [0], task="classification", classes=2)
    bounds = Bounds.of(data)
    assert bounds.lo == (-0.5, -3.0) and bounds.hi == (1.5, -1.0)
    line = from_points([[0.0, 1.0], [2.0, 1.0]], [0, 1], task="classification")
    assert Bounds.of(line).lo == (-0.1, 0.0) and Bounds.of(line).hi == (2.1, 2.0)


def test_a_regression_grid_colours_the_output_on_its_own_scale() -> None:
    data = make_dataset("plane", n=30, seed=0)
    net = MLP.init([2, 4, 1], ["tanh", "linear"], seed=3)
    surface = boundary_surface(net, data, 6)
    out = net.forward(feature_matrix(surface.points, data.features)).layers[-1].h[:, 0]
    np.testing.assert_array_equal(surface.value, out)
    assert (surface.min, surface.max) == (out.min(), out.max())
    assert surface.predictions is None and surface.confidence is None


def test_one_dimensional_data_gives_a_curve_along_the_line() -> None:
    data = make_dataset("sine", n=40, seed=0)
    net = MLP.init([1, 6, 1], ["tanh", "linear"], seed=1)
    surface = boundary_surface(net, data, 9)
    assert surface.kind == "curve" and surface.ys is None and surface.y_range is None
    np.testing.assert_array_equal(surface.points[:, 0], surface.xs)
    np.testing.assert_array_equal(
        surface.value, net.forward(surface.xs[:, None]).layers[-1].h[:, 0]
    )


def test_explicit_bounds_need_no_dataset() -> None:
    bounds = Bounds((-1.0, -2.0), (1.0, 2.0), ("x1", "x2", "x1*x2"), "classification", 2)
    net = MLP.init([3, 2], ["softmax"], seed=0)
    surface = boundary_surface(net, bounds, 3)
    assert surface.xs.tolist() == [-1.0, 0.0, 1.0]
    assert surface.ys is not None and surface.ys.tolist() == [2.0, 0.0, -2.0]
    np.testing.assert_array_equal(
        surface.output, net.forward(feature_matrix(surface.points, bounds.features)).layers[-1].h
    )


def test_a_diverged_network_is_flagged_not_finite() -> None:
    data = make_dataset("circle", n=20, seed=0)
    net = MLP([[[1e308, 1e308], [1e308, 1e308]]], [[0.0, 0.0]], ["linear"])
    with np.errstate(over="ignore", invalid="ignore"):
        assert not boundary_surface(net, data, 3).finite


@pytest.mark.parametrize("resolution", [1, 0, 2.5, True])
def test_a_resolution_below_two_names_the_field(resolution: object) -> None:
    data = make_dataset("circle", n=20, seed=0)
    with pytest.raises(InvalidInput) as err:
        boundary_surface(MLP.init([2, 2], ["softmax"]), data, resolution)  # type: ignore[arg-type]
    assert err.value.field == ("resolution",)
