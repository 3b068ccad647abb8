"""The drawing stays legible from 1 to 8 weight layers and 16 neurons, draws wider layers
aggregated (and says so), and the layer editors rebuild the network."""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Lens, config_fragment, open_lens, weight_count

pytestmark = pytest.mark.browser


def network_config(layers: list[int], activations: list[str]) -> dict[str, Any]:
    return {
        "layers": layers,
        "activations": activations,
        "loss": "cross_entropy",
        "init": "xavier",
        "seed": 1,
        "dataset": {
            "kind": "circle",
            "n": 100,
            "noise": 0.1,
            "classes": 2,
            "test_fraction": 0.2,
            "seed": 0,
            "features": ["x1", "x2"],
        },
        "optimizer": {"name": "sgd", "learning_rate": 0.1, "momentum": 0},
        "batch_size": 10,
        "l2": 0,
    }


NODE_BOXES = """() => {
  const svg = document.getElementById('network').getBoundingClientRect();
  return {svg: [svg.left, svg.top, svg.right, svg.bottom],
          nodes: [...document.querySelectorAll('#network .node rect')].map((r) => {
            const b = r.getBoundingClientRect();
            const text = r.parentNode.querySelector('.node-value');
            return {k: Number(r.parentNode.dataset.layer), box: [b.left, b.top, b.right, b.bottom],
                    font: parseFloat(getComputedStyle(text).fontSize)};
          })};
}"""


@pytest.mark.parametrize(
    ("layers", "acts"),
    [
        ([2, 2], ["softmax"]),
        ([2, *[16] * 7, 2], ["tanh"] * 7 + ["softmax"]),
    ],
)
def test_layout_keeps_every_node_inside_and_apart(
    open_page: Any, layers: list[int], acts: list[str]
) -> None:
    lens: Lens = open_page(config_fragment(network_config(layers, acts)))
    expect(lens.page.locator("#network .edge")).to_have_count(weight_count(layers))
    drawn = lens.page.evaluate(NODE_BOXES)
    left, top, right, bottom = drawn["svg"]
    assert len(drawn["nodes"]) == sum(layers)
    for n in drawn["nodes"]:
        x0, y0, x1, y1 = n["box"]
        assert left <= x0 and x1 <= right and top <= y0 and y1 <= bottom
        assert n["font"] >= 9  # still readable on a projector
    by_column: dict[int, list[list[float]]] = {}
    for n in drawn["nodes"]:
        by_column.setdefault(n["k"], []).append(n["box"])
    for boxes in by_column.values():
        boxes.sort(key=lambda b: b[1])
        for upper, lower in itertools.pairwise(boxes):
            assert upper[3] <= lower[1], "nodes overlap"
    xs = sorted({round(b[0]) for boxes in by_column.values() for b in boxes})
    assert len(xs) == len(layers)


def test_wide_layers_are_drawn_aggregated_and_say_so(open_page: Any) -> None:
    layers = [2, 64, 8, 2]
    lens: Lens = open_page(config_fragment(network_config(layers, ["tanh", "tanh", "softmax"])))
    page = lens.page
    expect(page.locator("#block-1")).to_have_count(1)
    expect(page.locator("#network .node[data-layer='1']")).to_have_count(0)
    # 2 inputs → block, block → 8, then 8 × 2 single weights: 2 + 8 + 16 lines, not 656.
    expect(page.locator("#network .edge")).to_have_count(2 + 8 + 16)
    expect(page.locator("#network .edge.aggregated")).to_have_count(10)
    expect(page.get_by_test_id("aggregate-note")).to_be_visible()
    expect(page.get_by_test_id("aggregate-note")).to_contain_text("64")
    lens.step_response(lambda: page.get_by_test_id("step").click())
    lens.wait_phase("update")
    arrows = lens.arrows()
    assert len(arrows) == 26
    assert all(a["order"] is not None for a in arrows)


