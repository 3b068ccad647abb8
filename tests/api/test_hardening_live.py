"""Issue 15 against real uvicorn processes: chunked bodies, slow clients, proxies, workers."""

from __future__ import annotations

import json
import socket
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import redis

from tests.live import redis_server, serve

SMALL_BODY = {"BACKPROP_LENS_MAX_BODY_BYTES": "4096"}


def connect(url: str) -> socket.socket:
    parts = urlsplit(url)
    return socket.create_connection((parts.hostname, parts.port), timeout=30)


def read_response(sock: socket.socket) -> tuple[int, bytes]:
    """Status and everything the server sent until it closed or a whole response arrived."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = next(
        (
            int(line.split(b":", 1)[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        ),
        None,
    )
    while length is not None and len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        rest += chunk
    return status, rest


def send_chunked(url: str, method: str, path: str, first: bytes, padding: int) -> int:
    """Send `first` then `padding` spaces as a chunked body; the response status."""
    with connect(url) as sock:
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        sock.sendall(head.encode() + b"%x\r\n%s\r\n" % (len(first), first))
        try:
            for _ in range(padding // 1000):
                sock.sendall(b"3e8\r\n" + b" " * 1000 + b"\r\n")
            sock.sendall(b"0\r\n\r\n")
        except OSError:
            pass  # the server answered and closed before the body ended
        return read_response(sock)[0]


def created(url: str, **body: Any) -> str:
    r = httpx.post(url + "/api/v1/networks", json=body, timeout=30)
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def state(url: str, network: str) -> dict[str, Any]:
    r = httpx.get(f"{url}/api/v1/networks/{network}", timeout=30)
    assert r.status_code == 200, r.text
    return dict(r.json())


# ---- 8. a refused body runs nothing


def test_a_chunked_step_or_patch_past_the_limit_is_refused_and_not_run() -> None:
    with serve(SMALL_BODY) as server:
        network = created(server.url, layers=[2, 2])
        before = state(server.url, network)
        path = f"/api/v1/networks/{network}"
        assert send_chunked(server.url, "POST", path + "/step", b'{"steps": 5}', 20_000) == 413
        change = {"set": {"layer": 0, "kind": "W", "i": 0, "j": 0, "value": 0.5}}
        assert send_chunked(server.url, "PATCH", path, json.dumps(change).encode(), 20_000) == 413
        after = state(server.url, network)
        assert after["step"] == 0
        assert after["weights"] == before["weights"]


# ---- 6. slow clients


def test_half_open_sockets_neither_block_health_nor_stay_open() -> None:
    with serve({"BACKPROP_LENS_CLIENT_TIMEOUT": "2"}) as server:
        silent = [connect(server.url) for _ in range(150)]
        partial = [connect(server.url) for _ in range(150)]
        for sock in partial:  # headers that never end
            sock.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        try:
            r = httpx.get(server.url + "/api/v1/health", timeout=30)
            assert r.status_code == 200
            for sock in partial:  # answered 408 after the deadline, then closed
                status, body = read_response(sock)
                assert status == 408
                assert b"BACKPROP_LENS_CLIENT_TIMEOUT" in body
                assert sock.recv(1) == b""
            for sock in silent:  # closed without a word
                assert sock.recv(1) == b""
        finally:
            for sock in silent + partial:
                sock.close()


def test_a_body_that_stops_arriving_answers_408_and_runs_nothing() -> None:
    with serve({"BACKPROP_LENS_CLIENT_TIMEOUT": "2"}) as server:
        network = created(server.url, layers=[2, 2])
        with connect(server.url) as sock:
            sock.sendall(
                f"POST /api/v1/networks/{network}/step HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n"
                '{"steps": 5'.encode()
            )
            status, body = read_response(sock)
        assert status == 408
        assert b"BACKPROP_LENS_CLIENT_TIMEOUT" in body
        assert state(server.url, network)["step"] == 0


# ---- 7. the rate limit and the store cap cannot be bypassed


def creations(urls: list[str], count: int, forwarded: list[str] | None = None) -> list[int]:
    """Statuses of `count` concurrent creations spread over `urls`."""

    def one(k: int) -> int:
        headers = {"X-Forwarded-For": forwarded[k]} if forwarded else {}
        r = httpx.post(urls[k % len(urls)] + "/api/v1/networks", headers=headers, timeout=60)
        assert r.status_code in (201, 429), r.text
        return r.status_code

    with ThreadPoolExecutor(16) as pool:
        return list(pool.map(one, range(count)))


def test_x_forwarded_for_is_ignored_unless_from_a_trusted_proxy() -> None:
    addresses = [f"203.0.113.{k}" for k in range(6)]
    with serve({"BACKPROP_LENS_CREATES_PER_MINUTE": "2"}) as server:
        assert sorted(creations([server.url], 6, addresses)) == [201] * 2 + [429] * 4
    trusted = {
        "BACKPROP_LENS_CREATES_PER_MINUTE": "2",
        "BACKPROP_LENS_TRUSTED_PROXIES": "127.0.0.1",
    }
    with serve(trusted) as server:
        assert creations([server.url], 6, addresses) == [201] * 6  # one bucket per client
        assert sorted(creations([server.url], 3, addresses[:1] * 3)) == [201, 429, 429]


def test_two_workers_share_one_creation_bucket(tmp_path: Path) -> None:
    env = {
        "BACKPROP_LENS_STORE": f"sqlite:///{tmp_path / 'rate.db'}",
        "BACKPROP_LENS_CREATES_PER_MINUTE": "3",
    }
    with serve(env, workers=2) as server:
        assert sorted(creations([server.url], 20)) == [201] * 3 + [429] * 17


def test_the_stored_networks_cap_holds_under_concurrent_creations(tmp_path: Path) -> None:
    db = tmp_path / "cap.db"
    env = {"BACKPROP_LENS_STORE": f"sqlite:///{db}", "BACKPROP_LENS_MAX_NETWORKS": "5"}
    with serve(env, workers=2) as server:
        assert sorted(creations([server.url], 30)) == [201] * 5 + [429] * 25
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM networks").fetchone()[0] == 5


# ---- 5. a full store lets a new student in by deleting idle networks, under concurrency

EVICTING = {"BACKPROP_LENS_MAX_NETWORKS": "5", "BACKPROP_LENS_EVICT_IDLE_MINUTES": "0.02"}


def assert_idle_networks_make_room(urls: list[str]) -> None:
    """5 networks, left idle past the 1.2 s grace, then 30 concurrent creations: the idle
    ones are deleted to let new ones in, and the store still holds exactly 5."""
    old = [created(urls[k % len(urls)]) for k in range(5)]
    time.sleep(1.5)
    statuses = creations(urls, 30)
    assert statuses.count(201) >= 5, statuses
    for network in old:
        assert httpx.get(f"{urls[0]}/api/v1/networks/{network}", timeout=30).status_code == 404


def test_two_sqlite_workers_evict_idle_networks_within_the_cap(tmp_path: Path) -> None:
    db = tmp_path / "evict.db"
    with serve({"BACKPROP_LENS_STORE": f"sqlite:///{db}", **EVICTING}, workers=2) as server:
        assert_idle_networks_make_room([server.url])
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM networks").fetchone()[0] == 5


def test_servers_sharing_redis_evict_idle_networks_within_the_cap() -> None:
    with redis_server() as redis_url:
        env = {"BACKPROP_LENS_STORE": redis_url, **EVICTING}
        with serve(env) as a, serve(env) as b:
            assert_idle_networks_make_room([a.url, b.url])
        client = redis.Redis.from_url(redis_url)
        assert client.zcard("bl:index") == 5
        assert len(client.keys("bl:net:*")) == 5


def test_servers_sharing_redis_share_the_bucket_and_the_cap() -> None:
    with redis_server() as redis_url:
        env = {"BACKPROP_LENS_STORE": redis_url, "BACKPROP_LENS_CREATES_PER_MINUTE": "4"}
        with serve(env) as a, serve(env) as b:
            assert sorted(creations([a.url, b.url], 12)) == [201] * 4 + [429] * 8
        env = {"BACKPROP_LENS_STORE": redis_url, "BACKPROP_LENS_MAX_NETWORKS": "6"}
        with serve(env) as a, serve(env) as b:  # 4 networks are stored already
            assert sorted(creations([a.url, b.url], 12)) == [201] * 2 + [429] * 10
