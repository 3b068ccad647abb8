"""Issue 15.2–15.4: what a request really costs is bounded, and heavy work cannot stall others."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Limits, Settings
from tests.api.helpers import API, create, url

# Few weights (14,341), but 4,100 neurons per row: the network that once ran 173 s.
WAISTED = [2, 1024, 1, 1024, 1, 1024, 1, 1024, 2]
WAISTED_BODY = {
    "layers": WAISTED,
    "activations": ["tanh"] * 7 + ["softmax"],
    "dataset": {"kind": "circle", "n": 5000},
    "batch_size": 3,
}


def client_with(**limits: float) -> TestClient:
    return TestClient(create_app(Settings(store="memory://", limits=replace(Limits(), **limits))))


@pytest.fixture
def client() -> Iterator[TestClient]:
    with client_with() as c:
        yield c


def test_many_steps_on_a_narrow_waisted_network_are_refused_naming_the_work_limit(
    client: TestClient,
) -> None:
    network = create(client, **WAISTED_BODY)["id"]
    r = client.post(url(network, "/step"), json={"steps": 1000})
    assert r.status_code == 422
    item = r.json()["detail"][0]
    assert item["type"] == "limit"
    assert item["limit"] == "BACKPROP_LENS_MAX_WORK"
    assert "estimated work" in item["msg"]
    assert ",," not in item["msg"] and "s of one core), past the limit" in item["msg"]
    assert client.get(url(network)).json()["step"] == 0


def test_a_gradient_check_of_too_many_parameters_is_a_409_before_its_work_is_weighed() -> None:
    """Over the whole training set the check would also pass the work limit; the parameter
    limit (the network is too large, whatever the rows) is the one that says what to do."""
    with client_with(max_gradcheck_params=100, max_work=1e6) as c:
        network = create(c, **WAISTED_BODY)["id"]
        r = c.post(url(network, "/gradcheck"))
        assert r.status_code == 409, r.text
        assert r.json()["detail"][0]["limit"] == "BACKPROP_LENS_MAX_GRADCHECK_PARAMS"


def test_a_full_resolution_boundary_of_every_neuron_is_refused(client: TestClient) -> None:
    network = create(client, **WAISTED_BODY)["id"]
    r = client.get(url(network, "/boundary?resolution=200"))
    assert r.status_code == 422
    assert r.json()["detail"][0]["limit"] == "BACKPROP_LENS_MAX_WORK"
    # The output alone is cheap enough to draw at a lower resolution; at 200 its activations
    # would pass a worker's address space, a 422 naming that limit (not a server at 4 GB).
    assert client.get(url(network, "/boundary?resolution=100&neurons=false")).status_code == 200
    r = client.get(url(network, "/boundary?resolution=200&neurons=false"))
    assert r.status_code == 422
    assert r.json()["detail"][0]["limit"] == "BACKPROP_LENS_WORKER_MEMORY_MIB"
    assert r.json()["detail"][0]["loc"] == ["body"]


def test_a_heavy_step_runs_in_a_worker_and_applies(client: TestClient) -> None:
    network = create(client, **WAISTED_BODY)["id"]
    r = client.post(url(network, "/step"), json={"steps": 3})
    assert r.status_code == 200, r.text
    assert r.json()["step"] == 3
    assert client.get(url(network)).json()["step"] == 3


def test_health_is_answered_while_a_heavy_step_runs(client: TestClient) -> None:
    network = create(client, **WAISTED_BODY)["id"]
    done = threading.Event()
    answers: list[int] = []

    def heavy() -> None:
        answers.append(client.post(url(network, "/step"), json={"steps": 5}).status_code)
        done.set()

    thread = threading.Thread(target=heavy)
    thread.start()
    healthy = [client.get(f"{API}/health").status_code for _ in range(5)]
    still_running = not done.is_set()
    thread.join(120)
    assert healthy == [200] * 5
    assert still_running, "the heavy step should still be running while health answers"
    assert answers == [200]


def test_a_request_past_its_time_budget_gets_503_and_changes_nothing() -> None:
    with client_with(max_seconds=0.2) as client:
        network = create(client, **WAISTED_BODY)["id"]
        r = client.post(url(network, "/step"), json={"steps": 5})
        assert r.status_code == 503
        assert r.headers["retry-after"]
        assert "BACKPROP_LENS_MAX_SECONDS" in r.json()["detail"]
        assert client.get(url(network)).json()["step"] == 0
        # The server goes on: a small network's step is answered (test_runner shows the stopped
        # worker is replaced).
        small = create(client)["id"]
        assert client.post(url(small, "/step"), json={"steps": 1}).json()["step"] == 1


def test_errors_raised_in_a_worker_reach_the_client_as_they_would_inline() -> None:
    with client_with(inline_work=0) as client:  # everything goes to a worker
        network = create(client)["id"]
        r = client.post(url(network, "/step"), json={"sample": 10_000})
        assert r.status_code == 409
        assert r.json()["detail"][0]["loc"] == ["body", "sample"]
        assert client.post(url(network, "/step"), json={"steps": 2}).json()["step"] == 2


def test_a_heavy_answer_is_encoded_in_its_worker_and_equals_the_inline_one() -> None:
    body = {"layers": [2, 6, 3], "activations": ["tanh", "softmax"], "seed": 3}
    body["dataset"] = {"kind": "blobs", "classes": 3, "n": 60}
    answers = []
    for inline_work in (10**9, 0):  # everything inline, then everything in a worker
        with client_with(inline_work=inline_work) as c:
            network = create(c, **body)["id"]
            c.post(url(network, "/step"), json={"steps": 2})
            got = [
                c.get(url(network, "/boundary?resolution=9")),
                c.get(url(network, "/explain?layer=0&i=1&j=2&form=paths")),
                c.post(url(network, "/forward"), json={"x": [[0.5, -1.0], [2.0, 0.25]]}),
                c.post(url(network, "/gradcheck")),
            ]
            assert all(r.status_code == 200 for r in got), [r.text for r in got]
            answers.append([r.json() for r in got])
    inline, heavy = answers
    assert heavy == inline