def test_layer_editors_rebuild_the_network(lens: Lens) -> None:
    page = lens.page
    first = lens.network_id
    page.get_by_test_id("add-layer").click()
    expect(page.get_by_test_id("hidden-count")).to_have_text("3")
    expect(page.locator("#network .edge")).to_have_count(2 * 4 + 4 * 4 + 4 * 4 + 4 * 2)
    page.get_by_test_id("more-1").click()
    expect(page.get_by_test_id("layer-size-1")).to_have_text("5")
    page.get_by_test_id("activation-0").select_option("relu")
    expect(page).to_have_url(re.compile("relu"))  # the link follows the rebuilt network
    state = lens.state()
    assert lens.network_id != first
    assert state["config"]["layers"] == [2, 5, 4, 4, 2]
    assert state["config"]["activations"] == ["relu", "tanh", "tanh", "softmax"]
    page.get_by_test_id("remove-layer").click()
    expect(page.get_by_test_id("hidden-count")).to_have_text("2")


def test_changing_the_dataset_rebuilds_with_its_classes(lens: Lens) -> None:
    page = lens.page
    page.get_by_test_id("field-kind").select_option("spiral")
    expect(page.get_by_test_id("field-classes")).to_be_enabled()
    page.get_by_test_id("field-classes").fill("3")
    page.get_by_test_id("field-classes").press("Tab")
    expect(page.get_by_test_id("layer-size-3")).to_have_text("3")
    lens.step_response(lambda: page.get_by_test_id("step").click())
    lens.wait_phase("update")
    page.get_by_test_id("tab-softmax").click()
    expect(page.get_by_test_id("softmax-p-2")).to_be_visible()
    assert lens.state()["config"]["dataset"]["kind"] == "spiral"


def test_a_regression_dataset_draws_one_output_without_softmax(lens: Lens) -> None:
    page = lens.page
    page.get_by_test_id("field-kind").select_option("sine")
    expect(page.get_by_test_id("layer-size-0")).to_have_text("1")
    expect(page.get_by_test_id("layer-size-3")).to_have_text("1")
    lens.step_response(lambda: page.get_by_test_id("step").click())
    lens.wait_phase("update")
    page.get_by_test_id("tab-softmax").click()
    expect(page.get_by_test_id("softmax")).to_contain_text("no softmax")
    assert lens.state()["config"]["loss"] == "mse"


def test_explicit_points_with_many_inputs_draw_an_aggregated_input(open_page: Any) -> None:
    rng = random.Random(0)
    points = [[round(rng.gauss(0, 1), 3) for _ in range(20)] for _ in range(40)]
    config = {
        "layers": [20, 6, 2],
        "activations": ["tanh", "softmax"],
        "dataset": {"kind": "points", "points": points, "y": [i % 2 for i in range(40)]},
    }
    lens: Lens = open_page(config_fragment(config))
    page = lens.page
    expect(page.locator("#block-0")).to_have_count(1)
    expect(page.locator("#network .edge")).to_have_count(6 + 12)
    expect(page.get_by_test_id("aggregate-note")).to_contain_text("20")
    expect(page.get_by_test_id("field-kind")).to_have_value("points")
    lens.step_response(lambda: page.get_by_test_id("step").click())
    lens.wait_phase("update")
    assert not any("/boundary?" in u for u in lens.watch.requests)  # the API draws ≤ 2-D only
    assert lens.state()["config"]["layers"] == [20, 6, 2]


SCREENS = [(390, 844), (1024, 768), (1366, 768), (1920, 1080)]

# Every visible control (and the top bar's and network head's labels) with its box.
CONTROL_BOXES = """() => {
  const sel = 'button, select, input:not([type=hidden]), textarea, [role=tab], .brand, '
    + '.status-item, .layer-name, .network-head .panel-title';
  return [...document.querySelectorAll(sel)].flatMap((el) => {
    const b = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (b.width === 0 || b.height === 0 || style.visibility === 'hidden') return [];
    // (a closed <details> hides its content, though Chromium still gives it a box)
    if (el.closest('[hidden], dialog:not([open]), details:not([open]) > :not(summary), .sr-only'))
      return [];
    return [{name: el.dataset.testid || el.id || el.className || el.tagName,
             box: [b.left + scrollX, b.top + scrollY, b.right + scrollX, b.bottom + scrollY]}];
  });
}"""


