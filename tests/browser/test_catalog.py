"""What the page offers is what the API accepts: every menu, bound and limit on the live page
equals GET /api/v1/catalog, and the API takes every value offered. The server here has
unusual limits, so a page keeping its own copies of them would fail."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.browser.conftest import Lens, LiveServer, open_lens
from tests.browser.test_journeys import agree, choose, settle

pytestmark = pytest.mark.browser

LIMITS = {"MAX_LAYERS": "4", "MAX_WIDTH": "9", "MAX_BATCH": "32", "MAX_SAMPLES": "300"}
LIMITS |= {"MAX_STEPS": "3", "MAX_RESOLUTION": "20"}


@pytest.fixture(scope="module")
def odd_server() -> Iterator[LiveServer]:
    env = {f"BACKPROP_LENS_{k}": v for k, v in LIMITS.items()}
    live = LiveServer({"BACKPROP_LENS_CREATES_PER_MINUTE": "0", **env})
    yield live
    live.stop()


@pytest.fixture
def odd(context: BrowserContext, odd_server: LiveServer) -> Iterator[Lens]:
    opened = open_lens(context, odd_server)
    yield opened
    opened.watch.check()


# Every option of a select, and the min/max of an input, as the page shows them.
OPTIONS = "(el) => [...el.options].map((o) => o.value)"
BOUNDS = "(el) => [el.min, el.max].map(Number)"


def options(lens: Lens, testid: str) -> list[str]:
    return list(lens.page.get_by_test_id(testid).evaluate(OPTIONS))


def bounds(lens: Lens, testid: str) -> list[float]:
    return list(lens.page.get_by_test_id(testid).evaluate(BOUNDS))


def accepted(server: LiveServer, body: dict[str, Any]) -> bool:
    """Whether POST /networks creates a network for `body` (and deletes it again)."""
    try:
        made = server.api("POST", "/networks", body)
    except Exception as exc:  # urllib raises HTTPError on 422
        assert getattr(exc, "code", None) == 422, exc
        return False
    server.api("DELETE", f"/networks/{made['id']}")
    return True


def current_config(lens: Lens) -> dict[str, Any]:
    config = lens.server.api("GET", f"/networks/{lens.network_id}?history=false")["config"]
    return dict(config)


def test_every_dataset_menu_and_bound_is_the_catalogs_and_accepted(odd: Lens) -> None:
    cat = odd.server.api("GET", "/catalog")
    assert cat["limits"]["max_samples"] == 300
    tasks = {t["name"]: t for t in cat["tasks"]}
    assert options(odd, "field-kind") == [d["name"] for d in cat["datasets"]]
    for d in cat["datasets"]:
        choose(odd.page, "kind", d["name"])
        agree(odd)
        params = d["parameters"]
        assert bounds(odd, "field-n") == params["n"] == [params["n"][0], 300]
        assert bounds(odd, "field-noise") == params["noise"]
        assert bounds(odd, "field-test_fraction") == params["test_fraction"]
        seed = cat["bounds"]["seed"]
        assert bounds(odd, "field-data_seed") == [seed["min"], seed["max"]]
        classes = odd.page.get_by_test_id("field-classes")
        if d["task"] == "classification":
            assert bounds(odd, "field-classes") == d["classes"]
        else:
            expect(classes).to_have_count(0)
        # Both ends of every range offered are accepted.
        config = current_config(odd)
        ends = {k: params[k] for k in ("n", "noise", "test_fraction")}
        if d["task"] == "classification":
            ends["classes"] = d["classes"]
        for key, (lo, hi) in ends.items():
            for v in (lo, hi):
                body = {**config, "dataset": {**config["dataset"], key: v}}
                if key == "classes":
                    body["layers"] = [*config["layers"][:-1], v]
                assert accepted(odd.server, body), (d["name"], key, v)
        boxes = odd.page.locator("input[name=features]")
        offered = [boxes.nth(k).get_attribute("value") for k in range(boxes.count())]
        dims = {f["name"]: f["input_dim"] for f in cat["features"]}
        assert offered == [f for f in dims if dims[f] <= d["input_dim"]]
        # Loss menu: the task's losses; for each, the output layer's menu: what the API takes.
        task = tasks[d["task"]]
        assert options(odd, "field-loss") == [f["name"] for f in task["losses"]]
        for fit in task["losses"]:
            if odd.page.get_by_test_id("field-loss").input_value() != fit["name"]:
                choose(odd.page, "loss", fit["name"])
                agree(odd)
            config = current_config(odd)
            last = len(config["activations"]) - 1
            outputs = options(odd, f"activation-{last}")
            assert sorted(outputs) == sorted(fit["outputs"]), (d["name"], fit["name"])
            assert options(odd, "activation-0") == cat["activations"]["hidden"]
            for act in outputs:
                body = {**config, "activations": [*config["activations"][:-1], act]}
                assert accepted(odd.server, body), (d["name"], fit["name"], act)
    catalog_reads = [u for u in odd.watch.requests if u.endswith("/api/v1/catalog")]
    assert len(catalog_reads) == 1, "the page reads the catalog once, at start"


def test_every_training_menu_and_bound_is_the_catalogs_and_accepted(odd: Lens) -> None:
    cat = odd.server.api("GET", "/catalog")
    config = current_config(odd)
    assert options(odd, "field-optimizer") == [o["name"] for o in cat["optimizers"]]
    assert options(odd, "field-init") == cat["inits"]
    for init in options(odd, "field-init"):
        assert accepted(odd.server, {**config, "init": init})
    batch = cat["bounds"]["batch_size"]
    assert bounds(odd, "field-batch_size") == [batch["min"], batch["max"]] == [1, 32]
    seed = cat["bounds"]["seed"]
    assert bounds(odd, "field-seed") == [seed["min"], seed["max"]]
    for name in ("l2",):
        for value in options(odd, f"field-{name}"):
            assert accepted(odd.server, {**config, name: float(value)}), (name, value)
    for opt in cat["optimizers"]:
        if odd.page.get_by_test_id("field-optimizer").input_value() != opt["name"]:
            choose(odd.page, "optimizer", opt["name"])
            agree(odd)
        for value in options(odd, "field-learning_rate"):
            body = {**config, "optimizer": {"name": opt["name"], "learning_rate": float(value)}}
            assert accepted(odd.server, body), (opt["name"], value)
        momentum = odd.page.get_by_test_id("field-momentum")
        if "momentum" in opt["defaults"]:
            for value in options(odd, "field-momentum"):
                body = {**config, "optimizer": {"name": opt["name"], "momentum": float(value)}}
                assert accepted(odd.server, body), (opt["name"], value)
        else:
            expect(momentum).to_have_count(0)
    # The API's defaults for a newly chosen optimizer (Adam's learning rate is the catalog's).
    adam = next(o for o in cat["optimizers"] if o["name"] == "adam")
    state = odd.page.evaluate("window.__lens.config.optimizer")
    assert {k: state[k] for k in adam["defaults"] if k != "learning_rate"} == {
        k: v for k, v in adam["defaults"].items() if k != "learning_rate"
    }


def test_layer_and_width_limits_are_the_servers(odd: Lens) -> None:
    cat = odd.server.api("GET", "/catalog")
    page = odd.page
    most_layers, most_width = cat["limits"]["max_layers"], cat["limits"]["max_width"]
    add = page.get_by_test_id("add-layer")
    while add.is_enabled():
        add.click()
        agree(odd)
    assert page.get_by_test_id("hidden-count").text_content() == str(most_layers - 1)
    assert len(current_config(odd)["layers"]) == most_layers + 1
    more = page.get_by_test_id("more-1")
    while more.is_enabled():
        more.click()
        agree(odd)
    assert current_config(odd)["layers"][1] == most_width
    assert odd.watch.failures == [], "the page asked for nothing the API refuses"


def test_own_data_classes_and_play_steps_follow_the_catalog(odd: Lens) -> None:
    cat = odd.server.api("GET", "/catalog")
    page = odd.page
    page.get_by_test_id("draw-toggle").click()
    most = max(d["classes"][1] for d in cat["datasets"] if d["classes"])
    assert options(odd, "draw-class") == [str(k) for k in range(most)]
    assert options(odd, "draw-task") == [t["name"] for t in cat["tasks"]]
    # Play asks for no more steps per request than the server's max_steps.
    sent: list[int] = []
    page.on(
        "request",
        lambda r: r.url.endswith("/step") and sent.append(json.loads(r.post_data or "{}")["steps"]),
    )
    odd.play_until(12)
    settle(page)
    assert sent and max(sent) <= cat["limits"]["max_steps"] == 3


def test_pictures_ask_for_no_finer_grid_than_the_server_allows(odd: Lens) -> None:
    # The fixture's watch fails the test on any refused request; the boundary was asked for.
    most = odd.server.api("GET", "/catalog")["limits"]["max_resolution"]
    asked = [u for u in odd.watch.requests if "/boundary?" in u]
    if not asked:
        with odd.page.expect_request(lambda r: "/boundary?" in r.url) as info:
            odd.step()
        asked = [info.value.url]
    assert all(f"resolution={most}" in u for u in asked), asked


def test_the_weight_dialog_bounds_are_the_catalogs(odd: Lens) -> None:
    value = odd.server.api("GET", "/catalog")["bounds"]["value"]
    page = odd.page
    page.locator('#network .edge-hit[data-layer="0"][data-i="0"][data-j="0"]').click()
    page.get_by_test_id("insp-edit").click()
    expect(page.get_by_test_id("param-dialog")).to_be_visible()
    assert bounds(odd, "param-value") == [value["min"], value["max"]]
    page.keyboard.press("Escape")


def compared(lens: Lens) -> dict[str, dict[str, Any]]:
    """Both compared networks' configurations as the server holds them."""
    out = {}
    for side in ["a", "b"]:
        net_id = lens.page.get_by_test_id(f"compare-{side}").get_attribute("data-network-id")
        out[side] = lens.server.api("GET", f"/networks/{net_id}?history=false")["config"]
    return out


