"""Health, the dataset catalog, the OpenAPI schema and the offline API docs page."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from app.version import VERSION
from tests.api.helpers import API


def test_health_reports_ok_version_and_store(client: TestClient) -> None:
    r = client.get(f"{API}/health")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "version": VERSION, "store": "memory"}


def test_datasets_lists_generators_and_every_accepted_name(client: TestClient) -> None:
    r = client.get(f"{API}/datasets")
    assert r.status_code == 200
    body = r.json()
    names = {d["name"] for d in body["datasets"]}
    assert {"circle", "xor", "gauss", "moons", "spiral", "blobs", "sine", "plane"} <= names
    circle = next(d for d in body["datasets"] if d["name"] == "circle")
    assert circle["task"] == "classification"
    assert circle["input_dim"] == 2
    assert circle["parameters"]["n"] == [4, 5000]
    assert set(body["activations"]) == {
        "sigmoid",
        "tanh",
        "relu",
        "leaky_relu",
        "linear",
        "softmax",
    }
    assert set(body["losses"]) == {"cross_entropy", "mse"}
    assert set(body["inits"]) == {"xavier", "he", "uniform", "zeros"}
    assert set(body["optimizers"]) == {"sgd", "adam"}
    assert "x1" in body["features"]


def test_openapi_describes_every_endpoint(client: TestClient) -> None:
    r = client.get("/openapi.json")
    assert r.status_code == 200
    paths = r.json()["paths"]
    for path in (
        "/api/v1/health",
        "/api/v1/datasets",
        "/api/v1/backprop",
        "/api/v1/networks",
        "/api/v1/networks/import",
        "/api/v1/networks/{network_id}",
        "/api/v1/networks/{network_id}/data",
        "/api/v1/networks/{network_id}/step",
        "/api/v1/networks/{network_id}/forward",
        "/api/v1/networks/{network_id}/explain",
        "/api/v1/networks/{network_id}/gradcheck",
        "/api/v1/networks/{network_id}/boundary",
        "/api/v1/networks/{network_id}/reset",
        "/api/v1/networks/{network_id}/export",
    ):
        assert path in paths, path


def test_docs_page_loads(client: TestClient) -> None:
    r = client.get("/docs")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert "swagger-ui" in r.text


def test_docs_page_references_no_remote_url(client: TestClient) -> None:
    html = client.get("/docs").text
    assert re.search(r"https?://", html) is None


def test_docs_page_assets_are_served_locally(client: TestClient) -> None:
    html = client.get("/docs").text
    refs = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(ref.endswith("swagger-ui-bundle.js") for ref in refs)
    assert any(ref.endswith("swagger-ui.css") for ref in refs)
    for ref in refs:
        assert ref.startswith("/"), ref
        r = client.get(ref)
        assert r.status_code == 200, ref
        assert r.content, ref


def test_docs_init_script_loads_the_local_schema(client: TestClient) -> None:
    r = client.get("/static/docs/swagger-init.js")
    assert r.status_code == 200
    assert '"/openapi.json"' in r.text
    assert re.search(r"https?://", r.text) is None


def test_api_responses_carry_the_security_headers(client: TestClient) -> None:
    r = client.get(f"{API}/health")
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"


def test_every_response_example_is_real_and_fits_its_model(client: TestClient) -> None:
    import app.schemas as schemas

    spec = client.get("/openapi.json").json()
    checked = 0
    for ops in spec["paths"].values():
        for op in ops.values():
            for response in op["responses"].values():
                content = response.get("content", {}).get("application/json", {})
                if "example" not in content:
                    continue
                schema = content["schema"]
                options = schema.get("anyOf") or schema.get("oneOf") or [schema]
                refs = [s["$ref"] for s in options if "$ref" in s]
                models = [getattr(schemas, ref.split("/")[-1]) for ref in refs]
                fits = []
                for model in models:
                    try:
                        model.model_validate(content["example"])
                        fits.append(model)
                    except ValueError:
                        pass
                assert fits, f"example fits none of {refs}"
                checked += 1
    assert checked >= 10
    explain = spec["paths"][f"{API}/networks/{{network_id}}/explain"]["get"]["responses"]["200"]
    example = explain["content"]["application/json"]["example"]
    assert abs(example["total"] - example["dW"]) < 1e-12  # computed, not written by hand


def test_catalog_gives_core_names_in_core_order(client: TestClient) -> None:
    import core
    from app.schemas import ApiCatalog

    r = client.get(f"{API}/catalog")
    assert r.status_code == 200
    body = r.json()
    ApiCatalog.model_validate(body)
    assert body["activations"] == {
        "hidden": list(core.HIDDEN_ACTIVATIONS),
        "output": list(core.ACTIVATIONS),
    }
    assert "softmax" not in body["activations"]["hidden"]
    assert body["losses"] == list(core.LOSSES)
    assert body["inits"] == list(core.INITS)
    assert [o["name"] for o in body["optimizers"]] == list(core.OPTIMIZERS)
    for entry in body["optimizers"]:
        assert entry["defaults"] == dict(core.OPTIMIZER_DEFAULTS[entry["name"]])
    assert [f["name"] for f in body["features"]] == list(core.FEATURES)
    dims = {f["name"]: f["input_dim"] for f in body["features"]}
    assert dims["x1"] == dims["x1^2"] == dims["sin(x1)"] == 1
    assert dims["x2"] == dims["x1*x2"] == dims["sin(x2)"] == 2
    # The same dataset entries as /datasets, which keeps working.
    assert body["datasets"] == client.get(f"{API}/datasets").json()["datasets"]


def test_catalog_defaults_are_a_body_the_api_accepts_and_fills_the_same(
    client: TestClient,
) -> None:
    defaults = client.get(f"{API}/catalog").json()["defaults"]
    for key in ("layers", "activations", "loss", "init", "seed", "dataset", "optimizer"):
        assert key in defaults
    assert set(defaults["dataset"]) >= {
        "kind",
        "n",
        "noise",
        "classes",
        "test_fraction",
        "seed",
        "features",
    }
    assert defaults["dataset"]["noise"] == 0.1
    assert defaults["dataset"]["test_fraction"] == 0.2
    assert defaults["optimizer"]["learning_rate"] == 0.1
    created = client.post(f"{API}/networks", json=defaults)
    assert created.status_code == 201, created.text
    assert created.json()["config"] == defaults
    assert client.post(f"{API}/networks").json()["config"] == defaults


def test_catalog_limits_are_the_servers_own(client_with: Any) -> None:
    from dataclasses import asdict

    from app.settings import Limits

    c = client_with(max_width=64, max_layers=4)
    limits = c.get(f"{API}/catalog").json()["limits"]
    assert limits == asdict(Limits(max_width=64, max_layers=4))
    assert limits["max_width"] == 64
    # The catalog's limit is the one the API enforces.
    r = c.post(f"{API}/networks", json={"layers": [2, 65, 2]})
    assert r.status_code == 422
    assert c.post(f"{API}/networks", json={"layers": [2, 64, 2]}).status_code == 201


def test_catalog_tasks_list_exactly_the_loss_and_output_pairs_the_api_accepts(
    client: TestClient,
) -> None:
    import core

    body = client.get(f"{API}/catalog").json()
    tasks = {t["name"]: t for t in body["tasks"]}
    assert set(tasks) == {"classification", "regression"}
    for spec in (d for d in body["datasets"] if d["name"] in ("circle", "sine")):
        task = tasks[spec["task"]]
        out = spec["classes"][0] if spec["classes"] else 1
        offered = {(f["name"], a) for f in task["losses"] for a in f["outputs"]}
        assert (task["loss"], task["output"]) in offered
        for loss in core.LOSSES:
            for act in core.ACTIVATIONS:
                r = client.post(
                    f"{API}/networks",
                    json={
                        "dataset": {"kind": spec["name"]},
                        "layers": [spec["input_dim"], 3, out],
                        "activations": ["tanh", act],
                        "loss": loss,
                    },
                )
                assert (r.status_code == 201) == ((loss, act) in offered), (spec, loss, act)
    # The default loss and output are what the API fills in for a dataset of that task.
    filled = client.post(f"{API}/networks", json={"dataset": {"kind": "sine"}}).json()["config"]
    assert (filled["loss"], filled["activations"][-1]) == (
        tasks["regression"]["loss"],
        tasks["regression"]["output"],
    )


def test_catalog_gives_default_features_points_bounds_and_number_bounds(
    client_with: Any,
) -> None:
    c = client_with(max_batch=64, max_samples=300)
    body = c.get(f"{API}/catalog").json()
    for d in body["datasets"]:
        made = c.post(f"{API}/networks", json={"dataset": {"kind": d["name"]}}).json()
        assert d["features"] == made["config"]["dataset"]["features"]
    lo, hi = body["points"]["n"]
    assert hi == 300
    one = {"kind": "points", "points": [[0.0, 0.0]] * lo, "y": [0] * lo, "classes": 2}
    fewer = {**one, "points": one["points"][1:], "y": one["y"][1:]}
    assert c.post(f"{API}/networks", json={"dataset": one}).status_code == 201
    if lo > 1:
        assert c.post(f"{API}/networks", json={"dataset": fewer}).status_code == 422
    bounds = body["bounds"]
    assert bounds["batch_size"] == {
        "min": 1,
        "max": 64,
        "min_exclusive": False,
        "max_exclusive": False,
    }
    assert c.post(f"{API}/networks", json={"batch_size": 64}).status_code == 201
    assert c.post(f"{API}/networks", json={"batch_size": 65}).status_code == 422
    for name, inside, outside in (
        ("l2", bounds["l2"]["max"], bounds["l2"]["max"] * 1.5),
        ("seed", bounds["seed"]["max"], bounds["seed"]["max"] + 1),
    ):
        assert c.post(f"{API}/networks", json={name: inside}).status_code == 201
        assert c.post(f"{API}/networks", json={name: outside}).status_code == 422
    lr, momentum = bounds["learning_rate"], bounds["momentum"]
    assert lr["min_exclusive"] and momentum["max_exclusive"]
    for value, code in ((lr["min"], 422), (lr["max"], 201)):
        opt = {"name": "sgd", "learning_rate": value}
        assert c.post(f"{API}/networks", json={"optimizer": opt}).status_code == code
    opt = {"name": "sgd", "momentum": momentum["max"]}
    assert c.post(f"{API}/networks", json={"optimizer": opt}).status_code == 422
    # A coordinate or target of explicit points: the bound is what POST /networks accepts.
    point = bounds["point"]
    assert not point["min_exclusive"] and not point["max_exclusive"]
    for value, code in ((point["max"], 201), (point["min"], 201), (point["max"] * 10, 422)):
        one = {"kind": "points", "points": [[value, 0.0]] * lo, "y": [0] * lo, "classes": 2}
        assert c.post(f"{API}/networks", json={"dataset": one}).status_code == code
    for value, code in ((point["min"], 201), (point["min"] * 10, 422)):
        sine = {"kind": "points", "task": "regression", "points": [[0.0]] * lo, "y": [value] * lo}
        made = c.post(f"{API}/networks", json={"dataset": sine, "layers": [1, 1]})
        assert made.status_code == code, made.text
