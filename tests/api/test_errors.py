"""Every error path answers a 4xx whose message says what was wrong and what is allowed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.helpers import API, BACKPROP, UNKNOWN_ID, create, get, messages, url

# (method, path after the network's URL, JSON body, query) of every network endpoint.
ENDPOINTS: list[tuple[str, str, Any, dict[str, Any] | None]] = [
    ("GET", "", None, None),
    ("GET", "/data", None, None),
    ("PATCH", "", {"learning_rate": 0.05}, None),
    ("POST", "/step", {"steps": 1}, None),
    ("POST", "/forward", {"x": [[0.0, 0.0]]}, None),
    ("GET", "/explain", None, {"layer": 0, "i": 0, "j": 0}),
    ("POST", "/gradcheck", None, None),
    ("GET", "/boundary", None, {"resolution": 4}),
    ("POST", "/reset", None, None),
    ("DELETE", "", None, None),
    ("GET", "/export", None, None),
]
ENDPOINT_IDS = [f"{m} {t or '/'}" for m, t, _, _ in ENDPOINTS]


def call(
    client: TestClient,
    method: str,
    path: str,
    body: Any = None,
    params: dict[str, Any] | None = None,
) -> Any:
    return client.request(method, path, json=body, params=params)


def raw_json(client: TestClient, method: str, path: str, text: str) -> Any:
    """Send `text` as a JSON body exactly as written (NaN and Infinity are not valid JSON)."""
    return client.request(
        method, path, content=text.encode(), headers={"content-type": "application/json"}
    )


def assert_422(response: Any, *fragments: str, status: int = 422) -> None:
    assert response.status_code == status, response.text
    text = messages(response)
    for fragment in fragments:
        assert fragment in text, (fragment, text)


def assert_409(response: Any, *fragments: str) -> None:
    """A well-formed request that does not fit the network: 409, naming the field like a 422."""
    assert_422(response, *fragments, status=409)


# ---- ids


@pytest.mark.parametrize(("method", "tail", "body", "params"), ENDPOINTS, ids=ENDPOINT_IDS)
def test_unknown_network_answers_404(
    client: TestClient, method: str, tail: str, body: Any, params: dict[str, Any] | None
) -> None:
    r = call(client, method, url(UNKNOWN_ID, tail), body, params)
    assert r.status_code == 404, r.text
    assert r.json() == {"detail": "Network not found"}


@pytest.mark.parametrize(
    "bad_id",
    ["not-a-network", "0123456789ABCDEF0123456789ABCDEF", "0" * 31, "0" * 33, "g" * 32],
)
@pytest.mark.parametrize(("method", "tail", "body", "params"), ENDPOINTS, ids=ENDPOINT_IDS)
def test_malformed_id_answers_422(
    client: TestClient,
    method: str,
    tail: str,
    body: Any,
    params: dict[str, Any] | None,
    bad_id: str,
) -> None:
    r = call(client, method, url(bad_id, tail), body, params)
    assert r.status_code == 422, r.text
    assert r.json()["detail"][0]["loc"] == ["path", "network_id"]


def test_deleted_network_answers_404(client: TestClient, network: str) -> None:
    client.delete(url(network))
    assert client.post(url(network, "/step")).status_code == 404


# ---- stateless backprop: shapes


def test_backprop_names_a_weight_matrix_of_the_wrong_shape(client: TestClient) -> None:
    body = {**BACKPROP, "weights": [BACKPROP["weights"][0], [[0.6, -0.1], [-0.3, 0.8]]]}
    r = client.post(f"{API}/backprop", json=body)
    assert_422(r, "weights[1]", "(2, 2)", "expected (3, 2)")
    assert r.json()["detail"][0]["loc"] == ["body", "weights", 1]


def test_backprop_names_a_bias_of_the_wrong_shape(client: TestClient) -> None:
    body = {**BACKPROP, "biases": [[0.1, -0.2], [0.0, 0.1]]}
    assert_422(client.post(f"{API}/backprop", json=body), "biases[0]", "expected (3,)")


def test_backprop_names_a_missing_weight_matrix(client: TestClient) -> None:
    body = {**BACKPROP, "weights": BACKPROP["weights"][:1]}
    assert_422(client.post(f"{API}/backprop", json=body), "2 weight matrices")


def test_backprop_rejects_ragged_x(client: TestClient) -> None:
    body = {**BACKPROP, "x": [[1.5, -0.5], [1.0]], "y": [1, 0]}
    assert_422(client.post(f"{API}/backprop", json=body), "x is ragged")


def test_ragged_rows_are_named_with_their_lengths(client: TestClient, network: str) -> None:
    """NumPy's "inhomogeneous shape after 1 dimensions" names neither the field nor the fix."""
    r = client.post(url(network, "/forward"), json={"x": [[1, 2], [3]]})
    assert_422(r, "x is ragged: its rows have lengths [1, 2]", "same number of values")
    points = {"kind": "points", "points": [[1, 2], [3]], "y": [0, 1]}
    r = client.post(f"{API}/networks", json={"dataset": points})
    assert_422(r, "points is ragged: its rows have lengths [1, 2]")
    assert "inhomogeneous" not in messages(r)
    body = {**BACKPROP, "weights": [[[0.2], [0.7, 0.3, -0.5]], BACKPROP["weights"][1]]}
    assert_422(client.post(f"{API}/backprop", json=body), "weights[0] is ragged")


