"""The guided lesson: each chapter sets up the live network, is ticked when the page's state
shows its task done (not before), has its own link, keeps its progress over a reload, and
Esc leaves it with the network as it is."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Lens, forgive_aborts

pytestmark = pytest.mark.browser


def settle(page: Page) -> None:
    expect(page.locator("body")).to_have_attribute("data-busy", "0")


def chapter(page: Page, name: str) -> None:
    """Waits until the lesson shows chapter `name` and its network stands."""
    expect(page.get_by_test_id("lesson")).to_have_attribute("data-chapter", name)
    settle(page)


def open_chapter(open_page: Any, name: str) -> Lens:
    """Opens the page at a chapter's link and waits until its network stands."""
    lens: Lens = open_page(f"#lesson={name}")
    chapter(lens.page, name)
    return lens


def done(page: Page) -> str | None:
    return page.get_by_test_id("lesson-status").get_attribute("data-done")


def test_the_chain_chapter_completes_when_the_backward_pass_reaches_layer_1(
    open_page: Any,
) -> None:
    lens = open_chapter(open_page, "chain")
    page = lens.page
    config = lens.state()["config"]
    assert config["layers"] == [2, 4, 4, 2]
    assert config["activations"] == ["sigmoid", "sigmoid", "softmax"]
    assert page.url.endswith("#lesson=chain")  # the network does not take the chapter's link
    expect(page.get_by_test_id("lesson-title")).to_contain_text("chain rule")
    keys = ["forward-0", "forward-1", "forward-2", "loss", "backward-2", "backward-1"]
    for key in keys:  # not done on the way there
        page.get_by_test_id("phase-step").click()
        lens.wait_phase(key)
        settle(page)
        assert done(page) == "false", key
    page.get_by_test_id("phase-step").click()
    lens.wait_phase("backward-0")
    expect(page.get_by_test_id("lesson-status")).to_have_attribute("data-done", "true")
    expect(page.get_by_test_id("lesson-chapter-chain")).to_have_attribute("data-done", "true")
    # The progress survives a reload; the link still names the chapter.
    page.reload()
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    forgive_aborts(lens)
    chapter(page, "chain")
    expect(page.get_by_test_id("lesson-chapter-chain")).to_have_attribute("data-done", "true")
    expect(page.get_by_test_id("lesson-chapter-forward")).to_have_attribute("data-done", "false")


def test_the_two_layer_chapter_completes_on_clicking_w1_2_1(open_page: Any) -> None:
    lens = open_chapter(open_page, "twolayer")
    page = lens.page
    assert lens.state()["config"]["layers"] == [2, 3, 2]
    lens.step()
    page.locator('#network .edge-hit[data-layer="0"][data-i="0"][data-j="0"]').click()
    settle(page)
    assert done(page) == "false"  # W(1)[1, 1] is not the weight asked for
    page.locator('#network .edge-hit[data-layer="0"][data-i="1"][data-j="0"]').click()
    expect(page.get_by_test_id("lesson-status")).to_have_attribute("data-done", "true")
    expect(page.get_by_test_id("tab-chain")).to_have_attribute("aria-selected", "true")


def test_the_activation_chapter_completes_when_the_collapse_card_appears(
    open_page: Any,
) -> None:
    lens = open_chapter(open_page, "activation")
    page = lens.page
    assert done(page) == "false"
    lens.open_tab("tools")
    page.get_by_test_id("preset-linear").click()
    expect(page.get_by_test_id("collapse")).to_be_visible()
    expect(page.get_by_test_id("lesson-status")).to_have_attribute("data-done", "true")
    assert lens.state()["config"]["activations"] == ["linear", "linear", "softmax"]


def test_next_opens_the_next_chapter_with_its_own_network_and_link(lens: Lens) -> None:
    page = lens.page
    page.get_by_test_id("open-lesson").click()
    chapter(page, "linear")
    assert lens.state()["config"]["layers"] == [2, 3]  # the note's linear model: no hidden layer
    lens.step()
    expect(page.get_by_test_id("lesson-status")).to_have_attribute("data-done", "true")
    page.get_by_test_id("lesson-next").click()
    chapter(page, "softmax")
    assert page.url.endswith("#lesson=softmax")
    assert done(page) == "false"
    lens.step()
    assert done(page) == "false"  # the task also asks for the Softmax tab
    lens.open_tab("softmax")
    expect(page.get_by_test_id("lesson-status")).to_have_attribute("data-done", "true")


def test_escape_leaves_the_lesson_with_the_network_as_it_is(open_page: Any) -> None:
    lens = open_chapter(open_page, "forward")
    page = lens.page
    lens.step()
    before = lens.state()
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("lesson")).to_be_hidden()
    expect(page.get_by_test_id("open-lesson")).to_have_attribute("aria-pressed", "false")
    settle(page)
    after = lens.state()
    assert lens.network_id == before["id"]
    assert after["step"] == before["step"] == 1
    assert after["weights"] == before["weights"]
    assert page.url.split("#")[1].startswith("config=")


def test_the_residual_chapter_builds_skips_and_completes_after_training(open_page: Any) -> None:
    lens = open_chapter(open_page, "residual")
    page = lens.page
    config = lens.state()["config"]
    assert config["residual"] is True and config["layers"] == [2, 8, 8, 8, 8, 8, 8, 2]
    lens.open_tab("curves")
    lens.play_until(100)
    expect(page.get_by_test_id("lesson-status")).to_have_attribute("data-done", "true")
    norms = lens.state()["history"][-1]["grad_norms"]
    assert norms[0] > 1e-3  # the skips keep the first layer's gradient from vanishing
