"""The page loads cleanly and draws the default network with one edge per weight."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Lens, weight_count

pytestmark = pytest.mark.browser

BLUE = "rgb(31, 119, 180)"
ORANGE = "rgb(255, 127, 14)"


def test_page_loads_without_console_errors_or_requests_off_the_server(lens: Lens) -> None:
    page = lens.page
    expect(page.get_by_test_id("phase")).to_have_attribute("data-phase", "idle")
    expect(page.get_by_test_id("step-count")).to_have_text("0")
    paths = [u.split(lens.server.url, 1)[-1] for u in lens.watch.requests]
    assert "/static/js/main.js" in paths
    assert "/api/v1/networks" in paths
    # The page runs under the server's CSP (no inline script or style): a violation would
    # be a console error, which the fixture's watch fails on.
    csp = page.request.get(lens.server.url + "/").headers["content-security-policy"]
    assert "script-src 'self'" in csp


def test_default_network_draws_one_edge_per_weight_coloured_by_sign(lens: Lens) -> None:
    state = lens.state()
    layers = state["config"]["layers"]
    assert layers == [2, 4, 4, 2]
    edges = lens.edges()
    assert len(edges) == weight_count(layers)
    expected = {
        (str(l), str(i), str(j))
        for l, W in enumerate(state["weights"])
        for i, row in enumerate(W)
        for j in range(len(row))
    }
    assert {(e["layer"], e["i"], e["j"]) for e in edges} == expected
    for e in edges:
        w = state["weights"][int(e["layer"])][int(e["i"])][int(e["j"])]
        assert float(e["w"]) == w
        assert e["stroke"] == (BLUE if w >= 0 else ORANGE)


def test_edge_widths_follow_the_absolute_weights(lens: Lens) -> None:
    edges = sorted(lens.edges(), key=lambda e: abs(float(e["w"])))
    widths = [e["width"] for e in edges]
    assert widths == sorted(widths)
    assert widths[-1] > 2 * widths[0]


def test_every_node_has_its_model_id(lens: Lens) -> None:
    for k, n in enumerate([2, 4, 4, 2]):
        for j in range(n):
            expect(lens.page.locator(f"#node-{k}-{j}")).to_have_count(1)
    expect(lens.page.locator("#edge-1-3-2")).to_have_count(1)