def test_one_mistake_in_a_union_field_is_one_error_at_the_request_path(
    client: TestClient,
) -> None:
    """An empty `y` could have been class indices, values or vectors: pydantic reports each
    reading; the answer says it once, at the request's own path (no schema names in loc)."""
    points = {"kind": "points", "points": [[1, 2], [3, 4]], "y": []}
    r = client.post(f"{API}/networks", json={"dataset": points})
    assert r.status_code == 422
    detail = r.json()["detail"]
    assert len(detail) == 1, detail
    assert detail[0]["loc"] == ["body", "dataset", "points", "y"]
    assert "at least 1 item" in detail[0]["msg"]


def test_backprop_rejects_x_of_the_wrong_width(client: TestClient) -> None:
    body = {**BACKPROP, "x": [[1.5, -0.5, 2.0]]}
    assert_422(client.post(f"{API}/backprop", json=body), "x has shape (1, 3)", "(n, 2)")


def test_backprop_rejects_a_class_index_out_of_range(client: TestClient) -> None:
    body = {**BACKPROP, "y": [2]}
    assert_422(client.post(f"{API}/backprop", json=body), "outside 0..1")


def test_backprop_rejects_one_target_per_row_mismatch(client: TestClient) -> None:
    body = {**BACKPROP, "y": [1, 0]}
    assert_422(client.post(f"{API}/backprop", json=body), "y has shape (2,)", "expected (1,)")


def test_backprop_rejects_cross_entropy_without_softmax(client: TestClient) -> None:
    body = {**BACKPROP, "activations": ["sigmoid", "sigmoid"]}
    assert_422(client.post(f"{API}/backprop", json=body), "softmax")


def test_backprop_rejects_softmax_in_a_hidden_layer(client: TestClient) -> None:
    body = {**BACKPROP, "activations": ["softmax", "softmax"]}
    assert_422(client.post(f"{API}/backprop", json=body), "activations[0]", "only in the last")


# ---- create: architecture


def test_create_rejects_an_unknown_activation(client: TestClient) -> None:
    r = client.post(f"{API}/networks", json={"activations": ["swish", "tanh", "softmax"]})
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"][:3] == ["body", "activations", 0]


def test_create_rejects_softmax_in_a_hidden_layer(client: TestClient) -> None:
    r = client.post(f"{API}/networks", json={"activations": ["softmax", "tanh", "softmax"]})
    assert_422(r, "activations[0] = 'softmax' is allowed only in the last layer")


def test_create_rejects_cross_entropy_without_softmax(client: TestClient) -> None:
    r = client.post(
        f"{API}/networks",
        json={"activations": ["tanh", "tanh", "sigmoid"], "loss": "cross_entropy"},
    )
    assert_422(r, "cross_entropy needs a softmax output layer", "'sigmoid'")


def test_create_rejects_one_activation_too_many(client: TestClient) -> None:
    r = client.post(
        f"{API}/networks", json={"layers": [2, 4, 2], "activations": ["tanh", "tanh", "softmax"]}
    )
    assert_422(r, "activations has 3 entries; expected 2")


