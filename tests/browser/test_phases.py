"""Phase stepping goes forward layer by layer, loss, backward layer by layer, update, and the
numbers on screen are the API's."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Lens

pytestmark = pytest.mark.browser

NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")
PHASES = ["forward-0", "forward-1", "forward-2", "loss", "backward-2", "backward-1", "backward-0"]

NODES = """() => [...document.querySelectorAll('#network .node')].map((g) => ({
  k: Number(g.dataset.layer), j: Number(g.dataset.j), value: g.dataset.value, z: g.dataset.z,
  delta: g.dataset.delta === undefined ? null : g.dataset.delta,
  text: g.querySelector('.node-value').textContent,
  deltaText: g.querySelector('.node-delta')?.textContent ?? null}))"""


def shown_number(text: str) -> float:
    """A number as the page writes it (real minus sign, maybe a 'δ ' prefix)."""
    return float(text.replace("δ", "").replace("\u2212", "-").strip())


def check_nodes(lens: Lens, step: dict[str, Any], forward: int, backward: int) -> None:
    """Nodes show h (and z) up to the layers the forward pass reached, δ from the backward."""
    L = len(step["layers"])
    for n in lens.page.evaluate(NODES):
        k, j = n["k"], n["j"]
        if k > forward or (k == 0 and forward == 0):
            assert n["value"] == "" and n["text"] == "", (k, j)
            continue
        h = step["x"][0][j] if k == 0 else step["layers"][k - 1]["h"][0][j]
        assert float(n["value"]) == h, (k, j)
        assert shown_number(n["text"]) == pytest.approx(h, abs=0.0051), (k, j)
        if k == 0:
            continue
        assert float(n["z"]) == step["layers"][k - 1]["z"][0][j]
        reached = k - 1 >= L - backward
        if reached:
            dz = step["layers"][k - 1]["dz"][0][j]
            assert float(n["delta"]) == dz, (k, j)
            assert shown_number(n["deltaText"]) == pytest.approx(dz, abs=0.0051, rel=0.06)
        else:
            assert n["delta"] == "", (k, j)


def shown_arrow_layers(lens: Lens) -> set[int]:
    return {a["layer"] for a in lens.arrows() if a["order"] is not None}


def test_phase_stepping_passes_every_phase_with_the_api_numbers(lens: Lens) -> None:
    page = lens.page
    page.get_by_test_id("tab-softmax").click()
    phase_button = page.get_by_test_id("phase-step")
    step = lens.step_response(phase_button.click)
    L = len(step["layers"])
    for index, key in enumerate(PHASES):
        if index:
            phase_button.click()
        lens.wait_phase(key)
        kind = key.split("-")[0]
        forward = min(index + 1, L)
        backward = max(0, index - L)
        check_nodes(lens, step, forward, backward)
        assert shown_arrow_layers(lens) == set(range(L - backward, L))
        expect(page.get_by_test_id("step-count")).to_have_text("0")
        if kind == "forward" and index < L - 1:
            expect(page.get_by_test_id("loss")).to_have_attribute("data-value", "")
        if kind == "loss":
            loss = page.get_by_test_id("loss")
            assert float(loss.get_attribute("data-value") or "nan") == step["loss_before"]
            assert shown_number(loss.inner_text()) == pytest.approx(step["loss_before"], rel=1e-3)
            for k in range(2):
                o = page.get_by_test_id(f"softmax-o-{k}").get_attribute("data-value")
                p = page.get_by_test_id(f"softmax-p-{k}").get_attribute("data-value")
                assert float(o or "nan") == step["output"][0][k]
                assert float(p or "nan") == step["probs"][0][k]
        if kind == "backward":
            layer = int(key.split("-")[1])
            norm = page.locator(f'#network .grad-norm[data-layer="{layer}"]')
            assert float(norm.get_attribute("data-value") or "nan") == step["grad_norms"][layer]

    phase_button.click()
    lens.wait_phase("update")
    expect(page.get_by_test_id("step-count")).to_have_text(str(step["step"]))
    for e in lens.edges():
        assert float(e["w"]) == step["weights"][int(e["layer"])][int(e["i"])][int(e["j"])]
    train = page.get_by_test_id("train-loss").get_attribute("data-value")
    assert float(train or "nan") == step["train"]["loss"]
    assert lens.state()["step"] == step["step"] == 1


def test_next_phase_after_the_update_starts_a_new_step(lens: Lens) -> None:
    page = lens.page
    first = lens.step_response(lambda: page.get_by_test_id("step").click())
    lens.wait_phase("update")
    second = lens.step_response(lambda: page.get_by_test_id("phase-step").click())
    lens.wait_phase("forward-0")
    assert (first["step"], second["step"]) == (1, 2)
    # Until its update phase the step's weights are those from before it: the first's.
    for e in lens.edges():
        assert float(e["w"]) == first["weights"][int(e["layer"])][int(e["i"])][int(e["j"])]


def test_hovering_a_node_shows_z_h_and_delta(lens: Lens) -> None:
    page = lens.page
    step = lens.step_response(lambda: page.get_by_test_id("step").click())
    lens.wait_phase("update")
    page.locator("#node-2-1").hover()
    tip = page.locator("#tooltip")
    expect(tip).to_be_visible()
    numbers = [float(x) for x in NUMBER.findall(tip.inner_text().replace("\u2212", "-"))]
    for value in (step["layers"][1]["z"][0][1], step["layers"][1]["dz"][0][1]):
        assert any(n == pytest.approx(value, rel=1e-5) for n in numbers), value
