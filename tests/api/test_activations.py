"""GET /api/v1/activations/{name}: σ and σ′ over a range, so the page never re-implements σ."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.schemas import ActivationCurveOut
from core import ACTIVATIONS, HIDDEN_ACTIVATIONS, activation_curve
from tests.api.helpers import API


@pytest.mark.parametrize("name", HIDDEN_ACTIVATIONS)
def test_the_curve_is_cores(client: TestClient, name: str) -> None:
    r = client.get(f"{API}/activations/{name}", params={"lo": -3, "hi": 2, "resolution": 11})
    assert r.status_code == 200, r.text
    out = ActivationCurveOut.model_validate(r.json())
    expected = activation_curve(name, -3.0, 2.0, 11)
    assert (out.name, out.formula, out.resolution) == (name, ACTIVATIONS[name].formula, 11)
    np.testing.assert_array_equal(out.z, expected.z)
    np.testing.assert_array_equal(out.sigma, expected.sigma)
    np.testing.assert_array_equal(out.sigma_prime, expected.sigma_prime)


def test_the_defaults_span_minus_six_to_six(client: TestClient) -> None:
    out = client.get(f"{API}/activations/sigmoid").json()
    assert (out["lo"], out["hi"], len(out["z"])) == (-6.0, 6.0, out["resolution"])
    assert out["sigma_prime"][len(out["z"]) // 2] == pytest.approx(0.25)


def test_softmax_and_unknown_names_are_422_listing_the_curves(client: TestClient) -> None:
    for name in ("softmax", "swish"):
        r = client.get(f"{API}/activations/{name}")
        assert r.status_code == 422
        assert (
            "tanh" in r.json()["detail"][0]["msg"] and "softmax" not in r.json()["detail"][0]["msg"]
        )


def test_lo_must_be_below_hi(client: TestClient) -> None:
    r = client.get(f"{API}/activations/tanh", params={"lo": 1, "hi": 1})
    assert r.status_code == 422
    assert r.json()["detail"][0]["msg"] == "lo = 1 and hi = 1; lo must be below hi"


def test_resolution_past_the_limit_names_it(client_with: Callable[..., TestClient]) -> None:
    c = client_with(max_resolution=50)
    r = c.get(f"{API}/activations/tanh", params={"resolution": 51})
    assert r.status_code == 422
    item = r.json()["detail"][0]
    assert item["limit"] == "BACKPROP_LENS_MAX_RESOLUTION" and item["bound"] == 50
    assert c.get(f"{API}/activations/tanh", params={"resolution": 50}).status_code == 200


def test_a_range_beyond_a_million_is_refused(client: TestClient) -> None:
    r = client.get(f"{API}/activations/relu", params={"lo": -2e6})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "lo"]