def test_create_rejects_layers_0_not_matching_the_features(client: TestClient) -> None:
    r = client.post(f"{API}/networks", json={"layers": [3, 4, 2]})
    assert_422(r, "layers[0] = 3", "2 input feature")


def test_create_rejects_layers_last_not_matching_the_classes(client: TestClient) -> None:
    r = client.post(f"{API}/networks", json={"layers": [2, 4, 3]})
    assert_422(r, "layers[-1] = 3", "2 classes")


def test_create_rejects_cross_entropy_on_regression_data(client: TestClient) -> None:
    r = client.post(f"{API}/networks", json={"dataset": {"kind": "sine"}, "loss": "cross_entropy"})
    assert_422(r, "does not fit regression")


def test_create_rejects_a_dataset_that_is_too_small(client: TestClient) -> None:
    r = client.post(f"{API}/networks", json={"dataset": {"kind": "circle", "n": 2}})
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"][-1] == "n"


def test_create_rejects_a_body_that_is_not_json(client: TestClient) -> None:
    r = raw_json(client, "POST", f"{API}/networks", "{layers: [2, 2]")
    assert r.status_code == 422


# ---- bounds (small limits)


def test_create_names_the_width_bound(small_client: TestClient) -> None:
    r = small_client.post(f"{API}/networks", json={"layers": [2, 17, 2]})
    assert_422(r, "layers[1] = 17", "limit of 16", "BACKPROP_LENS_MAX_WIDTH")


def test_create_names_the_layer_count_bound(small_client: TestClient) -> None:
    r = small_client.post(f"{API}/networks", json={"layers": [2, 4, 4, 4, 4, 2]})
    assert_422(r, "5 weight layers", "limit of 3", "BACKPROP_LENS_MAX_LAYERS")


def test_create_names_the_parameter_bound(small_client: TestClient) -> None:
    r = small_client.post(f"{API}/networks", json={"layers": [2, 16, 16, 2]})
    assert_422(r, "354 parameters", "limit of 200", "BACKPROP_LENS_MAX_PARAMS")


def test_step_names_the_steps_bound(small_client: TestClient) -> None:
    nid = create(small_client)["id"]
    r = small_client.post(url(nid, "/step"), json={"steps": 6})
    assert_422(r, "steps = 6", "limit of 5", "BACKPROP_LENS_MAX_STEPS")


def test_step_at_the_steps_bound_is_accepted(small_client: TestClient) -> None:
    nid = create(small_client)["id"]
    assert small_client.post(url(nid, "/step"), json={"steps": 5}).json()["step"] == 5


def test_refused_steps_change_nothing(small_client: TestClient) -> None:
    nid = create(small_client)["id"]
    small_client.post(url(nid, "/step"), json={"steps": 6})
    assert small_client.get(url(nid)).json()["step"] == 0


def test_boundary_names_the_resolution_bound(small_client: TestClient) -> None:
    nid = create(small_client)["id"]
    r = small_client.get(url(nid, "/boundary"), params={"resolution": 21})
    assert_422(r, "resolution = 21", "limit of 20", "BACKPROP_LENS_MAX_RESOLUTION")
    assert r.json()["detail"][0]["loc"] == ["query", "resolution"]


def test_backprop_names_the_width_bound(small_client: TestClient) -> None:
    body = {
        **BACKPROP,
        "layers": [2, 17, 2],
        "weights": [[[0.0] * 17] * 2, [[0.0] * 2] * 17],
        "biases": [[0.0] * 17, [0.0] * 2],
    }
    assert_422(small_client.post(f"{API}/backprop", json=body), "16 neurons")


def test_default_limits_refuse_too_many_steps(client: TestClient, network: str) -> None:
    r = client.post(url(network, "/step"), json={"steps": 1001})
    assert_422(r, "1000")


def test_default_limits_refuse_too_fine_a_boundary(client: TestClient, network: str) -> None:
    r = client.get(url(network, "/boundary"), params={"resolution": 201})
    assert_422(r, "200")


def test_body_over_the_limit_answers_413(small_client: TestClient) -> None:
    text = '{"x": [[' + ", ".join(["1.0"] * 2000) + "]]}"
    assert len(text) > 4096
    r = raw_json(small_client, "POST", f"{API}/backprop", text)
    assert r.status_code == 413
    assert "4096" in r.json()["detail"]
    assert "BACKPROP_LENS_MAX_BODY_BYTES" in r.json()["detail"]


