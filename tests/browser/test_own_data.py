"""Your own data: points drawn (mouse and keyboard), erased and imported (CSV, with a message
naming a bad line) train the network through the API's `points` dataset, and survive a reload;
after every action the page agrees with GET /api/v1/networks/{id}."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Lens, forgive_aborts

pytestmark = pytest.mark.browser


def drawn(lens: Lens) -> int:
    return int(lens.page.get_by_test_id("draw-layer").get_attribute("data-count") or "0")


def click_at(lens: Lens, fx: float, fy: float, button: str = "left") -> None:
    """Clicks the drawing layer at a fraction of its width and height."""
    layer = lens.page.get_by_test_id("draw-layer")
    box = layer.bounding_box()
    assert box is not None
    layer.click(position={"x": box["width"] * fx, "y": box["height"] * fy}, button=button)  # type: ignore[arg-type]


def apply(lens: Lens) -> dict[str, Any]:
    """Presses Train on these points; returns the new network's state once the page shows it."""
    before = lens.network_id
    lens.page.get_by_test_id("draw-apply").click()
    lens.page.wait_for_function(f"() => window.__lens.networkId !== {before!r}")
    expect(lens.page.locator("body")).to_have_attribute("data-ready", "true")
    return agrees(lens)


def agrees(lens: Lens) -> dict[str, Any]:
    """The page's configuration and plot are the API's network and data."""
    state = lens.state()
    data = lens.server.api("GET", f"/networks/{lens.network_id}/data")
    page_config = lens.page.evaluate("window.__lens.config")
    assert page_config["dataset"]["points"] == state["config"]["dataset"]["points"]
    assert page_config["dataset"]["y"] == state["config"]["dataset"]["y"]
    assert page_config["layers"] == state["config"]["layers"]
    assert lens.page.locator("#data-plot .point").count() == len(data["points"])
    return dict(state)


def test_drawn_and_erased_points_train_the_network(lens: Lens) -> None:
    page = lens.page
    page.get_by_test_id("draw-toggle").click()
    expect(page.get_by_test_id("draw-toggle")).to_have_attribute("aria-pressed", "true")
    spots = [(0.2, 0.2), (0.3, 0.25), (0.25, 0.35), (0.7, 0.7), (0.8, 0.75), (0.75, 0.85)]
    for k, (fx, fy) in enumerate(spots):
        page.get_by_test_id("draw-class").select_option("0" if k < 3 else "2")
        click_at(lens, fx, fy)
        assert drawn(lens) == k + 1
    click_at(lens, 0.75, 0.85, button="right")  # right-click erases the nearest
    assert drawn(lens) == 5
    state = apply(lens)
    ds = state["config"]["dataset"]
    assert ds["kind"] == "points" and len(ds["points"]) == 5
    assert ds["y"] == [0, 0, 0, 2, 2]
    assert state["config"]["layers"][0] == 2 and state["config"]["layers"][-1] == 3
    lens.step()
    assert agrees(lens)["step"] == 1
    # The keyboard draws too: Enter adds at the cross, Delete removes the nearest.
    layer = page.get_by_test_id("draw-layer")
    layer.focus()
    page.keyboard.press("1")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Enter")
    assert drawn(lens) == 6
    page.keyboard.press("Delete")
    assert drawn(lens) == 5
    page.keyboard.press("Enter")
    state = apply(lens)
    assert state["config"]["dataset"]["y"][-1] == 1
    # and they survive a reload
    trained = lens.step()["step"]
    page.reload()
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    forgive_aborts(lens)
    after = agrees(lens)
    assert after["step"] == trained and after["config"]["dataset"] == state["config"]["dataset"]


