"""Accessibility: a whole phase cycle by keyboard alone, narrated in a polite live region;
names and visible focus on every control; tabs by arrow keys; red only for gradient flow."""

from __future__ import annotations

import colorsys
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Lens

pytestmark = pytest.mark.browser

FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {id: el.id, testid: el.dataset ? el.dataset.testid || '' : '',
          html: el.outerHTML.slice(0, 90),
          outline: style.outlineStyle, width: parseFloat(style.outlineWidth)};
}"""

# Every control a keyboard can reach, with the name a screen reader gives it.
NAMES = """() => [...document.querySelectorAll(
    'button, select, input, [role=tab], [tabindex="0"]')]
  .filter((el) => el.checkVisibility() && !el.closest('[hidden]'))
  .map((el) => {
    const label = el.getAttribute('aria-label') || el.getAttribute('title')
      || (el.labels && el.labels[0] && el.labels[0].textContent)
      || (el.getAttribute('aria-labelledby')
          && document.getElementById(el.getAttribute('aria-labelledby')).textContent)
      || el.textContent;
    return {what: el.outerHTML.slice(0, 80), name: (label || '').trim()};
  })"""

# The colours of everything drawn: text, fills, strokes, backgrounds and borders.
COLOURS = """() => {
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    if (!el.checkVisibility() || el.closest('[hidden]')) continue;
    const s = getComputedStyle(el);
    const isSvg = el instanceof SVGElement;
    const props = isSvg ? ['fill', 'stroke'] : ['color', 'background-color', 'border-top-color'];
    for (const p of props) {
      const v = s.getPropertyValue(p);
      if (!v.startsWith('rgb')) continue;
      if (p === 'border-top-color' && parseFloat(s.borderTopWidth) === 0) continue;
      const noStroke = s.stroke === 'none' || parseFloat(s.strokeWidth) === 0;
      if (isSvg && p === 'stroke' && noStroke) continue;
      const text = el.textContent && !isSvg && p === 'color' && el.childElementCount === 0;
      if (p === 'color' && !text) continue;
      out.push({cls: String(el.className.baseVal ?? el.className), tag: el.tagName, p, v,
                gradient: Boolean(el.closest(
                  '.grad-arrow, .grad-head, .legend-arrow, .node-delta, [data-kind=backward]'))});
    }
  }
  return out;
}"""


def is_red(css: str) -> bool:
    """A saturated, mid-light colour whose hue is within 15° of red."""
    r, g, b, *alpha = (float(x) for x in re.findall(r"[\d.]+", css))
    if alpha and alpha[0] < 0.3:
        return False
    h, light, sat = colorsys.rgb_to_hls(r / 255, g / 255, b / 255)
    return sat > 0.5 and 0.2 < light < 0.8 and (h < 15 / 360 or h > 345 / 360)


def test_a_whole_phase_cycle_by_keyboard_alone_is_narrated(lens: Lens) -> None:
    page = lens.page
    narration = page.get_by_test_id("narration")
    expect(narration).to_have_attribute("aria-live", "polite")
    for _ in range(12):  # Tab from the top until the Phase button has the focus
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED)["testid"] == "phase-step":
            break
    focused = page.evaluate(FOCUSED)
    assert focused["testid"] == "phase-step"
    assert focused["outline"] != "none" and focused["width"] >= 2, "the focus must show"
    step = lens.step_response(lambda: page.keyboard.press("Enter"))
    said = []
    for key in ("forward-0", "forward-1", "forward-2", "loss"):
        if said:
            page.keyboard.press("Enter")
        lens.wait_phase(key)
        said.append(narration.inner_text())
    assert said[0].startswith("Forward: layer 1")
    assert said[3] == f"Loss: L = {step['loss_before']:.4g} on a batch of 10.".replace("-", "−")
    for layer in (2, 1, 0):
        page.keyboard.press("Enter")
        lens.wait_phase(f"backward-{layer}")
        dW = step["layers"][layer]["dW"]
        i, j = max(
            ((i, j) for i in range(len(dW)) for j in range(len(dW[0]))),
            key=lambda ij: abs(dW[ij[0]][ij[1]]),
        )
        expect(narration).to_contain_text(
            f"Backward: layer {layer + 1}, largest gradient W⁽{'¹²³'[layer]}⁾[{i + 1}, {j + 1}] = "
        )
    page.keyboard.press("Enter")
    lens.wait_phase("update")
    expect(narration).to_contain_text("Update: step 1 done")
    assert lens.state()["step"] == 1


def test_every_control_has_a_name_and_a_visible_focus(lens: Lens) -> None:
    page = lens.page
    lens.step()
    for tab in ("curves", "chain", "softmax", "tools"):
        lens.open_tab(tab)
        if tab == "chain":
            expect(page.get_by_test_id("inspector-body")).to_have_attribute("data-status", "ready")
        nameless = [c["what"] for c in page.evaluate(NAMES) if not c["name"]]
        assert nameless == [], nameless
    page.get_by_test_id("reset").focus()  # the first control of the page
    seen = {"btn-reset"}
    for _ in range(200):  # every tab stop once, until the focus leaves the page
        page.keyboard.press("Tab")
        f = page.evaluate(FOCUSED)
        if f["html"].startswith("<body"):
            break
        seen.add(f["id"] or f["testid"] or f["html"])
        assert f["outline"] != "none" and f["width"] >= 2, f
    assert {"btn-play", "lang", "tab-tools", "speed", "field-seed", "gradcheck-run"} <= seen


def test_tabs_move_with_the_arrow_keys_not_the_phase(lens: Lens) -> None:
    page = lens.page
    page.get_by_test_id("tab-curves").focus()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_test_id("tab-chain")).to_be_focused()
    expect(page.get_by_test_id("tab-chain")).to_have_attribute("aria-selected", "true")
    expect(page.locator("#panel-chain")).to_be_visible()
    expect(page.locator("#panel-curves")).to_be_hidden()
    page.keyboard.press("End")
    expect(page.get_by_test_id("tab-tools")).to_be_focused()
    page.keyboard.press("ArrowRight")  # wraps around
    expect(page.get_by_test_id("tab-curves")).to_be_focused()
    lens.wait_phase("idle")  # ArrowRight in the tabs is not "next phase"
    assert page.evaluate("window.__lens.step") == 0


def test_the_inspector_is_reached_and_driven_by_keyboard(lens: Lens) -> None:
    page = lens.page
    step = lens.step()
    page.keyboard.press("i")
    expect(page.get_by_test_id("tab-chain")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_test_id("insp-layer")).to_be_focused()
    page.keyboard.press("ArrowDown")  # W(2)
    expect(page.get_by_test_id("insp-layer")).to_have_value("1")
    expect(page.get_by_test_id("inspector-body")).to_have_attribute("data-status", "ready")
    total = lens.value("insp-total")
    assert total == pytest.approx(step["layers"][1]["dW"][0][0], abs=1e-12)
    expect(page.locator("#network .edge-inspected")).to_have_count(1)
    row = page.get_by_test_id("insp-row-0")
    row.focus()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_test_id("insp-row-1")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_test_id("insp-row-1")).to_be_focused()
    assert page.evaluate("window.__lens.row") == 1


def test_nothing_but_the_gradient_flow_is_red(lens: Lens) -> None:
    page = lens.page
    lens.open_tab("chain")
    step = lens.step_response(lambda: page.get_by_test_id("phase-step").click())
    for _ in range(len(step["layers"]) * 2):  # to the last backward phase, arrows everywhere
        page.get_by_test_id("phase-step").click()
    lens.wait_phase("backward-0")
    expect(page.get_by_test_id("inspector-body")).to_have_attribute("data-status", "ready")
    colours = page.evaluate(COLOURS)
    red = [c for c in colours if is_red(c["v"])]
    assert red, "the gradient arrows should be red"
    assert [c for c in red if not c["gradient"]] == []
    arrows = page.locator("#network-arrows .grad-arrow[data-order]")
    expect(arrows.first).to_have_css("stroke-dasharray", re.compile(r"\d"))  # not colour alone
    assert arrows.first.get_attribute("marker-end")
