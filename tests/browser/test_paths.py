"""The inspector's sum over paths (explain form=paths): for a weight at any depth, the paths
with their factors and the API's numbers, the rest summed past the listed ones with counts,
the total equal to the step's dW, and the multiplications each way."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Lens, config_fragment
from tests.browser.test_language import english_words

pytestmark = pytest.mark.browser

DEEP = {
    "layers": [2, 3, 3, 3, 2],
    "activations": ["tanh", "sigmoid", "tanh", "softmax"],
    "batch_size": 4,
}

# The visible text under one element, as the language test collects it (MathML and code aside).
SHOWN_IN = """(el) => {
  const out = [];
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const p = n.parentElement;
    if (!p || p.closest('math, code, [hidden]') || !p.checkVisibility()) continue;
    if (n.textContent.trim()) out.push(n.textContent.trim());
  }
  return out;
}"""

PATHS = """() => [...document.querySelectorAll('[data-testid=paths-list] > li')].map((li) =>
  ({value: Number(li.dataset.value), sample: Number(li.dataset.sampleValue)}))"""


def shown_in(lens: Lens, testid: str) -> list[str]:
    return list(lens.page.get_by_test_id(testid).evaluate(SHOWN_IN))


def pick(lens: Lens, layer: int, i: int, j: int) -> None:
    """Picks W(layer)[i, j] with the inspector's menus (the keyboard's way to any weight)."""
    page = lens.page
    for testid, value in (("insp-layer", layer), ("insp-i", i), ("insp-j", j)):
        page.get_by_test_id(testid).select_option(index=value)  # options in index order
        expect(page.get_by_test_id(testid)).to_have_value(str(value))
    expect(page.get_by_test_id("inspector-body")).to_have_attribute("data-status", "ready")


def open_paths(lens: Lens, layer: int, i: int, j: int) -> None:
    pick(lens, layer, i, j)
    toggle = lens.page.get_by_test_id("paths-toggle")
    if toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    expect(lens.page.get_by_test_id("paths-body")).to_have_attribute("data-status", "ready")


def api_paths(lens: Lens, layer: int, i: int, j: int, max_paths: int) -> Any:
    path = f"/networks/{lens.network_id}/explain?layer={layer}&i={i}&j={j}"
    return lens.server.api("GET", f"{path}&of=last&form=paths&max_paths={max_paths}")["paths"]


def check_total(lens: Lens, step: Any, layer: int, i: int, j: int) -> None:
    total = lens.page.get_by_test_id("paths-total")
    dW = step["layers"][layer]["dW"][i][j]
    assert float(total.get_attribute("data-dw") or "nan") == dW
    assert float(total.get_attribute("data-value") or "nan") == pytest.approx(dW, abs=1e-12)
    expect(total).to_contain_text("✓")


def test_the_paths_of_a_first_layer_weight_sum_to_its_dW(open_page) -> None:
    lens = open_page(config_fragment(DEEP))
    step = lens.step()
    lens.open_tab("chain")
    open_paths(lens, 0, 1, 2)
    check_total(lens, step, 0, 1, 2)
    api = api_paths(lens, 0, 1, 2, 16)
    count = lens.page.get_by_test_id("paths-count")
    assert api["count"]["exact"] == "18"  # 3 · 3 · 2 routes from neuron j to an output
    expect(count).to_have_attribute("data-count", "18")
    expect(count).to_have_attribute("data-listed", "16")
    shown = lens.page.evaluate(PATHS)
    assert [p["value"] for p in shown] == [p["value"] for p in api["paths"]]
    assert [p["sample"] for p in shown] == [p["samples"][0] for p in api["paths"]]
    rest = lens.page.get_by_test_id("paths-rest")
    expect(rest).to_have_attribute("data-count", "2")
    assert float(rest.get_attribute("data-value") or "nan") == api["rest"]
    listed = lens.value("paths-listed-sum")
    assert listed + api["rest"] == pytest.approx(step["layers"][0]["dW"][1][2], abs=1e-12)
    work = lens.page.get_by_test_id("paths-work")
    expect(work).to_have_attribute("data-paths", api["multiplications"]["paths"]["exact"])
    expect(work).to_have_attribute("data-backprop", api["multiplications"]["backprop"]["exact"])
    # All of them: nothing left for "the rest".
    lens.page.get_by_test_id("paths-max").select_option("64")
    expect(count).to_have_attribute("data-listed", "18")
    expect(rest).to_have_attribute("data-count", "0")
    check_total(lens, step, 0, 1, 2)


def test_any_depth_and_residual_skip_edges(open_page) -> None:
    lens = open_page(config_fragment({**DEEP, "residual": True}))
    step = lens.step()
    lens.open_tab("chain")
    for layer, i, j in ((0, 0, 1), (1, 2, 0), (3, 1, 1)):
        open_paths(lens, layer, i, j)
        check_total(lens, step, layer, i, j)
    # From W(1): each of the two 3 → 3 skip layers adds a branch: (3 + 1) · (3 + 1) · 2.
    open_paths(lens, 0, 0, 1)
    expect(lens.page.get_by_test_id("paths-count")).to_have_attribute("data-count", "32")
    expect(lens.page.get_by_test_id("paths-list")).to_contain_text("⤳")
    lens.page.get_by_test_id("lang").select_option("ko")
    expect(lens.page.get_by_test_id("paths-toggle")).to_contain_text("경로의 합")
    expect(lens.page.get_by_test_id("paths-body")).to_have_attribute("data-status", "ready")
    assert english_words(shown_in(lens, "paths")) == set()


def test_a_listing_past_the_servers_limit_is_said_in_the_form(open_page) -> None:
    wide = {"layers": [2, 8, 8, 8, 2], "activations": ["tanh"] * 3 + ["softmax"], "batch_size": 160}
    lens = open_page(config_fragment(wide))
    step = lens.step()
    lens.open_tab("chain")
    open_paths(lens, 0, 0, 0)
    check_total(lens, step, 0, 0, 0)  # 16 of the 128 paths, the rest summed
    lens.page.get_by_test_id("paths-max").select_option("256")
    # All 128 paths × 160 rows × 8 factors: past the terms one explanation may hold.
    message = lens.page.get_by_test_id("paths-message")
    expect(message).to_contain_text("BACKPROP_LENS_MAX_EXPLAIN_TERMS")
    expect(lens.page.get_by_test_id("banner")).to_be_hidden()  # said here, not as a failure
    lens.page.get_by_test_id("paths-max").select_option("16")
    expect(lens.page.get_by_test_id("paths-body")).to_have_attribute("data-status", "ready")
    # The 409 was expected (Chromium logs every 4xx it loads).
    lens.watch.failures = [f for f in lens.watch.failures if "/explain?" not in f]
    lens.watch.console = [c for c in lens.watch.console if "409 (Conflict)" not in c]


def test_focusing_a_path_lights_up_its_route(open_page) -> None:
    lens = open_page(config_fragment(DEEP))
    lens.step()
    lens.open_tab("chain")
    open_paths(lens, 1, 2, 0)
    api = api_paths(lens, 1, 2, 0, 16)["paths"][0]
    lens.page.mouse.move(1, 1)  # out of the way: the keyboard alone
    lens.page.locator("[data-testid=paths-list] > li").first.focus()
    # Its weights W(3)[0, k] then W(4)[k, o], as halos, and the neurons it passes, ringed.
    r, o = api["neurons"][1], api["neurons"][2]
    halos = lens.page.locator("#network .edge-halo")
    expect(halos).to_have_count(2)
    edges = {h.get_attribute("data-edge") for h in halos.all()}
    assert edges == {f"edge-2-0-{r}", f"edge-3-{r}-{o}"}
    expect(lens.page.locator("#network .node.hl")).to_have_count(4)  # h_i, j, r and o
