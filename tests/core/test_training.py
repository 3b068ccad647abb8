"""Small networks learn the classic toy problems with SGD and with Adam."""

from __future__ import annotations

import pytest

from core import (
    MLP,
    SGD,
    Adam,
    accuracy,
    flat_params,
    init_state,
    make_dataset,
    select_batch,
    train_step,
)
from core.optim import Optimizer


def _train(
    dataset: str, classes: int, hidden: list[int], act: str, optimizer: Optimizer, steps: int
) -> float:
    data = make_dataset(dataset, n=300, noise=0.0, classes=classes, seed=1, test_fraction=0.0)
    x = data.x_train / 3.0  # inputs of order one, as the page scales them
    net = MLP.init(
        [2, *hidden, classes],
        [act] * len(hidden) + ["softmax"],
        init="he" if act == "relu" else "xavier",
        seed=2,
    )
    state = init_state(optimizer, flat_params(net.weights, net.biases))
    for step in range(steps):
        batch = select_batch(len(x), 32, step, seed=3)
        result = train_step(
            net, optimizer, state, x[batch], data.y_train[batch], compute_loss_after=False
        )
        net, state = result.network, result.state
    return accuracy(net.forward(x).predictions, data.y_train) or 0.0


@pytest.mark.parametrize("act", ["tanh", "relu"])
@pytest.mark.parametrize("optimizer", [SGD(0.3, momentum=0.9), Adam(0.01)], ids=["sgd", "adam"])
def test_xor_is_learned_to_97_percent(act: str, optimizer: Optimizer) -> None:
    assert _train("xor", 2, [8, 8], act, optimizer, 1500) >= 0.97


@pytest.mark.parametrize("act", ["tanh", "relu"])
@pytest.mark.parametrize("optimizer", [SGD(0.1, momentum=0.9), Adam(0.01)], ids=["sgd", "adam"])
def test_three_class_spiral_is_learned_to_97_percent(act: str, optimizer: Optimizer) -> None:
    assert _train("spiral", 3, [16, 16], act, optimizer, 4000) >= 0.97


def test_training_with_the_same_seed_is_reproducible() -> None:
    a = _train("xor", 2, [4], "tanh", SGD(0.1), 50)
    b = _train("xor", 2, [4], "tanh", SGD(0.1), 50)
    assert a == b