def overlap(a: list[float], b: list[float]) -> float:
    """The area two boxes share."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return max(0.0, w) * max(0.0, h)


def check_screen(page: Any, width: int, height: int) -> None:
    """No sideways scrolling, every control inside the width, no two controls overlapping,
    the transport on screen wherever the page is scrolled to."""
    page.evaluate("window.scrollTo(0, 0)")
    sizes = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert sizes[0] <= sizes[1] == width, f"sideways scrolling at {width}: {sizes}"
    controls = page.evaluate(CONTROL_BOXES)
    assert len(controls) > 30
    for c in controls:
        assert c["box"][0] >= -0.5 and c["box"][2] <= width + 0.5, (width, c)
    for a, b in itertools.combinations(controls, 2):
        assert overlap(a["box"], b["box"]) < 1, (width, a, b)
    for where in ["0", "document.documentElement.scrollHeight"]:
        page.evaluate(f"window.scrollTo(0, {where})")
        for testid in ["reset", "play", "step", "phase-step", "lang"]:
            box = page.get_by_test_id(testid).bounding_box()
            assert box is not None
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, testid
            assert box["y"] >= 0 and box["y"] + box["height"] <= height, testid


@pytest.mark.parametrize(("width", "height"), SCREENS)
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_every_screen_fits_without_overlaps(
    browser: Any, server: Any, width: int, height: int, lang: str
) -> None:
    context = browser.new_context(
        viewport={"width": width, "height": height}, locale="en-US", reduced_motion="reduce"
    )
    lens = open_lens(context, server)
    page = lens.page
    if lang == "ko":
        page.get_by_test_id("lang").select_option("ko")
        expect(page.locator("html")).to_have_attribute("lang", "ko")
    check_screen(page, width, height)
    lens.step()
    for tab in ["curves", "chain", "softmax", "tools"]:
        lens.open_tab(tab)
        check_screen(page, width, height)
    cols = page.evaluate(
        """() => ['.col-left', '.col-center', '.col-right'].map((s) => {
             const b = document.querySelector(s).getBoundingClientRect();
             return [b.left, b.top, b.right]; })"""
    )
    if width < 720:  # a phone: the columns are stacked, each the page's width
        assert cols[0][0] == cols[1][0] == cols[2][0]
        assert cols[0][1] < cols[1][1] < cols[2][1]
    else:  # the network beside the data column
        assert cols[0][2] <= cols[1][0]
    lens.watch.check()
    context.close()


@pytest.mark.parametrize(("width", "height"), [SCREENS[0], SCREENS[1]])
def test_a_deep_network_keeps_its_layer_editors_apart(
    browser: Any, server: Any, width: int, height: int
) -> None:
    context = browser.new_context(
        viewport={"width": width, "height": height}, reduced_motion="reduce"
    )
    layers = [2, *[8] * 7, 2]
    lens = open_lens(
        context, server, config_fragment(network_config(layers, ["relu"] * 7 + ["softmax"]))
    )
    check_screen(lens.page, width, height)
    lens.watch.check()
    context.close()


def test_chart_text_is_readable_with_a_few_ticks(lens: Lens) -> None:
    lens.play_until(30)
    fonts = lens.page.evaluate(
        "[...document.querySelectorAll('svg.chart text')].map((t) =>"
        " parseFloat(getComputedStyle(t).fontSize))"
    )
    assert fonts and min(fonts) >= 12
    for chart in ["loss-chart", "accuracy-chart", "norms-chart"]:
        ys = lens.page.get_by_test_id(chart).locator(".tick-y")
        assert 3 <= ys.count() <= 7, chart
        xs = lens.page.get_by_test_id(chart).locator(".tick-x")
        assert 3 <= xs.count() <= 7, chart


def test_the_linear_collapse_formula_is_never_cut_off(open_page: Any) -> None:
    wide = [2, 8, 8, 2]
    config = network_config(wide, ["linear", "linear", "softmax"])
    for width in [390, 1024, 1366]:
        lens: Lens = open_page(config_fragment(config))
        lens.page.set_viewport_size({"width": width, "height": 800})
        card = lens.page.get_by_test_id("collapse")
        expect(card).to_be_visible()
        fits = card.evaluate(
            """(card) => [...card.querySelectorAll('math')].map((m) => {
                 const c = m.getBoundingClientRect(), p = card.getBoundingClientRect();
                 return m.scrollWidth <= m.clientWidth + 1 && c.right <= p.right + 0.5; })"""
        )
        assert fits and all(fits), width


def test_korean_comes_from_the_shipped_font_on_a_machine_without_one(lens: Lens) -> None:
    page = lens.page
    page.get_by_test_id("lang").select_option("ko")
    loaded = page.evaluate(
        """async () => {
             const faces = await document.fonts.load('16px "Backprop Lens Hangul"', '역전파');
             return faces.map((f) => [f.family, f.status]); }"""
    )
    assert loaded == [['"Backprop Lens Hangul"', "loaded"]] or loaded == [
        ["Backprop Lens Hangul", "loaded"]
    ]
    assert any(u.endswith("/static/fonts/hangul.woff2") for u in lens.watch.requests)


@pytest.mark.parametrize(("width", "height"), SCREENS)
def test_the_lesson_and_compare_mode_fit_every_screen(
    browser: Any, server: Any, width: int, height: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": height}, locale="ko-KR")
    lens = open_lens(context, server)
    page = lens.page
    busy = page.locator("body")
    page.get_by_test_id("open-lesson").click()
    expect(page.get_by_test_id("lesson")).to_be_visible()
    expect(busy).to_have_attribute("data-busy", "0")
    for way_out in ["lesson-back", "lesson-keep"]:  # the page's own network to go back to
        expect(page.get_by_test_id(way_out)).to_be_visible()
    check_screen(page, width, height)
    page.get_by_test_id("open-compare").click()
    expect(page.get_by_test_id("lesson")).to_be_hidden()  # one mode at a time
    expect(busy).to_have_attribute("data-busy", "0")
    lens.page.get_by_test_id("step").click()
    expect(busy).to_have_attribute("data-busy", "0")
    check_screen(page, width, height)
    a, b = (page.get_by_test_id(f"compare-{s}").bounding_box() for s in "ab")
    assert a is not None and b is not None
    if width < 720:  # a phone: A above B, each the page's width
        assert a["x"] == b["x"] and a["y"] + a["height"] <= b["y"]
    else:  # side by side
        assert a["y"] == b["y"] and a["x"] + a["width"] <= b["x"]
    lens.watch.check()
    context.close()


# Inside the outputs column's chain-rule tab: every element whose content is wider than its box
# (a formula that would scroll sideways), and every element reaching past the tab's right edge.
INSPECTOR_OVERFLOW = """() => {
  const panel = document.getElementById('panel-chain');
  const right = panel.getBoundingClientRect().right;
  const name = (e) => `${e.tagName} ${e.getAttribute('class') || ''}: `
    + e.textContent.replace(/\\s+/g, ' ').slice(0, 60);
  return [...panel.querySelectorAll('*')].flatMap((e) => {
    const b = e.getBoundingClientRect();
    if (b.width === 0) return [];
    const out = [];
    if (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible')
      out.push(`scrolls: ${name(e)}`);
    if (b.right > right + 0.5) out.push(`past the edge: ${name(e)}`);
    return out;
  });
}"""


@pytest.mark.parametrize(
    ("layers", "acts", "weight"),
    [
        ([2, 3, 2], ["tanh", "softmax"], (0, 1, 2)),  # the note's derivation applies
        ([2, 4, 4, 4, 2], ["tanh", "tanh", "tanh", "softmax"], (0, 1, 2)),  # long paths
    ],
)
def test_the_inspectors_formulas_wrap_on_a_phone(
    browser: Any, server: Any, layers: list[int], acts: list[str], weight: tuple[int, int, int]
) -> None:
    """At 390 px the inspector, its sum over paths and the note's derivation wrap their long
    formulas (after an = or ⋅) instead of scrolling them sideways."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, reduced_motion="reduce")
    lens = open_lens(context, server, config_fragment(network_config(layers, acts)))
    page = lens.page
    lens.step()
    layer, i, j = weight
    lens.open_tab("chain")
    for testid, value in (("insp-layer", layer), ("insp-i", i), ("insp-j", j)):
        page.get_by_test_id(testid).select_option(index=value)
    expect(page.get_by_test_id("inspector-body")).to_have_attribute("data-status", "ready")
    forms = ["paths", "derivation"] if len(layers) == 3 else ["paths"]
    for form in forms:
        page.get_by_test_id(f"{form}-toggle").click()
        expect(page.get_by_test_id(f"{form}-body")).to_have_attribute("data-status", "ready")
    assert page.locator("#panel-chain math").count() > 10  # the formulas are there
    over = page.evaluate(INSPECTOR_OVERFLOW)
    assert over == []
    sizes = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    assert sizes[0] <= sizes[1] == 390
    lens.watch.check()
    context.close()


# Each number of the softmax table: how many lines its text takes; and each percentage label's
# vertical centre against its bar's.
SOFTMAX_CELLS = """() => {
  const lines = [...document.querySelectorAll('.softmax-table td.num')].map((td) => {
    const range = document.createRange();
    range.selectNodeContents(td);
    return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
  });
  const labels = [...document.querySelectorAll('.softmax-table .bar-cell')].map((cell) => {
    const bar = cell.querySelector('.bar').getBoundingClientRect();
    const label = cell.querySelector('.bar-label').getBoundingClientRect();
    return (label.top + label.bottom) / 2 - (bar.top + bar.bottom) / 2;
  });
  return {lines, labels};
}"""


@pytest.fixture(params=["en", "ko"])
def stepped(browser: Any, server: Any, request: Any) -> Iterator[Callable[[int], Lens]]:
    """Opens the default page at a width (×768) in English, then in Korean, after one step;
    each page is checked and closed at the end."""
    opened: list[tuple[Any, Lens]] = []

    def _open(width: int) -> Lens:
        context = browser.new_context(
            viewport={"width": width, "height": 768}, locale="en-US", reduced_motion="reduce"
        )
        lens = open_lens(context, server)
        lens.page.get_by_test_id("lang").select_option(request.param)
        expect(lens.page.locator("html")).to_have_attribute("lang", request.param)
        lens.step()
        opened.append((context, lens))
        return lens

    yield _open
    for context, lens in opened:
        lens.watch.check()
        context.close()


def test_the_softmax_tables_numbers_never_break(stepped: Callable[[int], Lens]) -> None:
    lens = stepped(1366)
    page = lens.page
    lens.open_tab("softmax")
    cells = page.evaluate(SOFTMAX_CELLS)
    assert len(cells["lines"]) >= 6 and set(cells["lines"]) == {1}, cells
    assert all(abs(d) <= 2 for d in cells["labels"]), cells  # each label sits on its bar


# The neuron boxes and the σ plots' captions (and the plots), on the page.
NODES_AND_CAPTIONS = """() => {
  const box = (el) => {
    const b = el.getBoundingClientRect();
    return [b.left, b.top, b.right, b.bottom];
  };
  return {nodes: [...document.querySelectorAll('#network .node rect')].map(box),
          captions: [...document.querySelectorAll('.act-foot, .act-plot')].map(box)};
}"""


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1024, 768)])
def test_a_step_with_seven_hidden_layers_moves_no_neuron_onto_a_sigma_caption(
    browser: Any, server: Any, width: int, height: int
) -> None:
    """The sample picker appears with the first step; where the network's head wraps, that
    moved the layer editors down under the drawing."""
    context = browser.new_context(
        viewport={"width": width, "height": height}, reduced_motion="reduce"
    )
    layers = [2, *[4] * 7, 2]
    config = network_config(layers, ["tanh"] * 7 + ["softmax"])
    lens = open_lens(context, server, config_fragment(config))
    lens.step()
    expect(lens.page.get_by_test_id("sample-row")).to_be_visible()
    lens.page.wait_for_timeout(300)  # a resize would redraw on the next frame
    seen = lens.page.evaluate(NODES_AND_CAPTIONS)
    assert len(seen["nodes"]) == 2 + 7 * 4 + 2 and len(seen["captions"]) >= 14
    for node in seen["nodes"]:
        for caption in seen["captions"]:
            assert overlap(node, caption) < 1, (width, node, caption)
    lens.watch.check()
    context.close()


