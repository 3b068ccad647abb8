"""Clicking a data point, playing, the keyboard, changing the learning rate, editing a weight."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from playwright.sync_api import Request, expect

from tests.browser.conftest import Lens, config_fragment

NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")

pytestmark = pytest.mark.browser


# The training index of a point no other point covers (so a click lands on it).
TOP_POINT = """() => [...document.querySelectorAll('#data-plot .point.train')].map((p) => {
  const b = p.getBoundingClientRect();
  const hit = document.elementFromPoint((b.left + b.right) / 2, (b.top + b.bottom) / 2);
  return hit === p ? Number(p.dataset.trainIndex) : null;
}).find((i) => i !== null && i > 0)"""


def record_steps(lens: Lens) -> list[dict[str, object]]:
    """A list that fills with the bodies of the step requests the page sends from now on."""
    bodies: list[dict[str, object]] = []

    def on_request(r: Request) -> None:
        if r.url.endswith("/step") and r.method == "POST":
            bodies.append(json.loads(r.post_data or "{}"))

    lens.page.on("request", on_request)
    return bodies


def test_clicking_a_training_point_runs_a_single_sample_step(lens: Lens) -> None:
    page = lens.page
    bodies = record_steps(lens)
    index = page.evaluate(TOP_POINT)
    point = page.locator(f'#data-plot .point.train[data-train-index="{index}"]')
    step = lens.step_response(point.click)
    assert bodies == [{"sample": index}]
    assert step["batch"] == [index]
    lens.wait_phase("update")
    batch = page.locator("#data-plot .point.in-batch")
    expect(batch).to_have_count(1)
    expect(batch).to_have_attribute("data-train-index", str(index))
    expect(page.get_by_test_id("sample-row")).to_contain_text(f"#{index}")


def test_the_batch_of_a_step_is_ringed_on_the_data_plot(lens: Lens) -> None:
    step = lens.step_response(lambda: lens.page.get_by_test_id("step").click())
    lens.wait_phase("update")
    ringed = lens.page.eval_on_selector_all(
        "#data-plot .point.in-batch", "(ps) => ps.map((p) => Number(p.dataset.trainIndex))"
    )
    assert sorted(ringed) == sorted(step["batch"])


def test_play_for_a_while_lowers_the_training_loss_on_circle(lens: Lens) -> None:
    page = lens.page
    bodies = record_steps(lens)
    before = float(page.get_by_test_id("train-loss").get_attribute("data-value") or "nan")
    for _ in range(4):
        page.keyboard.press("+")
    expect(page.get_by_test_id("speed-value")).to_have_attribute("data-value", "500")
    page.get_by_test_id("play").click()
    expect(page.locator("body")).to_have_attribute("data-playing", "true")
    page.wait_for_function("() => window.__lens.step >= 400", timeout=30_000)
    page.get_by_test_id("play").click()
    expect(page.locator("body")).to_have_attribute("data-playing", "false")
    lens.settle()  # the last request in flight lands; then the page shows the server's step
    after = float(page.get_by_test_id("train-loss").get_attribute("data-value") or "nan")
    assert after < before - 0.05
    assert max(int(b.get("steps", 1)) for b in bodies) > 1, "play should batch steps"
    assert lens.state()["metrics"]["train_loss"] == pytest.approx(after)


def space_plays_and_r_resets(lens: Lens) -> None:
    """Space plays to step 4 at least and pauses; R resets to step 0, on the server too."""
    page = lens.page
    page.keyboard.press(" ")
    expect(page.locator("body")).to_have_attribute("data-playing", "true")
    page.wait_for_function("() => window.__lens.step >= 4")
    page.keyboard.press(" ")
    expect(page.locator("body")).to_have_attribute("data-playing", "false")
    with page.expect_response(lambda r: r.url.endswith("/reset")):
        page.keyboard.press("r")
    expect(page.get_by_test_id("step-count")).to_have_text("0")
    lens.wait_phase("idle")
    lens.settle()
    assert lens.state()["step"] == 0


def test_keyboard_shortcuts_drive_every_action(lens: Lens) -> None:
    page = lens.page
    step = lens.step_response(lambda: page.keyboard.press("s"))
    assert step["step"] == 1
    lens.wait_phase("update")
    expect(page.get_by_test_id("step-count")).to_have_text("1")

    expect(page.get_by_test_id("sample-row")).to_have_attribute("data-row", "0")
    page.keyboard.press("]")
    expect(page.get_by_test_id("sample-row")).to_have_attribute("data-row", "1")
    page.keyboard.press("[")
    expect(page.get_by_test_id("sample-row")).to_have_attribute("data-row", "0")

    lens.step_response(lambda: page.keyboard.press("p"))
    lens.wait_phase("forward-0")
    page.keyboard.press("ArrowRight")
    lens.wait_phase("forward-1")

    speed = page.get_by_test_id("speed-value")
    start = int(speed.get_attribute("data-value") or "0")
    page.keyboard.press("+")
    expect(speed).not_to_have_attribute("data-value", str(start))
    faster = int(speed.get_attribute("data-value") or "0")
    page.keyboard.press("-")
    expect(speed).to_have_attribute("data-value", str(start))
    assert faster > start

    space_plays_and_r_resets(lens)


IN_FIELD = "() => Boolean(document.activeElement.closest('input, select, textarea'))"


def test_escape_leaves_the_inspector_and_the_shortcuts_work_again(lens: Lens) -> None:
    page = lens.page
    assert lens.step_response(lambda: page.keyboard.press("s"))["step"] == 1
    page.keyboard.press("i")
    layer = page.get_by_test_id("insp-layer")
    expect(layer).to_be_focused()
    page.keyboard.press("s")  # in the Layer menu, a letter is the menu's own: no step
    page.keyboard.press("Escape")
    expect(layer).not_to_be_focused()
    assert not page.evaluate(IN_FIELD)
    expect(page.get_by_test_id("tab-chain")).to_have_attribute("aria-selected", "true")
    assert lens.state()["step"] == 1
    assert lens.step_response(lambda: page.keyboard.press("s"))["step"] == 2
    lens.settle()
    expect(page.get_by_test_id("step-count")).to_have_text("2")
    space_plays_and_r_resets(lens)  # Space plays (it does not open the menu)


def test_escape_gives_the_focus_back_to_where_it_was(lens: Lens) -> None:
    page = lens.page
    play = page.get_by_test_id("play")
    play.focus()
    page.keyboard.press("i")
    expect(page.get_by_test_id("insp-layer")).to_be_focused()
    page.keyboard.press("Escape")
    expect(play).to_be_focused()
    assert lens.step_response(lambda: page.keyboard.press("s"))["step"] == 1


def test_in_the_lesson_a_first_escape_leaves_the_field_a_second_the_lesson(
    open_page: Any,
) -> None:
    lens: Lens = open_page("#lesson=forward")
    page = lens.page
    expect(page.get_by_test_id("lesson")).to_have_attribute("data-chapter", "forward")
    lens.settle()
    page.keyboard.press("i")
    expect(page.get_by_test_id("insp-layer")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("insp-layer")).not_to_be_focused()
    expect(page.get_by_test_id("lesson")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("lesson")).to_be_hidden()


def test_shortcuts_are_listed_on_the_page(lens: Lens) -> None:
    lens.page.get_by_test_id("tab-tools").click()
    listed = lens.page.get_by_test_id("shortcuts")
    for key in ("Space", "S", "P", "R", "+", "−", "[", "]", "I", "L", "Esc"):
        expect(listed.locator("kbd", has_text=key).first).to_be_visible()


def test_changing_the_learning_rate_patches_without_a_reset(lens: Lens) -> None:
    page = lens.page
    lens.step_response(lambda: page.get_by_test_id("step").click())
    lens.wait_phase("update")
    network = lens.network_id
    # The response, not the request: the server must have applied the PATCH before it is read.
    with page.expect_response(lambda r: r.request.method == "PATCH") as info:
        page.get_by_test_id("field-learning_rate").select_option("0.03")
    assert info.value.ok
    assert json.loads(info.value.request.post_data or "{}") == {"learning_rate": 0.03}
    expect(page.get_by_test_id("field-learning_rate")).to_have_value("0.03")
    state = lens.state()
    assert lens.network_id == network
    assert state["step"] == 1
    assert state["config"]["optimizer"]["learning_rate"] == 0.03
    expect(page.get_by_test_id("step-count")).to_have_text("1")
    assert "learning_rate%22%3A0.03" in page.url


# x1 → the first hidden neuron: slanted (a level edge has an empty box) and crossed by no
# other edge at its middle, where the pointer goes.
FIRST_EDGE = '#network .edge-hit[data-layer="0"][data-i="0"][data-j="0"]'


def set_weight_in_dialog(lens: Lens, value: str) -> dict[str, object]:
    """Types a value into the open weight dialog, saves it, and returns the PATCH body."""
    page = lens.page
    expect(page.get_by_test_id("param-dialog")).to_be_visible()
    page.get_by_test_id("param-value").fill(value)
    with page.expect_response(lambda r: r.request.method == "PATCH") as info:
        page.get_by_test_id("param-save").click()
    assert info.value.ok
    return dict(json.loads(info.value.request.post_data or "{}"))


def test_clicking_a_weight_inspects_it_and_the_inspector_edits_it(lens: Lens) -> None:
    page = lens.page
    edge = page.locator(FIRST_EDGE)
    edge.hover()
    expect(page.locator("#tooltip")).to_contain_text("W⁽¹⁾[1, 1]")
    edge.click()
    expect(page.get_by_test_id("tab-chain")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_test_id("inspector-body")).to_contain_text("W⁽¹⁾[1, 1]")
    expect(page.get_by_test_id("param-dialog")).to_be_hidden()  # a click alone edits nothing
    page.get_by_test_id("insp-edit").click()
    body = set_weight_in_dialog(lens, "0.5")
    assert body == {"set": {"layer": 0, "kind": "W", "i": 0, "j": 0, "value": 0.5}}
    expect(page.locator("#edge-0-0-0")).to_have_attribute("data-w", "0.5")
    expect(page.get_by_test_id("inspector-body")).to_contain_text("w = 0.5")
    assert lens.state()["weights"][0][0][0] == 0.5


def test_double_clicking_a_weight_edits_it(lens: Lens) -> None:
    lens.page.locator(FIRST_EDGE).dblclick()
    body = set_weight_in_dialog(lens, "-0.25")
    assert body == {"set": {"layer": 0, "kind": "W", "i": 0, "j": 0, "value": -0.25}}
    expect(lens.page.locator("#edge-0-0-0")).to_have_attribute("data-w", "-0.25")


def test_hovering_a_weight_shows_w_its_gradient_and_the_last_update(lens: Lens) -> None:
    page = lens.page
    step = lens.step_response(lambda: page.get_by_test_id("step").click())
    lens.wait_phase("update")
    page.locator('#network .edge-hit[data-layer="0"][data-i="0"][data-j="0"]').hover()
    tip = page.locator("#tooltip")
    expect(tip).to_contain_text("∂L/∂w")
    numbers = [float(x) for x in NUMBER.findall(tip.inner_text().replace("\u2212", "-"))]
    layer = step["layers"][0]
    for value in (step["weights"][0][0][0], layer["dW"][0][0], layer["update"]["dW"][0][0]):
        assert any(n == pytest.approx(value, rel=1e-5) for n in numbers), value


def test_a_link_the_server_refuses_falls_back_to_the_default_network(open_page: Any) -> None:
    too_big = {"layers": [2, 3, 2], "dataset": {"kind": "moons", "n": 100_000}}
    lens: Lens = open_page(config_fragment(too_big))
    banner = lens.page.get_by_test_id("banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("5000")  # the message names the limit
    assert lens.state()["config"]["layers"] == [2, 4, 4, 2]
    # Expected, with the console line Chromium writes for it; anything else still fails.
    lens.watch.take_refusals(1)


def test_a_diverging_network_stops_playing_says_so_and_resets(open_page: Any) -> None:
    wild = {
        "layers": [2, 8, 1],
        "activations": ["relu", "linear"],
        "dataset": {"kind": "plane"},
        "optimizer": {"name": "sgd", "learning_rate": 1_000_000},
    }
    lens: Lens = open_page(config_fragment(wild))
    page = lens.page
    page.get_by_test_id("play").click()
    banner = page.get_by_test_id("banner")
    expect(banner).to_contain_text("diverged")
    expect(page.locator("body")).to_have_attribute("data-playing", "false")
    with page.expect_response(lambda r: r.url.endswith("/reset")):
        page.get_by_test_id("reset").click()
    expect(banner).to_be_hidden()
    expect(page.get_by_test_id("step-count")).to_have_text("0")
    assert lens.state()["diverged"] is False
    # The refused step, and the console line Chromium writes for it, were expected.
    refused = [f for f in lens.watch.failures if f.startswith("409 ")]
    assert len(refused) == 1 and refused[0].endswith("/step")
    lens.watch.failures.remove(refused[0])
    lens.watch.console[:] = [c for c in lens.watch.console if "status of 409" not in c]
