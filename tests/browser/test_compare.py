"""Compare mode: two networks on the same data and seed, trained in lockstep by Step, Phase and
Play; Play draws both backward passes as the page's own network does; each curve comes from its
own network; swap and copy; the link reopens the pair; Esc leaves with the page's own network as
it was."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import unquote

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Lens
from tests.browser.test_backward import check_arrows_follow_gradients

pytestmark = pytest.mark.browser

SIDES = ("a", "b")
ANY = re.compile(".+")


def settle(page: Page) -> None:
    expect(page.locator("body")).to_have_attribute("data-busy", "0")


def open_compare(lens: Lens, preset: str | None = None) -> None:
    page = lens.page
    page.get_by_test_id("open-compare").click()
    expect(page.get_by_test_id("compare")).to_be_visible()
    if preset:
        page.get_by_test_id(f"compare-preset-{preset}").click()
    settle(page)
    for side in SIDES:
        expect(page.get_by_test_id(f"compare-{side}")).to_have_attribute("data-network-id", ANY)


def ids(page: Page) -> dict[str, str]:
    return {
        s: str(page.get_by_test_id(f"compare-{s}").get_attribute("data-network-id")) for s in SIDES
    }


def states(lens: Lens) -> dict[str, Any]:
    """Both networks as the server holds them."""
    return {s: lens.server.api("GET", f"/networks/{i}") for s, i in ids(lens.page).items()}


def last_value(page: Page, chart: str, side: str) -> float:
    line = page.locator(f'[data-testid="compare-{chart}"] polyline[data-series="{side}"]')
    return float(line.get_attribute("data-last") or "nan")


def assert_lockstep(lens: Lens, step: int) -> None:
    """Both servers at `step`, and each card shows its own server's step."""
    got = states(lens)
    assert got["a"]["step"] == got["b"]["step"] == step
    for side in SIDES:
        card = lens.page.get_by_test_id(f"compare-{side}")
        expect(card).to_have_attribute("data-step", str(step))


def step_bodies(page: Page) -> list[tuple[str, Any, Any]]:
    """Records every step request the page sends: (url, request body, response)."""
    seen: list[tuple[str, Any, Any]] = []

    def on(r: Any) -> None:
        if r.url.endswith("/step") and r.request.method == "POST":
            seen.append((r.url, json.loads(r.request.post_data or "null"), r.json()))

    page.on("response", on)
    return seen


def test_the_two_curves_come_from_two_networks(lens: Lens) -> None:
    page = lens.page
    own = lens.network_id
    open_compare(lens, "deep-wide")
    a_id, b_id = ids(page).values()
    assert a_id != b_id and own not in (a_id, b_id)
    for _ in range(3):
        page.get_by_test_id("step").click()
        settle(page)
    got = states(lens)
    for side in SIDES:
        history = got[side]["history"]
        assert len(history) == 3
        assert last_value(page, "loss", side) == history[-1]["train_loss"]
        assert last_value(page, "norms", side) == history[-1]["grad_norms"][0]
        count = sum(len(w) * len(w[0]) for w in got[side]["weights"])
        count += sum(len(b) for b in got[side]["biases"])
        expect(page.get_by_test_id(f"compare-{side}-params")).to_have_attribute(
            "data-value", str(count)
        )
    # The preset's promise: about the same number of parameters, deep against wide.
    assert got["a"]["config"]["layers"] == [2, 8, 8, 8, 8, 2]
    assert got["b"]["config"]["layers"] == [2, 52, 2]
    a_loss, b_loss = last_value(page, "loss", "a"), last_value(page, "loss", "b")
    assert a_loss != b_loss  # two networks, two curves
    for key in ("dataset", "seed", "batch_size"):
        assert got["a"]["config"][key] == got["b"]["config"][key]