def within_limits(config: dict[str, Any], limits: dict[str, int]) -> bool:
    layers = config["layers"]
    return len(layers) - 1 <= limits["max_layers"] and max(layers) <= limits["max_width"]


def test_compare_mode_offers_the_catalogs_menus_and_builds_every_preset(odd: Lens) -> None:
    cat = odd.server.api("GET", "/catalog")
    limits = cat["limits"]
    page = odd.page
    page.get_by_test_id("open-compare").click()
    settle(page)
    classification = next(t for t in cat["tasks"] if t["name"] == "classification")
    kinds = [d["name"] for d in cat["datasets"] if d["task"] == "classification"]
    assert options(odd, "field-cmp-dataset") == kinds
    seed, batch = cat["bounds"]["seed"], cat["bounds"]["batch_size"]
    assert bounds(odd, "field-cmp-seed") == [seed["min"], seed["max"]]
    assert bounds(odd, "field-cmp-batch") == [batch["min"], batch["max"]] == [1, 32]
    for side in ["a", "b"]:
        assert options(odd, f"field-{side}-act") == cat["activations"]["hidden"]
        assert options(odd, f"field-{side}-loss") == [x["name"] for x in classification["losses"]]
        assert options(odd, f"field-{side}-optimizer") == [o["name"] for o in cat["optimizers"]]
        assert options(odd, f"field-{side}-init") == cat["inits"]
        lr = cat["bounds"]["learning_rate"]
        rates = [float(r) for r in options(odd, f"field-{side}-lr")]
        assert rates and all(lr["min"] < r <= lr["max"] for r in rates)
    # Every preset builds on the catalog's defaults, fitted to this server's limits.
    for preset in ["deep-wide", "sigmoid-relu", "plain-residual", "sgd-adam", "mse-ce"]:
        page.get_by_test_id(f"compare-preset-{preset}").click()
        settle(page)
        expect(page.get_by_test_id("banner")).to_be_hidden()
        pair = compared(odd)
        assert all(within_limits(c, limits) for c in pair.values()), (preset, pair)
        assert pair["a"]["dataset"] == pair["b"]["dataset"]
        if preset == "plain-residual":
            assert (pair["a"]["residual"], pair["b"]["residual"]) == (False, True)
    # Hidden widths past the server's limits are refused, naming them; the field goes back.
    before = compared(odd)
    field = page.get_by_test_id("field-b-hidden")
    kept = field.input_value()
    field.fill(", ".join(["2"] * limits["max_layers"]))  # one hidden layer too many
    field.press("Enter")
    banner = page.get_by_test_id("banner")
    expect(banner).to_contain_text(f"{limits['max_layers']} hidden layers are too many")
    expect(banner).to_contain_text(
        f"from 1 to {limits['max_width']}, at most {limits['max_layers'] - 1} hidden layers"
    )
    expect(field).to_have_value(kept)
    assert compared(odd) == before


def test_every_lesson_chapter_builds_within_the_servers_limits(odd: Lens) -> None:
    limits = odd.server.api("GET", "/catalog")["limits"]
    page = odd.page
    page.get_by_test_id("open-lesson").click()
    chapters = ["linear", "softmax", "activation", "forward", "deep", "chain", "twolayer"]
    for chapter in [*chapters, "residual"]:
        page.get_by_test_id(f"lesson-chapter-{chapter}").click()
        expect(page.get_by_test_id("lesson")).to_have_attribute("data-chapter", chapter)
        settle(page)
        expect(page.get_by_test_id("banner")).to_be_hidden()
        config = current_config(odd)
        assert within_limits(config, limits), (chapter, config)
    assert config["residual"] is True  # the residual chapter's network has its skips
