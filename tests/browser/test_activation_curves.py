"""The activation plots beside the layer menus: σ and σ′ as the API serves them over a window
holding the batch's z, the shown step's z values as dots on them (appearing as the forward
pass reaches the layer), and the count of those with σ′ ≈ 0."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Lens, config_fragment

pytestmark = pytest.mark.browser

NET = {
    "layers": [2, 3, 3, 2],
    "activations": ["sigmoid", "relu", "softmax"],
    "batch_size": 5,
}

DOTS = """(l) => [...document.querySelectorAll(`[data-testid=act-dots-${l}] .act-dot`)]
.map((c) => ({
  s: Number(c.dataset.s), k: Number(c.dataset.k), z: Number(c.dataset.z),
  sigma: Number(c.dataset.sigma), selected: c.classList.contains('selected')}))"""


def dots(lens: Lens, layer: int) -> list[dict[str, Any]]:
    return list(lens.page.evaluate(DOTS, layer))


def curve_of(lens: Lens, layer: int, name: str) -> Any:
    plot = lens.page.get_by_test_id(f"act-curve-{layer}").locator("svg")
    lo, hi = plot.get_attribute("data-lo"), plot.get_attribute("data-hi")
    return lens.server.api("GET", f"/activations/{name}?lo={lo}&hi={hi}&resolution=121")


def at(curve: Any, values: list[float], z: float) -> float:
    """The API's curve at z, between its evenly spaced points (as the plot places a dot)."""
    t = (z - curve["lo"]) / (curve["hi"] - curve["lo"]) * (len(values) - 1)
    k = min(len(values) - 2, max(0, int(t)))
    return values[k] + (values[k + 1] - values[k]) * (t - k)


def test_the_dots_are_the_steps_z_values_on_the_apis_curves(open_page) -> None:
    lens = open_page(config_fragment(NET))
    expect(lens.page.get_by_test_id("act-curve-0").locator("svg")).to_be_visible()
    assert dots(lens, 0) == []  # no step yet: the curve alone
    expect(lens.page.get_by_test_id("act-curve-2")).to_be_hidden()  # softmax: not elementwise
    step = lens.step()
    for layer, name in ((0, "sigmoid"), (1, "relu")):
        expect(lens.page.get_by_test_id(f"act-dots-{layer}")).to_have_attribute("data-count", "15")
        shown = dots(lens, layer)
        z = step["layers"][layer]["z"]
        assert sorted((d["s"], d["k"], d["z"]) for d in shown) == sorted(
            (s, k, v) for s, row in enumerate(z) for k, v in enumerate(row)
        )
        assert {d["s"] for d in shown if d["selected"]} == {0}  # the selected sample, larger
        curve = curve_of(lens, layer, name)
        plot = lens.page.get_by_test_id(f"act-curve-{layer}").locator("svg")
        assert float(plot.get_attribute("data-lo") or 0) <= min(map(min, z))
        assert float(plot.get_attribute("data-hi") or 0) >= max(map(max, z))
        for d in shown:
            # On the API's σ; with no skip connection σ(z) is the layer's h itself.
            assert d["sigma"] == pytest.approx(at(curve, curve["sigma"], d["z"]), abs=1e-12)
            assert d["sigma"] == pytest.approx(step["layers"][layer]["h"][d["s"]][d["k"]], abs=2e-3)
        flat = sum(abs(at(curve, curve["sigma_prime"], v)) <= 0.01 for row in z for v in row)
        count = lens.page.get_by_test_id(f"act-flat-{layer}")
        expect(count).to_have_attribute("data-value", str(flat))


def test_dots_appear_as_the_forward_pass_reaches_the_layer(open_page) -> None:
    lens = open_page(config_fragment(NET))
    page = lens.page
    step = lens.step_response(lambda: page.get_by_test_id("phase-step").click())
    lens.wait_phase("forward-0")
    expect(page.get_by_test_id("act-dots-0")).to_have_attribute("data-count", "15")
    expect(page.get_by_test_id("act-dots-1")).to_have_count(0)
    page.get_by_test_id("phase-step").click()
    lens.wait_phase("forward-1")
    expect(page.get_by_test_id("act-dots-1")).to_have_attribute("data-count", "15")
    # Another sample of the batch: its dots are the larger ones.
    page.keyboard.press("]")
    page.wait_for_function("() => window.__lens.row === 1")
    expect(page.locator("[data-testid=act-dots-1] .act-dot.selected")).to_have_count(3)
    selected = {d["z"] for d in dots(lens, 1) if d["selected"]}
    assert selected == set(step["layers"][1]["z"][1])


def test_the_plots_can_be_put_away_and_follow_the_menu(open_page) -> None:
    lens = open_page(config_fragment(NET))
    page = lens.page
    lens.step()
    toggle = page.get_by_test_id("curves-toggle")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "false")
    expect(page.get_by_test_id("act-curve-0")).to_be_hidden()
    toggle.press("Enter")  # the keyboard brings them back
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_test_id("act-curve-0").locator("svg")).to_be_visible()
    page.get_by_test_id("activation-0").select_option("tanh")
    expect(page.get_by_test_id("act-curve-0").locator("svg")).to_have_attribute(
        "aria-label", re.compile("^tanh: ")
    )
    assert lens.state()["config"]["activations"][0] == "tanh"
