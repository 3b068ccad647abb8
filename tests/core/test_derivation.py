"""note_derivation: the lecture note's Kronecker-delta steps, with one sample's numbers."""

from __future__ import annotations

import numpy as np
import pytest

from core import InvalidInput, note_derivation
from tests.core.helpers import make_case


def _case(sizes: list[int], activations: list[str], loss: str, n: int = 5, residual: bool = False):
    net, x, y = make_case(sizes, activations, loss, n=n, seed=len(sizes) + n, residual=residual)
    trace = net.forward(x)
    return net, trace, net.backward(trace, y, loss), y


@pytest.mark.parametrize("act", ["sigmoid", "tanh", "relu"])
def test_softmax_cross_entropy_gives_p_minus_y_through_the_jacobian(act: str) -> None:
    net, trace, grads, y = _case([3, 4, 3], [act, "softmax"], "cross_entropy")
    for s in range(5):
        d = note_derivation(net, trace, grads, y, 2, 1, sample=s)
        assert d.softmax is not None and len(d.softmax) == 3
        p = trace.probs[s]
        for step in d.softmax:
            assert step.total == pytest.approx(step.p_minus_y, abs=1e-16)
            assert step.p_minus_y == pytest.approx((p[step.l] - (y[s] == step.l)) / 5, abs=1e-17)
            assert step.total == pytest.approx(step.backprop, abs=1e-16)
            for term in step.terms:
                # ∂L/∂p_k = −y_k/(n p_k): zero except at the target class.
                assert term.vanishes == (term.k != y[s])
                if term.k == y[s]:
                    assert term.dL_dp == pytest.approx(-1 / (5 * p[term.k]), rel=1e-14)
                assert term.dp_do == pytest.approx(p[term.k] * ((term.k == step.l) - p[step.l]))


def test_the_kronecker_deltas_keep_only_r_equals_k_equals_j() -> None:
    net, trace, grads, y = _case([2, 3, 2], ["tanh", "softmax"], "cross_entropy")
    d = note_derivation(net, trace, grads, y, 1, 2, sample=3)
    assert len(d.terms) == 2 * 3 * 3
    assert [(t.l, t.r, t.k) for t in d.kept] == [(0, 2, 2), (1, 2, 2)]
    assert all(t.product == 0.0 for t in d.terms if not t.kept)
    assert all(t.dh_dz == 0.0 for t in d.terms if t.r != t.k)
    assert all(t.dz_dW == 0.0 for t in d.terms if t.k != 2)
    assert sum(t.product for t in d.terms) == d.total
    w2 = net.weights[1]
    by_note = sum(d.dL_do[l] * w2[2, l] * d.sigma_prime * d.x_i for l in range(2))
    assert d.total == pytest.approx(by_note, abs=1e-16)
    assert d.total == pytest.approx(d.backprop, abs=1e-16)


def test_over_the_batch_the_samples_add_up_to_dw() -> None:
    net, trace, grads, y = _case([3, 4, 2], ["sigmoid", "softmax"], "cross_entropy", n=6)
    parts = [note_derivation(net, trace, grads, y, 0, 3, sample=s).total for s in range(6)]
    assert sum(parts) == pytest.approx(grads.layers[0].dW[0, 3], abs=1e-15)


def test_a_batch_of_one_sample_ends_at_dw_itself() -> None:
    net, trace, grads, y = _case([2, 3, 3], ["tanh", "softmax"], "cross_entropy", n=1)
    d = note_derivation(net, trace, grads, y, 0, 1)
    assert d.total == pytest.approx(grads.layers[0].dW[0, 1], abs=1e-16)


def test_without_softmax_the_output_step_is_backprops_delta() -> None:
    net, trace, grads, y = _case([3, 3, 2], ["tanh", "linear"], "mse")
    d = note_derivation(net, trace, grads, y, 2, 0, sample=1, loss="mse")
    assert d.softmax is None
    np.testing.assert_array_equal(d.dL_do, grads.layers[1].dz[1])
    assert d.total == pytest.approx(d.backprop, abs=1e-16)


def test_a_residual_hidden_layer_keeps_the_same_steps() -> None:
    # H = X + σ(Z): the skip does not depend on W(1), so ∂h_r/∂z_k is still σ′(z_k) δ_rk.
    net, trace, grads, y = _case([3, 3, 2], ["sigmoid", "softmax"], "cross_entropy", residual=True)
    assert net.skips == (True, False)
    d = note_derivation(net, trace, grads, y, 1, 1, sample=2)
    assert d.total == pytest.approx(d.backprop, abs=1e-16)


def test_bad_requests_name_their_field() -> None:
    net, trace, grads, y = _case([2, 3, 3, 2], ["tanh", "tanh", "softmax"], "cross_entropy")
    with pytest.raises(InvalidInput) as err:
        note_derivation(net, trace, grads, y, 0, 0)
    assert err.value.field == ("layers",)
    net, trace, grads, y = _case([2, 3, 2], ["tanh", "softmax"], "cross_entropy")
    for kwargs, field in (
        ({"sample": 5}, ("sample",)),
        ({"max_terms": 10}, ("max_terms",)),
    ):
        with pytest.raises(InvalidInput) as err:
            note_derivation(net, trace, grads, y, 0, 0, **kwargs)  # type: ignore[arg-type]
        assert err.value.field == field
    with pytest.raises(InvalidInput) as err:
        note_derivation(net, trace, grads, y, 0, 3)
    assert err.value.field == ("j",)
