"""A network the server no longer has (evicted from a full store, expired, or deleted by another
tab or API client) while the page shows it: the next Step, Play, Reset or setting builds a new
one from the settings on screen, says so, and carries on; a refused build (429) is said with
its wait and stops Play. Compare mode rebuilds its pair; the lesson's network recovers too.
Each network is deleted here through the API, as another client would."""

from __future__ import annotations

import re
import time
import urllib.error
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import (
    VIEWPORT,
    Lens,
    LiveServer,
    config_fragment,
    open_lens,
    within,
)

pytestmark = pytest.mark.browser

# Far from the defaults, so "the same settings" means something: residual, ReLU, momentum, L2.
CONFIG = {
    "layers": [2, 5, 5, 2],
    "activations": ["relu", "tanh", "softmax"],
    "loss": "cross_entropy",
    "init": "he",
    "seed": 7,
    "residual": True,
    "dataset": {
        "kind": "xor",
        "n": 120,
        "noise": 0.15,
        "classes": 2,
        "test_fraction": 0.25,
        "seed": 3,
        "features": ["x1", "x2"],
    },
    "optimizer": {"name": "sgd", "learning_rate": 0.03, "momentum": 0.9},
    "batch_size": 8,
    "l2": 0.001,
}

REBUILT = "A new one was started from the same settings"

CONTROLS = """() => {
  const form = (id) => Object.fromEntries([...document.getElementById(id).elements]
    .filter((e) => e.name).map((e) => [e.name, e.type === 'checkbox'
      ? [...document.getElementById(id).elements].filter((c) => c.name === e.name && c.checked)
          .map((c) => c.value) : e.value]));
  const texts = (sel) => [...document.querySelectorAll(sel)].map((e) => e.textContent);
  return {data: form('data-editor'), train: form('train-editor'),
          sizes: texts('[data-testid^=layer-size-]').map(Number),
          acts: [...document.querySelectorAll('[data-testid^=activation-]')]
            .filter((e) => e.tagName === 'SELECT').map((e) => e.value)};
}"""


def controls_match(page: Page, config: dict[str, Any]) -> None:
    """What the page's controls show is the configuration `config` (the server's)."""
    shown = page.evaluate(CONTROLS)
    data, train, ds, opt = shown["data"], shown["train"], config["dataset"], config["optimizer"]
    assert data["kind"] == ds["kind"]
    assert int(data["classes"]) == ds["classes"] and int(data["n"]) == ds["n"]
    assert float(data["noise"]) == ds["noise"]
    assert float(data["test_fraction"]) == ds["test_fraction"]
    assert int(data["data_seed"]) == ds["seed"] and data["features"] == ds["features"]
    assert (train["loss"], train["optimizer"], train["init"]) == (
        config["loss"],
        opt["name"],
        config["init"],
    )
    assert float(train["learning_rate"]) == opt["learning_rate"]
    if "momentum" in opt:  # SGD's (Adam has none)
        assert float(train["momentum"]) == opt["momentum"]
    assert int(train["batch_size"]) == config["batch_size"] and int(train["seed"]) == config["seed"]
    assert float(train["l2"]) == config["l2"]
    assert (train["residual"] == ["on"]) == config["residual"]
    assert shown["sizes"] == config["layers"]
    assert shown["acts"] == config["activations"]


def rebuilt(
    lens: Lens, old: str, step: int | None = None, link: str = "#config="
) -> dict[str, Any]:
    """The page shows a new network the server holds, from the settings on screen, at `step`;
    the banner says what happened; the address is `link`'s. Returns the server's state."""
    page = lens.page
    expect(page.get_by_test_id("banner")).to_contain_text(REBUILT)
    new = lens.network_id
    assert new != old
    lens.settle()
    state = lens.state()  # the server holds it
    assert state["id"] == new
    if step is not None:
        assert state["step"] == step
    expect(page.get_by_test_id("step-count")).to_have_text(str(state["step"]))
    assert within(page.evaluate("window.__lens.config"), state["config"])
    controls_match(page, state["config"])
    assert link in page.url
    return dict(state)


def held(server: LiveServer, network_id: str) -> bool:
    """Whether the server has the network (GET answers 200, not 404)."""
    try:
        server.api("GET", f"/networks/{network_id}?history=false")
    except urllib.error.HTTPError as err:
        assert err.code == 404
        return False
    return True


