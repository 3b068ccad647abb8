"""Small seeded fixtures shared by the core tests."""

from __future__ import annotations

import numpy as np

from core import MLP

KINKED = {"relu", "leaky_relu"}


def make_case(
    sizes: list[int],
    activations: list[str],
    loss: str,
    n: int = 5,
    seed: int = 0,
    residual: bool = False,
) -> tuple[MLP, np.ndarray, np.ndarray]:
    """A network, a batch x and targets y for `loss`, seeded.

    For piecewise-linear activations the seed is advanced until no pre-activation lies within
    0.05 of a kink, so a finite difference never straddles one.
    """
    for attempt in range(200):
        rng = np.random.default_rng([seed, attempt])
        net = MLP.init(sizes, activations, init="xavier", seed=rng, residual=residual)
        net.biases = [rng.normal(0, 0.3, b.shape) for b in net.biases]
        x = rng.normal(size=(n, sizes[0]))
        trace = net.forward(x)
        kinked = [
            layer.z for layer, a in zip(trace.layers, activations, strict=True) if a in KINKED
        ]
        if all(np.abs(z).min() > 0.05 for z in kinked):
            break
    else:  # pragma: no cover - a fixture that cannot be built is a broken test
        raise AssertionError("no kink-free case found")
    if loss == "cross_entropy":
        y = rng.integers(0, sizes[-1], n)
    else:
        y = rng.normal(size=(n, sizes[-1]))
    return net, x, y
