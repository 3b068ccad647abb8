"""Issue 15, at the request boundary: hostile bodies get small, prompt 4xx answers."""

from __future__ import annotations

import resource
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.domain.networks import build_config
from app.domain.training import divergence_cause
from app.guard import startup
from app.guard.validation import MAX_ERRORS
from app.main import create_app
from app.schemas import NetworkCreate, SGDConfig
from app.settings import Limits, Settings
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
    # params[0] is a matrix or a vector: each reading reports its first bad item, at the
    # request's own path (no pydantic union names in it)
    assert [d["loc"] for d in detail] == [["body", "params", 0, 0]] * 2
    assert "valid list" in detail[0]["msg"] and "valid number" in detail[1]["msg"]


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


# ---- 8. a refused body runs nothing


def chunks(first: bytes, padding: int) -> Any:
    """`first`, then `padding` spaces, sent in chunks without Content-Length."""
    yield first
    for _ in range(padding // 1000):
        yield b" " * 1000


def test_a_chunked_step_past_the_body_limit_is_refused_and_not_run(
    small_client: TestClient,
) -> None:
    network = small_client.post(f"{API}/networks", json={"layers": [2, 2]}).json()["id"]
    r = small_client.post(
        url(network, "/step"), content=chunks(b'{"steps": 5}', 8000), headers=JSON
    )
    assert r.status_code == 413, r.text
    assert "BACKPROP_LENS_MAX_BODY_BYTES" in r.json()["detail"]
    assert small_client.get(url(network)).json()["step"] == 0


# ---- 9. cross-site writes and DNS rebinding


@pytest.mark.parametrize(
    ("kind", "body"),
    [
        ("text/plain", b'{"layers": [2, 2]}'),
        ("application/x-www-form-urlencoded", b"layers=2"),
        ("multipart/form-data; boundary=x", b"--x--"),
        ("application/json; charset=utf-16", b'{"layers": [2, 2]}'),
    ],
)
def test_a_write_that_is_not_utf8_json_answers_415_and_does_nothing(
    client: TestClient, network: str, kind: str, body: bytes
) -> None:
    for method, path in [
        ("POST", f"{API}/networks"),
        ("POST", url(network, "/step")),
        ("POST", url(network, "/reset")),
        ("PATCH", url(network)),
        ("DELETE", url(network)),
    ]:
        r = client.request(method, path, content=body, headers={"content-type": kind})
        assert r.status_code == 415, (method, path, r.text)
        assert "application/json" in r.json()["detail"] or "UTF-8" in r.json()["detail"]
    assert client.get(url(network)).json()["step"] == 0


def test_a_json_write_and_a_write_without_a_body_still_work(client: TestClient) -> None:
    network = client.post(f"{API}/networks").json()["id"]  # no body: the defaults
    kind = {"content-type": "application/json; charset=UTF-8"}
    assert (
        client.post(url(network, "/step"), content=b'{"steps": 2}', headers=kind).json()["step"]
        == 2
    )
    assert client.post(url(network, "/reset")).status_code == 200
    assert client.delete(url(network)).status_code == 204


def test_a_cross_site_write_without_a_body_is_refused(client: TestClient, network: str) -> None:
    cross = {"sec-fetch-site": "cross-site", "origin": "https://elsewhere.example"}
    r = client.post(url(network, "/step"), headers=cross)
    assert r.status_code == 403, r.text
    assert "BACKPROP_LENS_CORS_ORIGINS" in r.json()["detail"]
    assert client.get(url(network), headers=cross).status_code == 200  # reading is fine
    same = client.post(url(network, "/step"), headers={"sec-fetch-site": "same-origin"})
    assert same.status_code == 200
    assert client.get(url(network)).json()["step"] == 1


def test_a_cross_site_write_from_a_cors_origin_is_allowed() -> None:
    settings = Settings(store="memory://", cors_origins=("https://class.example",))
    with TestClient(create_app(settings)) as c:
        headers = {"sec-fetch-site": "cross-site", "origin": "https://class.example"}
        assert c.post(f"{API}/networks", headers=headers).status_code == 201


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1:8000", "localhost", "LOCALHOST.", "[::1]:8000", "192.168.1.20:8000", "testserver"],
)
def test_loopback_names_and_ip_addresses_are_served_by_default(
    client: TestClient, host: str
) -> None:
    for path in ("/", "/docs", f"{API}/health"):
        assert client.get(path, headers={"host": host}).status_code == 200, (host, path)


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example"])
def test_another_host_name_answers_421(client: TestClient, host: str) -> None:
    r = client.post(f"{API}/networks", headers={"host": host})
    assert r.status_code == 421, r.text
    assert "BACKPROP_LENS_ALLOWED_HOSTS" in r.json()["detail"]
    assert r.headers["x-content-type-options"] == "nosniff"
    assert client.get("/", headers={"host": host}).status_code == 421