def test_body_over_the_limit_creates_nothing(small_client: TestClient) -> None:
    text = '{"seed": 1, "activations": ["tanh", "tanh", "softmax"]' + " " * 5000 + "}"
    r = raw_json(small_client, "POST", f"{API}/networks", text)
    assert r.status_code == 413
    assert "location" not in r.headers


# ---- NaN and infinity in JSON


@pytest.mark.parametrize(
    ("method", "tail", "text"),
    [
        ("POST", "/forward", '{"x": [[NaN, 1]]}'),
        ("POST", "/forward", '{"x": [[Infinity, 1]]}'),
        ("PATCH", "", '{"set": {"layer": 0, "kind": "W", "i": 0, "j": 0, "value": -Infinity}}'),
        ("PATCH", "", '{"learning_rate": NaN}'),
        ("PATCH", "", '{"l2": NaN}'),
    ],
)
def test_non_finite_numbers_on_a_network_answer_422(
    client: TestClient, network: str, method: str, tail: str, text: str
) -> None:
    r = raw_json(client, method, url(network, tail), text)
    assert r.status_code == 422, r.text


@pytest.mark.parametrize(
    "text",
    [
        '{"x": [[NaN, 1]]}',
        '{"layers": [2, 1], "activations": ["linear"], "loss": "mse", "weights": [[[1], [NaN]]],'
        ' "biases": [[0]], "x": [[1, 1]], "y": [[1]]}',
        '{"layers": [2, 1], "activations": ["linear"], "loss": "mse", "weights": [[[1], [1]]],'
        ' "biases": [[0]], "x": [[1, 1]], "y": [[Infinity]]}',
    ],
)
def test_non_finite_numbers_in_backprop_answer_422(client: TestClient, text: str) -> None:
    r = raw_json(client, "POST", f"{API}/backprop", text)
    assert r.status_code == 422, r.text


def test_non_finite_numbers_in_create_answer_422(client: TestClient) -> None:
    text = (
        '{"dataset": {"kind": "points", "points": [[NaN, 1], [1, 1], [2, 2], [3, 3]],'
        ' "y": [0, 1, 0, 1]}}'
    )
    assert raw_json(client, "POST", f"{API}/networks", text).status_code == 422


def test_non_finite_params_in_import_answer_422(client: TestClient, network: str) -> None:
    text = client.get(url(network, "/export")).text
    text = text.replace('"params":[[[', '"params":[[[NaN,', 1)
    r = raw_json(client, "POST", f"{API}/networks/import", text)
    assert r.status_code == 422, r.text


# ---- unknown fields, conflicting and out-of-range choices


@pytest.mark.parametrize(
    ("method", "tail", "body"),
    [
        ("POST", "/step", {"stpes": 2}),
        ("PATCH", "", {"lr": 0.1}),
        ("POST", "/forward", {"x": [[0.0, 0.0]], "y": [0]}),
        ("POST", "/gradcheck", {"eps": 1e-3}),
    ],
)
def test_unknown_fields_on_a_network_answer_422(
    client: TestClient, network: str, method: str, tail: str, body: dict[str, Any]
) -> None:
    r = call(client, method, url(network, tail), body)
    assert r.status_code == 422, r.text
    assert r.json()["detail"][0]["type"] == "extra_forbidden"


@pytest.mark.parametrize(
    "body",
    [
        {"bogus": 1},
        {"dataset": {"kind": "circle", "size": 50}},
        {"optimizer": {"name": "sgd", "lr": 0.1}},
        {"optimizer": {"name": "sgd", "beta1": 0.9}},
    ],
)
def test_unknown_fields_in_create_answer_422(client: TestClient, body: dict[str, Any]) -> None:
    r = client.post(f"{API}/networks", json=body)
    assert r.status_code == 422, r.text
    assert r.json()["detail"][0]["type"] == "extra_forbidden"


def test_unknown_field_in_backprop_answers_422(client: TestClient) -> None:
    r = client.post(f"{API}/backprop", json={**BACKPROP, "learning_rate": 0.1})
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "learning_rate"]


