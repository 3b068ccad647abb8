"""Journeys: sequences of real actions in Chromium. After every action the configuration the
page shows (its controls' values and labels) must equal the server's network
(GET /api/v1/networks/{id}) of the page's current network."""

from __future__ import annotations

import random
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Lens, forgive_aborts

pytestmark = pytest.mark.browser

# What the controls show, read in one go: each field's value, a range's printed label, the
# checked features, the layer sizes and activations above the network.
SHOWN = """() => {
  const val = (name) => {
    const el = document.querySelector(`[data-testid=field-${name}]`);
    return el ? el.value : null;
  };
  const label = (name) => {
    const el = document.querySelector(`[data-testid=field-${name}]`);
    const out = el && el.parentElement.querySelector('output');
    return out ? out.textContent : null;
  };
  const features = [...document.querySelectorAll('input[name=features]')]
    .filter((e) => e.checked).map((e) => e.value);
  const sizes = [...document.querySelectorAll('[data-testid^=layer-size-]')]
    .map((e) => [Number(e.dataset.testid.slice(11)), Number(e.textContent)])
    .sort((a, b) => a[0] - b[0]).map((p) => p[1]);
  const acts = [...document.querySelectorAll('[data-testid^=activation-]')]
    .map((e) => [Number(e.dataset.testid.slice(11)), e.value])
    .sort((a, b) => a[0] - b[0]).map((p) => p[1]);
  const names = ['kind', 'classes', 'noise', 'test_fraction', 'n', 'data_seed', 'loss',
                 'optimizer', 'learning_rate', 'momentum', 'batch_size', 'l2', 'init', 'seed'];
  return {fields: Object.fromEntries(names.map((n) => [n, val(n)])),
          labels: {noise: label('noise'), test_fraction: label('test_fraction')},
          features, sizes, acts, id: window.__lens.networkId,
          hash: location.hash, banner: document.querySelector('#banner').hidden ? null
            : document.querySelector('#banner-text').textContent};
}"""


def settle(page: Page) -> None:
    """Waits until the page has no API work queued or in flight (body[data-busy="0"])."""
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    expect(page.locator("body")).to_have_attribute("data-busy", "0")


def agree(lens: Lens) -> dict[str, Any]:
    """Asserts that what the page shows is the server's network; returns what it shows."""
    page = lens.page
    settle(page)
    shown = page.evaluate(SHOWN)
    cfg = lens.server.api("GET", f"/networks/{shown['id']}?history=false")["config"]
    f = shown["fields"]
    ds = cfg["dataset"]
    assert f["kind"] == ds["kind"]
    if ds.get("classes") is not None and f["classes"] is not None:
        assert int(f["classes"]) == ds["classes"]
    assert float(f["noise"]) == pytest.approx(ds["noise"])
    assert shown["labels"]["noise"] == f"{ds['noise']:.2f}"
    assert float(f["test_fraction"]) == pytest.approx(ds["test_fraction"])
    assert shown["labels"]["test_fraction"] == f"{round(ds['test_fraction'] * 100)}%"
    assert int(f["n"]) == ds["n"]
    assert int(f["data_seed"]) == ds["seed"]
    assert sorted(shown["features"]) == sorted(ds["features"])
    assert f["loss"] == cfg["loss"]
    opt = cfg["optimizer"]
    assert f["optimizer"] == opt["name"]
    assert float(f["learning_rate"]) == pytest.approx(opt["learning_rate"])
    if opt["name"] == "sgd":
        assert float(f["momentum"]) == pytest.approx(opt.get("momentum", 0.0))
    assert int(f["batch_size"]) == cfg["batch_size"]
    assert float(f["l2"]) == pytest.approx(cfg["l2"])
    assert f["init"] == cfg["init"]
    assert int(f["seed"]) == cfg["seed"]
    assert shown["sizes"] == cfg["layers"]
    assert shown["acts"] == cfg["activations"]
    # The share link reproduces the same configuration.
    link = page.evaluate("JSON.parse(decodeURIComponent(location.hash.slice(8)))")
    assert link["dataset"]["noise"] == pytest.approx(ds["noise"])
    assert link["dataset"]["test_fraction"] == pytest.approx(ds["test_fraction"])
    assert link["layers"] == cfg["layers"] and link["loss"] == cfg["loss"]
    assert link["optimizer"]["learning_rate"] == pytest.approx(opt["learning_rate"])
    return shown


