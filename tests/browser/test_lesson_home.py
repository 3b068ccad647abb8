"""Leaving the lesson: the page remembers the network it showed before the lesson opened and
offers to go back to it (the default: Esc, the Lesson button) or to keep the lesson's network.
Back reopens exactly that network from the server (same id, step, weights, settings); one the
server no longer has is said so and the lesson's network stays; a reload inside the lesson
keeps the memory."""

from __future__ import annotations

import time
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Lens, config_fragment, forgive_aborts
from tests.browser.test_lesson import chapter
from tests.browser.test_recover import CONFIG, controls_match, held
from tests.browser.test_reload import agrees, shown

pytestmark = pytest.mark.browser


def trained(open_page: Any) -> tuple[Lens, dict[str, Any]]:
    """The page with its own network (settings far from the defaults) trained by Play; returns
    what it shows, checked against the server."""
    lens: Lens = open_page(config_fragment(CONFIG))
    lens.play_until(30)
    own = shown(lens)
    agrees(lens, own)
    return lens, own


def into_lesson(lens: Lens, own: dict[str, Any]) -> None:
    """Opens the lesson with the Lesson button and does the first chapter's task (a Step)."""
    page = lens.page
    page.get_by_test_id("open-lesson").click()
    chapter(page, "linear")
    assert lens.network_id != own["id"]
    lens.step()
    expect(page.get_by_test_id("lesson-status")).to_have_attribute("data-done", "true")
    assert held(lens.server, own["id"])  # the lesson's network did not take its place on the server
    back = page.get_by_test_id("lesson-back")
    expect(back).to_contain_text(f"Back to my network (step {own['step']})")
    expect(page.get_by_test_id("lesson-keep")).to_be_visible()
    expect(page.get_by_test_id("lesson-exit")).to_be_hidden()  # the two choices stand instead


def left(lens: Lens) -> None:
    page = lens.page
    expect(page.get_by_test_id("lesson")).to_be_hidden()
    expect(page.get_by_test_id("open-lesson")).to_have_attribute("aria-pressed", "false")
    expect(page.locator("body")).to_have_attribute("data-busy", "0")
    lens.settle()


def back_home(lens: Lens, own: dict[str, Any]) -> None:
    """The page shows the network it had before the lesson, as the server holds it."""
    page = lens.page
    now = shown(lens)
    assert now == own  # same id, step, weights on the edges, settings, curve
    state = agrees(lens, now)
    controls_match(page, state["config"])
    assert page.url.split("#")[1].startswith("config=")
    expect(page.get_by_test_id("banner")).to_be_hidden()


def test_back_to_my_network_reopens_it_at_its_step(open_page: Any) -> None:
    lens, own = trained(open_page)
    into_lesson(lens, own)
    lens.page.get_by_test_id("lesson-back").click()
    left(lens)
    back_home(lens, own)
    lens.step()  # and it trains on from there
    assert agrees(lens, shown(lens))["step"] == own["step"] + 1


def test_keep_this_network_stays_on_the_lessons_network(open_page: Any) -> None:
    lens, own = trained(open_page)
    into_lesson(lens, own)
    lesson_net = shown(lens)
    lens.page.get_by_test_id("lesson-keep").click()
    left(lens)
    now = shown(lens)
    assert now == lesson_net and now["step"] == 1
    agrees(lens, now)
    assert lens.page.url.split("#")[1].startswith("config=")
    # The page lets the old network go, as it does any network it no longer shows.
    deadline = time.monotonic() + 10
    while held(lens.server, own["id"]):
        assert time.monotonic() < deadline, "the page's old network was not let go"
        time.sleep(0.2)


def test_a_network_gone_from_the_server_is_said_and_the_lessons_stays(open_page: Any) -> None:
    lens, own = trained(open_page)
    into_lesson(lens, own)
    lesson_net = shown(lens)
    lens.server.api("DELETE", f"/networks/{own['id']}")  # as another tab would
    lens.page.keyboard.press("Escape")  # the default: back to my network
    left(lens)
    banner = lens.page.get_by_test_id("banner")
    expect(banner).to_contain_text(f"Your network (step {own['step']}) is no longer on the server")
    now = shown(lens)
    assert now == lesson_net
    agrees(lens, now)
    assert lens.watch.take_gone([own["id"]]) == 1  # the one reopening asked, no retry


def test_a_reload_inside_the_lesson_keeps_the_way_back(open_page: Any) -> None:
    lens, own = trained(open_page)
    into_lesson(lens, own)
    page = lens.page
    page.get_by_test_id("lesson-next").click()
    chapter(page, "softmax")
    page.reload()
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    forgive_aborts(lens)
    chapter(page, "softmax")
    back = page.get_by_test_id("lesson-back")
    expect(back).to_contain_text(f"(step {own['step']})")
    back.focus()  # by keyboard
    page.keyboard.press("Enter")
    left(lens)
    back_home(lens, own)
    page.reload()  # left: a reload now stays on the page's network
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    forgive_aborts(lens)
    expect(page.get_by_test_id("lesson")).to_be_hidden()
    back_home(lens, own)


def test_a_lesson_link_opened_in_a_new_tab_has_no_network_to_go_back_to(
    open_page: Any,
) -> None:
    lens: Lens = open_page("#lesson=forward")
    chapter(lens.page, "forward")
    expect(lens.page.get_by_test_id("lesson-exit")).to_be_visible()
    expect(lens.page.get_by_test_id("lesson-back")).to_be_hidden()
    expect(lens.page.get_by_test_id("lesson-keep")).to_be_hidden()
