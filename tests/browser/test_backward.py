"""A step draws the backward pass: red arrows from the last layer to the first, one per
weight, as wide as |∂L/∂w| from the API's answer; with reduced motion too."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Lens, weight_count

pytestmark = pytest.mark.browser

RED = "rgb(214, 39, 40)"
LAYERS = [2, 4, 4, 2]

# Records, in order, the weight layer of every arrow as it appears (gets its data-order).
OBSERVE_ARROWS = """() => {
  window.__appeared = [];
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.oldValue === null && r.target.hasAttribute('data-order')) {
        window.__appeared.push(Number(r.target.dataset.layer));
      }
    }
  }).observe(document.getElementById('network-arrows'), {
    subtree: true, attributes: true, attributeFilter: ['data-order'], attributeOldValue: true,
  });
}"""


def check_arrows_follow_gradients(
    arrows: list[dict[str, Any]],
    step: dict[str, Any],
    layers: list[int] = LAYERS,
    head: str = "url(#grad-head",
) -> None:
    """One red, dashed, arrow-headed arrow per weight, widths ordered as |dW|."""
    assert len(arrows) == weight_count(layers)
    for a in arrows:
        dW = step["layers"][a["layer"]]["dW"][a["i"]][a["j"]]
        assert a["dw"] == dW
        assert a["order"] == len(layers) - 2 - a["layer"]  # last layer first
        assert a["stroke"] == RED
        assert a["dash"] not in ("none", "")
        assert a["marker"].startswith(head)
        assert a["display"] != "none"
    by_gradient = sorted(arrows, key=lambda a: abs(a["dw"]))
    widths = [a["width"] for a in by_gradient]
    assert widths == sorted(widths), "arrow widths are not ordered as |dW|"
    assert widths[-1] > widths[0]


def test_step_draws_red_arrows_from_the_last_layer_to_the_first(lens: Lens) -> None:
    page = lens.page
    page.evaluate(OBSERVE_ARROWS)
    step = lens.step_response(lambda: page.get_by_test_id("step").click())
    lens.wait_phase("update")
    appeared = page.evaluate("window.__appeared")
    per_layer = [a * b for a, b in itertools.pairwise(LAYERS)]
    assert appeared == [2] * per_layer[2] + [1] * per_layer[1] + [0] * per_layer[0]
    check_arrows_follow_gradients(lens.arrows(), step)


def test_the_legend_gives_the_arrow_scale(lens: Lens) -> None:
    step = lens.step_response(lambda: lens.page.get_by_test_id("step").click())
    lens.wait_phase("update")
    top = max(abs(v) for layer in step["layers"] for row in layer["dW"] for v in row)
    legend = lens.page.get_by_test_id("grad-legend").locator(".legend-scale")
    assert float(legend.get_attribute("data-value") or "nan") == top


def test_update_marks_show_each_weight_change(lens: Lens) -> None:
    step = lens.step_response(lambda: lens.page.get_by_test_id("step").click())
    lens.wait_phase("update")
    marks = lens.page.evaluate(
        """() => [...document.querySelectorAll('#network .update-mark[data-dw]')].map((m) =>
            [m.dataset.layer, m.dataset.i, m.dataset.j, m.dataset.dw].map(Number))"""
    )
    assert len(marks) == weight_count(LAYERS)
    for l, i, j, dw in marks:
        assert dw == step["layers"][l]["update"]["dW"][i][j]


def test_reduced_motion_still_shows_every_arrow(reduced_motion_lens: Lens) -> None:
    lens = reduced_motion_lens
    step = lens.step_response(lambda: lens.page.get_by_test_id("step").click())
    lens.wait_phase("update")
    arrows = lens.arrows()
    check_arrows_follow_gradients(arrows, step)
    assert {a["animation"] for a in arrows} == {"none"}
    expect(lens.page.locator("#network-arrows .grad-arrow").first).to_be_visible()
