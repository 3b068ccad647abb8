"""OpenAPI fuzzing: every operation gets schema-valid and schema-violating requests, and every
schemathesis check must pass (no 5xx, responses as documented, valid data accepted, invalid
data rejected, 405s with a full `Allow`). Settings and the few per-operation exceptions are in
schemathesis.toml. `make fuzz` runs the same with FUZZ_EXAMPLES=500.
"""

from __future__ import annotations

import os
import re
import tomllib
import zlib
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import settings

from app.main import create_app
from app.settings import Limits, Settings

ROOT = Path(__file__).resolve().parents[2]
API = "/api/v1"
# Generated examples per operation and phase; the default keeps this file well under a minute.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))

# Networks for the operations on /networks/{network_id}. Each is small enough (≤ 48 parameters)
# that schema-valid steps (up to 1000 × 1024 samples) stay small enough to fuzz quickly.
NETWORKS: list[dict[str, Any]] = [
    {},  # the default: 2-4-4-2 tanh, softmax, circle
    {"dataset": {"kind": "sine"}},  # regression, 1-D: the boundary is a curve
    {  # linear hidden layer (a collapse card), Adam, three classes
        "layers": [2, 3, 3],
        "activations": ["linear", "softmax"],
        "dataset": {"kind": "spiral", "classes": 3},
        "optimizer": {"name": "adam"},
    },
    {  # residual, two weight layers: the first skips, and explain form=note applies
        "layers": [2, 2, 2],
        "activations": ["tanh", "softmax"],
        "residual": True,
    },
    {  # explicit 3-D points: no boundary
        "layers": [3, 2, 2],
        "dataset": {
            "kind": "points",
            "points": [[0, 0, 1], [1, 0, 0], [0, 1, 0], [1, 1, 1], [2, 0, 1], [0, 2, 1]],
            "y": [0, 1, 0, 1, 0, 1],
        },
    },
]
STEPPED = len(NETWORKS)  # the default network after one step: explain has a last step
DIVERGED = STEPPED + 1  # the sine network driven to NaN by a learning rate of 1e6
UNKNOWN = DIVERGED + 1  # the generated id itself, which no network has
NETWORK_ID = re.compile(r"[0-9a-f]{32}")


def fuzz_config() -> schemathesis.Config:
    """schemathesis.toml, with EXAMPLES examples per operation."""
    with (ROOT / "schemathesis.toml").open("rb") as f:
        data = tomllib.load(f)
    data["generation"]["max-examples"] = EXAMPLES
    return schemathesis.Config.from_dict(data)


app = create_app(Settings(store="memory://", limits=Limits(creates_per_minute=0)))
schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=fuzz_config())


def new_network(kind: int) -> str:
    """A fresh network of one of the kinds above (fresh, so DELETE and PATCH harm nothing)."""
    create = schema[f"{API}/networks"]["POST"]
    body = NETWORKS[{STEPPED: 0, DIVERGED: 1}.get(kind, kind)]
    r = create.Case(body=body, media_type="application/json").call()
    assert r.status_code == 201, r.text
    network_id = str(r.json()["id"])
    path = {"network_id": network_id}
    if kind == STEPPED:
        step = schema[f"{API}/networks/{{network_id}}/step"]["POST"]
        assert step.Case(path_parameters=path, body={}).call().status_code == 200
    elif kind == DIVERGED:
        patch = schema[f"{API}/networks/{{network_id}}"]["PATCH"]
        r = patch.Case(path_parameters=path, body={"learning_rate": 1e6}).call()
        assert r.status_code == 200, r.text
        step = schema[f"{API}/networks/{{network_id}}/step"]["POST"]
        assert step.Case(path_parameters=path, body={"steps": 100}).call().status_code == 409
    return network_id


def allow_names_every_method(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: schemathesis.Case
) -> None:
    """A 405's `Allow` lists exactly the methods the schema gives the path (schemathesis's own
    checks let an empty `Allow` pass)."""
    if response.status_code == 405:
        declared = {m.upper() for m in schema.raw_schema["paths"][case.operation.path]}
        allow = ",".join(response.headers.get("allow", []))
        assert {m.strip() for m in allow.split(",")} == declared, (allow, declared)


def delete_network(network_id: str) -> None:
    delete = schema[f"{API}/networks/{{network_id}}"]["DELETE"]
    delete.Case(path_parameters={"network_id": network_id}).call()


@schema.parametrize()
@settings(deadline=None)
def test_api(case: schemathesis.Case) -> None:
    network_id = case.path_parameters.get("network_id")
    if isinstance(network_id, str) and NETWORK_ID.fullmatch(network_id):
        # A well-formed id: most become a real network, the rest stay unknown (→ 404). The
        # choice follows from the request, so a run is as deterministic as its requests.
        kind = zlib.crc32(repr((network_id, case.query, case.body)).encode()) % (UNKNOWN + 1)
        if kind != UNKNOWN:
            case.path_parameters["network_id"] = new_network(kind)
            try:
                case.call_and_validate(additional_checks=[allow_names_every_method])
            finally:  # the store stays small: a full one would answer 429 to creations
                delete_network(case.path_parameters["network_id"])
            return
    case.call_and_validate(additional_checks=[allow_names_every_method])


# Sequences along the schema's links: create or import a network, then step, patch, explain,
# export, delete it… with each response's id.
APIWorkflow = schema.as_state_machine()
TestAPIWorkflow = APIWorkflow.TestCase
TestAPIWorkflow.settings = settings(
    TestAPIWorkflow.settings,
    max_examples=max(EXAMPLES // 5, 1),
    stateful_step_count=10,
    derandomize=True,
    database=None,
)