def delete(lens: Lens) -> str:
    """Deletes the page's network through the API, as another tab would; returns its id."""
    old = lens.network_id
    lens.server.api("DELETE", f"/networks/{old}")
    return old


@pytest.fixture
def configured(open_page: Any) -> Lens:
    lens: Lens = open_page(config_fragment(CONFIG))
    assert within(CONFIG, lens.state()["config"])
    return lens


def test_step_on_a_deleted_network_builds_it_anew_and_takes_the_step(configured: Lens) -> None:
    lens = configured
    lens.step()
    lens.step()
    old = delete(lens)
    lens.page.get_by_test_id("step").click()
    state = rebuilt(lens, old, step=1)  # the new network, and the step asked for on it
    assert within(CONFIG, state["config"])
    lens.wait_phase("update")
    lens.step()  # and it goes on training
    assert lens.state()["step"] == 2 and lens.network_id == state["id"]
    assert lens.watch.take_gone([old]) == 1  # the one failed step, no loop


def test_play_carries_on_with_a_new_network(configured: Lens) -> None:
    lens = configured
    page = lens.page
    lens.play_until(5)
    speed = page.locator("#speed")
    speed.evaluate("(el) => { el.value = 4; el.dispatchEvent(new Event('input')); }")  # 20 steps/s
    page.get_by_test_id("play").click()
    expect(page.locator("body")).to_have_attribute("data-playing", "true")
    old = delete(lens)
    page.wait_for_function(f"() => window.__lens.networkId !== '{old}' && window.__lens.step >= 3")
    expect(page.locator("body")).to_have_attribute("data-playing", "true")  # still playing
    page.get_by_test_id("play").click()
    expect(page.locator("body")).to_have_attribute("data-playing", "false")
    state = rebuilt(lens, old)
    assert state["step"] >= 3 and within(CONFIG, state["config"])
    lens.watch.take_gone([old])


def test_a_changed_setting_applies_to_the_new_network(configured: Lens) -> None:
    lens = configured
    page = lens.page
    lens.step()
    old = delete(lens)
    page.get_by_test_id("field-learning_rate").select_option("0.1")
    state = rebuilt(lens, old, step=0)
    assert state["config"]["optimizer"]["learning_rate"] == 0.1
    changed = {**CONFIG, "optimizer": {**CONFIG["optimizer"], "learning_rate": 0.1}}
    assert within(changed, state["config"])
    assert lens.watch.take_gone([old]) == 1


def test_reset_on_a_deleted_network_starts_a_new_one(configured: Lens) -> None:
    lens = configured
    lens.step()
    old = delete(lens)
    lens.page.get_by_test_id("reset").click()
    rebuilt(lens, old, step=0)
    assert lens.watch.take_gone([old]) == 1


def test_the_inspector_finding_the_network_gone_rebuilds_it(configured: Lens) -> None:
    lens = configured
    lens.step()
    old = delete(lens)
    lens.open_tab("chain")  # asks the API to explain a weight: a 404, no action of the reader's
    rebuilt(lens, old, step=0)
    expect(lens.page.get_by_test_id("inspector-body")).to_have_attribute("data-status", "ready")
    assert lens.watch.take_gone([old]) >= 1


@pytest.fixture
def full_server() -> Iterator[LiveServer]:
    """A store of two networks, none idle long enough to be evicted."""
    live = LiveServer(
        {
            "BACKPROP_LENS_CREATES_PER_MINUTE": "0",
            "BACKPROP_LENS_MAX_NETWORKS": "2",
            "BACKPROP_LENS_EVICT_IDLE_MINUTES": "60",
        }
    )
    yield live
    live.stop()


