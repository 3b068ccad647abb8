"""The lecture note's own pieces on the page: its numpy `softmax` with the selected sample's
numbers line by line, and, with no hidden layer, its linear model O = XW + b with the count
"edges = d × p = the size of W" for this network's d and p."""

from __future__ import annotations

import json
import math

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Lens, config_fragment

pytestmark = pytest.mark.browser

LINEAR = {
    "layers": [3, 4],
    "activations": ["softmax"],
    "dataset": {"kind": "blobs", "classes": 4, "features": ["x1", "x2", "x1*x2"]},
}


def values(lens: Lens, testid: str) -> list[float]:
    return list(json.loads(lens.page.get_by_test_id(testid).get_attribute("data-values") or "[]"))


def test_the_softmax_code_carries_the_selected_samples_numbers(lens: Lens) -> None:
    step = lens.step()
    lens.open_tab("softmax")
    expect(lens.page.get_by_test_id("softmax-code")).to_contain_text("def softmax(vec):")
    for row in (0, 2):
        if row:
            lens.page.keyboard.press("]")  # the next sample of the batch, twice
            lens.page.keyboard.press("]")
            lens.page.wait_for_function(f"() => window.__lens.row === {row}")
        o = step["output"][row]
        lens.page.wait_for_function(
            "(o) => JSON.stringify(JSON.parse(document.querySelector("
            "'[data-testid=code-vec]').dataset.values)) === JSON.stringify(o)",
            arg=o,
        )
        assert values(lens, "code-vec") == o
        exps = [math.exp(v - max(o)) for v in o]
        assert values(lens, "code-exps") == pytest.approx(exps, rel=1e-12)
        assert values(lens, "code-sum") == pytest.approx([sum(exps)], rel=1e-12)
        # The listing's `val` is the API's softmax of this sample.
        assert values(lens, "code-val") == pytest.approx(step["probs"][row], rel=1e-12, abs=1e-15)
        assert values(lens, "code-return") == values(lens, "code-val")


def test_with_no_hidden_layer_the_network_says_edges_d_times_p(open_page) -> None:
    lens = open_page(config_fragment(LINEAR))
    note = lens.page.get_by_test_id("linear-model-note")
    expect(note).to_be_visible()
    state = lens.state()
    d, p = state["config"]["layers"]
    W = state["weights"][0]
    assert (d, p) == (len(W), len(W[0])) == (3, 4)
    expect(note).to_have_attribute("data-d", str(d))
    expect(note).to_have_attribute("data-p", str(p))
    expect(lens.page.get_by_test_id("linear-edges")).to_have_text(str(d * p))
    assert lens.page.locator("#network .edge").count() == d * p  # one drawn edge per weight
    expect(note.locator("math").first).to_contain_text("O=XW+b")
    # One hidden layer more: the linear model's note goes.
    lens.page.get_by_test_id("add-layer").click()
    expect(note).to_be_hidden()
    lens.page.get_by_test_id("remove-layer").click()
    expect(note).to_be_visible()
    lens.page.get_by_test_id("lang").select_option("ko")
    expect(note).to_contain_text("선형모델")
    expect(lens.page.get_by_test_id("linear-edges")).to_have_text("12")
