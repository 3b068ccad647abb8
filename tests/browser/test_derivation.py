"""The lecture note's derivation in the inspector (explain form=note): for a first-layer weight
of a two-layer network, the (l, r, k) terms with the selected sample's numbers, the ones the
Kronecker deltas make 0 greyed, the kept ones (r = k = j), and the same number as dW."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Lens, config_fragment
from tests.browser.test_language import english_words
from tests.browser.test_paths import pick, shown_in

pytestmark = pytest.mark.browser

TWO_LAYERS = {
    "layers": [2, 3, 2],
    "activations": ["tanh", "softmax"],
    "batch_size": 4,
}

TERMS = """() => [...document.querySelectorAll('[data-testid=deriv-terms] tbody tr[data-kept]')]
.map((tr) => ({kept: tr.dataset.kept === 'true', value: Number(tr.dataset.value),
  lrk: [...tr.querySelectorAll('td')].slice(0, 3).map((td) => Number(td.textContent)),
  color: getComputedStyle(tr.querySelector('td')).color}))"""


def open_derivation(lens: Lens) -> None:
    toggle = lens.page.get_by_test_id("derivation-toggle")
    if toggle.get_attribute("aria-expanded") != "true":
        toggle.press("Enter")  # a button: the keyboard opens it
    expect(toggle).to_have_attribute("aria-expanded", "true")


def note(lens: Lens, i: int, j: int) -> Any:
    path = f"/networks/{lens.network_id}/explain?layer=0&i={i}&j={j}&of=last&form=note"
    return lens.server.api("GET", path)["derivation"]


def test_the_derivation_ends_at_dW_with_the_vanishing_terms_greyed(open_page) -> None:
    lens = open_page(config_fragment(TWO_LAYERS))
    step = lens.step()
    lens.open_tab("chain")
    pick(lens, 0, 1, 2)
    open_derivation(lens)
    body = lens.page.get_by_test_id("derivation-body")
    expect(body).to_have_attribute("data-status", "ready")
    total = lens.page.get_by_test_id("deriv-total")
    dW = step["layers"][0]["dW"][1][2]
    assert float(total.get_attribute("data-dw") or "nan") == dW
    assert float(total.get_attribute("data-value") or "nan") == pytest.approx(dW, abs=1e-12)
    expect(total).to_contain_text("✓")
    api = note(lens, 1, 2)
    for row in (0, 2):
        if row:
            lens.page.keyboard.press("]")
            lens.page.keyboard.press("]")
            lens.page.wait_for_function(f"() => window.__lens.row === {row}")
        sample = api["samples"][row]
        expect(lens.page.get_by_test_id("deriv-sample-total")).to_have_attribute(
            "data-value", str(sample["total"])
        )
        assert sample["total"] == pytest.approx(sample["backprop"], abs=1e-15)
        terms = lens.page.evaluate(TERMS)
        assert len(terms) == 2 * 3 * 3 == len(sample["terms"])
        kept = [t for t in terms if t["kept"]]
        # The deltas keep r = k = j (here 3), one term per output l.
        assert [t["lrk"] for t in kept] == [[1, 3, 3], [2, 3, 3]]
        assert [t["value"] for t in terms] == [x["product"] for x in sample["terms"]]
        assert all(t["value"] == 0 for t in terms if not t["kept"])
        grey = {t["color"] for t in terms if not t["kept"]}
        assert len(grey) == 1 and grey != {t["color"] for t in kept}
        assert sum(t["value"] for t in kept) == pytest.approx(sample["total"], abs=1e-15)


def test_it_says_where_it_applies_and_reads_in_korean(open_page) -> None:
    lens = open_page(config_fragment(TWO_LAYERS))
    lens.step()
    lens.open_tab("chain")
    pick(lens, 1, 0, 1)
    open_derivation(lens)
    message = lens.page.get_by_test_id("derivation-message")
    expect(message).to_contain_text("W⁽¹⁾")
    pick(lens, 0, 0, 0)
    expect(lens.page.get_by_test_id("deriv-total")).to_contain_text("✓")
    lens.page.get_by_test_id("lang").select_option("ko")
    expect(lens.page.get_by_test_id("derivation-toggle")).to_contain_text("강의 노트의 유도")
    expect(lens.page.get_by_test_id("deriv-total")).to_contain_text("✓")
    assert english_words(shown_in(lens, "derivation")) == set()
    # A deeper network: the note's derivation is for two weight layers; it says so.
    lens.page.get_by_test_id("add-layer").click()
    expect(lens.page.get_by_test_id("derivation-message")).to_contain_text("2층")
