"""Issue 15, item 5: the store is bounded in bytes as well as in networks, a full store deletes
its least recently used idle networks before it refuses anyone, and the dataset cache is
bounded in bytes."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np
from fastapi.testclient import TestClient

from app.domain import data
from app.domain.room import network_bytes
from app.main import create_app
from app.settings import Limits, Settings
from app.store import Store
from tests.api.helpers import API, create, get, step, url

HOUR = 3600.0


def store_of(client: TestClient) -> Store:
    store: Store = client.app.state.store  # type: ignore[attr-defined]
    return store


def idle(client: TestClient, network_id: str, seconds: float = 2 * HOUR) -> None:
    """Make the network look unused for `seconds`."""
    store_of(client).touch(network_id, time.time() - seconds)


def exists(client: TestClient, network_id: str) -> bool:
    return client.get(url(network_id), params={"history": False}).status_code == 200


def assert_full(r: Any, variable: str) -> None:
    assert r.status_code == 429, r.text
    detail = r.json()["detail"]
    assert variable in detail
    assert "BACKPROP_LENS_EVICT_IDLE_MINUTES" in detail
    assert 1 <= int(r.headers["retry-after"]) <= HOUR


def network_bytes_of(**body: Any) -> int:
    """What a new network (the default one, unless `body` says) takes in the store."""
    with TestClient(create_app(Settings(store="memory://"))) as c:
        create(c, **body)
        return store_of(c).usage()[1]


# ---- the bound of one network


def test_a_network_that_could_grow_past_its_byte_bound_is_refused_naming_it(
    client_with: Callable[..., TestClient],
) -> None:
    client = client_with(max_network_bytes=1_500_000, max_history=1000)
    body: dict[str, Any] = {"layers": [2, 200, 200, 2]}  # 41,202 parameters
    r = client.post(f"{API}/networks", json=body)
    assert r.status_code == 422, r.text
    [item] = r.json()["detail"]
    assert item["type"] == "limit"
    assert item["limit"] == "BACKPROP_LENS_MAX_NETWORK_BYTES"
    assert item["bound"] == 1_500_000
    assert item["value"] > 1_500_000
    # 4 copies of 41,202 float64 parameters, and 1,000 history entries of at most 310 bytes.
    assert "4 copies of its 41202 parameters 1318464, 1000 history entries 310000" in item["msg"]
    assert (
        "past the limit of 1500000 bytes per network (BACKPROP_LENS_MAX_NETWORK_BYTES)"
        in (item["msg"])
    )
    assert store_of(client).count() == 0
    # float32 halves the parameters: that fits.
    assert client.post(f"{API}/networks", json={**body, "dtype": "float32"}).status_code == 201


def test_an_import_past_the_byte_bound_is_refused(client_with: Callable[..., TestClient]) -> None:
    source = client_with()
    doc = source.get(url(create(source, layers=[2, 64, 64, 2])["id"], "/export")).json()
    small = client_with(max_network_bytes=400_000, max_history=1000)  # it needs 455,000
    r = small.post(f"{API}/networks/import", json=doc)
    assert r.status_code == 422
    assert r.json()["detail"][0]["limit"] == "BACKPROP_LENS_MAX_NETWORK_BYTES"


def test_the_default_bound_holds_the_largest_network_the_other_limits_allow(
    client: TestClient,
) -> None:
    # 294,842 parameters (BACKPROP_LENS_MAX_PARAMS is 300,000), Adam, float64.
    body = {"layers": [2, 540, 540, 2], "optimizer": {"name": "adam"}}
    network = create(client, **body)["id"]
    step(client, network)
    stored = store_of(client).usage()[1]
    assert 4 * 294_842 * 8 < stored < Limits().max_network_bytes


def test_network_bytes_is_what_the_store_then_holds(client: TestClient) -> None:
    network = create(client)["id"]
    step(client, network, steps=3)
    store = store_of(client)
    record, history = store.read(network).record, store.history(network)
    estimate = network_bytes(record, history, Limits())
    assert abs(estimate - store.usage()[1]) < 100  # the state is estimated, not encoded


# ---- a full store deletes the least recently used idle networks first


def test_a_full_store_deletes_the_least_recently_used_idle_network(
    client_with: Callable[..., TestClient],
) -> None:
    client = client_with(max_networks=2)
    a, b = create(client)["id"], create(client)["id"]
    idle(client, a)
    c = create(client)["id"]  # a new student gets in
    assert not exists(client, a)
    assert exists(client, b) and exists(client, c)
    assert store_of(client).count() == 2


def test_a_read_counts_as_a_use(client_with: Callable[..., TestClient]) -> None:
    client = client_with(max_networks=2)
    a, b = create(client)["id"], create(client)["id"]
    idle(client, a, 3 * HOUR)
    idle(client, b, 2 * HOUR)
    get(client, a)  # the page reopened a: b is now the least recently used
    create(client)
    assert exists(client, a) and not exists(client, b)


def test_a_full_store_in_recent_use_answers_429_with_retry_after(
    client_with: Callable[..., TestClient],
) -> None:
    client = client_with(max_networks=2, evict_idle_minutes=30)
    a, b = create(client)["id"], create(client)["id"]
    idle(client, a, 20 * 60)  # used 20 minutes ago: inside the 30-minute grace
    r = client.post(f"{API}/networks")
    assert_full(r, "BACKPROP_LENS_MAX_NETWORKS")
    assert (
        "2 networks are stored and this adds 1, past the limit of 2 networks"
        in (r.json()["detail"])
    )
    assert 9 * 60 <= int(r.headers["retry-after"]) <= 10 * 60 + 1  # when a passes the grace
    assert exists(client, a) and exists(client, b)
    idle(client, a, 31 * 60)
    assert client.post(f"{API}/networks").status_code == 201


def test_the_store_byte_bound_evicts_then_refuses(client_with: Callable[..., TestClient]) -> None:
    one = network_bytes_of()
    client = client_with(max_store_bytes=int(2.5 * one))
    a, b = create(client)["id"], create(client)["id"]
    r = client.post(f"{API}/networks")
    assert_full(r, "BACKPROP_LENS_MAX_STORE_BYTES")
    assert "bytes in the store" in r.json()["detail"]
    idle(client, b)
    assert client.post(f"{API}/networks").status_code == 201
    assert exists(client, a) and not exists(client, b)
    assert store_of(client).usage()[1] <= 2.5 * one


def test_a_step_that_outgrows_the_store_evicts_idle_networks_but_never_its_own(
    client_with: Callable[..., TestClient],
) -> None:
    big = {"layers": [2, 32, 32, 2]}  # 1,218 parameters: about 10 KB
    bound = network_bytes_of(**big) + network_bytes_of() + 2000
    client = client_with(max_store_bytes=bound)
    client.app.state.executor.USAGE_EVERY = 0.0  # type: ignore[attr-defined]
    a, b = create(client, **big)["id"], create(client)["id"]
    step(client, b, steps=20)  # its history (about 4 KB) now takes the store past its bound
    assert store_of(client).usage()[1] > bound
    r = client.post(url(b, "/step"), json={})
    assert_full(r, "BACKPROP_LENS_MAX_STORE_BYTES")
    assert get(client, b)["step"] == 20  # refused: nothing ran
    idle(client, b, 3 * HOUR)  # b is the least recently used, yet it is being stepped: a goes
    idle(client, a)
    assert step(client, b)["step"] == 21
    assert not exists(client, a)
    assert store_of(client).usage()[1] <= bound


# ---- the dataset cache


def test_the_byte_lru_keeps_the_most_recently_used_within_its_bytes() -> None:
    cache: data.ByteLRU[np.ndarray] = data.ByteLRU(lambda a: a.nbytes)
    made: list[bytes] = []

    def make(key: bytes, n: int) -> Callable[[], np.ndarray]:
        return lambda: made.append(key) or np.zeros(n)  # type: ignore[func-returns-value]

    a = cache.get(b"a", make(b"a", 40), 1000)  # 320 bytes each
    cache.get(b"b", make(b"b", 40), 1000)
    assert cache.get(b"a", make(b"a", 40), 1000) is a  # a hit: a is now the most recent
    cache.get(b"c", make(b"c", 40), 1000)
    cache.get(b"d", make(b"d", 40), 1000)  # 4 × 320 > 1000: b, the least recent, goes
    assert (len(cache), cache.bytes) == (3, 960)
    cache.get(b"b", make(b"b", 40), 1000)
    assert made == [b"a", b"b", b"c", b"d", b"b"]
    huge = cache.get(b"e", make(b"e", 1000), 1000)  # larger than the whole cache: not kept
    assert huge.nbytes == 8000 and cache.bytes <= 1000
    assert cache.get(b"e", make(b"e", 1000), 1000) is not huge


def test_the_dataset_cache_stays_within_its_byte_setting() -> None:
    data.DATASETS.clear()
    limits = Limits(dataset_cache_bytes=200_000)
    for seed in range(20):  # each 1,000-point dataset takes about 80 KB
        cfg = {"kind": "circle", "n": 1000, "noise": 0.1, "classes": 2, "test_fraction": 0.2}
        data.load_dataset({**cfg, "seed": seed, "features": ["x1", "x2"]}, limits)
        assert data.DATASETS.bytes <= 200_000
    assert 1 <= len(data.DATASETS) < 20
    cfg = {"kind": "circle", "n": 1000, "noise": 0.1, "classes": 2, "test_fraction": 0.2}
    last = {**cfg, "seed": 19, "features": ["x1", "x2"]}
    assert data.load_dataset(last, limits) is data.load_dataset(last, limits)  # cached
    data.DATASETS.clear()


# ---- the creation rate counts copies


def test_a_copy_counts_as_a_creation(client_with: Callable[..., TestClient]) -> None:
    client = client_with(creates_per_minute=2)
    network = create(client)["id"]
    assert client.post(url(network, "/copy")).status_code == 201
    r = client.post(url(network, "/copy"))
    assert r.status_code == 429
    assert "BACKPROP_LENS_CREATES_PER_MINUTE" in r.json()["detail"]
    assert store_of(client).count() == 2
