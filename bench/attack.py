"""Health under attack: 3 clients send the worst request each limit allows; does the server hold?

For each attack, a fresh server (SQLite store, the default limits) gets 3 attacking clients
that each repeat the same worst-case request for `--seconds`, while a probe client asks
`GET /api/v1/health` and steps a small network (2-4-4-2, batch 10) in turn, one request at a
time. Reports the attack's own status codes and latency, the probe's p50/p99, and the
server's peak memory. Goal (issue 15): health and the small step answered within 200 ms p99
whatever the attack, no 5xx.

The attacks, each inside every documented limit:
- `validation-bomb`: a 15 MB `/backprop` body whose `x` is 5 million empty strings.
- `deep-steps`: 1000 steps of a `[2,1024,1,1024,1,1024,1,1024,2]` network, batch 3, n = 5000.
- `boundary-200`: that network's boundary at resolution 200 with every neuron.
- `backprop-1024`: `/backprop` of that network on a batch of 1024 rows.
- `gradcheck`: a `[2,900,2]` network's gradient check on a batch of 1024 rows.

    .venv/bin/python bench/attack.py [--seconds 20] [--only deep-steps,...]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load import memory_kib, pct
from tests.live import Server

DEEP = [2, 1024, 1, 1024, 1, 1024, 1, 1024, 2]
SMALL = {"layers": [2, 4, 4, 2], "activations": ["tanh", "tanh", "softmax"]}

Request = tuple[str, str, bytes]  # method, path, body


def deep_network(http: httpx.Client) -> str:
    body = {
        "layers": DEEP,
        "activations": ["relu"] * (len(DEEP) - 2) + ["softmax"],
        "dataset": {"kind": "circle", "n": 5000},
        "batch_size": 3,
    }
    r = http.post("/api/v1/networks", json=body)
    r.raise_for_status()
    return str(r.json()["id"])


def validation_bomb(http: httpx.Client) -> Request:
    rows = b'"",' * 5_000_000
    body = b'{"layers":[2,2],"activations":["softmax"],"x":[' + rows[:-1] + b"]}"
    return "POST", "/api/v1/backprop", body


def deep_steps(http: httpx.Client) -> Request:
    return "POST", f"/api/v1/networks/{deep_network(http)}/step", b'{"steps": 1000}'


def boundary_200(http: httpx.Client) -> Request:
    return "GET", f"/api/v1/networks/{deep_network(http)}/boundary?resolution=200", b""


def backprop_1024(http: httpx.Client) -> Request:
    net = http.get(f"/api/v1/networks/{deep_network(http)}?history=false").json()
    body = {
        "layers": DEEP,
        "activations": net["config"]["activations"],
        "weights": net["weights"],
        "biases": net["biases"],
        "x": [[0.5, -0.5]] * 1024,
        "y": [1] * 1024,
    }
    return "POST", "/api/v1/backprop", json.dumps(body).encode()


def gradcheck_1024(http: httpx.Client) -> Request:
    body = {
        "layers": [2, 900, 2],
        "activations": ["tanh", "softmax"],
        "dataset": {"kind": "circle", "n": 2000, "test_fraction": 0.1},
    }
    r = http.post("/api/v1/networks", json=body)
    r.raise_for_status()
    batch = json.dumps({"batch": list(range(1024))}).encode()
    return "POST", f"/api/v1/networks/{r.json()['id']}/gradcheck", batch


ATTACKS: dict[str, Callable[[httpx.Client], Request]] = {
    "validation-bomb": validation_bomb,
    "deep-steps": deep_steps,
    "boundary-200": boundary_200,
    "backprop-1024": backprop_1024,
    "gradcheck": gradcheck_1024,
}


def attacker(url: str, request: Request, stop: float, codes: Counter[str], ms: list[float]) -> None:
    method, path, body = request
    headers = {"Content-Type": "application/json"}
    with httpx.Client(base_url=url, timeout=max(1.0, stop - time.monotonic())) as http:
        while time.monotonic() < stop:
            t0 = time.perf_counter()
            try:
                r = http.request(method, path, content=body or None, headers=headers)
                codes[str(r.status_code)] += 1
            except httpx.HTTPError as exc:
                codes[type(exc).__name__] += 1
                return
            ms.append((time.perf_counter() - t0) * 1e3)


def probe(url: str, stop: float, health: list[float], step: list[float], bad: Counter[str]) -> None:
    with httpx.Client(base_url=url, timeout=30) as http:
        network = None
        while time.monotonic() < stop:
            if network is None:  # made here, under attack, as a student arriving would
                try:
                    network = http.post("/api/v1/networks", json=SMALL).json()["id"]
                except (httpx.HTTPError, KeyError) as exc:
                    bad[f"create {type(exc).__name__}"] += 1
                    continue
            for kind, out in (("health", health), ("step", step)):
                if kind == "step" and network is None:
                    continue
                t0 = time.perf_counter()
                try:
                    if kind == "health":
                        r = http.get("/api/v1/health")
                    else:
                        r = http.post(f"/api/v1/networks/{network}/step", json={})
                except httpx.HTTPError as exc:
                    bad[f"{kind} {type(exc).__name__}"] += 1
                    out.append(30_000.0)
                    continue
                out.append((time.perf_counter() - t0) * 1e3)
                if r.status_code != 200:
                    bad[f"{kind} {r.status_code}"] += 1
            time.sleep(0.02)


def run(name: str, seconds: float, workers: int) -> str:
    env = {"BACKPROP_LENS_CREATES_PER_MINUTE": "0"}
    with tempfile.TemporaryDirectory() as tmp:
        server = Server({**env, "BACKPROP_LENS_STORE": f"sqlite:///{tmp}/attack.db"}, workers)
        try:
            with httpx.Client(base_url=server.url, timeout=60) as http:
                requests = [ATTACKS[name](http) for _ in range(3)]
            stop = time.monotonic() + seconds
            codes: Counter[str] = Counter()
            bad: Counter[str] = Counter()
            attack_ms: list[float] = []
            health: list[float] = []
            step: list[float] = []
            threads = [
                threading.Thread(target=attacker, args=(server.url, r, stop, codes, attack_ms))
                for r in requests
            ]
            threads.append(
                threading.Thread(target=probe, args=(server.url, stop, health, step, bad))
            )
            for t in threads:
                t.start()
            for t in threads:
                t.join(seconds + 60)
            peak = memory_kib(server.proc.pid, "VmHWM")
        finally:
            server.kill()  # an attack may still be running; nothing here needs a clean stop
    return (
        f"| {name} | {dict(codes)} | {median(attack_ms)} | {median(health)} | "
        f"{p99(health)} | {median(step)} | {p99(step)} | {dict(bad) or 0} | {peak / 1024:.0f} |"
    )


def median(ms: list[float]) -> str:
    return f"{statistics.median(ms):.1f}" if ms else "-"


def p99(ms: list[float]) -> str:
    return f"{pct(ms, 0.99):.1f}" if ms else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--only", default=",".join(ATTACKS), help="comma-separated attacks")
    args = parser.parse_args()
    print(f"3 attackers for {args.seconds:g} s each, {args.workers} worker(s), SQLite store")
    print()
    print(
        "| attack | attack answers | attack p50 ms | health p50 ms | health p99 ms | "
        "small step p50 ms | small step p99 ms | probe failures | server peak MiB |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---|---:|")
    for name in args.only.split(","):
        print(run(name, args.seconds, args.workers), flush=True)


if __name__ == "__main__":
    main()
