"""Optimizers: SGD with momentum and Nesterov, and Adam, against their textbook updates."""

from __future__ import annotations

import numpy as np
import pytest

from core import MLP, SGD, Adam, compute_updates, flat_params, init_state, select_batch, train_step
from tests.core.helpers import make_case


def _grads() -> list[np.ndarray]:
    return [np.array([[0.5, -1.0]]), np.array([2.0, 0.0])]


def test_plain_sgd_update_is_minus_learning_rate_times_gradient() -> None:
    g = _grads()
    updates, state = compute_updates(SGD(0.1), init_state(SGD(0.1), g), g, g)
    for u, gi in zip(updates, g, strict=True):
        np.testing.assert_allclose(u, -0.1 * gi)
    assert state.t == 1 and state.buffers == {}


@pytest.mark.parametrize("nesterov", [False, True])
def test_momentum_accumulates_velocity(nesterov: bool) -> None:
    opt = SGD(0.1, momentum=0.9, nesterov=nesterov)
    g = _grads()
    state = init_state(opt, g)
    _, state = compute_updates(opt, state, g, g)
    updates, state = compute_updates(opt, state, g, g)
    velocity = [1.9 * gi for gi in g]  # v2 = 0.9 g + g
    for u, v, gi in zip(updates, velocity, g, strict=True):
        expected = -0.1 * (gi + 0.9 * v) if nesterov else -0.1 * v
        np.testing.assert_allclose(u, expected)
    np.testing.assert_allclose(state.buffers["velocity"][0], velocity[0])


def test_adam_first_step_moves_each_parameter_by_the_learning_rate() -> None:
    opt = Adam(learning_rate=0.01)
    g = [np.array([[0.5, -3.0]]), np.array([2e-3, 1.0])]
    updates, state = compute_updates(opt, init_state(opt, g), g, g)
    np.testing.assert_allclose(updates[0], [[-0.01, 0.01]], rtol=1e-6)
    np.testing.assert_allclose(updates[1], [-0.01, -0.01], rtol=1e-4)
    assert state.t == 1


def test_adam_matches_the_paper_over_several_steps() -> None:
    opt = Adam(learning_rate=0.05, beta1=0.8, beta2=0.99, eps=1e-8)
    rng = np.random.default_rng(3)
    params = [rng.normal(size=(2, 2))]
    state = init_state(opt, params)
    m = v = np.zeros((2, 2))
    for t in range(1, 6):
        g = rng.normal(size=(2, 2))
        updates, state = compute_updates(opt, state, params, [g])
        m = 0.8 * m + 0.2 * g
        v = 0.99 * v + 0.01 * g * g
        expected = -0.05 * (m / (1 - 0.8**t)) / (np.sqrt(v / (1 - 0.99**t)) + 1e-8)
        np.testing.assert_allclose(updates[0], expected, rtol=1e-6)


def test_switching_on_momentum_keeps_the_step_count() -> None:
    g = _grads()
    _, state = compute_updates(SGD(0.1), init_state(SGD(0.1), g), g, g)
    _, state = compute_updates(SGD(0.1, momentum=0.5), state, g, g)
    assert state.t == 2 and "velocity" in state.buffers


def test_train_step_applies_the_update_and_reports_losses() -> None:
    net, x, y = make_case([2, 4, 3], ["tanh", "softmax"], "cross_entropy", n=8)
    opt = SGD(0.5)
    state = init_state(opt, flat_params(net.weights, net.biases))
    result = train_step(net, opt, state, x, y, loss="cross_entropy")
    trace = result.trace
    for layer, (w, grad) in enumerate(zip(net.weights, trace.grads.layers, strict=True)):
        np.testing.assert_allclose(result.network.weights[layer], w - 0.5 * grad.dW)
        np.testing.assert_allclose(trace.updates[layer][0], -0.5 * grad.dW)
        assert trace.grad_norms[layer] == pytest.approx(np.linalg.norm(grad.dW))
    assert trace.loss_before == pytest.approx(net.loss(x, y))
    assert trace.loss_after == pytest.approx(result.network.loss(x, y))
    assert trace.loss_after < trace.loss_before
    assert result.state.t == 1


def test_train_step_leaves_its_inputs_unchanged() -> None:
    net, x, y = make_case([2, 4, 3], ["tanh", "softmax"], "cross_entropy")
    before = net.copy()
    opt = Adam(0.1)
    state = init_state(opt, flat_params(net.weights, net.biases))
    train_step(net, opt, state, x, y)
    for a, b in zip(net.weights, before.weights, strict=True):
        np.testing.assert_array_equal(a, b)
    assert state.t == 0 and not state.buffers["m"][0].any()


def test_train_step_without_apply_returns_the_same_network() -> None:
    net, x, y = make_case([2, 4, 3], ["tanh", "softmax"], "cross_entropy")
    opt = SGD(0.1)
    state = init_state(opt, [])
    result = train_step(net, opt, state, x, y, apply=False)
    assert result.network is net and result.state is state
    assert result.trace.loss_after is not None


def test_shuffled_epochs_visit_every_sample_once() -> None:
    batches = [select_batch(10, 3, step, seed=5) for step in range(4)]
    assert [len(b) for b in batches] == [3, 3, 3, 1]
    assert sorted(np.concatenate(batches).tolist()) == list(range(10))
    again = [select_batch(10, 3, step, seed=5) for step in range(4)]
    assert all(np.array_equal(a, b) for a, b in zip(batches, again, strict=True))
    assert not np.array_equal(select_batch(10, 3, 4, seed=5), batches[0])


def test_batch_choices_sample_indices_and_full_batch() -> None:
    assert select_batch(10, 64, 3, seed=0).tolist() == list(range(10))
    assert select_batch(10, 3, 0, seed=0, sample=7).tolist() == [7]
    assert select_batch(10, 3, 0, seed=0, indices=[1, 4]).tolist() == [1, 4]
    with pytest.raises(ValueError, match=r"sample = 10 is out of range \(0..9\)"):
        select_batch(10, 3, 0, seed=0, sample=10)
    with pytest.raises(ValueError, match=r"outside 0\.\.9"):
        select_batch(10, 3, 0, seed=0, indices=[3, 11])


def test_float32_training_keeps_float32_parameters() -> None:
    net = MLP.init([2, 4, 3], ["relu", "softmax"], seed=0, dtype=np.float32)
    opt = Adam(0.01)
    state = init_state(opt, flat_params(net.weights, net.biases))
    x = np.ones((4, 2), dtype=np.float32)
    result = train_step(net, opt, state, x, np.array([0, 1, 2, 0]))
    assert all(w.dtype == np.float32 for w in result.network.weights)
    assert all(b.dtype == np.float32 for b in result.state.buffers["v"])