def test_a_projector_shows_data_network_and_the_numbers_on_the_first_screen(
    stepped: Callable[[int], Lens],
) -> None:
    lens = stepped(1024)
    page = lens.page
    page.evaluate("window.scrollTo(0, 0)")
    numbers = page.evaluate(
        """() => [...document.querySelectorAll('#metrics .metric-big, #metrics .metric-value')]
             .map((e) => { const b = e.getBoundingClientRect(); return [b.top, b.bottom]; })"""
    )
    assert len(numbers) == 5, numbers  # the batch's L, then train/test loss and accuracy
    assert all(top >= 0 and bottom <= 768 for top, bottom in numbers), numbers
    for testid in ["data-plot", "network"]:
        box = page.get_by_test_id(testid).bounding_box()
        assert box is not None and box["y"] + box["height"] * 0.75 <= 768, (testid, box)


# Each neuron's value and δ against its box (left, right), after a step.
NODE_TEXTS = """() => [...document.querySelectorAll('#network .node')].flatMap((g) => {
  const r = g.querySelector('rect').getBoundingClientRect();
  return [...g.querySelectorAll('.node-value, .node-delta')].filter((t) => t.textContent)
    .map((t) => { const b = t.getBoundingClientRect();
                  return {text: t.textContent, box: [r.left, r.right], at: [b.left, b.right]}; });
})"""


