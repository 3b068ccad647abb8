"""Issue 15, at the request boundary: hostile bodies get small, prompt 4xx answers."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from app.guard.validation import MAX_ERRORS
from tests.api.helpers import API, BACKPROP, url

JSON = {"content-type": "application/json"}


def post_raw(client: TestClient, path: str, body: bytes) -> Any:
    return client.post(path, content=body, headers=JSON)


def assert_few_errors(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 422, response.text[:500]
    assert len(response.content) < 4096  # a few errors, not the whole body echoed back
    detail = response.json()["detail"]
    assert 1 <= len(detail) <= MAX_ERRORS + 1
    return list(detail)


def assert_fail_fast(response: Any) -> list[dict[str, Any]]:
    """A few errors, none left uncounted: every list stopped at its first bad item."""
    detail = assert_few_errors(response)
    assert all(d["type"] != "too_many_errors" for d in detail), detail
    return detail


# ---- 1. validation-error bombs


def test_fifteen_megabytes_of_empty_strings_get_a_few_errors(client: TestClient) -> None:
    rows = b'"",' * 5_000_000
    body = b'{"layers":[2,2],"activations":["softmax"],"x":[' + rows[:-1] + b"]}"
    assert len(body) > 15_000_000
    detail = assert_fail_fast(post_raw(client, f"{API}/backprop", body))
    assert any(d["loc"][:2] == ["body", "x"] for d in detail)


def test_an_import_of_300000_bad_numbers_gets_a_few_errors(client: TestClient) -> None:
    items = b'"",' * 300_000
    body = (
        b'{"format":"backprop-lens/network","version":1,"config":{},"params":[['
        + items[:-1]
        + b"]]}"
    )
    detail = assert_fail_fast(post_raw(client, f"{API}/networks/import", body))
    # params[0] is a matrix or a vector: each reading reports its first bad item
    assert [d["loc"] for d in detail] == [
        ["body", "params", 0, "list[list[float]]", 0],
        ["body", "params", 0, "list[float]", 0],
    ]


def test_a_million_out_of_range_inputs_inside_the_shape_limits_get_a_few_errors(
    client: TestClient,
) -> None:
    body = {**BACKPROP, "layers": [1024, 2], "x": [[1e7] * 1024] * 1024}
    detail = assert_fail_fast(client.post(f"{API}/backprop", json=body))
    assert any("less than or equal to 1000000" in d["msg"] for d in detail)


def test_past_the_shown_errors_the_rest_are_counted(client: TestClient, network: str) -> None:
    body = {f"unknown_{k}": k for k in range(MAX_ERRORS + 3)}
    r = client.patch(url(network), json=body)
    detail = assert_few_errors(r)
    assert len(detail) == MAX_ERRORS + 1
    assert all(d["type"] == "extra_forbidden" for d in detail[:MAX_ERRORS])
    assert detail[-1]["type"] == "too_many_errors"
    assert detail[-1]["msg"].startswith("3 more errors not shown")