def refused(lens: Lens, expected: int | None = 1) -> None:
    """Takes the expected refusals (422 on POST /networks) off the watch's failures."""
    lens.watch.take_refusals(expected)


def choose(page: Page, name: str, value: str) -> None:
    page.get_by_test_id(f"field-{name}").select_option(value)


def fill(page: Page, name: str, value: int | float) -> None:
    """Types a number into a field and leaves it (one change event, as a person makes)."""
    field = page.get_by_test_id(f"field-{name}")
    field.fill(str(value))
    field.press("Tab")


def test_kind_then_classes_then_learning_rate_keep_noise_and_test_share(lens: Lens) -> None:
    page = lens.page
    first = agree(lens)
    assert first["labels"] == {"noise": "0.10", "test_fraction": "20%"}
    choose(page, "kind", "spiral")
    agree(lens)
    fill(page, "classes", 4)
    agree(lens)
    choose(page, "learning_rate", "0.03")
    shown = agree(lens)
    assert shown["labels"] == {"noise": "0.10", "test_fraction": "20%"}
    state = lens.state()
    assert state["metrics"]["test_loss"] is not None


def test_regression_and_back_switches_loss_output_and_features_and_says_so(lens: Lens) -> None:
    page = lens.page
    note = page.get_by_test_id("config-note")
    choose(page, "kind", "sine")
    shown = agree(lens)
    assert (shown["fields"]["loss"], shown["acts"][-1], shown["features"]) == (
        "mse",
        "linear",
        ["x1"],
    )
    expect(note).to_be_visible()
    choose(page, "kind", "plane")
    shown = agree(lens)
    assert sorted(shown["features"]) == ["x1", "x2"], "Plane has 2-D points: both coordinates"
    expect(note).to_contain_text("x1, x2")
    choose(page, "kind", "spiral")
    shown = agree(lens)
    assert (shown["fields"]["loss"], shown["acts"][-1]) == ("cross_entropy", "softmax")
    expect(note).to_contain_text("cross-entropy")
    expect(page.get_by_test_id("field-loss")).to_be_enabled()
    assert shown["banner"] is None
    lens.step()
    agree(lens)
    page.reload()
    forgive_aborts(lens)
    shown = agree(lens)
    assert shown["fields"]["kind"] == "spiral" and shown["banner"] is None


def test_the_notice_is_in_korean_on_the_korean_page(lens: Lens) -> None:
    page = lens.page
    page.get_by_test_id("lang").select_option("ko")
    choose(page, "kind", "sine")
    agree(lens)
    expect(page.get_by_test_id("config-note")).to_contain_text("손실함수")


def test_an_out_of_range_class_count_is_fitted_and_said(lens: Lens) -> None:
    page = lens.page
    choose(page, "kind", "spiral")
    agree(lens)
    fill(page, "classes", 9)
    shown = agree(lens)
    assert shown["fields"]["classes"] == "8"
    expect(page.get_by_test_id("config-note")).to_contain_text("from 2 to 8")


def test_a_sample_count_beyond_the_limit_is_fitted_to_it_and_said(lens: Lens) -> None:
    page = lens.page
    limit = lens.server.api("GET", "/datasets")["datasets"][0]["parameters"]["n"][1]
    fill(page, "n", limit + 1)
    shown = agree(lens)
    assert shown["fields"]["n"] == str(limit)  # the API's limit, not a refusal
    assert shown["banner"] is None
    expect(page.get_by_test_id("config-note")).to_contain_text(f"using {limit}")


def test_space_after_clicking_a_button_plays_and_pauses(lens: Lens) -> None:
    page = lens.page
    page.get_by_test_id("preset-deep-sigmoid").click()
    agree(lens)
    before = lens.network_id
    page.keyboard.press(" ")
    expect(page.locator("body")).to_have_attribute("data-playing", "true")
    page.keyboard.press(" ")
    expect(page.locator("body")).to_have_attribute("data-playing", "false")
    shown = agree(lens)
    assert shown["id"] == before, "Space must not press the preset again"