def test_step_phase_and_play_keep_both_networks_in_lockstep(lens: Lens) -> None:
    page = lens.page
    open_compare(lens, "sigmoid-relu")
    steps = step_bodies(page)
    page.get_by_test_id("step").click()
    settle(page)
    assert_lockstep(lens, 1)
    (url_a, _, trace_a), (url_b, body_b, trace_b) = steps[-2:]
    assert url_a != url_b
    assert body_b == {"batch": trace_a["batch"]}  # B learns on A's batch
    assert trace_b["batch"] == trace_a["batch"]
    # Phase: the first press runs the step on both, the next ones walk both through it.
    page.get_by_test_id("phase-step").click()
    settle(page)
    assert_lockstep(lens, 2)
    badge = {s: page.get_by_test_id(f"compare-{s}-phase") for s in SIDES}
    expect(badge["a"]).to_have_attribute("data-phase", "forward-0")
    expect(badge["b"]).to_have_attribute("data-phase", "forward-0")
    for _ in range(7 + 1 + 7):  # seven layers forward, the loss, seven backward
        page.get_by_test_id("phase-step").click()
        settle(page)
    expect(badge["a"]).to_have_attribute("data-phase", "update")
    expect(badge["b"]).to_have_attribute("data-phase", "update")
    assert_lockstep(lens, 2)
    # Play, at full speed, then pause.
    page.locator("#speed").evaluate(
        "(el) => { el.value = el.max; el.dispatchEvent(new Event('input')); }"
    )
    page.get_by_test_id("play").click()
    page.wait_for_function(
        "() => Number(document.querySelector('[data-testid=compare-a]').dataset.step) >= 40",
        timeout=30_000,
    )
    page.get_by_test_id("play").click()
    expect(page.get_by_test_id("play")).to_have_attribute("aria-pressed", "false")
    settle(page)
    step = states(lens)["a"]["step"]
    assert step >= 40
    assert_lockstep(lens, step)
    (_, _, last_a), (_, _, last_b) = steps[-2:]  # the last round: same step, same batch
    assert last_a["step"] == last_b["step"] == step
    assert last_a["batch"] == last_b["batch"]


def stepped_and_swapped(lens: Lens) -> dict[str, str]:
    """Opens Deep vs wide, takes a step, swaps A and B (the networks change places); returns
    the ids before the swap."""
    page = lens.page
    open_compare(lens, "deep-wide")
    page.get_by_test_id("step").click()
    settle(page)
    before = ids(page)
    page.get_by_test_id("compare-swap").click()
    settle(page)
    assert ids(page) == {"a": before["b"], "b": before["a"]}
    return before


def test_swap_and_copy_settings(lens: Lens) -> None:
    page = lens.page
    before = stepped_and_swapped(lens)
    expect(page.get_by_test_id("field-a-hidden")).to_have_value("52")
    expect(page.get_by_test_id("field-b-hidden")).to_have_value("8, 8, 8, 8")
    page.get_by_test_id("compare-copy-ab").click()
    settle(page)
    expect(page.get_by_test_id("compare-a")).not_to_have_attribute("data-network-id", before["b"])
    got = states(lens)
    assert got["a"]["config"] == got["b"]["config"]
    assert got["b"]["config"]["layers"] == [2, 52, 2]
    assert_lockstep(lens, 0)
    page.get_by_test_id("compare-copy-ba").click()
    settle(page)
    got = states(lens)
    assert got["a"]["config"] == got["b"]["config"]


def test_editing_one_network_rebuilds_the_pair_from_step_zero(lens: Lens) -> None:
    page = lens.page
    open_compare(lens, "sgd-adam")
    page.get_by_test_id("step").click()
    settle(page)
    field = page.get_by_test_id("field-b-hidden")
    field.fill("16, 16, 16")
    field.press("Enter")
    settle(page)
    got = states(lens)
    assert got["b"]["config"]["layers"] == [2, 16, 16, 16, 2]
    assert got["b"]["config"]["activations"] == ["tanh", "tanh", "tanh", "softmax"]
    assert got["a"]["config"]["layers"] == [2, 8, 8, 2]
    assert_lockstep(lens, 0)
    page.get_by_test_id("field-a-act").select_option("relu")
    settle(page)
    assert states(lens)["a"]["config"]["activations"] == ["relu", "relu", "softmax"]
    expect(page.get_by_test_id("compare-b-params")).to_have_attribute(
        "data-value", str(2 * 16 + 16 + 2 * (16 * 16 + 16) + 16 * 2 + 2)
    )


