"""Dataset generators, the train/test split, feature columns and input validation."""

from __future__ import annotations

import re

import numpy as np
import pytest

from core.datasets import DATASETS, FEATURES, Dataset, feature_matrix, from_points, make_dataset

CLASSIFICATION = [name for name, spec in DATASETS.items() if spec.task == "classification"]
REGRESSION = [name for name, spec in DATASETS.items() if spec.task == "regression"]


def _all_y(data: Dataset) -> np.ndarray:
    """Targets of every sample, in the order of `points`."""
    y = np.empty((len(data.points), *data.y_train.shape[1:]), dtype=data.y_train.dtype)
    y[data.train_index] = data.y_train
    y[data.test_index] = data.y_test
    return y


def test_catalog_has_the_eight_datasets_with_their_tasks() -> None:
    assert CLASSIFICATION == ["circle", "xor", "gauss", "moons", "spiral", "blobs"]
    assert REGRESSION == ["sine", "plane"]


def test_catalog_class_ranges_and_input_dims() -> None:
    ranges = {name: (s.min_classes, s.max_classes, s.input_dim) for name, s in DATASETS.items()}
    assert ranges == {
        "circle": (2, 2, 2),
        "xor": (2, 2, 2),
        "gauss": (2, 2, 2),
        "moons": (2, 2, 2),
        "spiral": (2, 8, 2),
        "blobs": (2, 8, 2),
        "sine": (0, 0, 1),
        "plane": (0, 0, 2),
    }


@pytest.mark.parametrize("name", DATASETS)
def test_same_arguments_give_bit_identical_data(name: str) -> None:
    a = make_dataset(name, n=50, noise=0.3, seed=7)
    b = make_dataset(name, n=50, noise=0.3, seed=7)
    for field in ("points", "x_train", "y_train", "x_test", "y_test", "train_index", "test_index"):
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field))


@pytest.mark.parametrize("name", DATASETS)
def test_different_seeds_give_different_points(name: str) -> None:
    a = make_dataset(name, n=50, seed=0)
    b = make_dataset(name, n=50, seed=1)
    assert not np.array_equal(a.points, b.points)


@pytest.mark.parametrize("name", DATASETS)
def test_noise_changes_the_data_but_keeps_the_split(name: str) -> None:
    clean = make_dataset(name, n=50, noise=0.0, seed=3)
    noisy = make_dataset(name, n=50, noise=0.5, seed=3)
    # Regression noise lands on the targets, classification noise on the points.
    moved = not np.array_equal(clean.points, noisy.points)
    assert moved or not np.array_equal(_all_y(clean), _all_y(noisy))
    np.testing.assert_array_equal(clean.train_index, noisy.train_index)


@pytest.mark.parametrize("name", CLASSIFICATION)
def test_classification_shapes_and_dtypes(name: str) -> None:
    data = make_dataset(name, n=40, test_fraction=0.25)
    assert data.task == "classification" and data.name == name and data.classes == 2
    assert data.points.shape == (40, 2) and data.points.dtype == np.float64
    assert data.x_train.shape == (30, 2) and data.x_train.dtype == np.float64
    assert data.y_train.shape == (30,) and data.y_train.dtype == np.int64
    assert data.x_test.shape == (10, 2) and data.y_test.shape == (10,)
    assert (data.n_train, data.n_test, data.input_dim) == (30, 10, 2)


@pytest.mark.parametrize("name", REGRESSION)
def test_regression_targets_are_float_columns(name: str) -> None:
    data = make_dataset(name, n=40, test_fraction=0.25)
    assert data.task == "regression" and data.classes == 0
    assert data.y_train.shape == (30, 1) and data.y_train.dtype == np.float64
    assert data.y_test.shape == (10, 1)


def test_sine_is_one_dimensional_with_x1_as_default_feature() -> None:
    data = make_dataset("sine", n=20)
    assert data.points.shape == (20, 1) and data.features == ("x1",)
    assert data.x_train.shape == (16, 1)


def test_two_dimensional_default_features_are_x1_and_x2() -> None:
    assert make_dataset("plane", n=20).features == ("x1", "x2")


def test_clean_sine_targets_equal_sin_x() -> None:
    data = make_dataset("sine", n=30, noise=0.0)
    np.testing.assert_allclose(_all_y(data)[:, 0], np.sin(data.points[:, 0]))