def test_a_deep_network_on_a_phone_keeps_every_value_inside_its_neuron(
    browser: Any, server: Any
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, reduced_motion="reduce")
    layers = [2, *[8] * 6, 2]
    config = network_config(layers, ["sigmoid"] * 6 + ["softmax"])
    config["dataset"]["kind"] = "xor"  # inputs of both signs, so a value like −0.45
    lens = open_lens(context, server, config_fragment(config))
    lens.step()
    texts = lens.page.evaluate(NODE_TEXTS)
    assert len(texts) >= sum(layers)
    assert any(t["text"].startswith("−0.") for t in texts)  # the widest kind of value
    for t in texts:
        assert t["box"][0] - 0.5 <= t["at"][0] and t["at"][1] <= t["box"][1] + 0.5, t
    lens.watch.check()
    context.close()


# Each menu (of those `sel` finds) with the width its chosen option needs (text, padding and arrow).
MENU_FITS = """(sel) => [...document.querySelectorAll(sel)]
  .filter((s) => s.offsetWidth > 0)
  .map((s) => {
    const probe = document.createElement('span');
    const style = getComputedStyle(s);
    probe.style.font = style.font;
    probe.style.cssText += 'position:absolute;white-space:pre;visibility:hidden';
    probe.textContent = s.selectedOptions[0] ? s.selectedOptions[0].textContent : '';
    document.body.append(probe);
    const text = probe.getBoundingClientRect().width;
    probe.remove();
    const pad = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
    const arrow = style.appearance === 'none' ? 0 : 16;  // a menu of one choice has none
    const room = s.clientWidth - pad - arrow;
    return {id: s.dataset.testid || s.id, text: probe.textContent, need: text, room};
  })"""


