"""Loss, accuracy and per-layer gradient-norm curves, and the presets that show vanishing
gradients in a deep sigmoid network but not in the same network with ReLU."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Lens

pytestmark = pytest.mark.browser

SERIES = """(id) => Object.fromEntries([...document.querySelectorAll(`#${id} polyline`)].map((p) =>
  [p.dataset.series, {last: Number(p.dataset.last), points: p.getAttribute('points').trim()
    .split(/\\s+/).filter(Boolean).length}]))"""


def count(lens: Lens, testid: str) -> int:
    return int(lens.page.get_by_test_id(testid).get_attribute("data-count") or "0")


def test_the_curves_grow_with_the_steps(lens: Lens) -> None:
    page = lens.page
    for chart in ("loss-chart", "accuracy-chart", "norms-chart"):
        expect(page.get_by_test_id(chart)).to_have_attribute("data-count", "0")
    lens.step()
    for chart in ("loss-chart", "accuracy-chart", "norms-chart"):
        expect(page.get_by_test_id(chart)).to_have_attribute("data-count", "1")
    lens.play_until(30)
    steps = int(page.evaluate("window.__lens.step"))
    for chart in ("loss-chart", "accuracy-chart", "norms-chart"):
        expect(page.get_by_test_id(chart)).to_have_attribute("data-count", str(steps))
    state = lens.state()
    last = state["history"][-1]
    loss = page.evaluate(SERIES, "loss-chart")
    accuracy = page.evaluate(SERIES, "accuracy-chart")
    assert loss["train"]["points"] == loss["test"]["points"] == steps
    assert loss["train"]["last"] == last["train_loss"]
    assert loss["test"]["last"] == last["test_loss"]
    assert accuracy["train"]["last"] == last["train_accuracy"]
    assert accuracy["test"]["last"] == last["test_accuracy"]


def first_and_last_norms(lens: Lens, step: dict[str, Any]) -> tuple[float, float]:
    """The first and last weight layers' gradient norms as the chart has them (= the API's)."""
    page = lens.page
    norms = step["grad_norms"]
    last_layer = f"layer-{len(norms) - 1}"
    chart = page.locator(f'#norms-chart polyline[data-series="{last_layer}"]')
    expect(chart).to_have_attribute("data-last", str(norms[-1]))
    series = page.evaluate(SERIES, "norms-chart")
    assert [series[f"layer-{l}"]["last"] for l in range(len(norms))] == norms
    return norms[0], norms[-1]


def test_a_deep_sigmoid_network_shows_its_gradients_vanish_and_relu_does_not(lens: Lens) -> None:
    page = lens.page
    page.get_by_test_id("preset-deep-sigmoid").click()
    expect(page.get_by_test_id("hidden-count")).to_have_text("6")
    assert lens.state()["config"]["activations"] == ["sigmoid"] * 6 + ["softmax"]
    first, last = first_and_last_norms(lens, lens.step())
    assert last >= 10 * first, "the first layer's gradient should be far smaller"

    page.get_by_test_id("preset-deep-relu").click()
    expect(page.get_by_test_id("activation-0")).to_have_value("relu")
    first, last = first_and_last_norms(lens, lens.step())
    assert last < 10 * first, "with ReLU the gradient should not vanish"
