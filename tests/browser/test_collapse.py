"""Linear collapse: with every hidden activation linear, the card shows the one layer
W_eff, b_eff that computes the same output as the whole network."""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Lens, config_fragment

pytestmark = pytest.mark.browser

LINEAR = {
    "layers": [2, 3, 4, 2],
    "activations": ["linear", "linear", "softmax"],
    "dataset": {"kind": "gauss", "n": 80},
}
XS = [[0.5, -1.0], [2.0, 0.25], [-1.5, -0.75], [0.0, 0.0], [3.0, -2.0]]


def card_layer(lens: Lens) -> tuple[list[list[float]], list[float]]:
    card = lens.page.get_by_test_id("collapse")
    return json.loads(card.get_attribute("data-w") or "[]"), json.loads(
        card.get_attribute("data-b") or "[]"
    )


def check_reproduces_the_output(lens: Lens) -> None:
    """o = x W_eff + b_eff for a few inputs equals the network's output from the API."""
    W, b = card_layer(lens)
    forward = lens.server.api("POST", f"/networks/{lens.network_id}/forward", {"x": XS})
    for x, o in zip(XS, forward["output"], strict=True):
        mine = [sum(x[i] * W[i][k] for i in range(len(x))) + b[k] for k in range(len(b))]
        assert mine == pytest.approx(o, rel=1e-9, abs=1e-12)


def test_a_linear_network_collapses_to_one_layer_that_gives_the_same_output(
    open_page: Any,
) -> None:
    lens: Lens = open_page(config_fragment(LINEAR))
    card = lens.page.get_by_test_id("collapse")
    expect(card).to_be_visible()
    expect(card.locator("math mtable").first).to_be_visible()
    expect(card).to_contain_text("single layer")
    check_reproduces_the_output(lens)
    # After training, the card follows the new weights.
    lens.step()
    expect(card).to_have_attribute("data-step", "1")
    check_reproduces_the_output(lens)


def test_a_nonlinear_network_has_no_collapse_card_and_a_preset_makes_one(lens: Lens) -> None:
    page = lens.page
    expect(page.get_by_test_id("collapse")).to_be_hidden()
    lens.open_tab("tools")
    page.get_by_test_id("preset-linear").click()
    expect(page.get_by_test_id("collapse")).to_be_visible()
    assert lens.state()["config"]["activations"] == ["linear", "linear", "softmax"]
    check_reproduces_the_output(lens)
