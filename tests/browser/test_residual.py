"""Residual networks on the page: the toggle and its note, a grey skip arc over each neuron of
every skip layer the API names, and in the backward pass red arrows along them whose values
and widths follow the step's skip gradients; the deep sigmoid preset with and without skips."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Lens, config_fragment

pytestmark = pytest.mark.browser

RESIDUAL = {
    "layers": [2, 4, 4, 4, 2],
    "activations": ["tanh", "tanh", "tanh", "softmax"],
    "residual": True,
    "batch_size": 6,
}

SKIP_ARROWS = """() => [...document.querySelectorAll('#network-arrows .skip-arrow')].map((e) => ({
  layer: Number(e.dataset.layer), r: Number(e.dataset.r),
  order: e.dataset.order === undefined ? null : Number(e.dataset.order),
  width: e.dataset.width === undefined ? null : Number(e.dataset.width),
  value: e.dataset.value === undefined ? null : Number(e.dataset.value),
  stroke: getComputedStyle(e).stroke, display: getComputedStyle(e).display}))"""


def skip_arrows(lens: Lens) -> list[dict[str, Any]]:
    return list(lens.page.evaluate(SKIP_ARROWS))


def batch_sum(step: Any, layer: int, r: int) -> float:
    return float(sum(row[r] for row in step["layers"][layer]["skip_dh"]))


def test_the_skip_arcs_are_the_apis_skip_layers(open_page) -> None:
    lens = open_page(config_fragment(RESIDUAL))
    state = lens.state()
    assert state["config"]["residual"] is True
    assert state["skips"] == [False, True, True, False]
    arcs = lens.page.locator("#network .skip-arc")
    expect(arcs).to_have_count(8)  # 4 neurons over each of W(2) and W(3)
    layers = {int(a.get_attribute("data-layer") or -1) for a in arcs.all()}
    assert layers == {1, 2}
    expect(lens.page.get_by_test_id("field-residual-on")).to_be_checked()
    note = lens.page.get_by_test_id("residual-note")
    expect(note).to_contain_text("W⁽²⁾ (4 → 4), W⁽³⁾ (4 → 4)")
    expect(note).not_to_contain_text("W⁽¹⁾")
    expect(lens.page.get_by_test_id("skip-note")).to_be_visible()
    # Off again, from the keyboard: a network without skips, the server agreeing.
    lens.page.get_by_test_id("field-residual-on").focus()
    lens.page.keyboard.press("Space")
    expect(lens.page.locator("body")).to_have_attribute("data-playing", "false")  # not play
    expect(arcs).to_have_count(0)
    expect(lens.page.get_by_test_id("skip-note")).to_be_hidden()
    assert lens.state()["config"]["residual"] is False
    assert lens.state()["skips"] == [False, False, False, False]
    expect(note).to_contain_text("W⁽²⁾ (4 → 4)")  # where it would apply


def test_a_residual_steps_skip_arrows_follow_the_apis_gradients(open_page) -> None:
    lens = open_page(config_fragment(RESIDUAL))
    page = lens.page
    step = lens.step_response(lambda: page.get_by_test_id("phase-step").click())
    for _ in range(5):  # forward × 4, the loss, then backward W(4): no skip there
        page.get_by_test_id("phase-step").click()
    lens.wait_phase("backward-3")
    assert all(a["order"] is None for a in skip_arrows(lens))
    expect(page.get_by_test_id("phase-caption")).not_to_contain_text("skip")
    page.get_by_test_id("phase-step").click()
    lens.wait_phase("backward-2")
    expect(page.get_by_test_id("phase-caption")).to_contain_text("straight back to h⁽²⁾")
    shown = {(a["layer"], a["r"]) for a in skip_arrows(lens) if a["order"] is not None}
    assert shown == {(2, r) for r in range(4)}  # the arcs over W(3) now carry ∂L/∂H(3)
    page.get_by_test_id("phase-step").click()
    lens.wait_phase("backward-1")
    arrows = skip_arrows(lens)
    assert all(a["order"] is not None for a in arrows)
    assert step["layers"][0]["skip_dh"] is None and step["layers"][3]["skip_dh"] is None
    values = {(a["layer"], a["r"]): batch_sum(step, a["layer"], a["r"]) for a in arrows}
    biggest = max(abs(v) for v in values.values())
    widest = max(a["width"] for a in arrows)
    for a in arrows:
        v = values[(a["layer"], a["r"])]
        assert a["value"] == pytest.approx(v, rel=1e-12, abs=1e-15)
        # width ∝ |Σ_s ∂L/∂H| (with a floor so the smallest stay visible), red like every gradient
        assert a["width"] == pytest.approx(max(0.6, widest * abs(v) / biggest), abs=2e-3)
        assert a["stroke"] == "rgb(214, 39, 40)" and a["display"] != "none"
    # The skip gradient is ∂L/∂H of the layer: the same numbers as its dh.
    assert step["layers"][2]["skip_dh"] == step["layers"][2]["dh"]


def test_reduced_motion_still_shows_the_skip_gradients(reduced_motion_lens: Lens) -> None:
    lens = reduced_motion_lens
    lens.page.goto(lens.server.url + "/" + config_fragment(RESIDUAL))
    expect(lens.page.locator("body")).to_have_attribute("data-ready", "true")
    expect(lens.page.locator("#network .skip-arc")).to_have_count(8)
    step = lens.step()
    arrows = skip_arrows(lens)
    assert all(a["order"] is not None and a["display"] != "none" for a in arrows)
    assert {(a["layer"], a["r"]): a["value"] for a in arrows} == pytest.approx(
        {(a["layer"], a["r"]): batch_sum(step, a["layer"], a["r"]) for a in arrows}, rel=1e-12
    )
    animated = lens.page.evaluate(
        "() => [...document.querySelectorAll('.skip-arrow')].map((e) => "
        "getComputedStyle(e).animationName).filter((n) => n !== 'none').length"
    )
    assert animated == 0


def first_layer_share(lens: Lens, preset: str) -> float:
    lens.open_tab("curves")
    lens.page.get_by_test_id(f"preset-{preset}").click()
    expect(lens.page.locator("#network .node")).to_have_count(2 + 6 * 8 + 2)
    step = lens.step()
    norms = step["grad_norms"]
    shown = lens.page.locator("#network .grad-norm").first.get_attribute("data-value")
    assert float(shown or "nan") == norms[0]
    return float(norms[0] / max(norms))


def test_the_deep_sigmoid_preset_with_skips_keeps_the_first_layers_gradient(lens: Lens) -> None:
    plain = first_layer_share(lens, "deep-sigmoid")
    assert lens.state()["config"]["residual"] is False
    expect(lens.page.locator("#network .skip-arc")).to_have_count(0)
    skipped = first_layer_share(lens, "deep-sigmoid-residual")
    state = lens.state()
    assert state["config"]["residual"] is True
    assert state["skips"] == [False] + [True] * 5 + [False]
    expect(lens.page.locator("#network .skip-arc")).to_have_count(5 * 8)
    # Without skips W(1)'s gradient is a vanishing share of the largest; with them it is not.
    assert plain < 1e-3 < 1e-2 < skipped


def test_hovering_a_skip_arc_shows_what_it_carries(open_page) -> None:
    lens = open_page(config_fragment(RESIDUAL))
    step = lens.step()
    # The arc's top (half way along it), in the page's coordinates: the pointer goes there.
    x, y = lens.page.locator('#network .skip-hit[data-layer="1"][data-j="2"]').evaluate(
        """(path) => {
          const p = path.getPointAtLength(path.getTotalLength() / 2);
          const q = new DOMPoint(p.x, p.y).matrixTransform(path.getScreenCTM());
          return [q.x, q.y];
        }"""
    )
    lens.page.mouse.move(x, y)
    tip = lens.page.locator("#tooltip")
    expect(tip).to_contain_text("W⁽²⁾")
    rows = dict(
        zip(tip.locator("dt").all_inner_texts(), tip.locator("dd").all_inner_texts(), strict=True)
    )
    h1, h2 = step["layers"][0]["h"][0][2], step["layers"][1]["h"][0][2]
    assert float(rows["h⁽²⁾ = h⁽¹⁾ + σ(z)"].replace("−", "-")) == pytest.approx(h2, rel=1e-5)
    assert float(rows["h⁽¹⁾"].replace("−", "-")) == pytest.approx(h1, rel=1e-5)
    carried = step["layers"][1]["skip_dh"][0][2]
    assert float(rows["∂L/∂h⁽²⁾"].replace("−", "-")) == pytest.approx(carried, rel=1e-5)