def test_the_link_reopens_the_pair(lens: Lens, open_page: Any) -> None:
    page = lens.page
    open_compare(lens, "sigmoid-relu")
    first = states(lens)
    assert page.url.split("#")[1].startswith("compare=")
    pair = json.loads(unquote(page.url.split("#compare=")[1]))
    assert pair["preset"] == "sigmoid-relu"
    other = open_page("#" + page.url.split("#")[1])
    expect(other.page.get_by_test_id("compare")).to_be_visible()
    settle(other.page)
    expect(other.page.get_by_test_id("compare-b")).to_have_attribute("data-network-id", ANY)
    again = states(other)
    assert set(ids(other.page).values()).isdisjoint(ids(page).values())  # its own networks
    for side in SIDES:
        assert again[side]["config"] == first[side]["config"]
        assert again[side]["weights"] == first[side]["weights"]  # same seed, same start
    expect(other.page.get_by_test_id("compare-preset-sigmoid-relu")).to_have_attribute(
        "aria-pressed", "true"
    )


def test_escape_leaves_compare_mode_with_the_own_network_as_it_was(lens: Lens) -> None:
    page = lens.page
    lens.step()
    own = lens.state()
    open_compare(lens)
    expect(page.locator("#columns")).to_be_hidden()
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("compare")).to_be_hidden()
    expect(page.locator("#columns")).to_be_visible()
    assert lens.network_id == own["id"]
    assert lens.state()["step"] == own["step"] == 1
    expect(page.get_by_test_id("step-count")).to_have_text("1")
    assert page.url.split("#")[1].startswith("config=")


def test_plain_vs_residual_shows_the_skips_and_the_first_layer_keeping_its_gradient(
    lens: Lens,
) -> None:
    page = lens.page
    open_compare(lens, "plain-residual")
    got = states(lens)
    assert not got["a"]["config"].get("residual")
    assert got["b"]["config"]["residual"] is True
    # Skips over the five 8 → 8 hidden layers; none on the first (2 → 8) or the output layer.
    expect(page.locator('[data-testid="compare-a-net"] .cmp-skip')).to_have_count(0)
    expect(page.locator('[data-testid="compare-b-net"] .cmp-skip')).to_have_count(5)
    for _ in range(5):
        page.get_by_test_id("step").click()
        settle(page)
    got = states(lens)
    plain, residual = (got[s]["history"][-1]["grad_norms"][0] for s in SIDES)
    assert residual > 100 * plain  # the plain network's first-layer gradient has vanished
    assert last_value(page, "norms", "a") == plain
    assert last_value(page, "norms", "b") == residual


def test_mse_vs_cross_entropy_trains_one_network_with_each_loss(lens: Lens) -> None:
    open_compare(lens, "mse-ce")
    lens.page.get_by_test_id("step").click()
    settle(lens.page)
    got = states(lens)
    assert got["a"]["config"]["loss"] == "mse"
    assert got["b"]["config"]["loss"] == "cross_entropy"
    assert got["a"]["config"]["activations"] == got["b"]["config"]["activations"]
    assert_lockstep(lens, 1)


def test_a_refused_edit_leaves_the_pair_as_it_was_and_says_why(lens: Lens) -> None:
    page = lens.page
    open_compare(lens, "deep-wide")
    page.get_by_test_id("step").click()
    settle(page)
    before = ids(page)
    url = page.url
    field = page.get_by_test_id("field-b-hidden")
    field.fill("1024, 1024")  # over a million parameters: past BACKPROP_LENS_MAX_PARAMS
    field.press("Enter")
    settle(page)
    expect(page.get_by_test_id("banner")).to_contain_text("BACKPROP_LENS_MAX_PARAMS")
    assert ids(page) == before
    assert page.url == url
    expect(page.get_by_test_id("field-b-hidden")).to_have_value("52")
    assert_lockstep(lens, 1)
    # Expected, with the console line Chromium writes for it; anything else still fails.
    lens.watch.take_refusals(1)


SGD_ADAM_LAYERS = [2, 8, 8, 2]  # both networks of the sgd-adam preset
PHASES = ["forward-0", "forward-1", "forward-2", "loss", "backward-2", "backward-1", "backward-0"]

# Records every drawing of each compared network: its phase and the layers its red arrows are on.
RECORD_DRAWINGS = """() => {
  window.__drawn = {a: [], b: []};
  for (const side of ['a', 'b']) {
    const svg = document.querySelector(`[data-testid=compare-${side}-net]`);
    const layers = () => [...new Set([...svg.querySelectorAll('.cmp-grad[data-order]')]
      .map((e) => Number(e.dataset.layer)))].sort((x, y) => x - y);
    new MutationObserver(() => window.__drawn[side].push([svg.dataset.phase, layers()]))
      .observe(svg, {childList: true});
  }
}"""