def test_clean_plane_targets_are_linear_in_the_points() -> None:
    data = make_dataset("plane", n=30, noise=0.0)
    a = np.column_stack((data.points, np.ones(30)))
    _, residual, _, _ = np.linalg.lstsq(a, _all_y(data), rcond=None)
    assert residual[0] < 1e-20


@pytest.mark.parametrize(("n", "fraction", "n_test"), [(200, 0.2, 40), (10, 0.25, 2), (7, 0.5, 4)])
def test_test_set_size_is_n_times_fraction_rounded(n: int, fraction: float, n_test: int) -> None:
    data = make_dataset("circle", n=n, test_fraction=fraction)
    assert (data.n_test, data.n_train) == (n_test, n - n_test)


def test_split_indices_are_disjoint_and_cover_every_point() -> None:
    data = make_dataset("moons", n=57, test_fraction=0.3)
    both = np.concatenate((data.train_index, data.test_index))
    np.testing.assert_array_equal(np.sort(both), np.arange(57))
    assert data.train_index.dtype == np.int64 and data.test_index.dtype == np.int64


def test_split_rows_are_the_features_of_the_indexed_points() -> None:
    data = make_dataset("xor", n=30, features=["x1*x2", "x1"])
    np.testing.assert_array_equal(
        data.x_test, feature_matrix(data.points[data.test_index], data.features)
    )


def test_zero_test_fraction_gives_an_empty_test_set_of_the_right_width() -> None:
    data = make_dataset("spiral", n=30, test_fraction=0.0, features=["x1", "x2", "sin(x1)"])
    assert data.n_train == 30
    assert data.x_test.shape == (0, 3) and data.y_test.shape == (0,)


def test_split_depends_on_the_seed() -> None:
    a = make_dataset("circle", n=50, seed=0)
    b = make_dataset("circle", n=50, seed=1)
    assert not np.array_equal(a.test_index, b.test_index)


@pytest.mark.parametrize("name", ["spiral", "blobs"])
@pytest.mark.parametrize("classes", [2, 3, 8])
def test_multiclass_datasets_use_every_label_in_balance(name: str, classes: int) -> None:
    data = make_dataset(name, n=80, classes=classes)
    counts = np.bincount(_all_y(data), minlength=classes)
    assert data.classes == classes and len(counts) == classes
    assert counts.max() - counts.min() <= 1


@pytest.mark.parametrize("name", CLASSIFICATION)
def test_two_class_datasets_are_balanced(name: str) -> None:
    assert np.bincount(_all_y(make_dataset(name, n=101))).tolist() == [51, 50]


def test_clean_circle_is_separable_by_radius() -> None:
    data = make_dataset("circle", n=200, noise=0.0)
    radius, y = np.hypot(*data.points.T), _all_y(data)
    assert radius[y == 0].max() < radius[y == 1].min()


def test_clean_xor_label_is_one_where_x1_times_x2_is_negative() -> None:
    data = make_dataset("xor", n=200, noise=0.0)
    product = data.points[:, 0] * data.points[:, 1]
    np.testing.assert_array_equal(_all_y(data), (product < 0).astype(np.int64))


def test_clean_blobs_are_nearest_to_their_own_centre() -> None:
    data = make_dataset("blobs", n=200, classes=5, noise=0.0)
    y = _all_y(data)
    centres = np.array([data.points[y == k].mean(axis=0) for k in range(5)])
    nearest = np.argmin(np.linalg.norm(data.points[:, None] - centres, axis=2), axis=1)
    np.testing.assert_array_equal(nearest, y)


@pytest.mark.parametrize("name", DATASETS)
def test_points_lie_in_the_playground_square_without_noise(name: str) -> None:
    assert np.abs(make_dataset(name, n=300, noise=0.0).points).max() <= 6.0


def test_feature_columns_are_computed_from_the_points() -> None:
    p = np.array([[1.0, 2.0], [-3.0, 0.5]])
    x = feature_matrix(p, FEATURES)
    expected = [
        p[:, 0],
        p[:, 1],
        p[:, 0] ** 2,
        p[:, 1] ** 2,
        p[:, 0] * p[:, 1],
        np.sin(p[:, 0]),
        np.sin(p[:, 1]),
    ]
    np.testing.assert_allclose(x, np.column_stack(expected))


def test_features_follow_the_requested_order() -> None:
    data = make_dataset("gauss", n=20, features=["x1*x2", "x2"])
    row = data.points[data.train_index[0]]
    np.testing.assert_allclose(data.x_train[0], [row[0] * row[1], row[1]])