def test_a_refused_rebuild_says_why_and_when_and_stops_play(
    browser: Browser, full_server: LiveServer
) -> None:
    context = browser.new_context(viewport=VIEWPORT)
    lens = open_lens(context, full_server)
    page = lens.page
    creates: list[int] = []
    page.on(
        "response",
        lambda r: r.request.method == "POST" and r.url.endswith("/networks") and creates.append(1),
    )
    lens.step()
    old = delete(lens)
    # Two other clients fill the store meanwhile: nothing in it has been idle for an hour.
    others = [full_server.api("POST", "/networks", {}) for _ in range(2)]
    page.get_by_test_id("step").click()
    banner = page.get_by_test_id("banner")
    expect(banner).to_contain_text("did not start a new one")
    # The wait, said once (the server's words already name it).
    expect(banner).to_contain_text(re.compile(r"try again in \d+ s", re.IGNORECASE))
    assert len(re.findall(r"try again in \d+ s", banner.inner_text(), re.IGNORECASE)) == 1
    expect(banner).to_contain_text("BACKPROP_LENS_MAX_NETWORKS")
    assert len(creates) == 1  # one try for one press
    # Play: its round finds the network gone, the build is refused again, and Play stops.
    page.get_by_test_id("play").click()
    expect(page.locator("body")).to_have_attribute("data-playing", "false")
    expect(page.locator("body")).to_have_attribute("data-busy", "0")
    page.wait_for_timeout(500)
    assert len(creates) == 2  # no loop
    assert lens.network_id == old
    expect(banner).to_contain_text("did not start a new one")
    # Room again: the next press builds the network and steps it.
    full_server.api("DELETE", f"/networks/{others[0]['id']}")
    page.get_by_test_id("step").click()
    rebuilt(lens, old, step=1)
    # Three steps, and the boundary Pause asks for: found gone, not rebuilt again so soon.
    assert lens.watch.take_gone([old]) == 4
    refused = [f for f in lens.watch.failures if f.startswith("429 ")]
    assert len(refused) == 2
    lens.watch.failures = [f for f in lens.watch.failures if f not in refused]
    lens.watch.console = [c for c in lens.watch.console if "status of 429" not in c]
    lens.watch.check()
    context.close()


def compare_ids(page: Page) -> dict[str, str]:
    return {
        s: str(page.get_by_test_id(f"compare-{s}").get_attribute("data-network-id")) for s in "ab"
    }


def test_compare_mode_rebuilds_its_pair_in_lockstep(lens: Lens) -> None:
    page = lens.page
    page.get_by_test_id("open-compare").click()
    expect(page.get_by_test_id("compare")).to_be_visible()
    expect(page.locator("body")).to_have_attribute("data-busy", "0")
    page.get_by_test_id("step").click()
    expect(page.get_by_test_id("compare-a")).to_have_attribute("data-step", "1")
    before = compare_ids(page)
    configs = {s: lens.server.api("GET", f"/networks/{i}")["config"] for s, i in before.items()}
    lens.server.api("DELETE", f"/networks/{before['b']}")
    page.get_by_test_id("step").click()
    expect(page.get_by_test_id("banner")).to_contain_text("one of the compared networks")
    for side in "ab":
        expect(page.get_by_test_id(f"compare-{side}")).to_have_attribute("data-step", "1")
    after = compare_ids(page)
    assert not set(after.values()) & set(before.values())
    for side, i in after.items():
        state = lens.server.api("GET", f"/networks/{i}")
        assert state["step"] == 1 and state["config"] == configs[side]
    # The old A, which the server still had, is deleted; the page did not ask to delete B again.
    expect(page.locator("body")).to_have_attribute("data-busy", "0")
    deadline = time.monotonic() + 10
    while held(lens.server, before["a"]):
        assert time.monotonic() < deadline, "the old A was not deleted"
        time.sleep(0.1)
    page.get_by_test_id("step").click()  # and the pair goes on in lockstep
    for side in "ab":
        expect(page.get_by_test_id(f"compare-{side}")).to_have_attribute("data-step", "2")
    assert lens.watch.take_gone([before["b"]]) == 1


def test_the_lessons_network_recovers_and_the_lesson_stays(lens: Lens) -> None:
    page = lens.page
    page.get_by_test_id("open-lesson").click()
    expect(page.get_by_test_id("lesson")).to_be_visible()
    expect(page.locator("body")).to_have_attribute("data-busy", "0")
    old = delete(lens)
    page.get_by_test_id("step").click()
    rebuilt(lens, old, step=1, link="#lesson=")
    expect(page.get_by_test_id("lesson")).to_be_visible()
    assert lens.watch.take_gone([old]) >= 1  # the step's, and a picture's maybe


def test_the_message_is_in_the_readers_language(lens: Lens) -> None:
    page = lens.page
    page.get_by_test_id("lang").select_option("ko")
    old = delete(lens)
    page.get_by_test_id("step").click()
    banner = page.get_by_test_id("banner")
    expect(banner).to_contain_text("같은 설정으로 새 신경망을 시작했습니다")
    expect(banner).to_contain_text("스텝 0부터")
    lens.settle()
    assert lens.network_id != old and lens.state()["step"] == 1
    assert lens.watch.take_gone([old]) == 1