def test_configured_hosts_replace_the_defaults() -> None:
    settings = Settings(store="memory://", allowed_hosts=("class.example",))
    with TestClient(create_app(settings)) as c:
        assert c.get(f"{API}/health", headers={"host": "class.example"}).status_code == 200
        assert c.get(f"{API}/health", headers={"host": "Class.Example:443"}).status_code == 200
        assert c.get(f"{API}/health", headers={"host": "localhost"}).status_code == 421
    with TestClient(create_app(Settings(store="memory://", allowed_hosts=("*",)))) as c:
        assert c.get(f"{API}/health", headers={"host": "any.example"}).status_code == 200


def test_allowed_hosts_come_from_the_environment() -> None:
    s = Settings.from_env({"BACKPROP_LENS_ALLOWED_HOSTS": "class.example, lab.example,"})
    assert s.allowed_hosts == ("class.example", "lab.example")


def test_serving_on_every_interface_prints_a_warning() -> None:
    assert startup.warnings(Settings()) == []
    (line,) = startup.warnings(Settings(host="0.0.0.0"))
    assert "every network interface" in line and "BACKPROP_LENS_ALLOWED_HOSTS" in line
    assert "DNS rebinding" in startup.warnings(Settings(allowed_hosts=("*",)))[0]


# ---- 10. every response carries the security headers; no input gives a 5xx


def assert_security_headers(response: Any) -> None:
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"


def test_a_500_is_json_and_carries_the_security_headers() -> None:
    app = create_app(Settings(store="memory://"))

    @app.get("/api/v1/broken")
    def broken() -> None:
        raise RuntimeError("a bug")

    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/api/v1/broken")
    assert r.status_code == 500
    assert r.json()["detail"].startswith("internal server error")
    assert_security_headers(r)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('"config":{', '"config":{"\\ud800":1,'),
        ('{"format"', '{"\\ud800":1,"format"'),
        ('"kind":"circle"', '"kind":"\\udfff"'),
        ('"history":[{', '"history":[{"\\ud800\\ud800":1,'),
    ],
)
def test_a_lone_surrogate_in_an_import_answers_422(client: TestClient, old: str, new: str) -> None:
    network = client.post(f"{API}/networks").json()["id"]
    client.post(url(network, "/step"), json={})
    text = client.get(url(network, "/export")).text
    assert old in text
    r = post_raw(client, f"{API}/networks/import", text.replace(old, new, 1).encode())
    assert r.status_code == 422, r.text
    assert "lone UTF-16 surrogate" in r.json()["detail"][0]["msg"]
    assert_security_headers(r)


def test_a_surrogate_pair_is_ordinary_text(client: TestClient, network: str) -> None:
    r = post_raw(client, url(network, "/step"), b'{"\\ud83d\\ude00": 1}')  # an emoji key
    assert r.status_code == 422
    assert r.json()["detail"][0]["type"] == "extra_forbidden"


# ---- 12. bodies the JSON reader refuses say why


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b"[" * 1000 + b"]" * 1000, "nest more than 32 levels"),
        (b'{"steps": ' + b"[" * 40 + b"]" * 40 + b"}", "nest more than 32 levels"),
        (b'{"steps": ' + b"9" * 4301 + b"}", "a number has 4301 digits"),
        ('{"steps": 2}'.encode("utf-16"), "UTF-16"),
        ('{"steps": 2}'.encode("utf-16-le"), "UTF-16-LE"),
        ('{"steps": 2}'.encode("utf-32-be"), "UTF-32-BE"),
        (b'\xef\xbb\xbf{"steps": 2}', "byte order mark"),
        (b'{"steps": 2, "\xff": 0}', "not UTF-8"),
    ],
)
def test_unreadable_json_answers_422_saying_why(
    client: TestClient, network: str, body: bytes, words: str
) -> None:
    r = post_raw(client, url(network, "/step"), body)
    assert r.status_code == 422, r.text
    (item,) = r.json()["detail"]
    assert item["type"] == "json_invalid"
    assert words in item["msg"], item["msg"]
    assert client.get(url(network)).json()["step"] == 0


def test_a_4300_digit_number_is_a_limit_error(client: TestClient, network: str) -> None:
    r = post_raw(client, url(network, "/step"), b'{"steps": ' + b"9" * 4300 + b"}")
    assert r.status_code == 422
    assert "exceeds the limit of 1000 updates per request" in r.json()["detail"][0]["msg"]


# ---- 6. slow clients: file descriptors


def test_start_up_raises_the_open_file_limit_to_the_hard_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    old, new = startup.raise_fd_limit()
    assert old == soft
    assert resource.getrlimit(resource.RLIMIT_NOFILE)[0] == new >= soft
    if hard != resource.RLIM_INFINITY:
        assert new in (soft, hard)