def set_speed(page: Page, index: int | str) -> None:
    """Puts the speed slider at `index` (or "el.max": the fastest)."""
    page.locator("#speed").evaluate(
        f"(el) => {{ el.value = {index}; el.dispatchEvent(new Event('input')); }}"
    )


def play_to(lens: Lens, step: int) -> int:
    """Plays the pair until both have taken `step` steps, pauses, and checks the lockstep with
    the server; returns the step both are at."""
    lens.page.get_by_test_id("play").click()
    return pause_at(lens, step)


def pause_at(lens: Lens, step: int) -> int:
    """Pauses the pair's Play once both have taken `step` steps, and checks the lockstep with
    the server; returns the step both are at."""
    page = lens.page
    page.wait_for_function(
        f"() => Number(document.querySelector('[data-testid=compare-b]').dataset.step) >= {step}",
        timeout=30_000,
    )
    page.get_by_test_id("play").click()
    expect(page.get_by_test_id("play")).to_have_attribute("aria-pressed", "false")
    settle(page)
    at = int(states(lens)["a"]["step"])
    assert_lockstep(lens, at)
    return at


def check_drawings(lens: Lens, steps: list[tuple[str, Any, Any]], at: int) -> None:
    """Each drawing shows, once paused, its last step as the server answered it: the red arrows
    of every weight as wide as |dW| (the single-mode test's check), and the server's weights."""
    page = lens.page
    got = states(lens)
    for side, network_id in ids(page).items():
        trace = [t for url, _, t in steps if f"/networks/{network_id}/step" in url][-1]
        assert trace["step"] == at
        net = f'[data-testid="compare-{side}-net"]'
        expect(page.locator(net)).to_have_attribute("data-phase", "update")
        arrows = lens.arrows(f"{net} .cmp-grad")
        check_arrows_follow_gradients(arrows, trace, SGD_ADAM_LAYERS, "url(#cmp-head-")
        edges = page.evaluate(
            f"""() => [...document.querySelectorAll('{net} .cmp-edge')].map((e) =>
                ['layer', 'i', 'j', 'w'].map((k) => Number(e.dataset[k])))"""
        )
        assert len(edges) == len(arrows)
        for layer, i, j, w in edges:
            assert w == got[side]["weights"][int(layer)][int(i)][int(j)]


def test_play_draws_both_backward_passes_and_pause_agrees_with_the_server(lens: Lens) -> None:
    page = lens.page
    open_compare(lens, "sgd-adam")
    steps = step_bodies(page)
    page.evaluate(RECORD_DRAWINGS)
    page.get_by_test_id("play").click()  # the default speed, 20 steps/s: each round shown done
    for side in SIDES:  # while playing, each drawing shows the red arrows of its last step
        arrow = page.locator(f'[data-testid="compare-{side}-net"] .cmp-grad[data-order]')
        expect(arrow.first).to_be_visible()
    at = pause_at(lens, 30)
    check_drawings(lens, steps, at)
    drawn = page.evaluate("window.__drawn")
    for side in SIDES:  # too fast to walk the phases: every round is drawn done, arrows and all
        assert {phase for phase, _ in drawn[side]} == {"update"}
        assert all(layers == [0, 1, 2] for _, layers in drawn[side])


def test_play_at_a_slow_speed_walks_both_through_each_phase(lens: Lens) -> None:
    page = lens.page
    open_compare(lens, "sgd-adam")
    steps = step_bodies(page)
    set_speed(page, 0)  # 1 step/s: each step's phases in time, as the page's own network plays
    expect(page.locator("#speed-out")).to_have_text("1 step/s")  # one step, not "1 steps"
    page.evaluate(RECORD_DRAWINGS)
    at = play_to(lens, 2)
    check_drawings(lens, steps, at)
    drawn = page.evaluate("window.__drawn")
    for side in SIDES:
        phases = [p for k, (p, _) in enumerate(drawn[side]) if k == 0 or drawn[side][k - 1][0] != p]
        first = phases.index("forward-0")
        assert phases[first : first + 8] == [*PHASES, "update"], phases  # one by one, in order
        for phase, layers in drawn[side]:  # the arrows reach back one layer at a time
            reached = int(phase.split("-")[1]) if phase.startswith("backward") else None
            if reached is not None:
                assert layers == list(range(reached, 3)), (phase, layers)
            elif phase != "update":
                assert layers == [], (phase, layers)
    assert drawn["a"][: len(drawn["b"])] == drawn["b"][: len(drawn["a"])]  # in lockstep


