"""The SQLite store behind the app: concurrent steps never lose one, and restarts lose nothing."""

from __future__ import annotations

import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from tests.api.helpers import create, get, step, url

THREADS, STEPS_EACH = 8, 5


def sqlite_app(path: Path) -> TestClient:
    return TestClient(create_app(Settings(store=f"sqlite:///{path}")))


def test_concurrent_steps_on_one_network_never_lose_an_update(tmp_path: Path) -> None:
    with sqlite_app(tmp_path / "c.db") as client:
        shared = create(client, seed=4)["id"]
        alone = create(client, seed=4)["id"]

        def worker(_: int) -> list[int]:
            return [step(client, shared)["step"] for _ in range(STEPS_EACH)]

        with ThreadPoolExecutor(max_workers=THREADS) as pool:
            seen = [s for steps in pool.map(worker, range(THREADS)) for s in steps]
        total = THREADS * STEPS_EACH
        assert sorted(seen) == list(range(1, total + 1))  # every step saw its own count
        step(client, alone, steps=total)
        concurrent, sequential = get(client, shared), get(client, alone)
        assert concurrent["step"] == total
        assert concurrent["weights"] == sequential["weights"]
        assert concurrent["biases"] == sequential["biases"]
        assert concurrent["history"] == sequential["history"]


def test_a_restarted_app_sees_the_same_networks(tmp_path: Path) -> None:
    path = tmp_path / "d.db"
    with sqlite_app(path) as first:
        nid = create(first, optimizer={"name": "adam", "learning_rate": 0.01})["id"]
        step(first, nid, steps=3)
        state = get(first, nid)
        doc = first.get(url(nid, "/export")).json()
    with sqlite_app(path) as second:
        assert get(second, nid) == state
        assert second.get(url(nid, "/export")).json() == doc
        assert doc["optimizer_state"]["t"] == 3
        assert len(doc["history"]) == 3


def test_a_restarted_app_continues_training_where_it_stopped(tmp_path: Path) -> None:
    path = tmp_path / "e.db"
    with sqlite_app(path) as first:
        nid = create(first, optimizer={"name": "adam", "learning_rate": 0.01})["id"]
        twin = create(first, optimizer={"name": "adam", "learning_rate": 0.01})["id"]
        step(first, nid, steps=2)
        step(first, twin, steps=4)
        explained_twin = first.get(url(twin, "/explain"), params={"layer": 0, "i": 0, "j": 0})
    with sqlite_app(path) as second:
        after = step(second, nid, steps=2)
        assert after["step"] == 4
        assert after["weights"] == get(second, twin)["weights"]
        explained = second.get(url(nid, "/explain"), params={"layer": 0, "i": 0, "j": 0})
        assert explained.json()["total"] == explained_twin.json()["total"]


def test_a_deleted_network_stays_deleted_after_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "f.db"
    with sqlite_app(path) as first:
        nid = create(first)["id"]
        assert first.delete(url(nid)).status_code == 204
    with sqlite_app(path) as second:
        assert second.get(url(nid)).status_code == 404


def test_health_reports_the_sqlite_store(tmp_path: Path) -> None:
    with sqlite_app(tmp_path / "g.db") as client:
        assert client.get("/api/v1/health").json()["store"] == "sqlite"


def test_a_file_from_before_compare_and_set_opens_and_steps(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with sqlite_app(path) as client:
        network = create(client, seed=2)["id"]
        step(client, network)
    with sqlite3.connect(path) as conn:  # the table as it was: no version column
        conn.execute("ALTER TABLE networks DROP COLUMN version")
    with sqlite_app(path) as client:
        assert get(client, network)["step"] == 1
        assert step(client, network)["step"] == 2


def test_a_file_from_before_sizes_were_kept_counts_its_networks_bytes(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with sqlite_app(path) as client:
        network = create(client, seed=2)["id"]
        step(client, network, steps=3)
        sizes = client.app.state.store.usage()  # type: ignore[attr-defined]
    with sqlite3.connect(path) as conn:  # the table as it was: no size columns
        conn.execute("DROP INDEX networks_use")
        conn.execute("CREATE INDEX networks_touched ON networks (touched)")
        conn.execute("ALTER TABLE networks DROP COLUMN rec_bytes")
        conn.execute("ALTER TABLE networks DROP COLUMN hist_bytes")
    with sqlite_app(path) as client:
        assert client.app.state.store.usage() == sizes  # type: ignore[attr-defined]
    with sqlite3.connect(path) as conn:
        indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        assert "networks_use" in indexes and "networks_touched" not in indexes
        assert step(client, network)["step"] == 4
