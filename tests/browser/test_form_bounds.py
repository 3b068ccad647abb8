"""The configuration form's whole-number fields (samples, data seed, classes, batch size, seed):
a value out of the catalog's range, a fraction or no number at all is fitted (or kept) and said
in the page's language, naming the field and the range; no request with a value the API would
refuse leaves the page, and the server's configuration stays what the controls show."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Request, expect

from tests.browser.conftest import Lens
from tests.browser.test_journeys import agree, choose, set_range

pytestmark = pytest.mark.browser


def sent_bodies(lens: Lens) -> list[Any]:
    """Records the body of every POST /networks and PATCH the page sends from now on."""
    bodies: list[Any] = []

    def seen(r: Request) -> None:
        create = r.method == "POST" and r.url.endswith("/api/v1/networks")
        if create or r.method == "PATCH":
            bodies.append(r.post_data_json)

    lens.page.on("request", seen)
    return bodies


def enter(lens: Lens, name: str, value: str) -> None:
    field = lens.page.get_by_test_id(f"field-{name}")
    field.fill(value)
    field.press("Enter")


def within(bound: dict[str, Any], v: Any) -> bool:
    return isinstance(v, int) and bound["min"] <= v <= bound["max"]


def cases(catalog: dict[str, Any]) -> list[tuple[str, str, int, str]]:
    """(field, typed, what the field then holds, what the note says of the range)."""
    n_lo, n_hi = catalog["datasets"][0]["parameters"]["n"]
    seed, batch = catalog["bounds"]["seed"], catalog["bounds"]["batch_size"]
    s_hi = int(seed["max"])
    return [
        ("n", "3", n_lo, f"from {n_lo} to {n_hi}"),
        ("n", "999999", n_hi, f"from {n_lo} to {n_hi}"),
        ("n", "150.5", 151, "whole number"),
        ("batch_size", "0", batch["min"], f"from {batch['min']} to {batch['max']}"),
        ("batch_size", "5000", batch["max"], f"to {batch['max']}"),
        ("seed", "-1", 0, f"from 0 to {s_hi}"),
        ("seed", str(s_hi + 1), s_hi, f"from 0 to {s_hi}"),
        ("seed", "2.5", 3, "whole number"),
        ("data_seed", "-1", 0, f"from 0 to {s_hi}"),
    ]


def test_each_whole_number_field_fits_its_range_and_says_so(lens: Lens) -> None:
    page = lens.page
    catalog = lens.server.api("GET", "/catalog")
    bodies = sent_bodies(lens)
    note = page.get_by_test_id("config-note")
    labels = {"n": "Samples", "batch_size": "Batch size", "seed": "Seed", "data_seed": "Data seed"}
    for name, typed, held, range_said in cases(catalog):
        enter(lens, name, typed)
        expect(note).to_contain_text(f"{labels[name]} must be a whole number")
        expect(note).to_contain_text(range_said)
        expect(note).to_contain_text(f"using {held}")
        shown = agree(lens)
        assert shown["fields"][name] == str(held)
        assert shown["banner"] is None
    for body in bodies:
        for name in ("seed", "batch_size"):
            if name in body:
                assert within(catalog["bounds"][name], body[name]), body
        ds = body.get("dataset") or {}
        n_lo, n_hi = catalog["datasets"][0]["parameters"]["n"]
        assert "n" not in ds or (isinstance(ds["n"], int) and n_lo <= ds["n"] <= n_hi), body
        assert "seed" not in ds or within(catalog["bounds"]["seed"], ds["seed"]), body


def test_no_request_when_the_fitted_value_is_the_one_the_network_has(lens: Lens) -> None:
    page = lens.page
    note = page.get_by_test_id("config-note")
    enter(lens, "batch_size", "1")
    first = agree(lens)
    before = first["id"]
    bodies = sent_bodies(lens)
    enter(lens, "batch_size", "0")  # fitted to 1: what the network has
    expect(note).to_contain_text("using 1")
    enter(lens, "n", "")  # no number: the network's count is kept
    n_lo, n_hi = lens.server.api("GET", "/catalog")["datasets"][0]["parameters"]["n"]
    said = f"Samples must be a whole number from {n_lo} to {n_hi}: kept {first['fields']['n']}"
    expect(note).to_contain_text(said)
    shown = agree(lens)
    assert shown["id"] == before and bodies == []


def test_classes_fit_the_generators_range(lens: Lens) -> None:
    page = lens.page
    choose(page, "kind", "spiral")
    agree(lens)
    for typed, held in (("9", 8), ("1", 2), ("3.4", 3)):
        enter(lens, "classes", typed)
        expect(page.get_by_test_id("config-note")).to_contain_text(f"from 2 to 8: using {held}")
        assert agree(lens)["fields"]["classes"] == str(held)


def test_the_korean_page_says_it_in_korean(lens: Lens) -> None:
    page = lens.page
    page.get_by_test_id("lang").select_option("ko")
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    bodies = sent_bodies(lens)
    enter(lens, "n", "3")
    note = page.get_by_test_id("config-note")
    expect(note).to_contain_text("샘플 수")
    expect(note).to_contain_text("정수여야 합니다")
    text = note.text_content() or ""
    assert "must" not in text and "dataset." not in text
    shown = agree(lens)
    assert shown["banner"] is None and all(b["dataset"]["n"] >= 4 for b in bodies)


def test_the_sliders_and_menus_offer_only_what_the_catalog_allows(lens: Lens) -> None:
    """Noise and test share are sliders with the catalog's ends (a value beyond one is the end);
    learning rate, momentum and L2 are menus of values within the catalog's bounds."""
    page = lens.page
    catalog = lens.server.api("GET", "/catalog")
    params = catalog["datasets"][0]["parameters"]
    bodies = sent_bodies(lens)
    for name, beyond, end in (
        ("noise", 5, params["noise"][1]),
        ("test_fraction", -1, params["test_fraction"][0]),
    ):
        set_range(page, name, beyond)
        shown = agree(lens)
        assert float(shown["fields"][name]) == end
    assert [b["dataset"]["noise"] for b in bodies] == [params["noise"][1]] * 2
    for name in ("learning_rate", "momentum", "l2"):
        offered = page.get_by_test_id(f"field-{name}").evaluate(
            "(el) => [...el.options].map((o) => Number(o.value))"
        )
        b = catalog["bounds"][name]
        for v in offered:
            assert v > b["min"] if b["min_exclusive"] else v >= b["min"], (name, v)
            assert v < b["max"] if b["max_exclusive"] else v <= b["max"], (name, v)