def test_a_bad_csv_line_is_named_and_nothing_drawn_is_lost(lens: Lens) -> None:
    page = lens.page
    page.get_by_test_id("draw-toggle").click()
    click_at(lens, 0.5, 0.5)
    page.locator(".own-import summary").click()
    page.get_by_test_id("own-text").fill("x1,x2,label\n0.1,0.2,0\n0.3,abc,1\n")
    page.get_by_test_id("own-import").click()
    expect(page.get_by_test_id("own-status")).to_contain_text("Line 3")
    expect(page.get_by_test_id("own-status")).to_contain_text("abc")
    assert drawn(lens) == 1
    page.get_by_test_id("own-text").fill("0.1,0.2,0\n0.3,0.4,1\n-0.5,0.5,1\n")
    page.get_by_test_id("own-import").click()
    expect(page.get_by_test_id("own-status")).to_contain_text("3 points")
    assert drawn(lens) == 4
    state = apply(lens)
    assert state["config"]["dataset"]["points"][1:] == [[0.1, 0.2], [0.3, 0.4], [-0.5, 0.5]]


def test_pasted_x_y_rows_fit_a_one_dimensional_regression(lens: Lens) -> None:
    page = lens.page
    page.get_by_test_id("draw-toggle").click()
    page.get_by_test_id("draw-task").select_option("regression")
    page.locator(".own-import summary").click()
    rows = "\n".join(f"{x / 4},{(x / 4) ** 2}" for x in range(-4, 5))
    page.get_by_test_id("own-text").fill("x,y\n" + rows)
    page.get_by_test_id("own-import").click()
    assert drawn(lens) == 9
    state = apply(lens)
    config = state["config"]
    assert config["loss"] == "mse" and config["layers"][0] == 1 and config["layers"][-1] == 1
    assert config["dataset"]["task"] == "regression"
    lens.step()
    agrees(lens)


def import_text(lens: Lens, text: str) -> None:
    page = lens.page
    if not page.get_by_test_id("own-text").is_visible():
        page.locator(".own-import summary").click()
    page.get_by_test_id("own-text").fill(text)
    page.get_by_test_id("own-import").click()


def test_an_import_after_a_reload_adds_to_the_points_the_network_trains_on(lens: Lens) -> None:
    page = lens.page
    five = "\n".join(f"{k / 5},{-k / 5},{k % 2}" for k in range(5))
    import_text(lens, five)
    expect(page.get_by_test_id("own-status")).to_have_text("Added 5 points (5 in all).")
    assert len(apply(lens)["config"]["dataset"]["points"]) == 5
    page.reload()
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    forgive_aborts(lens)
    assert page.get_by_test_id("draw-toggle").get_attribute("aria-pressed") == "false"
    import_text(lens, "2,2,1")  # drawing is off: the import starts from the network's points
    expect(page.get_by_test_id("own-status")).to_have_text("Added 1 point (6 in all).")
    assert drawn(lens) == 6
    ds = apply(lens)["config"]["dataset"]
    assert len(ds["points"]) == 6 and ds["points"][-1] == [2, 2] and ds["y"][-1] == 1
    assert lens.server.api("GET", f"/networks/{lens.network_id}/data")["points"][-1] == [2, 2]


def test_an_import_refuses_what_the_api_would_naming_line_and_range(lens: Lens) -> None:
    page = lens.page
    bound = lens.server.api("GET", "/catalog")["bounds"]["point"]
    import_text(lens, "0.5,0.5,0\n-0.5,0.5,1")
    state = apply(lens)
    status = page.get_by_test_id("own-status")
    import_text(lens, "0.1,0.1,0\n1e7,2,0")
    expect(status).to_contain_text("Line 2")
    expect(status).to_contain_text(f"from {bound['min']:.0f} to {bound['max']:.0f}")
    import_text(lens, "nan,1,0")
    expect(status).to_contain_text("Line 1")
    expect(status).to_contain_text("“nan” is not a finite number")
    assert drawn(lens) == 2  # nothing was added: training sends the two points the API accepts
    assert apply(lens)["config"]["dataset"]["points"] == state["config"]["dataset"]["points"]
    page.get_by_test_id("lang").select_option("ko")
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    import_text(lens, "0,0,0\n0,0,1\n0,-1e9,1")
    expect(status).to_contain_text("3번째 줄")
    expect(status).to_contain_text("범위를 벗어납니다")