# ---- 11. imports keep the bounds of every request


def exported(client: TestClient, **body: Any) -> dict[str, Any]:
    network = client.post(f"{API}/networks", json=body).json()["id"]
    client.post(url(network, "/step"), json={})
    return dict(client.get(url(network, "/export")).json())


def test_an_imported_parameter_past_a_million_answers_422(client: TestClient) -> None:
    doc = exported(client, layers=[2, 2])
    doc["params"][0][0][0] = 1e308
    r = client.post(f"{API}/networks/import", json=doc)
    assert r.status_code == 422, r.text
    (item,) = r.json()["detail"]
    assert item["loc"] == ["body", "params", 0] and item["type"] == "range"
    assert "1e+308" in item["msg"] and "1e6" in item["msg"]
    doc["params"][0][0][0] = 1e6  # the bound itself is accepted
    assert client.post(f"{API}/networks/import", json=doc).status_code == 201


def test_an_unknown_config_field_in_an_import_answers_422(client: TestClient) -> None:
    doc = exported(client)
    doc["config"]["learning_rte"] = 0.1
    r = client.post(f"{API}/networks/import", json=doc)
    assert r.status_code == 422, r.text
    (item,) = r.json()["detail"]
    assert item["loc"] == ["body", "config", "learning_rte"]
    assert item["type"] == "unknown_field"
    assert "learning_rte" in item["msg"] and "optimizer" in item["msg"]


# ---- 12. previews and counts


SINE_AT_1E6 = {"dataset": {"kind": "sine"}, "optimizer": {"learning_rate": 1e6}}


def test_a_preview_that_would_diverge_changes_nothing(client: TestClient) -> None:
    network = client.post(f"{API}/networks", json=SINE_AT_1E6).json()["id"]
    for _ in range(100):  # step while the preview of the next step stays finite
        r = client.post(url(network, "/step"), json={"apply": False})
        if r.status_code == 409:
            break
        assert r.status_code == 200
        assert client.post(url(network, "/step"), json={}).status_code == 200
    assert r.status_code == 409
    assert "would diverge (nothing was applied)" in r.json()["detail"]
    state = client.get(url(network)).json()
    assert state["diverged"] is False and state["message"] is None


def test_steps_stop_at_the_largest_exact_count(client: TestClient) -> None:
    doc = exported(client, layers=[2, 2])
    doc["step"] = 2**53 - 1
    doc["history"] = []
    network = client.post(f"{API}/networks/import", json=doc).json()["id"]
    r = client.post(url(network, "/step"), json={})
    assert r.status_code == 409, r.text
    assert "9007199254740991" in r.text
    again = client.get(url(network, "/export")).json()
    assert again["step"] == 2**53 - 1
    assert client.post(f"{API}/networks/import", json=again).status_code == 201
    assert client.post(url(network, "/step"), json={"apply": False}).status_code == 200


# ---- 13. divergence names its cause


def diverged_message(client: TestClient, body: dict[str, Any]) -> str:
    network = client.post(f"{API}/networks", json=body).json()["id"]
    for _ in range(50):
        r = client.post(url(network, "/step"), json={"steps": 20})
        if r.status_code == 409:
            return str(r.json()["detail"])
        assert r.status_code == 200, r.text
    raise AssertionError("the network did not diverge")


def test_a_learning_rate_divergence_names_the_learning_rate(client: TestClient) -> None:
    assert "Lower the learning rate (now 1e+06)" in diverged_message(client, SINE_AT_1E6)


def test_weight_decay_past_two_over_the_rate_is_named() -> None:
    body = NetworkCreate(optimizer=SGDConfig(learning_rate=0.5), l2=5.0)
    config, _ = build_config(body, Limits())
    assert "learning_rate × l2 = 2.5 is above 2" in divergence_cause(config)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # the 0 / 5e-324 that diverges
def test_an_adam_eps_divergence_names_eps_and_patching_it_recovers(client: TestClient) -> None:
    body = {
        "layers": [2, 8, 8, 2],
        "activations": ["relu", "relu", "softmax"],
        "optimizer": {"name": "adam", "learning_rate": 0.01, "eps": 5e-324},
    }
    network = client.post(f"{API}/networks", json=body).json()["id"]
    r = client.post(url(network, "/step"), json={"steps": 50})
    assert r.status_code == 409
    message = r.json()["detail"]
    assert "Adam's eps (4.94066e-324) is too small" in message
    assert "Lower the learning rate" not in message
    assert client.patch(url(network), json={"eps": 1e-8}).status_code == 200
    assert client.post(url(network, "/step"), json={"steps": 50}).status_code == 200
