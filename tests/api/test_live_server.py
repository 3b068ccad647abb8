"""Real uvicorn processes: concurrent steps through several workers, a crash, shared Redis."""

from __future__ import annotations

import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import numpy as np

from tests.live import Server, redis_server, serve

CONFIG = {
    "layers": [2, 6, 2],
    "activations": ["tanh", "softmax"],
    "dataset": {"kind": "xor", "n": 120, "noise": 0.1},
    "optimizer": {"name": "sgd", "learning_rate": 0.2, "momentum": 0.9},
    "batch_size": 8,
}


def _create(url: str) -> str:
    r = httpx.post(url + "/api/v1/networks", json=CONFIG, timeout=30)
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def _state(url: str, network: str) -> dict:
    r = httpx.get(f"{url}/api/v1/networks/{network}", timeout=30)
    assert r.status_code == 200, r.text
    return r.json()


def _replayed_weights(url: str, steps: int) -> list[np.ndarray]:
    """The weights of a fresh, identical network after `steps` sequential updates."""
    network = _create(url)
    for _ in range(steps):
        r = httpx.post(f"{url}/api/v1/networks/{network}/step", json={}, timeout=30)
        assert r.status_code == 200, r.text
    return [np.asarray(w) for w in _state(url, network)["weights"]]


def _concurrent_steps(urls: list[str], network: str, count: int) -> list[int]:
    def one(k: int) -> int:
        url = urls[k % len(urls)]
        r = httpx.post(f"{url}/api/v1/networks/{network}/step", json={}, timeout=60)
        assert r.status_code == 200, r.text
        return int(r.json()["step"])

    with ThreadPoolExecutor(16) as pool:
        return list(pool.map(one, range(count)))


def _assert_same_weights(state: dict, expected: list[np.ndarray]) -> None:
    for got, want in zip(state["weights"], expected, strict=True):
        np.testing.assert_array_equal(np.asarray(got), want)


def test_fifty_concurrent_steps_through_two_workers_all_apply(tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 'shared.db'}"
    with serve({"BACKPROP_LENS_STORE": store}, workers=2) as server:
        network = _create(server.url)
        acknowledged = _concurrent_steps([server.url], network, 50)
        state = _state(server.url, network)
        assert sorted(acknowledged) == list(range(1, 51))  # each step saw its own state
        assert state["step"] == 50
        assert len(state["history"]) == 50
        _assert_same_weights(state, _replayed_weights(server.url, 50))


def test_a_killed_server_keeps_every_acknowledged_step(tmp_path: Path) -> None:
    db = tmp_path / "crash.db"
    env = {"BACKPROP_LENS_STORE": f"sqlite:///{db}"}
    server = Server(env)
    network = _create(server.url)
    acknowledged: list[int] = []
    enough = threading.Event()

    def stream() -> None:
        with httpx.Client(base_url=server.url, timeout=10) as client:
            while True:
                try:
                    r = client.post(f"/api/v1/networks/{network}/step", json={})
                except httpx.TransportError:
                    return  # the server is gone
                assert r.status_code == 200, r.text
                acknowledged.append(int(r.json()["step"]))
                if len(acknowledged) >= 40:
                    enough.set()

    workers = [threading.Thread(target=stream) for _ in range(3)]
    for w in workers:
        w.start()
    assert enough.wait(60), "the server acknowledged too few steps"
    server.kill()  # SIGKILL while requests are in flight
    for w in workers:
        w.join(30)
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with serve(env) as restarted:
        state = _state(restarted.url, network)
        # Every acknowledged step is there; a step may have committed unacknowledged too.
        assert state["step"] >= max(acknowledged)
        assert len(state["history"]) == state["step"]
        _assert_same_weights(state, _replayed_weights(restarted.url, state["step"]))


def test_two_servers_sharing_redis_see_one_network() -> None:
    with redis_server() as redis_url:
        env = {"BACKPROP_LENS_STORE": redis_url}
        with serve(env) as a, serve(env) as b:
            network = _create(a.url)
            assert _state(b.url, network)["id"] == network
            for k in range(6):  # alternate: each server continues from the other's step
                url = (a.url, b.url)[k % 2]
                r = httpx.post(f"{url}/api/v1/networks/{network}/step", json={}, timeout=30)
                assert r.json()["step"] == k + 1
            acknowledged = _concurrent_steps([a.url, b.url], network, 40)
            assert sorted(acknowledged) == list(range(7, 47))
            state = _state(a.url, network)
            assert state["step"] == 46
            _assert_same_weights(state, _replayed_weights(b.url, 46))
