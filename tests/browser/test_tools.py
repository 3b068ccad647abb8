"""The tools tab: the gradient check, the shared link that rebuilds a network, and export /
import of a trained network."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Lens

pytestmark = pytest.mark.browser


def test_the_gradient_check_shows_an_error_below_one_in_a_million(lens: Lens) -> None:
    page = lens.page
    lens.step()
    lens.open_tab("tools")
    with page.expect_response(lambda r: r.url.endswith("/gradcheck")) as info:
        page.get_by_test_id("gradcheck-run").click()
    answer = info.value.json()
    error = lens.value("gradcheck-max")
    assert error == answer["max_rel_error"] < 1e-6
    worst = answer["worst"]
    mark = f"⁽{'⁰¹²³⁴⁵⁶⁷⁸⁹'[worst['layer'] + 1]}⁾"
    expect(page.get_by_test_id("gradcheck-worst")).to_contain_text(f"{worst['kind']}{mark}")
    expect(page.get_by_test_id("gradcheck-result")).to_contain_text("right")


def test_a_shared_link_opened_in_a_new_page_has_the_same_initial_weights(
    lens: Lens, open_page: Any
) -> None:
    page = lens.page
    first = lens.network_id
    page.get_by_test_id("field-seed").fill("7")
    page.get_by_test_id("field-seed").press("Tab")
    page.wait_for_function(f"() => window.__lens.networkId !== {json.dumps(first)}")
    lens.open_tab("tools")
    link = page.get_by_test_id("share-link")
    expect(link).to_have_value(page.url)
    other: Lens = open_page("#" + urlsplit(link.input_value()).fragment)
    assert other.network_id != lens.network_id
    mine, theirs = lens.state(), other.state()
    assert theirs["config"]["seed"] == 7
    assert theirs["weights"] == mine["weights"] and theirs["biases"] == mine["biases"]
    assert [e["w"] for e in other.edges()] == [e["w"] for e in lens.edges()]


def test_export_then_import_round_trips_weights_and_optimizer_state(
    lens: Lens, tmp_path: Path
) -> None:
    page = lens.page
    page.get_by_test_id("field-optimizer").select_option("adam")  # a state worth keeping
    lens.play_until(12)
    lens.open_tab("tools")
    with page.expect_download() as info:
        page.get_by_test_id("export").click()
    path = tmp_path / "network.json"
    info.value.save_as(path)
    saved = json.loads(path.read_text())
    original = lens.network_id
    assert saved == lens.server.api("GET", f"/networks/{original}/export")
    assert saved["optimizer_state"]["buffers"], "Adam's moments should be in the file"

    with page.expect_response(lambda r: r.url.endswith("/networks/import")) as created:
        page.get_by_test_id("import-file").set_input_files(path)
    assert created.value.status == 201
    page.wait_for_function(f"() => window.__lens.networkId !== {json.dumps(original)}")
    again = lens.server.api("GET", f"/networks/{lens.network_id}/export")
    for key in ("params", "optimizer_state", "step", "history", "config"):
        assert again[key] == saved[key], key
    expect(page.get_by_test_id("step-count")).to_have_text(str(saved["step"]))
    for e in lens.edges():
        W = saved["params"][2 * int(e["layer"])]
        assert float(e["w"]) == W[int(e["i"])][int(e["j"])]
    lens.open_tab("curves")  # the imported history is drawn
    expect(page.get_by_test_id("loss-chart")).to_have_attribute(
        "data-count", str(len(saved["history"]))
    )