@pytest.mark.parametrize(
    "fragment",
    [
        "#config=%7B%22layers%22%3A%22abc%22%2C%22dataset%22%3A%22x%22%7D",
        "#config=%7Bnot json",
        "#config=%7B%22dataset%22%3A%7B%22kind%22%3A%22sine%22%7D%2C%22loss%22%3A%22cross_entropy%22%7D",
        "#config=%7B%22dataset%22%3A%7B%22kind%22%3A%22nowhere%22%7D%7D",
    ],
)
def test_a_broken_link_never_locks_the_page(open_page: Any, fragment: str) -> None:
    lens = open_page(fragment)
    agree(lens)
    choose(lens.page, "kind", "moons")
    shown = agree(lens)
    assert shown["fields"]["kind"] == "moons"
    refused(lens, expected=None)


def test_known_error_types_get_the_pages_own_words(lens: Lens) -> None:
    page = lens.page
    page.get_by_test_id("lang").select_option("ko")
    text = page.evaluate(
        """import('/static/js/ui/banner.js').then(async (b) => {
             const {ApiError} = await import('/static/js/api/client.js');
             const el = document.createElement('div'), span = document.createElement('span');
             const banner = new b.Banner(el, span, document.createElement('button'));
             banner.show(new ApiError(422, 'layers.1: 2000 exceeds 1024', [
               {loc: ['body', 'layers', 1], msg: '2000 exceeds 1024', type: 'limit'}]));
             return span.textContent; })"""
    )
    assert text.startswith("이 서버의 한도를 넘습니다.") and "2000 exceeds 1024" in text


# ------------------------------------------------------------------ the seeded random walk

KINDS = ["circle", "xor", "gauss", "moons", "spiral", "blobs", "sine", "plane"]


def random_change(page: Page, rng: random.Random) -> None:
    """One editor change chosen by `rng` among the controls on screen."""
    shown = page.evaluate(SHOWN)
    f = shown["fields"]
    options: list[Any] = [
        lambda: choose(page, "kind", rng.choice(KINDS)),
        lambda: choose(page, "learning_rate", rng.choice(["0.01", "0.03", "0.3", "1"])),
        lambda: choose(page, "optimizer", rng.choice(["sgd", "adam"])),
        lambda: choose(page, "init", rng.choice(["xavier", "he", "uniform"])),
        lambda: choose(page, "l2", rng.choice(["0", "0.001", "0.01"])),
        lambda: fill(page, "batch_size", rng.randint(1, 40)),
        lambda: fill(page, "seed", rng.randint(0, 9)),
        lambda: fill(page, "data_seed", rng.randint(0, 9)),
        lambda: fill(page, "n", rng.randint(20, 300)),
    ]
    if f["classes"] is not None and not page.get_by_test_id("field-classes").is_disabled():
        options.append(lambda: fill(page, "classes", rng.randint(2, 9)))
    if f["momentum"] is not None:
        options.append(lambda: choose(page, "momentum", rng.choice(["0", "0.5", "0.9"])))
    loss = page.get_by_test_id("field-loss")
    if loss.is_enabled():  # MSE or cross-entropy on a classification dataset
        losses = loss.evaluate("(el) => [...el.options].map((o) => o.value)")
        options.append(lambda: choose(page, "loss", rng.choice(losses)))
    boxes = page.locator("input[name=features]")
    if boxes.count() > 1:
        options.append(lambda: boxes.nth(rng.randrange(boxes.count())).click())
    options.append(lambda: set_range(page, "noise", rng.choice([0, 0.05, 0.3, 0.5])))
    options.append(lambda: set_range(page, "test_fraction", rng.choice([0, 0.1, 0.25, 0.5])))
    rng.choice(options)()


def set_range(page: Page, name: str, value: float) -> None:
    page.get_by_test_id(f"field-{name}").evaluate(
        "(el, v) => { el.value = String(v); el.dispatchEvent(new Event('input', {bubbles: true}));"
        " el.dispatchEvent(new Event('change', {bubbles: true})); }",
        value,
    )


def test_a_seeded_random_walk_of_editor_changes_keeps_page_and_server_agreeing(
    lens: Lens,
) -> None:
    rng = random.Random(20261202)
    page = lens.page
    for _walk in range(30):  # each sequence goes on from where the one before left the page
        agree(lens)
        for _ in range(rng.randint(6, 10)):
            random_change(page, rng)
            agree(lens)