def test_play_with_reduced_motion_draws_each_step_done(reduced_motion_lens: Lens) -> None:
    lens = reduced_motion_lens
    page = lens.page
    open_compare(lens, "sgd-adam")
    steps = step_bodies(page)
    set_speed(page, 0)
    page.evaluate(RECORD_DRAWINGS)
    at = play_to(lens, 2)
    check_drawings(lens, steps, at)
    drawn = page.evaluate("window.__drawn")
    for side in SIDES:  # no phase shown in time: the arrows come with the finished step
        assert {phase for phase, _ in drawn[side]} == {"update"}
        arrows = lens.arrows(f'[data-testid="compare-{side}-net"] .cmp-grad')
        assert {a["animation"] for a in arrows} == {"none"}


def test_bad_hidden_widths_are_said_and_the_field_goes_back(lens: Lens) -> None:
    page = lens.page
    said: list[str] = []
    page.on("console", lambda m: said.append(m.text))
    open_compare(lens, "sgd-adam")
    max_width = lens.server.api("GET", "/catalog")["limits"]["max_width"]
    page.get_by_test_id("step").click()
    settle(page)
    before = states(lens)
    field = page.get_by_test_id("field-a-hidden")
    kept = field.input_value()
    field.fill("8, x, 0")
    field.press("Enter")
    banner = page.get_by_test_id("banner")
    expect(banner).to_contain_text("Network A: hidden layers not changed")
    expect(banner).to_contain_text("“x” is not an allowed size")
    expect(banner).to_contain_text(f"whole numbers from 1 to {max_width}")
    expect(banner).to_contain_text(f"Kept: {kept}")
    expect(field).to_have_value(kept)
    settle(page)
    assert states(lens) == before  # nothing rebuilt: both train on
    page.get_by_test_id("step").click()
    settle(page)
    assert_lockstep(lens, 2)
    # A good width by Enter rebuilds the pair (from step 0), without a submission warning.
    field = page.get_by_test_id("field-a-hidden")
    field.fill("6")
    field.press("Enter")
    expect(page.get_by_test_id("compare-a")).not_to_have_attribute(
        "data-network-id", before["a"]["id"]
    )
    settle(page)
    assert states(lens)["a"]["config"]["layers"][1:-1] == [6]
    assert_lockstep(lens, 0)
    assert not [m for m in said if "Form submission" in m], said


def test_shared_whole_numbers_are_fitted_to_the_catalog_and_said(lens: Lens) -> None:
    """The pair's seed and batch size: a value the API would refuse is never sent; it is
    fitted to the catalog's range and the banner says so; the server holds what is shown."""
    page = lens.page
    open_compare(lens, "sgd-adam")
    batch = lens.server.api("GET", "/catalog")["bounds"]["batch_size"]
    before = states(lens)
    seed = page.get_by_test_id("field-cmp-seed")
    seed.fill("-1")
    seed.press("Tab")
    banner = page.get_by_test_id("banner")
    expect(banner).to_contain_text("must be a whole number from 0")
    settle(page)
    now = states(lens)
    # -1 became 0: a rebuild only if the pair's seed was not 0 already.
    assert now["a"]["config"]["seed"] == 0 and now["b"]["config"]["seed"] == 0
    expect(seed).to_have_value("0")
    field = page.get_by_test_id("field-cmp-batch")
    field.fill("99999")
    field.press("Tab")
    expect(banner).to_contain_text(f"from {batch['min']} to {batch['max']}: using {batch['max']}")
    expect(page.get_by_test_id("compare-a")).not_to_have_attribute(
        "data-network-id", now["a"]["id"]
    )
    settle(page)
    for side in SIDES:
        assert states(lens)[side]["config"]["batch_size"] == batch["max"]
    expect(page.get_by_test_id("field-cmp-batch")).to_have_value(str(batch["max"]))
    assert before["a"]["id"] != states(lens)["a"]["id"]
