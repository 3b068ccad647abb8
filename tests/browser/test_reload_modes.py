"""A reload inside a lesson chapter or in compare mode reopens the networks it was training
(same ids, steps, weights, curves, settings), as a reload of the page's own network does; when
the server no longer has them, the chapter's network or the pair is built anew at step 0 and the
page says so."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Lens, forgive_aborts, within
from tests.browser.test_compare import (
    SIDES,
    assert_lockstep,
    ids,
    open_compare,
    play_to,
    settle,
    states,
    stepped_and_swapped,
)
from tests.browser.test_lesson import chapter, open_chapter
from tests.browser.test_recover import CONTROLS, controls_match
from tests.browser.test_reload import agrees, shown

pytestmark = pytest.mark.browser


def reload(lens: Lens) -> None:
    lens.page.reload()
    expect(lens.page.locator("body")).to_have_attribute("data-ready", "true")
    forgive_aborts(lens)


def forgive_gone(lens: Lens, gone: list[str]) -> None:
    """The 404s of the reopening the banner is about are no failures (and no others came)."""
    assert lens.watch.take_gone(gone) >= 1


# The lesson


def test_a_reload_inside_a_chapter_reopens_its_network_at_its_step(open_page: Any) -> None:
    lens = open_chapter(open_page, "deep")
    lens.play_until(5)
    before = shown(lens)
    agrees(lens, before)
    assert before["step"] >= 5
    controls = lens.page.evaluate(CONTROLS)
    reload(lens)
    chapter(lens.page, "deep")
    lens.settle()
    after = shown(lens)
    assert after == before  # same id, step, weights on the edges, settings, curve
    state = agrees(lens, after)
    controls_match(lens.page, state["config"])
    assert lens.page.evaluate(CONTROLS) == controls
    expect(lens.page.get_by_test_id("banner")).to_be_hidden()
    lens.step()  # and the chapter's network trains on from there
    assert agrees(lens, shown(lens))["step"] == before["step"] + 1
    reload(lens)  # a second reload too
    chapter(lens.page, "deep")
    lens.settle()
    assert shown(lens)["step"] == before["step"] + 1
    lens.watch.check()


def test_another_chapter_after_a_reload_builds_its_own_network(open_page: Any) -> None:
    lens = open_chapter(open_page, "deep")
    lens.step()
    first = lens.network_id
    reload(lens)
    chapter(lens.page, "deep")
    assert lens.network_id == first
    lens.page.get_by_test_id("lesson-chapter-linear").click()
    chapter(lens.page, "linear")
    lens.settle()
    assert lens.network_id != first and lens.state()["step"] == 0
    reload(lens)  # and a reload in that chapter keeps that one
    chapter(lens.page, "linear")
    lens.settle()
    assert lens.network_id != first and agrees(lens, shown(lens))["step"] == 0


def test_a_chapters_network_gone_from_the_server_is_rebuilt_and_said(open_page: Any) -> None:
    lens = open_chapter(open_page, "deep")
    lens.step()
    lens.step()
    before = shown(lens)
    lens.server.api("DELETE", f"/networks/{before['id']}")
    reload(lens)
    chapter(lens.page, "deep")
    lens.settle()
    banner = lens.page.get_by_test_id("banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("no longer on the server")
    after = shown(lens)
    assert after["id"] != before["id"] and after["step"] == 0
    assert after["config"] == before["config"]
    agrees(lens, after)
    forgive_gone(lens, [before["id"]])
    lens.watch.check()


# Compare mode


def pair_shown(lens: Lens) -> dict[str, Any]:
    """What compare mode shows: each card's id and step, each chart's lines, the pair's link."""
    page = lens.page
    return dict(
        page.evaluate(
            """() => ({
              cards: ['a', 'b'].map((s) => {
                const card = document.querySelector(`[data-testid=compare-${s}]`);
                return [card.dataset.networkId, Number(card.dataset.step)];
              }),
              lines: [...document.querySelectorAll('#compare polyline[data-series]')].map(
                (l) => [l.closest('svg').dataset.role, l.dataset.series,
                        l.getAttribute('points'), l.dataset.last]),
              hash: location.hash})"""
        )
    )


