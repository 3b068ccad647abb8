"""A reload reopens the network the tab was working on (step, weights, history, curves as they
were); a network the server lost falls back to its configuration and says so; the share link
rebuilds the configuration and the trained-network link opens a copy."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.browser.conftest import Lens, LiveServer, forgive_aborts, open_lens, within

pytestmark = pytest.mark.browser


def shown(lens: Lens) -> dict[str, Any]:
    """What the page shows of its network: id, step, weights on the edges, curve lengths."""
    page = lens.page
    expect(page.get_by_test_id("step-count")).to_have_text(
        str(lens.page.evaluate("window.__lens.step"))
    )
    return dict(
        page.evaluate(
            """() => ({
              id: window.__lens.networkId,
              step: Number(document.querySelector('[data-testid=step-count]').textContent),
              config: window.__lens.config,
              weights: [...document.querySelectorAll('#network .edge')].map((e) => [
                Number(e.dataset.layer), Number(e.dataset.i), Number(e.dataset.j),
                Number(e.dataset.w)]),
              curve: Number(document.getElementById('loss-chart').dataset.count)})"""
        )
    )


def agrees(lens: Lens, seen: dict[str, Any]) -> dict[str, Any]:
    """The page shows what GET /networks/{id} holds; returns the state."""
    state = lens.server.api("GET", f"/networks/{seen['id']}")
    assert seen["step"] == state["step"]
    assert within(seen["config"], state["config"])
    for layer, i, j, w in seen["weights"]:
        assert w == state["weights"][layer][i][j]
    assert seen["curve"] == len(state["history"])
    return state


def train(lens: Lens, steps: int) -> None:
    for _ in range(steps):
        lens.step()


def test_a_reload_reopens_the_trained_network(lens: Lens) -> None:
    train(lens, 3)
    before = shown(lens)
    agrees(lens, before)
    assert before["step"] == 3
    lens.page.reload()
    expect(lens.page.locator("body")).to_have_attribute("data-ready", "true")
    forgive_aborts(lens)
    after = shown(lens)
    assert after == before
    agrees(lens, after)
    expect(lens.page.get_by_test_id("banner")).to_be_hidden()
    lens.step()  # and it goes on training from there
    assert agrees(lens, shown(lens))["step"] == 4


def test_an_expired_network_falls_back_to_its_configuration_and_says_so(lens: Lens) -> None:
    page = lens.page
    page.get_by_test_id("field-kind").select_option("xor")
    expect(page).to_have_url(__import__("re").compile("xor"))
    train(lens, 2)
    before = shown(lens)
    lens.server.api("DELETE", f"/networks/{before['id']}")
    lens.watch.failures.clear()
    lens.watch.console = [c for c in lens.watch.console if "404" not in c]
    page.reload()
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    expect(page.get_by_test_id("banner")).to_be_visible()
    expect(page.get_by_test_id("banner")).to_contain_text("no longer on the server")
    after = shown(lens)
    assert after["id"] != before["id"] and after["step"] == 0
    assert after["config"] == before["config"]
    agrees(lens, after)
    # the one 404 was the reopen the notice is about
    assert [f for f in lens.watch.failures if "404" in f] == [
        f for f in lens.watch.failures if before["id"] in f
    ]
    lens.watch.failures.clear()
    lens.watch.console = [c for c in lens.watch.console if "404" not in c]


def test_the_share_link_rebuilds_the_configuration_in_another_tab(
    lens: Lens, context: BrowserContext, server: LiveServer
) -> None:
    train(lens, 2)
    lens.open_tab("tools")
    link = lens.page.get_by_test_id("share-link").input_value()
    assert "#config=" in link
    other = open_lens(context, server, "#" + link.split("#", 1)[1])
    seen = shown(other)
    assert seen["id"] != lens.network_id and seen["step"] == 0
    assert seen["config"] == lens.page.evaluate("window.__lens.config")
    agrees(other, seen)
    other.watch.check()


def test_the_trained_network_link_opens_a_copy(
    lens: Lens, context: BrowserContext, server: LiveServer
) -> None:
    train(lens, 3)
    original = shown(lens)
    lens.open_tab("tools")
    link = lens.page.get_by_test_id("trained-link").input_value()
    assert link.endswith("#copy=" + original["id"])
    other = open_lens(context, server, "#copy=" + original["id"])
    copy = shown(other)
    assert copy["id"] != original["id"]
    # The same step, weights and curves; the configuration is the server's, equal for both (the
    # copy's tab holds it as the server spells it, with every default written out).
    assert {k: v for k, v in copy.items() if k not in ("id", "config")} == {
        k: v for k, v in original.items() if k not in ("id", "config")
    }
    assert other.state()["config"] == lens.state()["config"]
    agrees(other, copy)
    other.step()  # the copy trains on its own; the original stays as it was
    assert agrees(other, shown(other))["step"] == 4
    assert lens.state()["step"] == 3
    other.page.reload()  # and a reload of the copy's tab reopens the copy
    expect(other.page.locator("body")).to_have_attribute("data-ready", "true")
    forgive_aborts(other)
    assert shown(other)["id"] == copy["id"]
    other.watch.check()
