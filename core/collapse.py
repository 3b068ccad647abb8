"""Linear collapse: stacked layers with no nonlinearity between them are one linear layer.

The seed's point: without activations, H W2 + b2 = (X W1 + b1) W2 + b2 = X (W1 W2) + (b1 W2 + b2),
so depth adds nothing that a single W_eff, b_eff cannot express.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.activations import Activation, Array
from core.errors import InvalidInput
from core.mlp import MLP


@dataclass(frozen=True)
class LinearCollapse:
    """The single layer O = X W + b (W: (d, p), b: (p,)) that equals the whole network."""

    W: Array
    b: Array
    activation: Activation

    def as_network(self) -> MLP:
        """The collapsed layer as a one-layer MLP (with the original output activation)."""
        return MLP([self.W], [self.b], [self.activation], dtype=self.W.dtype)


def is_linear_stack(net: MLP) -> bool:
    """True when every hidden activation is `linear` (the output activation may be anything)."""
    return all(name == "linear" for name in net.activations[:-1])


def linear_collapse(net: MLP) -> LinearCollapse:
    """W_eff = W1 W2 … WL and b_eff = (…(b1 W2 + b2) W3 …) + bL; InvalidInput if not linear.

    In a residual network each skip layer counts as W + I."""
    if not is_linear_stack(net):
        hidden = ", ".join(net.activations[:-1])
        raise InvalidInput(
            ("activations",),
            f"only a network with linear hidden layers collapses; these are: {hidden}",
        )
    # A linear skip layer H(l−1) + H(l−1) W + b is the linear layer with W + I.
    ws = [
        w + np.eye(w.shape[0], dtype=w.dtype) if skip else w
        for w, skip in zip(net.weights, net.skips, strict=True)
    ]
    w_eff, b_eff = ws[0], net.biases[0]
    for w, b in zip(ws[1:], net.biases[1:], strict=True):
        w_eff = w_eff @ w
        b_eff = b_eff @ w + b
    return LinearCollapse(w_eff, b_eff, net.activations[-1])