def pair_agrees(lens: Lens, seen: dict[str, Any], step: int) -> None:
    """Both networks at `step` on the server and on screen; the curves end at the server's last
    loss; the pair the page holds is the servers' configuration."""
    assert_lockstep(lens, step)
    got = states(lens)
    pair = lens.page.evaluate(
        "() => JSON.parse(decodeURIComponent(location.hash.slice('#compare='.length)))"
    )
    for side in SIDES:
        assert within(pair[side], got[side]["config"])
        assert len(got[side]["history"]) == step
    lasts = {s: last for chart, s, _, last in seen["lines"] if chart == "loss" and last}
    assert set(lasts) == (set(SIDES) if step else set())
    for side in SIDES:
        if side in lasts:
            assert float(lasts[side]) == got[side]["history"][-1]["train_loss"]


def test_a_reload_in_compare_mode_reopens_both_networks_at_their_step(lens: Lens) -> None:
    page = lens.page
    own = lens.network_id
    open_compare(lens, "sgd-adam")
    at = play_to(lens, 6)
    before = pair_shown(lens)
    pair_agrees(lens, before, at)
    reload(lens)
    expect(page.get_by_test_id("compare")).to_be_visible()
    expect(page.get_by_test_id("compare-b")).to_have_attribute("data-step", str(at))
    settle(page)
    after = pair_shown(lens)
    assert after == before  # same ids, steps, curves and link
    pair_agrees(lens, after, at)
    expect(page.get_by_test_id("compare-preset-sgd-adam")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_test_id("step-count")).to_have_text(str(at))
    expect(page.get_by_test_id("banner")).to_be_hidden()
    page.get_by_test_id("step").click()  # and both train on, in lockstep
    settle(page)
    assert_lockstep(lens, at + 1)
    page.keyboard.press("Escape")  # leaving: the page's own network, as before
    expect(page.get_by_test_id("compare")).to_be_hidden()
    assert lens.network_id == own
    lens.watch.check()


def test_a_pair_gone_from_the_server_is_built_again_and_said(lens: Lens) -> None:
    page = lens.page
    open_compare(lens, "sgd-adam")
    page.get_by_test_id("step").click()
    settle(page)
    assert_lockstep(lens, 1)
    before = ids(page)
    lens.server.api("DELETE", f"/networks/{before['b']}")
    reload(lens)
    expect(page.get_by_test_id("compare")).to_be_visible()
    banner = page.get_by_test_id("banner")
    expect(banner).to_contain_text("no longer both on the server")
    expect(page.get_by_test_id("compare-b")).not_to_have_attribute("data-network-id", before["b"])
    settle(page)
    now = ids(page)
    assert set(now.values()).isdisjoint(before.values())
    assert_lockstep(lens, 0)
    pair_agrees(lens, pair_shown(lens), 0)
    expect(page.get_by_test_id("compare-preset-sgd-adam")).to_have_attribute("aria-pressed", "true")
    forgive_gone(lens, [before["b"]])
    lens.watch.check()


def test_a_reload_after_a_swap_reopens_the_swapped_pair(lens: Lens) -> None:
    page = lens.page
    first = stepped_and_swapped(lens)
    page.get_by_test_id("step").click()
    settle(page)
    before = pair_shown(lens)
    reload(lens)
    expect(page.get_by_test_id("compare-b")).to_have_attribute("data-step", "2")
    settle(page)
    assert ids(page) == {"a": first["b"], "b": first["a"]}
    assert pair_shown(lens) == before
    pair_agrees(lens, before, 2)
    lens.watch.check()


def test_a_pair_at_different_steps_is_built_again_in_lockstep_and_said(lens: Lens) -> None:
    page = lens.page
    open_compare(lens, "sgd-adam")
    before = ids(page)
    # As a reload between A's step and B's would leave them: B one step ahead.
    lens.server.api("POST", f"/networks/{before['b']}/step", {"steps": 1})
    reload(lens)
    expect(page.get_by_test_id("banner")).to_contain_text("at different steps")
    expect(page.get_by_test_id("compare-b")).not_to_have_attribute("data-network-id", before["b"])
    settle(page)
    assert set(ids(page).values()).isdisjoint(before.values())
    assert_lockstep(lens, 0)
    lens.watch.check()
