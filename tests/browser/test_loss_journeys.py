"""Journeys with the loss: MSE on a classification dataset (one-hot targets, one output neuron
per class) and back to cross-entropy, and own data from one point. After every action the
page's controls and numbers equal the server's network (GET /api/v1/networks/{id})."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Lens, forgive_aborts
from tests.browser.test_journeys import agree, choose, fill, settle
from tests.browser.test_own_data import agrees as data_agrees
from tests.browser.test_own_data import click_at, drawn

pytestmark = pytest.mark.browser

METRICS = ("train_loss", "test_loss", "train_accuracy", "test_accuracy")


def numbers_agree(lens: Lens) -> dict[str, Any]:
    """The controls (agree) and the numbers the page shows are the server's: the step count,
    loss and accuracy on train and test, and the weights drawn on the network."""
    shown = agree(lens)
    page = lens.page
    state = lens.server.api("GET", f"/networks/{shown['id']}?history=false")
    assert page.get_by_test_id("step-count").text_content() == str(state["step"])
    for key in METRICS:
        value = page.get_by_test_id(key.replace("_", "-")).get_attribute("data-value")
        server = state["metrics"][key]
        if server is None:
            assert value == "", key
        else:
            assert float(value or "nan") == pytest.approx(server, rel=1e-9), key
    w = float(page.locator("#edge-0-0-0").get_attribute("data-w") or "nan")
    assert w == pytest.approx(state["weights"][0][0][0], rel=1e-9)
    return dict(state)


def set_output(lens: Lens, activation: str) -> None:
    """Chooses the output layer's activation in the menu above the network."""
    last = len(lens.page.evaluate("window.__lens.config.activations")) - 1
    lens.page.get_by_test_id(f"activation-{last}").select_option(activation)


def test_mse_on_classification_then_classes_then_cross_entropy_then_reload(lens: Lens) -> None:
    page = lens.page
    accuracy = page.locator("#accuracy-block")
    numbers_agree(lens)
    choose(page, "loss", "mse")
    state = numbers_agree(lens)
    cfg = state["config"]
    assert cfg["loss"] == "mse" and cfg["dataset"]["kind"] == "circle"
    assert cfg["layers"][-1] == cfg["dataset"]["classes"] == 2, "one output neuron per class"
    expect(page.get_by_test_id("config-note")).to_be_hidden()  # nothing was forced
    lens.step()
    state = numbers_agree(lens)
    assert state["step"] == 1 and state["metrics"]["train_accuracy"] is not None
    lens.open_tab("curves")
    expect(accuracy).to_be_visible()  # accuracy curves under MSE too
    set_output(lens, "sigmoid")
    state = numbers_agree(lens)
    assert (state["config"]["loss"], state["config"]["activations"][-1]) == ("mse", "sigmoid")
    lens.step()
    numbers_agree(lens)
    choose(page, "kind", "spiral")
    state = numbers_agree(lens)
    assert state["config"]["loss"] == "mse", "another classification dataset keeps MSE"
    fill(page, "classes", 4)
    state = numbers_agree(lens)
    assert state["config"]["layers"][-1] == 4 and state["config"]["loss"] == "mse"
    lens.step()
    state = numbers_agree(lens)
    assert state["step"] == 1
    expect(accuracy).to_be_visible()
    choose(page, "loss", "cross_entropy")
    state = numbers_agree(lens)
    assert state["config"]["activations"][-1] == "softmax"
    note = page.get_by_test_id("config-note")
    expect(note).to_contain_text("softmax")  # the sigmoid output could not stay: said so
    expect(note).to_contain_text("cross-entropy")
    assert state["config"]["layers"][-1] == 4
    lens.step()
    lens.step()
    before = numbers_agree(lens)
    assert before["step"] == 2
    page.reload()
    forgive_aborts(lens)
    settle(page)
    after = numbers_agree(lens)
    assert after["id"] == before["id"] and after["step"] == 2, "the network reopens"
    assert after["config"] == before["config"]


def test_regression_from_mse_on_classification_switches_output_and_says_so(lens: Lens) -> None:
    page = lens.page
    choose(page, "loss", "mse")
    set_output(lens, "tanh")
    numbers_agree(lens)
    choose(page, "kind", "sine")
    state = numbers_agree(lens)
    cfg = state["config"]
    assert (cfg["loss"], cfg["activations"][-1], cfg["layers"][-1]) == ("mse", "linear", 1)
    assert cfg["dataset"]["features"] == ["x1"]
    note = page.get_by_test_id("config-note")
    expect(note).to_be_visible()
    expect(note).to_contain_text("linear")
    expect(page.locator("#accuracy-block")).to_be_hidden()
    # Back to classification: the task's default loss again, said so.
    choose(page, "kind", "moons")
    state = numbers_agree(lens)
    assert (state["config"]["loss"], state["config"]["activations"][-1]) == (
        "cross_entropy",
        "softmax",
    )
    expect(note).to_contain_text("cross-entropy")


def test_own_data_from_one_point_trains_and_steps(lens: Lens) -> None:
    page = lens.page
    fewest = lens.server.api("GET", "/catalog")["points"]["n"][0]
    assert fewest == 1
    page.get_by_test_id("draw-toggle").click()
    page.get_by_test_id("draw-class").select_option("1")
    click_at(lens, 0.3, 0.6)
    assert drawn(lens) == 1
    before = lens.network_id
    page.get_by_test_id("draw-apply").click()
    page.wait_for_function(f"() => window.__lens.networkId !== {before!r}")
    settle(page)
    state = data_agrees(lens)
    ds = state["config"]["dataset"]
    assert ds["kind"] == "points" and len(ds["points"]) == 1 and ds["y"] == [1]
    assert state["config"]["layers"][-1] == 2
    step = lens.step()
    assert step["step"] == 1
    state = data_agrees(lens)
    assert state["step"] == 1
    assert page.get_by_test_id("step-count").text_content() == "1"
    shown = float(page.get_by_test_id("train-loss").get_attribute("data-value") or "nan")
    assert shown == pytest.approx(state["metrics"]["train_loss"], rel=1e-9)
    # The drawn point sits on the plotted one, after the boundary set the plot's scales.
    spots = page.evaluate(
        """() => ['#data-plot circle.point', '#draw-layer circle.point'].map((s) => {
             const c = document.querySelector(s);
             return [c.getAttribute('cx'), c.getAttribute('cy')];
           })"""
    )
    assert spots[0] == spots[1]
