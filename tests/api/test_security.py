"""Security rules: headers on pages, no inline code allowed, escaping, ids, no listing, CORS."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from tests.api.helpers import API, create


@pytest.mark.parametrize("path", ["/", "/docs", "/static/js/main.js", f"{API}/health", "/nowhere"])
def test_every_response_carries_the_security_headers(client: TestClient, path: str) -> None:
    headers = client.get(path).headers
    csp = headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"


def test_pages_contain_no_inline_script_or_style(client: TestClient) -> None:
    for path in ("/", "/docs"):
        html = client.get(path).text
        for tag in re.findall(r"<script\b[^>]*>(.*?)</script>", html, re.S):
            assert tag.strip() == "", f"inline script on {path}"
        assert "<style" not in html and " style=" not in html and " onclick=" not in html


def test_the_page_escapes_what_the_client_sends(client: TestClient) -> None:
    hostile = '"><script>alert(1)</script>'
    html = client.get("/", headers={"accept-language": hostile}).text
    assert "<script>alert(1)</script>" not in html


def test_network_ids_are_32_random_hex_characters(client: TestClient) -> None:
    ids = {create(client)["id"] for _ in range(20)}
    assert len(ids) == 20
    assert all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)  # 128 bits
    assert len({i[:8] for i in ids}) == 20  # not sequential


def test_no_endpoint_lists_networks(client: TestClient) -> None:
    create(client)
    assert client.get(f"{API}/networks").status_code == 405
    paths = client.get("/openapi.json").json()["paths"]
    assert not any(
        "get" in ops and "{network_id}" not in path and path.startswith(f"{API}/networks")
        for path, ops in paths.items()
    )


def test_cors_is_off_by_default(client: TestClient) -> None:
    r = client.get(f"{API}/health", headers={"origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in r.headers


def test_cors_allows_only_the_configured_origins() -> None:
    settings = Settings(store="memory://", cors_origins=("https://class.example",))
    with TestClient(create_app(settings)) as c:
        ok = c.get(f"{API}/health", headers={"origin": "https://class.example"})
        other = c.get(f"{API}/health", headers={"origin": "https://elsewhere.example"})
    assert ok.headers["access-control-allow-origin"] == "https://class.example"
    assert "access-control-allow-origin" not in other.headers