EDITOR_MENUS = "#data-editor select, #train-editor select"


def test_the_editors_menus_show_their_whole_choice_at_1366(stepped: Callable[[int], Lens]) -> None:
    lens = stepped(1366)
    page = lens.page
    page.get_by_test_id("field-loss").select_option("cross_entropy")
    menus = page.evaluate(MENU_FITS, EDITOR_MENUS)
    page.get_by_test_id("field-kind").select_option("sine")
    expect(page.get_by_test_id("field-kind")).to_have_value("sine")
    expect(page.get_by_test_id("field-loss")).to_have_value("mse")  # regression: MSE only
    menus += page.evaluate(MENU_FITS, EDITOR_MENUS)
    assert len(menus) >= 10
    for m in menus:
        assert m["need"] <= m["room"], m


def test_the_compare_cards_menus_show_their_whole_choice_at_1366(
    stepped: Callable[[int], Lens],
) -> None:
    page = stepped(1366).page
    page.get_by_test_id("open-compare").click()
    page.get_by_test_id("compare-preset-mse-ce").click()
    expect(page.locator("body")).to_have_attribute("data-busy", "0")
    menus = page.evaluate(MENU_FITS, "#compare select")
    assert len(menus) >= 12
    for m in menus:
        assert m["need"] <= m["room"], m