@pytest.mark.parametrize("tail", ["/step", "/gradcheck"])
def test_sample_and_batch_together_answer_422(client: TestClient, network: str, tail: str) -> None:
    r = client.post(url(network, tail), json={"sample": 1, "batch": [2, 3]})
    assert_422(r, "either sample or batch")


@pytest.mark.parametrize("tail", ["/step", "/gradcheck"])
def test_sample_out_of_range_answers_409(client: TestClient, network: str, tail: str) -> None:
    r = client.post(url(network, tail), json={"sample": 160})
    assert_409(r, "sample = 160", "0..159")


def test_explain_sample_out_of_range_answers_409(client: TestClient, network: str) -> None:
    r = client.get(url(network, "/explain"), params={"layer": 0, "i": 0, "j": 0, "sample": 999})
    assert_409(r, "sample = 999", "0..159")


def test_batch_index_out_of_range_answers_409(client: TestClient, network: str) -> None:
    r = client.post(url(network, "/step"), json={"batch": [0, 160]})
    assert_409(r, "0..159")


def test_negative_sample_answers_422(client: TestClient, network: str) -> None:
    assert client.post(url(network, "/step"), json={"sample": -1}).status_code == 422


def test_zero_steps_answer_422(client: TestClient, network: str) -> None:
    assert client.post(url(network, "/step"), json={"steps": 0}).status_code == 422


def test_explain_without_the_weight_answers_422(client: TestClient, network: str) -> None:
    r = client.get(url(network, "/explain"), params={"layer": 0, "i": 0})
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["query", "j"]


def test_forward_of_the_wrong_width_names_the_shape(client: TestClient, network: str) -> None:
    r = client.post(url(network, "/forward"), json={"x": [[1.0, 2.0, 3.0]]})
    assert_422(r, "x has shape (1, 3)", "(n, 2)")


def test_forward_of_no_rows_answers_422(client: TestClient, network: str) -> None:
    assert client.post(url(network, "/forward"), json={"x": []}).status_code == 422


def test_chunked_body_over_the_limit_answers_413(small_client: TestClient) -> None:
    text = '{"x": [[' + ", ".join(["1.0"] * 2000) + "]]}"

    def chunks() -> Iterator[bytes]:  # no Content-Length: the body streams in
        for k in range(0, len(text), 1000):
            yield text[k : k + 1000].encode()

    r = small_client.post(
        f"{API}/backprop", content=chunks(), headers={"content-type": "application/json"}
    )
    assert r.status_code == 413
    assert "BACKPROP_LENS_MAX_BODY_BYTES" in r.json()["detail"]


def test_a_full_store_answers_429_naming_the_bound(client_with: Callable[..., TestClient]) -> None:
    client = client_with(max_networks=2)
    create(client)
    doc = client.get(url(create(client)["id"], "/export")).json()
    for r in (client.post(f"{API}/networks"), client.post(f"{API}/networks/import", json=doc)):
        assert r.status_code == 429
        assert "BACKPROP_LENS_MAX_NETWORKS" in r.json()["detail"]
        assert "retry-after" in r.headers


def test_a_deleted_network_makes_room_in_a_full_store(
    client_with: Callable[..., TestClient],
) -> None:
    client = client_with(max_networks=1)
    client.delete(url(create(client)["id"]))
    assert client.post(f"{API}/networks").status_code == 201


def test_too_many_creations_from_one_address_answer_429(
    client_with: Callable[..., TestClient],
) -> None:
    client = client_with(creates_per_minute=2)
    create(client)
    create(client)
    r = client.post(f"{API}/networks")
    assert r.status_code == 429
    assert "BACKPROP_LENS_CREATES_PER_MINUTE" in r.json()["detail"]
    assert int(r.headers["retry-after"]) >= 1


def test_create_names_the_batch_size_bound(client_with: Callable[..., TestClient]) -> None:
    r = client_with(max_batch=8).post(f"{API}/networks", json={"batch_size": 9})
    assert r.status_code == 422
    assert (
        "batch_size = 9 exceeds the limit of 8 samples per batch (BACKPROP_LENS_MAX_BATCH)"
        in messages(r)
    )


def test_patch_names_the_batch_size_bound(client_with: Callable[..., TestClient]) -> None:
    c = client_with(max_batch=8)
    network = create(c)["id"]
    r = c.patch(url(network), json={"batch_size": 9})
    assert r.status_code == 422
    assert "BACKPROP_LENS_MAX_BATCH" in messages(r)
    assert get(c, network)["config"]["batch_size"] == 8  # the default, shrunk to the limit


