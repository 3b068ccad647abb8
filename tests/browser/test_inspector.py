"""The chain-rule inspector: a clicked weight's gradient built up from the API's `explain`,
every partial sum, the total equal to the step's dW, the seed's two-layer form, and factors
that point at the network."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Lens, config_fragment, open_lens

pytestmark = pytest.mark.browser

TWO_LAYERS = {
    "layers": [2, 3, 2],
    "activations": ["tanh", "softmax"],
    "dataset": {"kind": "xor", "n": 120, "noise": 0.1},
    "batch_size": 6,
}

ROWS = """() => [...document.querySelectorAll('[data-testid=insp-table] tbody tr')].map((tr) =>
  [...tr.querySelectorAll('td[data-value]')].map((td) => Number(td.dataset.value)))"""


def click_edge(lens: Lens, layer: int, i: int, j: int) -> None:
    lens.page.locator(
        f'#network .edge-hit[data-layer="{layer}"][data-i="{i}"][data-j="{j}"]'
    ).click()
    expect(lens.page.get_by_test_id("inspector-body")).to_have_attribute("data-status", "ready")


def explain(lens: Lens, layer: int, i: int, j: int, of: str = "last") -> Any:
    return lens.server.api(
        "GET", f"/networks/{lens.network_id}/explain?layer={layer}&i={i}&j={j}&of={of}"
    )


def test_the_total_of_a_clicked_weight_equals_its_dW(lens: Lens) -> None:
    step = lens.step()
    click_edge(lens, 1, 2, 0)
    total = lens.page.get_by_test_id("insp-total")
    dW = step["layers"][1]["dW"][2][0]
    assert float(total.get_attribute("data-dw") or "nan") == dW
    assert float(total.get_attribute("data-value") or "nan") == pytest.approx(dW, abs=1e-12)
    expect(total).to_contain_text("✓")
    # Every row is the API's: h_i, δ_j, their product and the running sum, one per sample.
    why = explain(lens, 1, 2, 0)
    rows = lens.page.evaluate(ROWS)
    assert len(rows) == len(step["batch"]) == len(why["samples"])
    running = 0.0
    for (h, dz, product, partial), s in zip(rows, why["samples"], strict=True):
        running += s["product"]
        assert (h, dz, product) == (s["h_in"], s["dz"], s["product"])
        assert h * dz == pytest.approx(product, rel=1e-12)
        assert partial == pytest.approx(running, rel=1e-12)
    assert running == pytest.approx(why["total"], rel=1e-12)


def test_the_selected_sample_shows_its_delta_from_the_layer_above(lens: Lens) -> None:
    page = lens.page
    step = lens.step()
    click_edge(lens, 0, 0, 0)
    page.keyboard.press("]")  # the second sample of the batch, everywhere
    expect(page.get_by_test_id("insp-row-1")).to_have_attribute("aria-selected", "true")
    delta = float(page.get_by_test_id("insp-delta").get_attribute("data-value") or "nan")
    assert delta == step["layers"][0]["dz"][1][0]
    # and the node it lives at shows the same δ
    assert float(page.locator("#node-1-0").get_attribute("data-delta") or "nan") == delta


def test_the_seed_form_appears_for_a_two_layer_network(open_page: Any) -> None:
    lens: Lens = open_page(config_fragment(TWO_LAYERS))
    page = lens.page
    step = lens.step()
    lens.open_tab("chain")
    # Chosen with the pickers, as a keyboard user would.
    page.get_by_test_id("insp-i").select_option(index=1)
    page.get_by_test_id("insp-j").select_option(index=2)
    seed = page.get_by_test_id("seed-form")
    expect(seed).to_be_visible()
    expect(seed.locator("math").first).to_be_visible()
    assert seed.locator("math").first.evaluate("(m) => m.namespaceURI").endswith("MathML")
    dW = step["layers"][0]["dW"][1][2]
    seed_total = float(page.get_by_test_id("seed-total").get_attribute("data-value") or "nan")
    assert seed_total == pytest.approx(dW, abs=1e-12)
    # One line per output l for the selected sample, Σ_l of them equal to that sample's share.
    why = explain(lens, 0, 1, 2)
    terms = [t for t in why["seed_form"] if t["sample"] == why["samples"][0]["sample"]]
    assert len(terms) == 2
    sample_total = page.get_by_test_id("seed-sample-total").get_attribute("data-value")
    assert float(sample_total or "nan") == pytest.approx(why["samples"][0]["product"], rel=1e-9)


def test_a_factor_highlights_where_it_lives_in_the_network(open_page: Any) -> None:
    lens: Lens = open_page(config_fragment(TWO_LAYERS))
    page = lens.page
    lens.step()
    click_edge(lens, 0, 1, 2)
    seed = page.get_by_test_id("seed-form")
    # W(2)_jl in the formula: every edge from hidden neuron j to an output.
    seed.locator('[data-hl="edge:1:2:0 edge:1:2:1"]').first.hover()
    halos = page.locator("#network .edge-halo")
    expect(halos).to_have_count(2)
    assert sorted(h.get_attribute("data-edge") or "" for h in halos.all()) == [
        "edge-1-2-0",
        "edge-1-2-1",
    ]
    # x_i, reached by the keyboard: the input node.
    seed.locator('[data-hl="node:0:1"][tabindex="0"]').focus()
    expect(page.locator("#node-0-1")).to_have_class("node input hl")
    page.mouse.move(5, 5)
    page.locator("body").focus()
    expect(page.locator("#network .node.hl")).to_have_count(0)


def test_the_inspector_waits_for_the_backward_pass_to_reach_the_weight(lens: Lens) -> None:
    page = lens.page
    lens.open_tab("chain")
    step = lens.step_response(lambda: page.get_by_test_id("phase-step").click())
    lens.wait_phase("forward-0")
    body = page.get_by_test_id("inspector-body")
    expect(body).to_have_attribute("data-status", "pending")
    for _ in range(6):  # forward 1, 2, loss, backward 2, 1, 0
        page.get_by_test_id("phase-step").click()
    lens.wait_phase("backward-0")
    expect(body).to_have_attribute("data-status", "ready")
    total = lens.page.get_by_test_id("insp-total")
    assert float(total.get_attribute("data-value") or "nan") == pytest.approx(
        step["layers"][0]["dW"][0][0], abs=1e-12
    )


def test_before_any_step_it_explains_the_step_to_come(lens: Lens) -> None:
    lens.open_tab("chain")
    expect(lens.page.get_by_test_id("inspector-body")).to_have_attribute("data-status", "ready")
    expect(lens.page.get_by_test_id("inspector-body")).to_contain_text("No step yet")
    ahead = float(lens.page.get_by_test_id("insp-total").get_attribute("data-value") or "nan")
    step = lens.step()
    assert ahead == pytest.approx(step["layers"][0]["dW"][0][0], abs=1e-12)


@pytest.mark.parametrize("motion", ["reduce", "no-preference"])
def test_a_tapped_weight_on_a_phone_brings_the_inspector_into_sight(
    browser: Any, server: Any, motion: str
) -> None:
    """On a phone the inspector is far below the network: the tap scrolls it into sight (not
    under the sticky top bar) and puts the focus on it."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, reduced_motion=motion, has_touch=True
    )
    lens = open_lens(context, server, config_fragment(TWO_LAYERS))
    page = lens.page
    edge = page.locator('#network .edge-hit[data-layer="1"][data-i="2"][data-j="0"]')
    edge.scroll_into_view_if_needed()
    tabs_top = "document.getElementById('tabs').getBoundingClientRect().top"
    assert page.evaluate(tabs_top) > page.evaluate("innerHeight")  # out of sight, below
    edge.tap()
    expect(page.get_by_test_id("inspector-body")).to_have_attribute("data-status", "ready")
    expect(page.locator("#panel-chain")).to_be_focused()
    bar = page.evaluate("document.querySelector('.topbar').getBoundingClientRect().bottom")
    page.wait_for_function(
        "(bar) => { const t = document.getElementById('tabs').getBoundingClientRect().top;"
        " return t >= bar - 1 && t <= innerHeight - 40; }",
        arg=bar,
    )
    lens.watch.check()
    context.close()