def test_one_dimensional_points_accept_x1_features() -> None:
    x = feature_matrix(np.array([[0.5], [2.0]]), ["x1", "x1^2", "sin(x1)"])
    np.testing.assert_allclose(x, [[0.5, 0.25, np.sin(0.5)], [2.0, 4.0, np.sin(2.0)]])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "foo"}, "unknown dataset 'foo'; choose one of circle, xor"),
        ({"name": "spiral", "classes": 9}, "classes = 9 is out of range for spiral (2..8)"),
        ({"name": "circle", "classes": 3}, "classes = 3 is out of range for circle (2..2)"),
        ({"name": "blobs", "classes": 1}, "classes = 1 is out of range for blobs (2..8)"),
        ({"name": "circle", "n": 1}, "n = 1 is too small; need at least 4 samples"),
        ({"name": "blobs", "n": 10, "classes": 6}, "n = 10 is too small; need at least 12"),
        ({"name": "xor", "noise": 2}, "noise = 2 is out of range (0..1)"),
        ({"name": "xor", "noise": -0.1}, "noise = -0.1 is out of range (0..1)"),
        ({"name": "xor", "noise": float("nan")}, "noise = nan is out of range"),
        ({"name": "xor", "test_fraction": 0.95}, "test_fraction = 0.95 is out of range (0..0.9)"),
        ({"name": "xor", "test_fraction": -0.2}, "test_fraction = -0.2 is out of range"),
        ({"name": "xor", "n": 4, "test_fraction": 0.1}, "leaves the test set empty"),
        ({"name": "xor", "n": 4, "test_fraction": 0.9}, "leaves the training set empty"),
        ({"name": "xor", "features": ["x3"]}, "unknown feature 'x3'; choose from x1, x2, x1^2"),
        ({"name": "xor", "features": ["x1", "x1"]}, "feature 'x1' is listed twice"),
        ({"name": "xor", "features": []}, "features must not be empty; choose from x1"),
        ({"name": "sine", "features": ["x1", "x2"]}, "feature 'x2' needs 2-D points"),
        ({"name": "sine", "features": ["x1*x2"]}, "choose from x1, x1^2, sin(x1)"),
    ],
)
def test_make_dataset_rejects_bad_arguments(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        make_dataset(**kwargs)  # type: ignore[arg-type]


def test_regression_datasets_ignore_classes() -> None:
    assert make_dataset("sine", n=20, classes=7).classes == 0


def test_a_string_of_features_is_rejected() -> None:
    with pytest.raises(ValueError, match="not the string 'x1'"):
        feature_matrix(np.zeros((3, 2)), "x1")


def test_feature_matrix_rejects_points_of_the_wrong_shape() -> None:
    with pytest.raises(
        ValueError, match=r"points must have shape \(n, 1\) or \(n, 2\); got \(4, 3\)"
    ):
        feature_matrix(np.zeros((4, 3)), ["x1"])


def test_from_points_round_trips_points_and_labels() -> None:
    points = np.array([[0.0, 1.0], [1.0, 0.0], [2.0, 2.0], [-1.0, -3.0], [4.0, 0.5]])
    y = np.array([0, 1, 2, 1, 0])
    data = from_points(points, y, task="classification", test_fraction=0.4, seed=5)
    np.testing.assert_array_equal(data.points, points)
    np.testing.assert_array_equal(_all_y(data), y)
    np.testing.assert_array_equal(data.x_train, points[data.train_index])
    assert (data.name, data.classes, data.n_test, data.features) == ("custom", 3, 2, ("x1", "x2"))


def test_from_points_accepts_nested_lists_and_integral_floats() -> None:
    data = from_points(
        [[0, 0], [1, 1], [2, 2]], [0.0, 1.0, 1.0], task="classification", test_fraction=0.0
    )
    assert data.y_train.dtype == np.int64 and data.points.dtype == np.float64


def test_from_points_copies_the_callers_array() -> None:
    points = np.zeros((3, 2))
    data = from_points(points, [0, 1, 0], task="classification", test_fraction=0.0)
    points[0, 0] = 9.0
    assert data.points[0, 0] == 0.0


def test_from_points_keeps_an_explicit_class_count_above_the_labels_used() -> None:
    data = from_points(np.zeros((4, 2)), [0, 1, 0, 1], task="classification", classes=4)
    assert data.classes == 4


def test_from_points_regression_accepts_a_column_of_targets() -> None:
    x = np.linspace(-1.0, 1.0, 6)[:, None]
    data = from_points(x, x**2, task="regression", test_fraction=0.5, name="parabola")
    assert data.name == "parabola" and data.features == ("x1",) and data.classes == 0
    np.testing.assert_allclose(data.y_test, data.x_test**2)


def test_from_points_keeps_several_regression_targets_per_point() -> None:
    # Mazur's worked example: 2 inputs, 2 targets; here 3 points of it.
    y = np.array([[0.01, 0.99], [0.5, 0.5], [0.2, 0.1]])
    data = from_points(np.eye(3, 2), y, task="regression", test_fraction=0.0)
    assert data.outputs == 2 and data.y_train.shape == (3, 2)
    np.testing.assert_array_equal(data.y_train, y)


def test_from_points_takes_a_single_sample_and_leaves_the_test_set_empty() -> None:
    data = from_points([[0.05, 0.10]], [[0.01, 0.99]], task="regression", test_fraction=0.2)
    assert data.n_train == 1 and data.n_test == 0
    assert data.x_test.shape == (0, 2) and data.y_test.shape == (0, 2)


@pytest.mark.parametrize(("n", "n_test"), [(1, 0), (2, 0), (3, 1), (4, 1), (10, 2)])
def test_from_points_rounds_the_test_share_and_keeps_one_training_sample(
    n: int, n_test: int
) -> None:
    y = np.arange(n) % 2
    data = from_points(np.zeros((n, 2)), y, task="classification", classes=2, test_fraction=0.2)
    assert (data.n_train, data.n_test) == (n - n_test, n_test)
    high = from_points(np.zeros((n, 2)), y, task="classification", classes=2, test_fraction=0.9)
    assert high.n_train >= 1 and high.n_train + high.n_test == n


def test_dataset_outputs_are_the_classes_or_the_target_width() -> None:
    assert make_dataset("blobs", classes=5).outputs == 5
    assert make_dataset("sine").outputs == 1


@pytest.mark.parametrize(
    ("points", "y", "kwargs", "message"),
    [
        (np.zeros(4), [0, 1, 0, 1], {}, r"points must have shape \(n, 1\) or \(n, 2\); got \(4,\)"),
        (np.zeros((4, 3)), [0, 1, 0, 1], {}, r"got \(4, 3\)"),
        (np.zeros((0, 2)), [], {}, r"points must be a non-empty \(n, 2\) array"),
        ([[0, 0], [1, np.inf]], [0, 1], {}, "array of finite numbers"),
        (np.zeros((4, 2)), [0, 1, 0], {}, r"y must have shape \(4,\) of class indices; got \(3,\)"),
        (np.zeros((4, 2)), [0, 1, 0.5, 1], {}, "y must hold integer class indices; got float64"),
        (np.zeros((4, 2)), [0, 1, -1, 1], {}, "y contains class -1; class indices start at 0"),
        (np.zeros((4, 2)), [0, 1, 5, 1], {"classes": 3}, r"y contains class 5, outside 0\.\.2"),
        (np.zeros((4, 2)), [0, 0, 0, 0], {}, "classes = 1 is too few; need at least 2"),
        (np.zeros((4, 2)), [0, 1, 0, 1], {"task": "ranking"}, "task = 'ranking' is unknown"),
        (np.zeros((4, 2)), [0, 1, 0, 1], {"features": ["x9"]}, "unknown feature 'x9'"),
        (
            np.zeros((4, 1)),
            [0.0] * 4,
            {"task": "regression", "classes": 2},
            "classes = 2 does not apply to regression",
        ),
        (
            np.zeros((4, 1)),
            np.zeros((3, 2)),
            {"task": "regression"},
            r"y must have shape \(4,\) or \(4, p\) of numbers; got \(3, 2\)",
        ),
        (
            np.zeros((4, 1)),
            [0.0, np.nan, 1.0, 2.0],
            {"task": "regression"},
            "y must hold finite numbers",
        ),
    ],
)
def test_from_points_rejects_bad_input(
    points: object, y: object, kwargs: dict[str, object], message: str
) -> None:
    arguments: dict[str, object] = {"task": "classification", "test_fraction": 0.0, **kwargs}
    with pytest.raises(ValueError, match=message):
        from_points(points, y, **arguments)  # type: ignore[arg-type]