def test_forward_names_the_rows_bound(client_with: Callable[..., TestClient]) -> None:
    c = client_with(max_batch=2)
    network = create(c, batch_size=2)["id"]
    r = c.post(url(network, "/forward"), json={"x": [[0, 0]] * 3})
    assert r.status_code == 422
    assert (
        "x has 3 rows, past the limit of 2 samples per batch (BACKPROP_LENS_MAX_BATCH)"
        in messages(r)
    )


def test_explicit_batch_names_the_rows_bound(client_with: Callable[..., TestClient]) -> None:
    c = client_with(max_batch=2)
    network = create(c, batch_size=2)["id"]
    r = c.post(url(network, "/step"), json={"batch": [0, 1, 2]})
    assert r.status_code == 422
    assert "BACKPROP_LENS_MAX_BATCH" in messages(r)


def test_backprop_names_the_parameter_bound(client_with: Callable[..., TestClient]) -> None:
    body = {
        "layers": [2, 3, 2],
        "activations": ["tanh", "softmax"],
        "weights": [[[0.0] * 3] * 2, [[0.0] * 2] * 3],
        "biases": [[0.0] * 3, [0.0] * 2],
        "x": [[1.0, 2.0]],
        "y": [0],
    }
    r = client_with(max_params=10).post(f"{API}/backprop", json=body)
    assert r.status_code == 422
    assert "17 parameters, past the limit of 10 parameters (BACKPROP_LENS_MAX_PARAMS)" in messages(
        r
    )


@pytest.mark.parametrize(
    ("query", "field"),
    [("layer=9&i=0&j=0", "layer"), ("layer=0&i=9&j=0", "i"), ("layer=0&i=0&j=9", "j")],
)
def test_explain_index_out_of_range_names_that_index(
    client: TestClient, network: str, query: str, field: str
) -> None:
    r = client.get(url(network, f"/explain?{query}&of=next"))
    assert r.status_code == 409
    assert r.json()["detail"][0]["loc"] == ["query", field]
    assert f"{field} = 9 is out of range" in messages(r)


# ---- methods, encodings, types and sizes of numbers


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("OPTIONS", url(UNKNOWN_ID), "DELETE, GET, PATCH"),
        ("PUT", url(UNKNOWN_ID, "/step"), "POST"),
        ("PATCH", f"{API}/networks/import", "POST"),
        ("POST", f"{API}/health", "GET"),
    ],
)
def test_a_method_the_path_lacks_answers_405_allowing_all_it_has(
    client: TestClient, method: str, path: str, allow: str
) -> None:
    r = client.request(method, path)
    assert r.status_code == 405, r.text
    assert r.headers["allow"] == allow


def test_a_body_that_is_not_utf8_answers_422(client: TestClient, network: str) -> None:
    r = client.post(
        url(network, "/forward"),
        content=b'{"x": [[1, 2]], "\xff": 0}',
        headers={"content-type": "application/json"},
    )
    assert r.status_code == 422, r.text
    assert r.json()["detail"][0]["type"] == "json_invalid"
    assert "not UTF-8" in messages(r)


@pytest.mark.parametrize("steps", ["2", True, 1.5])
def test_a_string_boolean_or_fraction_is_not_an_integer(
    client: TestClient, network: str, steps: Any
) -> None:
    r = client.post(url(network, "/step"), json={"steps": steps})
    assert r.status_code == 422, r.text
    assert r.json()["detail"][0]["loc"] == ["body", "steps"]


def test_an_integral_float_is_an_integer(client: TestClient, network: str) -> None:
    assert client.post(url(network, "/step"), json={"steps": 2.0}).json()["step"] == 2


def test_a_boolean_is_not_a_number(client: TestClient) -> None:
    r = client.post(f"{API}/backprop", json={**BACKPROP, "l2": False})
    assert r.status_code == 422, r.text
    assert r.json()["detail"][0]["loc"] == ["body", "l2"]


def test_an_input_past_a_million_answers_422(client: TestClient, network: str) -> None:
    r = client.post(url(network, "/forward"), json={"x": [[2e6, 0.0]]})
    assert_422(r, "less than or equal to 1000000")


