"""Backprop against PyTorch autograd in float64, over random architectures: every activation,
both losses, residual on and off. PyTorch is the reference only (the `test` extra), never a
runtime dependency: the network below is written again in torch's own operations, from the
conventions of docs (Z = H W + b, H = σ(Z) or H_prev + σ(Z) on a skip layer, O = Z(L))."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
import torch

from core import ACTIVATIONS, HIDDEN_ACTIVATIONS, MLP, Gradients

TORCH_ACTIVATIONS: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": torch.relu,
    "leaky_relu": lambda z: torch.nn.functional.leaky_relu(z, 0.01),
    "linear": lambda z: z,
    "softmax": lambda z: torch.softmax(z, dim=1),
}


def test_the_reference_covers_every_activation() -> None:
    assert set(TORCH_ACTIVATIONS) == set(ACTIVATIONS)


def random_case(
    seed: int, hidden: str, output: str, loss: str, residual: bool
) -> tuple[MLP, np.ndarray, np.ndarray, float]:
    """A random architecture (1 to 4 hidden layers, widths 2 to 4, so equal widths and skip
    layers are common) with `hidden` in its first hidden layer and random others."""
    rng = np.random.default_rng([seed, HIDDEN_ACTIVATIONS.index(hidden), int(residual)])
    depth = int(rng.integers(1, 5))
    sizes = [int(rng.integers(1, 4))] + [int(rng.integers(2, 5)) for _ in range(depth)]
    sizes.append(int(rng.integers(2, 4)))
    others = [str(a) for a in rng.choice(HIDDEN_ACTIVATIONS, size=depth - 1)]
    activations = [hidden, *others, output]
    net = MLP.init(sizes, activations, init="xavier", seed=rng, residual=residual)
    net.biases = [rng.normal(0, 0.5, b.shape) for b in net.biases]
    n = int(rng.integers(1, 6))
    x = rng.normal(size=(n, sizes[0]))
    if loss == "cross_entropy":
        y = rng.integers(0, sizes[-1], n)
    else:
        y = rng.normal(size=(n, sizes[-1]))
    l2 = float(rng.choice([0.0, 0.1]))
    return net, x, y, l2


def torch_reference(
    net: MLP, x: np.ndarray, y: np.ndarray, loss: str, l2: float
) -> tuple[float, list[dict[str, np.ndarray]]]:
    """The loss and, per layer, ∂L/∂Z, ∂L/∂H, ∂L/∂W, ∂L/∂b by torch autograd in float64."""
    ws = [torch.tensor(w, dtype=torch.float64, requires_grad=True) for w in net.weights]
    bs = [torch.tensor(b, dtype=torch.float64, requires_grad=True) for b in net.biases]
    last = len(ws) - 1
    h = torch.tensor(x, dtype=torch.float64)
    zs, hs = [], []
    for k, (w, b, name) in enumerate(zip(ws, bs, net.activations, strict=True)):
        z = h @ w + b
        a = TORCH_ACTIVATIONS[name](z)
        skip = net.residual and k < last and w.shape[0] == w.shape[1]
        h = h + a if skip else a
        z.retain_grad()
        h.retain_grad()
        zs.append(z)
        hs.append(h)
    n = x.shape[0]
    if loss == "cross_entropy":
        p = hs[-1]  # softmax probabilities
        data = -torch.log(p[torch.arange(n), torch.tensor(y)]).mean()
    else:
        diff = hs[-1] - torch.tensor(y, dtype=torch.float64)
        data = 0.5 * (diff * diff).sum() / n
    total = data + 0.5 * l2 * sum((w * w).sum() for w in ws)
    total.backward()
    layers = [
        {
            "dz": z.grad.numpy(),
            "dh": h_.grad.numpy(),
            "dW": w.grad.numpy(),
            "db": b.grad.numpy(),
        }
        for z, h_, w, b in zip(zs, hs, ws, bs, strict=True)
    ]
    return float(total.detach()), layers


def assert_matches(grads: Gradients, loss: float, layers: list[dict[str, np.ndarray]]) -> None:
    assert grads.loss == pytest.approx(loss, rel=1e-12, abs=1e-14)
    for k, (got, ref) in enumerate(zip(grads.layers, layers, strict=True)):
        for name in ("dz", "dh", "dW", "db"):
            np.testing.assert_allclose(
                getattr(got, name), ref[name], rtol=1e-9, atol=1e-12, err_msg=f"layer {k} {name}"
            )


SEEDS = range(4)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("residual", [False, True])
@pytest.mark.parametrize("hidden", HIDDEN_ACTIVATIONS)
def test_cross_entropy_gradients_equal_torch_autograd(
    seed: int, residual: bool, hidden: str
) -> None:
    net, x, y, l2 = random_case(seed, hidden, "softmax", "cross_entropy", residual)
    grads = net.backward(net.forward(x), y, "cross_entropy", l2)
    assert_matches(grads, *torch_reference(net, x, y, "cross_entropy", l2))


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("residual", [False, True])
@pytest.mark.parametrize("output", list(ACTIVATIONS))
@pytest.mark.parametrize("hidden", HIDDEN_ACTIVATIONS)
def test_mse_gradients_equal_torch_autograd(
    seed: int, residual: bool, output: str, hidden: str
) -> None:
    net, x, y, l2 = random_case(seed, hidden, output, "mse", residual)
    grads = net.backward(net.forward(x), y, "mse", l2)
    assert_matches(grads, *torch_reference(net, x, y, "mse", l2))


def test_residual_cases_include_skip_layers() -> None:
    # The random architectures must exercise the skip path, or residual=True tests nothing.
    skipping = [
        any(random_case(seed, hidden, "softmax", "cross_entropy", True)[0].skips)
        for seed in SEEDS
        for hidden in HIDDEN_ACTIVATIONS
    ]
    assert sum(skipping) >= len(skipping) // 3


def test_the_reference_sees_a_wrong_gradient() -> None:
    # The comparison can fail: a gradient off by one part in a million is caught.
    net, x, y, l2 = random_case(0, "tanh", "softmax", "cross_entropy", True)
    grads = net.backward(net.forward(x), y, "cross_entropy", l2)
    loss, layers = torch_reference(net, x, y, "cross_entropy", l2)
    layers[0]["dW"] = layers[0]["dW"] * (1 + 1e-6) + 1e-9
    with pytest.raises(AssertionError):
        assert_matches(grads, loss, layers)
