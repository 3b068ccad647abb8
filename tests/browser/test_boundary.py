"""The decision boundary behind the data, each hidden neuron's map over the input plane, and
the fitted curve of 1-D regression."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Request, expect

from tests.browser.conftest import Lens

pytestmark = pytest.mark.browser

PNG = re.compile(r"^data:image/png;base64,")
POINTS = re.compile(r"\d+(\.\d+)?,\d+(\.\d+)? ")


def test_the_boundary_changes_after_training(lens: Lens) -> None:
    image = lens.page.locator("#data-plot image.boundary")
    expect(image).to_have_attribute("href", PNG)
    before = image.get_attribute("href") or ""
    lens.play_until(150)
    expect(image).not_to_have_attribute("href", before)
    expect(image).to_have_attribute("href", PNG)


def test_every_hidden_neuron_shows_its_map_and_play_asks_for_the_output_only(lens: Lens) -> None:
    page = lens.page
    maps = page.locator("#network .node.mapped .neuron-map")
    expect(maps).to_have_count(8)  # 4 + 4 hidden neurons
    for k in range(8):
        expect(maps.nth(k)).to_have_attribute("href", PNG)
    expect(page.locator("#network .node.input .neuron-map")).to_have_count(0)

    asked: list[str] = []

    def on_request(r: Request) -> None:
        if "/boundary?" in r.url:
            asked.append(r.url)

    page.on("request", on_request)
    speed = page.locator("#speed")  # 10 steps/s: several rounds, each drawn at once
    speed.evaluate("(el) => { el.value = 3; el.dispatchEvent(new Event('input')); }")
    with page.expect_request(lambda r: "/boundary?" in r.url and "neurons=false" in r.url):
        page.get_by_test_id("play").click()  # while playing: the output only
    page.get_by_test_id("play").click()
    expect(page.locator("body")).to_have_attribute("data-playing", "false")
    # Once paused, the maps come back, drawn from the weights of the last step.
    page.wait_for_function(
        "() => document.querySelector('#network').dataset.mapsStep === String(window.__lens.step)"
    )
    expect(maps).to_have_count(8)
    assert "neurons=false" not in asked[-1], "after a pause the neurons' maps are asked for"

    page.get_by_test_id("maps-toggle").click()
    expect(page.get_by_test_id("maps-toggle")).to_have_attribute("aria-pressed", "false")
    expect(maps).to_have_count(0)


def test_regression_on_one_input_draws_the_fitted_curve(lens: Lens) -> None:
    page = lens.page
    page.get_by_test_id("field-kind").select_option("sine")
    curve = page.locator("#data-plot polyline.model-curve")
    expect(curve).to_have_attribute("points", POINTS)
    assert len((curve.get_attribute("points") or "").split()) > 20
    expect(page.locator("#network .node.mapped")).to_have_count(0)


def test_one_input_says_the_neuron_maps_need_two(lens: Lens) -> None:
    """1-D data has no plane to map the neurons over: the toggle is off and says why, and the
    next 2-D dataset turns it on again."""
    page = lens.page
    toggle = page.get_by_test_id("maps-toggle")
    expect(toggle).to_be_enabled()
    page.get_by_test_id("field-kind").select_option("sine")
    expect(page.locator("#data-plot polyline.model-curve")).to_have_attribute("points", POINTS)
    expect(toggle).to_be_disabled()
    expect(toggle).to_have_attribute("title", re.compile("two inputs"))
    page.get_by_test_id("lang").select_option("ko")
    expect(toggle).to_have_attribute("title", re.compile("입력이 두 개"))
    page.get_by_test_id("lang").select_option("en")
    page.get_by_test_id("field-kind").select_option("circle")
    expect(page.locator("#network .node.mapped").first).to_be_visible()
    expect(toggle).to_be_enabled()
    expect(toggle).to_have_attribute("title", re.compile("input plane"))