def test_a_class_index_past_64_bits_answers_422(client: TestClient) -> None:
    # It once reached the dataset cache's key, which orjson cannot encode: a 500.
    dataset = {"kind": "points", "points": [[0.0]] * 4, "y": [0, 1, 0, 2**64]}
    r = client.post(f"{API}/networks", json={"dataset": dataset})
    assert r.status_code == 422, r.text
    assert "y" in r.json()["detail"][0]["loc"]


def test_an_imported_step_past_2_53_answers_422(client: TestClient, network: str) -> None:
    doc = client.get(url(network, "/export")).json()
    r = client.post(f"{API}/networks/import", json={**doc, "step": 2**64})
    assert r.status_code == 422, r.text
    assert r.json()["detail"][0]["loc"] == ["body", "step"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {"layers": [2, 5000, 2]},
            "layers[1] = 5000 exceeds the limit of 1024 neurons per layer "
            "(BACKPROP_LENS_MAX_WIDTH)",
        ),
        (
            {"layers": [2] + [3] * 12 + [2]},
            "layers has 14 sizes, that is 13 weight layers, past the limit of 8 weight layers "
            "(BACKPROP_LENS_MAX_LAYERS)",
        ),
        (
            {"dataset": {"n": 99999}},
            "n = 99999 exceeds the limit of 5000 samples (BACKPROP_LENS_MAX_SAMPLES)",
        ),
        (
            {"batch_size": 5000},
            "batch_size = 5000 exceeds the limit of 1024 samples per batch "
            "(BACKPROP_LENS_MAX_BATCH)",
        ),
    ],
)
def test_schema_bounds_name_the_limit_and_its_variable(
    client: TestClient, body: dict[str, Any], message: str
) -> None:
    r = client.post(f"{API}/networks", json=body)
    assert r.status_code == 422
    assert message in messages(r)


def test_step_bound_names_its_variable(client: TestClient, network: str) -> None:
    r = client.post(url(network, "/step"), json={"steps": 5000})
    assert "steps = 5000 exceeds the limit of 1000 updates per request" in messages(r)
    assert "BACKPROP_LENS_MAX_STEPS" in messages(r)


def test_explain_past_the_term_limit_asks_for_one_sample(
    client_with: Callable[..., TestClient],
) -> None:
    c = client_with(max_explain_terms=20)
    network = create(c, batch_size=10)["id"]  # 10 rows × 4 neurons above = 40 terms
    r = c.get(url(network, "/explain?layer=0&i=0&j=0&of=next"))
    assert r.status_code == 409
    assert (
        "40 terms, past the limit of 20 terms in one explanation (BACKPROP_LENS_MAX_EXPLAIN_TERMS)"
        in messages(r)
    )
    one = c.get(url(network, "/explain?layer=0&i=0&j=0&of=next&sample=3"))
    assert one.status_code == 200


def test_a_limit_error_item_names_its_variable_bound_and_value(client: TestClient) -> None:
    from app.schemas import ErrorItem

    for r in (
        client.post(f"{API}/networks", json={"layers": [2, 5000, 2]}),  # the schema's bound
        client.post(f"{API}/networks", json={"layers": [2, 1024, 1024, 2]}),  # the domain's
    ):
        assert r.status_code == 422
        item = r.json()["detail"][0]
        ErrorItem.model_validate(item)
        assert item["type"] == "limit"
        assert item["limit"] in ("BACKPROP_LENS_MAX_WIDTH", "BACKPROP_LENS_MAX_PARAMS")
        assert item["value"] > item["bound"]
        assert f"limit of {item['bound']}" in item["msg"]
        assert item["limit"] in item["msg"]


def test_check_limit_words_every_limit_alike() -> None:
    from app.domain.limits import LimitError, check_limit
    from app.settings import Limits

    check_limit(Limits(), "max_width", 1024, ("layers", 2))  # at the bound: fine
    with pytest.raises(LimitError) as caught:
        check_limit(Limits(), "max_width", 5000, ("layers", 2))
    assert caught.value.msg == (
        "layers[2] = 5000 exceeds the limit of 1024 neurons per layer (BACKPROP_LENS_MAX_WIDTH)"
    )
    assert caught.value.item("body")["loc"] == ["body", "layers", 2]
