"""Loss, accuracy and per-layer gradient-norm curves, and the presets that show vanishing
gradients in a deep sigmoid network but not in the same network with ReLU."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Lens, config_fragment

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


def test_the_loss_axis_labels_stay_distinct_when_the_loss_is_flat(open_page: Any) -> None:
    """A learning rate of 10⁻⁶ keeps both losses flat: a narrow y range (0.69 to 0.71), whose
    labels must still differ and each read the value where its grid line is."""
    config = {"optimizer": {"name": "sgd", "learning_rate": 1e-6, "momentum": 0}}
    lens: Lens = open_page(config_fragment(config))
    assert lens.state()["config"]["optimizer"]["learning_rate"] == 1e-6
    lens.play_until(40)
    history = lens.state()["history"]
    for key in ("train_loss", "test_loss"):  # each curve flat; together a range of 0.02
        losses = [h[key] for h in history]
        assert max(losses) - min(losses) < 1e-4, key
    chart = lens.page.get_by_test_id("loss-chart")
    expect(chart).to_have_attribute("data-count", str(len(history)))
    ticks = chart.locator(".tick-y").evaluate_all(
        "(els) => els.map((e) => [e.textContent, Number(e.dataset.value)])"
    )
    labels = [text for text, _ in ticks]
    assert len(ticks) >= 3 and len(set(labels)) == len(labels), labels
    values = [v for _, v in ticks]
    step = min(b - a for a, b in itertools.pairwise(values))
    for text, value in ticks:
        assert abs(float(text.replace("\u2212", "-")) - value) < step / 2, (text, value)
    # Every label fits left of the plot, inside the chart.
    inside = chart.evaluate(
        """(svg) => { const s = svg.getBoundingClientRect();
             return [...svg.querySelectorAll('.tick-y')].every((t) =>
               t.getBoundingClientRect().left >= s.left - 0.5); }"""
    )
    assert inside


def test_the_gradient_norms_end_labels_never_touch(lens: Lens) -> None:
    """Seven layers whose norms end close together: their labels (W⁽ˡ⁾, with a superscript)
    are moved apart until no two boxes touch."""
    page = lens.page
    page.get_by_test_id("preset-deep-relu").click()
    expect(page.get_by_test_id("activation-0")).to_have_value("relu")
    lens.step()
    labels = page.locator("#norms-chart .series-label")
    expect(labels).to_have_count(7)
    boxes = sorted(
        (b["y"], b["y"] + b["height"]) for b in (t.bounding_box() for t in labels.all()) if b
    )
    assert len(boxes) == 7
    for (_, upper_bottom), (lower_top, _) in itertools.pairwise(boxes):
        assert upper_bottom <= lower_top + 0.5, boxes
